// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The daemon and --reload. The daemon loads and pins the programs, or
 * adopts what is pinned already (a restart after kill -9), installs its
 * policy, then writes the audit ring as JSON lines until SIGINT/SIGTERM
 * (enforcement stays: --stop removes it) or until --stop removed the pins.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "enforce/enforce.h"
#include "lib/clock.h"
#include "lib/log.h"

struct audit_ctx {
	FILE *f;
	int names;
	unsigned long n;	/* records written */
	struct enf_daemon_counts *counts;	/* NULL: none */
	int policy;		/* the pinned policy: a cap to set (memlock.c) */
};

static bool pinned(void);

static int on_audit(void *arg, void *data, size_t size)
{
	const struct itr_enf_audit *a = data;
	struct audit_ctx *c = arg;
	char name[ITR_ENF_NAME_LEN] = "";
	struct itr_enf_audit low;
	__u32 key;
	bool bad;
	int err;

	if (size < sizeof(*a))
		return 0;
	key = (a->slot & 1) * (ITR_ENF_MAX_RULES + 1) +
	      (a->rule_id <= ITR_ENF_MAX_RULES ? a->rule_id : 0);
	bpf_map_lookup_elem(c->names, &key, name);
	name[sizeof(name) - 1] = 0;
	bad = enforce_audit_line(c->f, a, a->rule_id ? name : NULL) != 0;
	err = enforce_memlock_lower(c->policy, a, &low);
	if (err > 0)
		bad |= enforce_audit_line(c->f, &low, name) != 0;
	else if (err < 0)
		log_warn("cannot set process %u's RLIMIT_MEMLOCK to its cap: %s", a->tgid, strerror(-err));
	if (c->counts)	/* enforce --metrics: scrapes read them meanwhile */
		__atomic_add_fetch(bad ? &c->counts->write_errors : &c->counts->records, 1,
				   __ATOMIC_RELAXED);
	/* a full ring takes long to write: look for a --stop now and then */
	if (!(++c->n % 1024) && !pinned())
		return -ECANCELED;
	return 0;
}

static bool pinned(void)
{
	struct stat st;

	return !stat(ITR_ENF_PIN_DIR "/enf_active", &st);
}

int enforce_run(const struct policy *p, struct itr_enf_policy *kp, const struct enforce_opts *o)
{
	struct audit_ctx ac = { .f = stdout };
	struct ring_buffer *rb = NULL;
	struct enforce_maps m;
	bool adopted = pinned();
	int err;

	if (!adopted) {
		err = enforce_load(p, kp, o->verbose);
		if (err)
			return err;
	}
	err = enforce_maps_open(&m);
	if (err) {
		log_err("cannot open the pinned maps under %s: %s", ITR_ENF_PIN_DIR, strerror(-err));
		return err;
	}
	if (adopted) {
		err = enforce_pins_abi_check() ?: enforce_strict_ready(kp) ?: enforce_install(&m, p, kp);
		if (err)
			goto out;
	}
	if (o->audit) {
		ac.f = fopen(o->audit, "a");
		if (!ac.f) {
			err = -errno;
			log_err("cannot open %s: %s", o->audit, strerror(-err));
			goto out;
		}
	}
	ac.names = m.names;
	ac.policy = m.policy;
	ac.counts = o->counts;
	/* two rings: kills and races (alert), and the gates' records (audit) */
	rb = ring_buffer__new(m.alert, on_audit, &ac, NULL);
	if (rb && ring_buffer__add(rb, m.audit, on_audit, &ac)) {
		ring_buffer__free(rb);
		rb = NULL;
		errno = EINVAL;
	}
	if (!rb) {
		err = -errno;
		log_err("cannot read the audit ring: %s", strerror(-err));
		goto out;
	}
	fprintf(stderr, "iommutrace: enforcing %s (%u rules%s%s%s), %s\n", p->file, p->nrules,
		kp->flags & ITR_ENF_F_STRICT ? ", maps in the strict tier" : "",
		kp->flags & ITR_ENF_F_DRY_RUN ? ", dry run" : "",
		kp->flags & ITR_ENF_F_AUDIT_ALL ? ", audit all" : "",
		adopted ? "adopted the pinned programs" : "programs pinned under " ITR_ENF_PIN_DIR);
	catch_stop_signals();
	while (!stop_requested) {
		err = ring_buffer__poll(rb, 200);
		if (err < 0 && err != -EINTR && err != -ECANCELED) {
			log_err("audit ring: %s", strerror(-err));
			break;
		}
		err = 0;
		fflush(ac.f);
		if (!pinned()) {
			fprintf(stderr, "iommutrace: enforcement stopped (--stop)\n");
			break;
		}
	}
	if (pinned())
		ring_buffer__consume(rb);
	fflush(ac.f);
out:
	ring_buffer__free(rb);
	if (ac.f && ac.f != stdout)
		fclose(ac.f);
	enforce_maps_close(&m);
	return err;
}

int enforce_reload(const struct policy *p, struct itr_enf_policy *kp)
{
	struct enforce_maps m;
	int err = enforce_maps_open(&m);

	if (err) {
		log_err("no enforcement to reload (%s: %s)", ITR_ENF_PIN_DIR, strerror(-err));
		return err;
	}
	err = enforce_strict_ready(kp) ?: enforce_install(&m, p, kp);
	enforce_maps_close(&m);
	if (!err)
		printf("enforcement: %s in force (%u rules, generation %u)\n", p->file, p->nrules,
		       kp->generation);
	return err;
}
