/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the enforcement programs share: the pinned maps (defined in
 * maps.bpf.c, extern here; layouts in include/iommutrace_enforce.h) and
 * the decision: the first rule of the active policy slot that matches the
 * request decides (itr_enf_rule_matches, the same code the unit tests
 * run through policy_decide), then enf_verdict() counts, audits, and says
 * what the caller must do.
 */
#ifndef ITR_ENFORCE_BPF_H
#define ITR_ENFORCE_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "iommutrace_enforce.h"

#define ENF_EPERM	1
#define ENF_SIGKILL	9

struct enf_policy_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct itr_enf_policy);
};

struct enf_active_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};

struct enf_counters_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ITR_ENF_NCOUNTERS);
	__type(key, __u32);
	__type(value, struct itr_enf_counts);
};

struct enf_audit_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, ITR_ENF_AUDIT_SIZE);
};

extern struct enf_policy_map enf_policy SEC(".maps");
extern struct enf_active_map enf_active SEC(".maps");
extern struct enf_counters_map enf_counters SEC(".maps");
struct enf_alert_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, ITR_ENF_ALERT_SIZE);
};

extern struct enf_audit_map enf_audit SEC(".maps");
extern struct enf_alert_map enf_alert SEC(".maps");

/* A request being decided, and the decision. */
struct enf_req {
	struct itr_enf_req q;
	__u32 slot;		/* the policy slot read */
	__u32 tier;		/* enum itr_enf_tier */
	__u32 cmd;
	__u32 flags;		/* map flags */
	__u32 rule;		/* 0: default; else 1..nrules */
	__u32 action;
	__u32 kernel;		/* kernel-copy tier: the node test does not apply */
	__u32 class;		/* enum itr_enf_class of the file; 0: none */
	__u32 group;		/* the object's IOMMU group id + 1; 0: not known (device.bpf.h) */
	__u32 pad;
	struct task_struct *task;	/* whose subject: NULL the caller, else (prlimit) the target */
};

/* The policy in force, or NULL (no policy: allow, as with no program). */
static __always_inline const struct itr_enf_policy *enf_policy_get(struct enf_req *r)
{
	__u32 zero = 0, *slot = bpf_map_lookup_elem(&enf_active, &zero);

	if (!slot)
		return NULL;
	r->slot = *slot & 1;
	return bpf_map_lookup_elem(&enf_policy, &r->slot);
}

#define ENF_RLIMIT_MEMLOCK	8

/* T's RLIMIT_MEMLOCK in force (the soft limit, which the pin paths check) */
static __always_inline __u64 enf_task_memlock(struct task_struct *t)
{
	return BPF_CORE_READ(t, signal, rlim[ENF_RLIMIT_MEMLOCK].rlim_cur);
}

/* The id of T's cgroup (v2) ancestor at LEVEL (its own at its level); 0: none. */
static __always_inline __u64 enf_task_ancestor_cgroup(struct task_struct *t, __u32 level)
{
	struct cgroup *cg = BPF_CORE_READ(t, cgroups, dfl_cgrp);
	int depth = BPF_CORE_READ(cg, level), i;

	if (!cg || (int)level > depth)
		return 0;
	/* up through self.parent: a cgroup's own css is its first member */
	for (i = 0; i < 64 && depth > (int)level; i++, depth--)
		cg = (void *)BPF_CORE_READ(cg, self.parent) - bpf_core_field_offset(struct cgroup, self);
	return BPF_CORE_READ(cg, kn, id);
}

/* Is the subject's cgroup at LEVEL the cgroup ID? */
static __always_inline int enf_cgroup_is(const struct enf_req *r, __u32 level, __u64 id)
{
	if (r->task)
		return enf_task_ancestor_cgroup(r->task, level) == id;
	return bpf_get_current_ancestor_cgroup_id(level) == id;
}

