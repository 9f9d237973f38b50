// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * IOMMU faults. Records: struct itr_ev_fault, source says where it was seen.
 *
 * - report_iommu_fault(domain, dev, iova, flags): the generic report of a
 *   translation fault (ARM SMMU, AMD, ...); the iommu:io_page_fault
 *   tracepoint fires inside it and is its fallback (no domain, no ret).
 * - iommu_report_device_fault(dev, evt): recoverable faults (PRI/IOPF),
 *   6.1: struct iommu_fault_event with an unrecoverable variant, 6.12, 7.x:
 *   struct iopf_fault; both start with struct iommu_fault.
 * - dmar_fault(irq, iommu): Intel VT-d's fault interrupt, which reports to
 *   neither of the above (dmar_fault_do_one() is inlined everywhere). At its
 *   entry the pending primary fault records are read from the unit's
 *   registers (read-only: the handler clears them afterwards), at most
 *   DMAR_MAX_RECORDS per interrupt.
 */
#include "common.bpf.h"

/* IOMMU_FAULT_READ 0, IOMMU_FAULT_WRITE 1 (itr_ev_fault.fault_flags) */
#define ITR_FAULT_WRITE		1
#define IOMMU_FAULT_PERM_WRITE	(1 << 1)

/* 6.1: struct iommu_fault has an unrecoverable variant (type 1; PRI is 2) */
struct iommu_fault_unrecoverable___itr {
	__u32 reason;
	__u32 perm;
	__u64 addr;
} __attribute__((preserve_access_index));

struct iommu_fault___itr {
	__u32 type;
	struct iommu_fault_unrecoverable___itr event;
} __attribute__((preserve_access_index));

static __always_inline int fault_emit(__u32 source, __u64 dom, __u64 dev, __u64 iova, __u32 fflags,
				      __u32 reason, __s32 ret, __u32 flags)
{
	struct itr_rec r;

	if (itr_rec_start(&r, ITR_EV_FAULT, flags, ret))
		return 0;
	itr_hdr_domain(&r, dom);
	itr_hdr_dev(&r, dev, 0);
	r.flt.iova = iova;
	r.flt.fault_flags = fflags;
	r.flt.source = source;
	r.flt.reason = reason;
	itr_submit(&r);
	return 0;
}

/* Entry of a reported fault: stash what the exit will send. */
static __always_inline int fault_enter(enum itr_tgt t, __u64 dom, __u64 dev, __u64 iova, __u64 fflags,
				       __u64 reason)
{
	struct itr_stash st = {};

	if (!itr_task_wanted(1u << ITR_EV_FAULT))
		return 0;
	st.ts = bpf_ktime_get_ns();
	st.args[0] = dom;
	st.args[1] = dev;
	st.args[2] = iova;
	st.args[3] = fflags;
	st.args[4] = reason;
	itr_stash_put(t, &st);
	return 0;
}

/* The exit of a reported fault: ret, the report's int */
static __always_inline int fault_exit(struct itr_call c, enum itr_tgt t, __u32 source)
{
	struct itr_stash s;

	if (itr_stash_take(t, &s))
		return 0;
	return fault_emit(source, s.args[0], s.args[1], s.args[2], s.args[3], s.args[4],
			  itr_call_ret(c), 0);
}

/* report_iommu_fault(domain, dev, iova, flags) -> int */
static __always_inline int report_enter(struct itr_call c, enum itr_tgt t, __u32 source)
{
	return fault_enter(t, itr_call_arg(c, 0), itr_call_arg(c, 1), itr_call_arg(c, 2),
			   (__u32)itr_call_arg(c, 3), 0);
}

ITR_HOOK(fault_report, report_iommu_fault, report_enter, fault_exit, ITR_T_FAULT, ITR_FAULT_REPORT)

/* tracepoint iommu:io_page_fault(dev, iova, flags); the pointer as a scalar */
SEC("?tp_btf/io_page_fault")
int BPF_PROG(tp_fault, struct device *dev, unsigned long iova, int flags)
{
	__u64 devp = 0;

	bpf_probe_read_kernel(&devp, sizeof(devp), ctx);
	return fault_emit(ITR_FAULT_TP, 0, devp, iova, (__u32)flags, 0, 0,
			  ITR_F_FROM_TP | ITR_F_NO_RET);
}

