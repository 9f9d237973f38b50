/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The filters of struct itr_config, each written once. They read the
 * configuration through the pointer they are given (the caller's
 * `const volatile` rodata, whose fields the verifier knows at load) and
 * touch no map: counting what they drop is the caller's business.
 *
 * - itr_want_tgid(): the process; alone it is the quiet filter of paths
 *   that every process of the system takes (the ioctl syscall).
 * - itr_want_task(): kinds, process, cgroup, command, in that order, for
 *   an entry deciding whether to stash and for a record's header.
 * - itr_want_domain_type(), itr_want_dev(), itr_want_group(): what a
 *   record names, checked before it is sent.
 */
#ifndef ITR_LIB_FILTER_BPF_H
#define ITR_LIB_FILTER_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "iommutrace.h"

/* a string of at most len bytes equal to the configured one */
static __always_inline bool itr_str_eq(const char *a, const volatile char *b, int len)
{
	int i;

	for (i = 0; i < len; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			break;
	}
	return true;
}

/* pid_tgid: bpf_get_current_pid_tgid() */
static __always_inline bool itr_want_tgid(const volatile struct itr_config *cfg, __u64 pid_tgid)
{
	return !cfg->tgid || (__u32)(pid_tgid >> 32) == cfg->tgid;
}

/*
 * The current task, for records of the kinds in `kinds` (a mask of
 * 1 << kind). cgroup_id and comm, when not NULL, receive the task's cgroup
 * and command as the filters read them (read for the caller even when no
 * filter needs them, unless an earlier filter already said no); NULL: read
 * only when a filter needs them.
 */
static __always_inline bool itr_want_task(const volatile struct itr_config *cfg, __u32 kinds,
					  __u64 pid_tgid, __u64 *cgroup_id, char *comm)
{
	char buf[ITR_COMM_LEN];
	__u64 cg;

	if (cfg->kinds && !(cfg->kinds & kinds))
		return false;
	if (!itr_want_tgid(cfg, pid_tgid))
		return false;
	if (cgroup_id) {
		*cgroup_id = bpf_get_current_cgroup_id();
		cg = *cgroup_id;
	} else {
		cg = cfg->cgroup_id ? bpf_get_current_cgroup_id() : 0;
	}
	if (cfg->cgroup_id && cg != cfg->cgroup_id)
		return false;
	if (comm) {
		bpf_get_current_comm(comm, ITR_COMM_LEN);
	} else if (cfg->comm[0]) {
		bpf_get_current_comm(buf, sizeof(buf));
		comm = buf;
	}
	if (cfg->comm[0] && !itr_str_eq(comm, cfg->comm, ITR_COMM_LEN))
		return false;
	return true;
}

/* A domain type (itr_hdr.domain_type) in the configured set. */
static __always_inline bool itr_want_domain_type(const volatile struct itr_config *cfg, __u32 type)
{
	return !cfg->domain_types || (cfg->domain_types & itr_type_bit(type));
}

/* A device name (itr_hdr.dev) in the configured list; "" (none) passes. */
static __always_inline bool itr_want_dev(const volatile struct itr_config *cfg, const char *dev)
{
	int i;

	if (!cfg->ndevs || !dev[0])
		return true;
	for (i = 0; i < ITR_MAX_FILTER_DEVS; i++) {
		if (i >= cfg->ndevs)
			break;
		if (itr_str_eq(dev, cfg->devs[i], ITR_DEV_LEN))
			return true;
	}
	return false;
}

/* An IOMMU group id (itr_hdr.group_id); -1 (unknown) passes. */
static __always_inline bool itr_want_group(const volatile struct itr_config *cfg, __s32 group_id)
{
	return cfg->group_id < 0 || group_id < 0 || group_id == cfg->group_id;
}

#endif /* ITR_LIB_FILTER_BPF_H */