static long enf_rule_cb(__u32 i, void *arg)
{
	struct enf_req *r = arg;
	const struct itr_enf_policy *p = bpf_map_lookup_elem(&enf_policy, &r->slot);
	const struct itr_enf_rule *rule;
	int cg = 0;

	if (!p || i >= ITR_ENF_MAX_RULES || i >= p->nrules)
		return 1;
	/* a power of two: the mask bounds the index for the verifier */
	_Static_assert((ITR_ENF_MAX_RULES & (ITR_ENF_MAX_RULES - 1)) == 0, "a power of two");
	asm volatile("" : "+r"(i));
	rule = &p->rules[i & (ITR_ENF_MAX_RULES - 1)];
	/* the common miss first, before anything is copied */
	if (r->q.op >= 64 || !(rule->ops & (1ULL << r->q.op)))
		return 0;
	/*
	 * the map's kernel-copy tier has no file: the node test does not apply
	 * (no copy: stack); the device fd's knows its group's node (devfd.bpf.c)
	 */
	if (r->kernel && !r->class)
		r->q.rdev = rule->node_rdev;
	if (rule->match & ITR_ENF_M_CGROUP)
		cg = enf_cgroup_is(r, rule->cgroup_level, rule->cgroup_id);
	if (!itr_enf_rule_matches(rule, &r->q, cg))
		return 0;
	r->rule = i + 1;
	r->action = rule->action;
	return 1;
}

/* Fill the subject of R from the current task. */
static __always_inline void enf_subject(struct enf_req *r)
{
	__u64 ug = bpf_get_current_uid_gid();

	r->q.uid = (__u32)ug;
	r->q.gid = ug >> 32;
	bpf_get_current_comm(r->q.comm, sizeof(r->q.comm));
}

/* Fill the subject of R from task T (another than the caller). */
static __always_inline void enf_task_subject(struct enf_req *r, struct task_struct *t)
{
	r->task = t;
	r->q.uid = BPF_CORE_READ(t, cred, uid.val);
	r->q.gid = BPF_CORE_READ(t, cred, gid.val);
	BPF_CORE_READ_STR_INTO(&r->q.comm, t, comm);
}

/*
 * The subject's executable: file_inode(mm->exe_file), its i_ino and its
 * superblock's s_dev (on overlayfs the overlay's inode and superblock:
 * what the policy compiler resolves, docs/enforce.md "Executables").
 */
static __always_inline void enf_exe(struct enf_req *r)
{
	struct task_struct *t = r->task ? r->task : bpf_get_current_task_btf();
	struct inode *ino = BPF_CORE_READ(t, mm, exe_file, f_inode);

	r->q.exe_ino = ino ? BPF_CORE_READ(ino, i_ino) : 0;
	r->q.exe_dev = ino ? BPF_CORE_READ(ino, i_sb, s_dev) : 0;
}

/* Decide R under P: r->rule and r->action. */
static __always_inline void enf_decide(const struct itr_enf_policy *p, struct enf_req *r)
{
	r->rule = 0;
	r->action = p->default_action;
	/* an operation no rule names: the default, without a walk */
	if (r->q.op >= 64 || !(p->ops_any & (1ULL << r->q.op)))
		return;
	if (p->flags & ITR_ENF_F_EXE)
		enf_exe(r);
	bpf_loop(ITR_ENF_MAX_RULES, enf_rule_cb, r, 0);
}

static __always_inline struct itr_enf_counts *enf_counts(struct enf_req *r)
{
	__u32 k = r->slot * (ITR_ENF_MAX_RULES + 1) + (r->rule <= ITR_ENF_MAX_RULES ? r->rule : 0);

	return bpf_map_lookup_elem(&enf_counters, &k);
}

static __always_inline void enf_record(struct enf_req *r, const struct itr_enf_policy *p,
				      struct itr_enf_counts *c, __u32 verdict, struct file *f)
{
	/* kills, races and limits to lower have a ring of their own: denials
	 * never crowd them out */
	bool alert = verdict == ITR_ENF_V_KILLED || verdict == ITR_ENF_V_OVER_CAP || r->kernel;
	struct itr_enf_audit *a = alert ? bpf_ringbuf_reserve(&enf_alert, sizeof(*a), 0) :
					  bpf_ringbuf_reserve(&enf_audit, sizeof(*a), 0);
	__u64 id = bpf_get_current_pid_tgid();

