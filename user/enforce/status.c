// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --status: the policy in force (from the pinned maps), each rule with its
 * tiers and its counters summed over the CPUs, and the attached hooks.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "enforce/enforce.h"
#include "lib/jsonw.h"
#include "lib/log.h"
#include "source/enforce_pins.h"

/* Where rule R is decided: its tiers, as "open+receive" etc. */
static void tiers_of(const struct itr_enf_rule *r, char *buf, size_t len)
{
	__u64 opens = (1ULL << ITR_ENF_OP_OPEN_GROUP) | (1ULL << ITR_ENF_OP_OPEN_CONTAINER) |
		      (1ULL << ITR_ENF_OP_OPEN_DEVICE) | (1ULL << ITR_ENF_OP_OPEN_IOMMUFD);
	__u64 ioctls = ~opens & ~1ULL;

	buf[0] = 0;
	if (r->ops & opens)
		snprintf(buf + strlen(buf), len - strlen(buf), "open+receive");
	if (r->ops & ioctls)
		snprintf(buf + strlen(buf), len - strlen(buf), "%sioctl+ioctl-compat", buf[0] ? "+" : "");
	if (r->ops & (1ULL << ITR_ENF_OP_GET_DEVICE_FD))
		snprintf(buf + strlen(buf), len - strlen(buf), "+receive");
	if (((r->ops & (1ULL << ITR_ENF_OP_MAP)) && (r->match & ITR_ENF_M_LIMITS)) ||
	    ((r->ops & (1ULL << ITR_ENF_OP_GET_DEVICE_FD)) && (r->match & ITR_ENF_M_DEVICE)))
		snprintf(buf + strlen(buf), len - strlen(buf), "+kernel-copy");
	if (r->match & ITR_ENF_M_MAX_PINNED)
		snprintf(buf + strlen(buf), len - strlen(buf), "+capable+setrlimit");
}

/* Under the strict tier a rule's maps are decided there alone (docs/strict.md). */
static void strict_tiers_of(const struct itr_enf_rule *r, char *buf, size_t len)
{
	struct itr_enf_rule rest = *r;

	rest.ops &= ~(1ULL << ITR_ENF_OP_MAP);
	tiers_of(&rest, buf, len);
	snprintf(buf + strlen(buf), len - strlen(buf), "%sstrict", buf[0] ? "+" : "");
}

/* Row R's tiers (R NULL: the default's row). */
static void row_tiers(const struct itr_enf_policy *p, const struct itr_enf_rule *r, char *buf,
		      size_t len)
{
	if (r && enforce_strict_tier(p, r))
		strict_tiers_of(r, buf, len);
	else if (r)
		tiers_of(r, buf, len);
	else
		snprintf(buf, len, "open+receive+ioctl+ioctl-compat%s",
			 enforce_strict_tier(p, NULL) ? "+strict" : "");
}

/* The TIERS column's width: its widest row, so the counters stay aligned. */
static int tiers_width(const struct itr_enf_policy *p)
{
	char buf[96];
	int w = 5;
	__u32 i;

	for (i = 0; i <= p->nrules && i <= ITR_ENF_MAX_RULES; i++) {
		row_tiers(p, i ? &p->rules[i - 1] : NULL, buf, sizeof(buf));
		if ((int)strlen(buf) > w)
			w = strlen(buf);
	}
	return w;
}

static void ops_of(const struct itr_enf_rule *r, char *buf, size_t len)
{
	__u32 op;

	buf[0] = 0;
	for (op = 1; op < ITR_ENF_OP_MAX; op++)
		if (r->ops & (1ULL << op))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "," : "",
				 policy_op_name(op));
}

/* Rule KEY's counters summed over the CPUs (zero when they cannot be read). */
static void sum_counts(int fd, __u32 key, struct itr_enf_counts *out)
{
	static struct itr_enf_counts per[512];
	int n = libbpf_num_possible_cpus();

	if (n <= 0 || n > 512 || enf_pins_sum(fd, key, per, n, out))
		memset(out, 0, sizeof(*out));
}

static json_object *counts_json(const struct itr_enf_counts *c)
{
	json_object *o = json_object_new_object();

	jw_u64(o, "allowed", c->allowed);
	jw_u64(o, "denied", c->denied);
	jw_u64(o, "audited", c->audited);
	jw_u64(o, "killed", c->killed);
	jw_u64(o, "raced", c->raced);
	jw_u64(o, "missed", c->missed);
	return o;
}

