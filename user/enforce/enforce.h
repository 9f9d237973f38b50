/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Enforcement mode (docs/enforce.md): load the enforce skeleton, pin it
 * under ITR_ENF_PIN_DIR, install compiled policies make-before-break, read
 * the audit ring, show the status, remove everything.
 *
 * Steps: enforce_load() (programs, links, maps: loaded, attached and
 * pinned, policy slot 0 in force before the first attach) or, when
 * something is pinned already, adoption; then enforce_install() for a new
 * policy; the daemon (enforce_run) then reads the audit ring until a stop.
 */
#ifndef ITR_ENFORCE_H
#define ITR_ENFORCE_H

#include <stdbool.h>
#include <stdio.h>
#include "iommutrace_enforce.h"
#include "policy/policy.h"
#include "source/enforce_pins.h"

struct enforce_opts {
	const char *audit;	/* audit JSON lines to this file; NULL: stdout */
	bool verbose;
	struct enf_daemon_counts *counts;	/* the daemon's own, for --metrics; NULL: none */
};

/* The pinned maps, opened (fds; -1 when closed). */
struct enforce_maps {
	int policy, active, counters, audit, alert, names;
};

/* Open the pinned maps; -ENOENT when nothing is pinned. */
int enforce_maps_open(struct enforce_maps *m);
void enforce_maps_close(struct enforce_maps *m);

/*
 * Load, attach and pin the programs with KP in force from the first
 * instant. Refuses (-ENOTSUP, with a message) when BPF LSM is inactive.
 */
int enforce_load(const struct policy *p, const struct itr_enf_policy *kp, bool verbose);

/*
 * Make-before-break: write KP (and P's rule names, zeroed counters) into
 * the slot not in force, then flip `active` to it in one map update.
 */
int enforce_install(const struct enforce_maps *m, const struct policy *p, struct itr_enf_policy *kp);

/* The daemon: load or adopt, install, audit until SIGINT/SIGTERM or --stop. */
int enforce_run(const struct policy *p, struct itr_enf_policy *kp, const struct enforce_opts *o);
/* Install a new policy into the pinned maps. */
int enforce_reload(const struct policy *p, struct itr_enf_policy *kp);
/* Unpin everything: programs detach, maps go when the last fd closes. */
int enforce_stop(void);
/* The policy in force and the counters, as a table or one JSON object. */
int enforce_status(FILE *f, bool json);

/*
 * strict.c: the strict tier (docs/strict.md). check: a --strict policy
 * judges no map by its object; prepare: the strict program's autoload (the
 * shim, its kfuncs and every target must be there); arm: the shim arms
 * every target, then KP (with ITR_ENF_F_STRICT) goes in force; ready: a
 * --strict policy may be installed into what is pinned (reload, adoption);
 * disarm: after --stop; tier: does the strict tier decide rule R (NULL:
 * the default) under KP?
 */
struct bpf_program;
int enforce_strict_check(const struct policy *p, const struct itr_enf_policy *kp);
int enforce_strict_prepare(struct bpf_program *prog, const struct itr_enf_policy *kp);
int enforce_strict_arm(const struct policy *p, const struct itr_enf_policy *kp);
int enforce_strict_ready(const struct itr_enf_policy *kp);
void enforce_strict_disarm(void);
int enforce_strict_tier(const struct itr_enf_policy *kp, const struct itr_enf_rule *r);

/* One audit record as a JSON line (names from NAMES: the policy's rule names, may be NULL). */
int enforce_audit_line(FILE *f, const struct itr_enf_audit *a, const char *rule_name);

/*
 * memlock.c: on an over-cap record, or a map a max-pinned rule denied, set
 * the process's RLIMIT_MEMLOCK (the soft limit) to the cap of the rule in
 * the pinned policy POLICY_FD. 1: lowered, *OUT the record that says so
 * (verdict lowered, op set-memlock, size the new limit); 0: nothing to
 * do (not such a record, dry run, a policy since replaced, already within
 * the cap, or the process is gone); -errno from prlimit(2).
 */
int enforce_memlock_lower(int policy_fd, const struct itr_enf_audit *a, struct itr_enf_audit *out);

/* Are the pinned programs of this build's ABI (their audit record's size)? 0, or -EPROTO said. */
int enforce_pins_abi_check(void);

#endif
