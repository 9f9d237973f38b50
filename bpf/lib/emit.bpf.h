/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Records: built in scratch space on the BPF stack, filled, and sent by
 * copy into the ring buffer.
 *
 *	struct itr_rec r;
 *
 *	if (itr_rec_start(&r, kind, flags, ret))	zero it, fill the header
 *		return 0;				(dropped: filtered)
 *	itr_hdr_domain(&r, dom);			what it names
 *	itr_hdr_dev(&r, dev, grp);
 *	r.map.iova = ...;				the kind's fields
 *	itr_submit(&r);					the record filters, then send
 *
 * The functions are __hidden globals defined in common.bpf.c, verified
 * once each: they take the record and scalars (kernel addresses as __u64).
 * Those that build or send a record return 0 when it may go on, nonzero
 * when it was dropped (and counted why).
 */
#ifndef ITR_LIB_EMIT_BPF_H
#define ITR_LIB_EMIT_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "iommutrace.h"

/* Scratch space for any record. */
struct itr_rec {
	union {
		struct itr_hdr h;
		struct itr_ev_domain dom;
		struct itr_ev_attach att;
		struct itr_ev_map map;
		struct itr_ev_group grp;
		struct itr_ev_file file;
		struct itr_ev_unbind unb;
		struct itr_ev_fault flt;
		struct itr_ev_ioctl ioc;
		struct itr_ev_locked lck;
		struct itr_ev_join join;
		__u8 raw[ITR_MAX_RECORD];
	};
};

/*
 * kind, size (itr_kind_size()), cpu, time, task, cgroup, comm, flags, ret,
 * and the thread's operation context; the task filters
 */
extern int itr_hdr_init(struct itr_rec *r, __u32 kind, __u32 flags, __s32 ret);
/* domain_id and domain_type of the domain at address dom (0: none) */
extern int itr_hdr_domain(struct itr_rec *r, __u64 dom);
/* dev name and group id: of grp if nonzero, else of dev's group */
extern int itr_hdr_dev(struct itr_rec *r, __u64 dev, __u64 grp);
/* record filters (domain types, devices, group), then the ring buffer */
extern int itr_submit(struct itr_rec *r);
/* the stable, keyed id of a kernel address (a domain, a file); 0 for none */
extern __u64 itr_domain_id(__u64 dom);

/* Start a record of kind in r: zeroed, header filled; 0, or dropped. */
static __always_inline int itr_rec_start(struct itr_rec *r, __u32 kind, __u32 flags, __s32 ret)
{
	__builtin_memset(r, 0, sizeof(*r));
	return itr_hdr_init(r, kind, flags, ret);
}

#endif /* ITR_LIB_EMIT_BPF_H */