	if (!a) {
		if (c)
			c->missed++;
		return;
	}
	a->ts_ns = bpf_ktime_get_ns();
	a->pid = (__u32)id;
	a->tgid = id >> 32;
	a->uid = r->q.uid;
	a->gid = r->q.gid;
	a->cgroup_id = bpf_get_current_cgroup_id();
	__builtin_memcpy(a->comm, r->q.comm, sizeof(a->comm));
	a->op = r->q.op;
	a->tier = r->tier;
	a->action = r->action;
	a->verdict = verdict;
	a->rule_id = r->rule;
	a->generation = p->generation;
	a->rdev = r->kernel && !r->class ? 0 : r->q.rdev;
	a->cmd = r->cmd;
	a->iova = r->q.iova;
	a->size = r->q.size;
	a->flags = r->flags;
	a->slot = r->slot;
	a->name[0] = 0;
	a->class = r->class;
	a->iommu_group = (__s32)r->group - 1;
	if (r->q.dev_state == ITR_ENF_DEV_KNOWN) {
		__builtin_memcpy(a->dev_name, r->q.dev_name, sizeof(a->dev_name));
		__builtin_memcpy(a->driver, r->q.driver, sizeof(a->driver));
	} else {
		a->dev_name[0] = 0;
		a->driver[0] = 0;
	}
	if (f)
		bpf_probe_read_kernel_str(a->name, sizeof(a->name),
					  BPF_CORE_READ(f, f_path.dentry, d_name.name));
	bpf_ringbuf_submit(a, 0);
	if (c)
		c->audited++;
}

/*
 * Count, audit and act on the decision. Returns 0 (allow) or -EPERM; in
 * the kernel-copy tier a deny or kill is a race: SIGKILL, never an errno.
 */
static __always_inline int enf_verdict(const struct itr_enf_policy *p, struct enf_req *r,
				       struct file *f)
{
	struct itr_enf_counts *c = enf_counts(r);
	bool dry = p->flags & ITR_ENF_F_DRY_RUN;
	bool all = p->flags & ITR_ENF_F_AUDIT_ALL;

	if (r->action == ITR_ENF_ALLOW || r->action == ITR_ENF_AUDIT) {
		if (c)
			c->allowed++;
		/* an audit rule is audited at its gate, not again at the kernel's copy */
		if (all || (r->action == ITR_ENF_AUDIT && !r->kernel))
			enf_record(r, p, c, ITR_ENF_V_ALLOWED, f);
		return 0;
	}
	if (r->kernel) {
		if (c)
			c->raced++;
		if (dry) {
			enf_record(r, p, c, ITR_ENF_V_WOULD_KILL, f);
			return 0;
		}
		bpf_send_signal(ENF_SIGKILL);
		if (c)
			c->killed++;
		enf_record(r, p, c, ITR_ENF_V_KILLED, f);
		return 0;
	}
	if (dry) {
		enf_record(r, p, c, r->action == ITR_ENF_KILL ? ITR_ENF_V_WOULD_KILL : ITR_ENF_V_WOULD_DENY, f);
		return 0;
	}
	if (c)
		c->denied++;
	if (r->action == ITR_ENF_KILL) {
		bpf_send_signal(ENF_SIGKILL);
		if (c)
			c->killed++;
		enf_record(r, p, c, ITR_ENF_V_KILLED, f);
	} else {
		enf_record(r, p, c, ITR_ENF_V_DENIED, f);
	}
	return -ENF_EPERM;
}

/*
 * After an allowed open or receive: is the caller a capped subject (a
 * max-pinned rule names it) whose RLIMIT_MEMLOCK is above the cap? Then an
 * over-cap record on the alert ring, on which the daemon lowers the limit
 * to the cap (user/enforce/memlock.c), before the maps that would be
 * refused meanwhile. Nothing is refused here. R is spent.
 */
static __always_inline void enf_over_cap(const struct itr_enf_policy *p, struct enf_req *r,
					 struct file *f)
{
	if (!(p->flags & ITR_ENF_F_PINNED) || (p->flags & ITR_ENF_F_DRY_RUN))
		return;
	r->q.op = ITR_ENF_OP_SET_MEMLOCK;
	r->q.memlock = enf_task_memlock(bpf_get_current_task_btf());
	r->q.size = r->q.memlock;	/* the audit record's size: the limit in force */
	enf_decide(p, r);
	if (r->rule)
		enf_record(r, p, NULL, ITR_ENF_V_OVER_CAP, f);
}

#endif
