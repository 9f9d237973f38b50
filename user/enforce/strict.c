// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The strict tier's part of enforcement (docs/strict.md): `enforce
 * --strict` sets ITR_ENF_F_STRICT in the policy; maps are then decided by
 * bpf/enforce/strict.bpf.c on the kernel's own copy, called by the shim's
 * kprobes (shim/strict.c), and answered with a clean EPERM.
 *
 * Fail closed: the daemon loads the strict program only when the shim is
 * loaded with its kfuncs and every target is probe-able here; it puts in
 * force a policy without the flag (the gates judge maps) until everything
 * is attached and the shim armed every target, then installs the strict
 * policy make-before-break. Any refusal undoes everything.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "enforce/enforce.h"
#include "lib/log.h"
#include "shim/shim.h"

int enforce_strict_check(const struct policy *p, const struct itr_enf_policy *kp)
{
	unsigned int i;

	if (!(kp->flags & ITR_ENF_F_STRICT))
		return 0;
	for (i = 0; i < p->nrules && i < kp->nrules; i++) {
		const struct itr_enf_rule *r = &kp->rules[i];

		if ((r->ops & (1ULL << ITR_ENF_OP_MAP)) && (r->match & ITR_ENF_M_NODE)) {
			log_err("%s: rule '%s': the strict tier cannot tell which file a map was made on: "
				"drop its object (node/group) or --strict", p->file, p->rules[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

int enforce_strict_prepare(struct bpf_program *prog, const struct itr_enf_policy *kp)
{
	struct itr_shim_status st;
	char why[SHIM_WHY_LEN];
	int fd, err;

	bpf_program__set_autoload(prog, false);
	if (!(kp->flags & ITR_ENF_F_STRICT))
		return 0;
	fd = shim_open(why);
	if (fd < 0) {
		log_err("--strict needs the kernel shim: %s", why);
		return fd;
	}
	err = shim_status(fd, &st, why);
	close(fd);
	if (err || !st.kfuncs) {
		log_err("--strict needs the kernel shim's kfuncs: %s", err ? why : "kfuncs off (no module BTF)");
		return err ? err : -ENOTSUP;
	}
	if (shim_strict_missing(why)) {
		log_err("the strict tier cannot arm on this kernel; missing: %s; nothing armed", why);
		return -ENOENT;
	}
	bpf_program__set_autoload(prog, true);
	return 0;
}

int enforce_strict_arm(const struct policy *p, const struct itr_enf_policy *kp)
{
	static struct itr_enf_policy in_force;
	struct itr_shim_strict s;
	struct enforce_maps m;
	char why[SHIM_WHY_LEN];
	int err = shim_strict_arm(&s, why);

	if (err) {
		log_err("the shim refused to arm the strict tier: %s; nothing armed", why);
		return err;
	}
	err = enforce_maps_open(&m);
	if (err)
		return log_err("cannot open the pinned maps: %s", strerror(-err)), err;
	in_force = *kp;
	err = enforce_install(&m, p, &in_force);
	enforce_maps_close(&m);
	return err;
}

int enforce_strict_ready(const struct itr_enf_policy *kp)
{
	struct itr_shim_strict s = { 0 };
	char why[SHIM_WHY_LEN] = "";
	struct stat st;

	if (!(kp->flags & ITR_ENF_F_STRICT))
		return 0;
	if (shim_strict_status(&s, why) || s.kinds != ITR_SHIM_STRICT_ALL ||
	    stat(ITR_ENF_PIN_DIR "/link_enf_strict", &st)) {
		log_err("the strict tier is not armed (%s): --stop, then start the daemon with --strict",
			s.kinds ? "its program is not attached" : why[0] ? why : "the shim has no armed target");
		return -ENOENT;
	}
	return 0;
}

void enforce_strict_disarm(void)
{
	struct itr_shim_strict s;
	char why[SHIM_WHY_LEN];

	if (!shim_loaded())
		return;
	if (shim_strict_status(&s, why) || !s.kinds)
		return;
	if (shim_strict_disarm(&s, why))
		log_err("cannot disarm the shim's strict tier: %s", why);
	else
		printf("enforcement: strict tier disarmed\n");
}

int enforce_strict_tier(const struct itr_enf_policy *kp, const struct itr_enf_rule *r)
{
	return (kp->flags & ITR_ENF_F_STRICT) && (!r || (r->ops & (1ULL << ITR_ENF_OP_MAP)));
}