int enforce_status(FILE *f, bool json)
{
	static struct itr_enf_policy p;
	char name[ITR_ENF_NAME_LEN], tiers[96], ops[256], hooks[512] = "";
	json_object *j = NULL, *rules = NULL;
	struct itr_enf_counts c;
	struct enforce_maps m;
	struct dirent *de;
	__u32 zero = 0, slot, i;
	DIR *d;
	int err = enforce_maps_open(&m), tw = 0;

	if (err) {
		if (err == -ENOENT) {
			fprintf(f, json ? "{\"running\":false}\n" : "enforcement: not running\n");
			return 0;
		}
		log_err("cannot open the pinned maps under %s: %s", ITR_ENF_PIN_DIR, strerror(-err));
		return err;
	}
	if (bpf_map_lookup_elem(m.active, &zero, &slot) ||
	    bpf_map_lookup_elem(m.policy, &(__u32){ slot & 1 }, &p)) {
		err = -errno;
		log_err("cannot read the policy in force: %s", strerror(-err));
		goto out;
	}
	slot &= 1;
	d = opendir(ITR_ENF_PIN_DIR);
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "link_", 5))
			snprintf(hooks + strlen(hooks), sizeof(hooks) - strlen(hooks), "%s%s",
				 hooks[0] ? " " : "", de->d_name + 5);
	if (d)
		closedir(d);
	if (json) {
		j = json_object_new_object();
		rules = json_object_new_array();
		jw_bool(j, "running", 1);
		jw_u64(j, "generation", p.generation);
		jw_u64(j, "slot", slot);
		jw_bool(j, "dry_run", p.flags & ITR_ENF_F_DRY_RUN);
		jw_bool(j, "audit_all", p.flags & ITR_ENF_F_AUDIT_ALL);
		jw_bool(j, "strict", p.flags & ITR_ENF_F_STRICT);
		jw_str(j, "default", policy_action_name(p.default_action));
		jw_str(j, "links", hooks);
	} else {
		fprintf(f, "enforcement: generation %u (slot %u)%s%s%s, default %s\n", p.generation, slot,
			p.flags & ITR_ENF_F_STRICT ? ", maps decided by the strict tier (shim)" : "",
			p.flags & ITR_ENF_F_DRY_RUN ? ", dry run" : "",
			p.flags & ITR_ENF_F_AUDIT_ALL ? ", audit all" : "",
			policy_action_name(p.default_action));
		fprintf(f, "links: %s\n", hooks);
		tw = tiers_width(&p);
		fprintf(f, "%-4s %-20s %-6s %-*s %8s %8s %8s %8s %8s %8s  %s\n", "RULE", "ID", "ACTION",
			tw, "TIERS", "ALLOWED", "DENIED", "AUDITED", "KILLED", "RACED", "MISSED", "OPERATIONS");
	}
	for (i = 0; i <= p.nrules && i <= ITR_ENF_MAX_RULES; i++) {
		__u32 key = slot * (ITR_ENF_MAX_RULES + 1) + i;
		const struct itr_enf_rule *r = i ? &p.rules[i - 1] : NULL;

		memset(name, 0, sizeof(name));
		bpf_map_lookup_elem(m.names, &key, name);
		name[sizeof(name) - 1] = 0;
		sum_counts(m.counters, key, &c);
		row_tiers(&p, r, tiers, sizeof(tiers));
		if (r)
			ops_of(r, ops, sizeof(ops));
		else
			snprintf(ops, sizeof(ops), "(none matched)");
		if (json) {
			json_object *o = json_object_new_object();

			jw_u64(o, "rule", i);
			jw_str(o, "id", name);
			jw_str(o, "action", policy_action_name(r ? r->action : p.default_action));
			jw_str(o, "tiers", tiers);
			jw_str(o, "maps_decided_by", enforce_strict_tier(&p, r) ? "strict" : "bpf");
			jw_str(o, "operations", ops);
			jw_obj(o, "counters", counts_json(&c));
			json_object_array_add(rules, o);
		} else {
			fprintf(f, "%-4u %-20s %-6s %-*s %8llu %8llu %8llu %8llu %8llu %8llu  %s\n", i, name,
				policy_action_name(r ? r->action : p.default_action), tw, tiers,
				(unsigned long long)c.allowed, (unsigned long long)c.denied,
				(unsigned long long)c.audited, (unsigned long long)c.killed,
				(unsigned long long)c.raced, (unsigned long long)c.missed, ops);
		}
	}
	if (json) {
		jw_obj(j, "rules", rules);
		err = jw_line(f, j) ? -EIO : 0;
	}
out:
	enforce_maps_close(&m);
	return err;
}