/* iommu_report_device_fault(dev, evt): evt starts with struct iommu_fault */
static __always_inline int dev_fault_enter(struct itr_call c, enum itr_tgt t, __u32 source)
{
	__u64 dev = itr_call_arg(c, 0), evt = itr_call_arg(c, 1);
	struct iommu_fault___itr *old = (void *)evt;
	struct iommu_fault *f = (void *)evt;
	__u32 type = BPF_CORE_READ(f, type), perm, reason = 0;
	__u64 addr;

	if (bpf_core_field_exists(old->event) && type == 1) {	/* 6.1 DMA_UNRECOV */
		addr = BPF_CORE_READ(old, event.addr);
		perm = BPF_CORE_READ(old, event.perm);
		reason = BPF_CORE_READ(old, event.reason);
	} else {						/* a page request */
		addr = BPF_CORE_READ(f, prm.addr);
		perm = BPF_CORE_READ(f, prm.perm);
	}
	return fault_enter(t, 0, dev, addr,
			   perm & IOMMU_FAULT_PERM_WRITE ? ITR_FAULT_WRITE : 0, reason);
}

ITR_HOOK(fault_dev, iommu_report_device_fault, dev_fault_enter, fault_exit, ITR_T_DEV_FAULT,
	 ITR_FAULT_DEVICE)

/* --- Intel VT-d primary fault records ----------------------------------- */

#define DMAR_FSTS_REG		0x34
#define DMA_FSTS_PPF		(1u << 1)
#define DMAR_MAX_RECORDS	4

static __always_inline char hexdig(__u32 v)
{
	v &= 0xf;
	return v < 10 ? '0' + v : 'a' + v - 10;
}

/* "SSSS:BB:DD.F", the PCI name of a requester id on a segment */
static __always_inline void pci_name(char *s, __u32 seg, __u32 sid)
{
	s[0] = hexdig(seg >> 12);
	s[1] = hexdig(seg >> 8);
	s[2] = hexdig(seg >> 4);
	s[3] = hexdig(seg);
	s[4] = ':';
	s[5] = hexdig(sid >> 12);
	s[6] = hexdig(sid >> 8);
	s[7] = ':';
	s[8] = hexdig((sid >> 7) & 0x1);	/* slot: bits 7:3 */
	s[9] = hexdig(sid >> 3);
	s[10] = '.';
	s[11] = hexdig(sid & 0x7);
	s[12] = 0;
}

static __always_inline int dmar_emit(__u32 seg, __u64 lo, __u64 hi)
{
	struct itr_rec r;

	if (itr_rec_start(&r, ITR_EV_FAULT, ITR_F_NO_RET, 0))
		return 0;
	pci_name(r.h.dev, seg, hi & 0xffff);		/* source id: bits 79:64 */
	r.flt.iova = lo & ~0xfffULL;			/* fault info: bits 63:12 */
	r.flt.fault_flags = (hi >> 62) & 1 ? 0 : ITR_FAULT_WRITE;	/* T: 1 read */
	r.flt.reason = (hi >> 32) & 0xff;		/* FR: bits 103:96 */
	r.flt.source = ITR_FAULT_DMAR;
	itr_submit(&r);
	return 0;
}

/* dmar_fault(irq, iommu) -> irqreturn_t */
static __always_inline int dmar_enter(struct itr_call c)
{
	struct intel_iommu *iommu = (void *)itr_call_arg(c, 1);
	__u64 reg = (__u64)BPF_CORE_READ(iommu, reg), cap = BPF_CORE_READ(iommu, cap);
	__u32 seg = BPF_CORE_READ(iommu, segment), fsts = 0, idx, off, nregs, hi32, lo32;
	__u64 lo, rec;
	int i;

	if (!reg || bpf_probe_read_kernel(&fsts, sizeof(fsts), (void *)(reg + DMAR_FSTS_REG)))
		return 0;
	if (!(fsts & DMA_FSTS_PPF))
		return 0;
	idx = (fsts >> 8) & 0xff;
	off = ((cap >> 24) & 0x3ff) * 16;
	nregs = ((cap >> 40) & 0xff) + 1;
	for (i = 0; i < DMAR_MAX_RECORDS && i < nregs; i++) {	/* each record once */
		rec = reg + off + idx * 16;
		/* 32-bit reads of the upper half, as the kernel does */
		if (bpf_probe_read_kernel(&hi32, sizeof(hi32), (void *)(rec + 12)) ||
		    !(hi32 & (1u << 31)))
			break;
		if (bpf_probe_read_kernel(&lo32, sizeof(lo32), (void *)(rec + 8)) ||
		    bpf_probe_read_kernel(&lo, sizeof(lo), (void *)rec))
			break;
		dmar_emit(seg, lo, (__u64)hi32 << 32 | lo32);
		idx = idx + 1 >= nregs ? 0 : idx + 1;
	}
	return 0;
}

ITR_HOOK_ENTRY(fault_dmar, dmar_fault, dmar_enter)
