/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON-lines operation log of iommutrace-workload.
 *
 * One JSON object per line, flushed after each line, one line per operation
 * the workload performed (failed ones included), so that a trace taken at the
 * same time can be matched against it with shell and jq. Keys are flat.
 *
 * Every line starts with:
 *   seq       int     1, 2, ... in emission order
 *   ts_ns     int     CLOCK_MONOTONIC when the operation started
 *   pid       int     the workload's pid
 *   scenario  string  the scenario being run
 *   op        string  the ioctl's uapi name (VFIO_IOMMU_MAP_DMA, IOMMU_IOAS_MAP,
 *                     ...), for IOMMU_TEST_CMD the test op's name
 *                     (IOMMU_TEST_OP_PASID_ATTACH, ...), or one of: open,
 *                     close, bind, modprobe, pread, pwrite, edu_dma,
 *                     edu_dma_unmapped, device_state, scenario_begin,
 *                     scenario_end
 *   ret       int     the call's return value (-1 on failure; an fd for open
 *                     and VFIO_GROUP_GET_DEVICE_FD; the version or extension
 *                     answer for VFIO_GET_API_VERSION / VFIO_CHECK_EXTENSION)
 *   errno     int     0 on success
 *
 * then the operation's fields, those that apply:
 *   fd            int     the fd the call was made on (the new fd for open)
 *   path          string  open/close: the file
 *   bdf           string  PCI device, "0000:00:05.0"
 *   group         int     IOMMU group number
 *   iova          int     IOVA (map/unmap start; the kernel's choice when it
 *                         allocated one; edu_dma: the source buffer)
 *   size          int     type1 MAP/UNMAP size requested
 *   unmapped      int     bytes the kernel reports as unmapped
 *   vaddr         int     process virtual address mapped
 *   flags         int     the call's flags field (after the call for status
 *                         queries such as VFIO_GROUP_GET_STATUS)
 *   len           int     iommufd length, or bytes read/written by pread/pwrite
 *   ioas_id, hwpt_id, pt_id, dev_id, src_ioas_id, dst_ioas_id   int
 *                         iommufd object ids; on VFIO_DEVICE_ATTACH_IOMMUFD_PT
 *                         and the IOMMU_TEST_OP_* attaches pt_id is the id
 *                         asked for and hwpt_id the id the kernel returned
 *   stdev_id      int     IOMMU_TEST_OP_*: the mock device's selftest object
 *                         (what test ops name it by; dev_id is its
 *                         iommufd_device, what IOMMU_HWPT_ALLOC takes)
 *   dma_bytes     int     edu_dma: bytes moved each way; edu_dma_unmapped:
 *                         bytes read at the unmapped IOVA
 *   verified      bool    edu_dma: the round trip returned what was sent
 *   pasid         int     PASID (IOMMU_TEST_OP_PASID_*)
 *   fault_addr    int     edu_dma_unmapped: the address the guest's DMAR
 *                         fault report must name (the page of iova)
 *   vmlck_kb_before, vmlck_kb
 *                 int     VFIO_IOMMU_MAP_DMA/UNMAP_DMA: the process's VmLck
 *                         (/proc/self/status: mm->locked_vm, in KiB) read
 *                         just before and just after the ioctl
 *   pgsize        int     dirty bitmaps: bytes per bit asked for
 *   dirty         int     dirty bitmaps: bits the kernel set (pages dirty)
 *
 * Fields per op ("+" marks fields present only on success):
 *   scenario_begin                 -
 *   scenario_end                   status ("ok", "skip", "fail"), failed_op,
 *                                  reason (why it was skipped)
 *   open                           path, fd, flags (open(2) flags)
 *   close                          fd, path (or bdf for a device fd)
 *   modprobe                       module (ret: modprobe's exit status)
 *   bind                           bdf, old_driver, group, already, driver
 *   VFIO_GET_API_VERSION           fd
 *   VFIO_CHECK_EXTENSION           fd, extension
 *   VFIO_GROUP_GET_STATUS          fd, group, +flags
 *   VFIO_GROUP_SET_CONTAINER       fd, group, container_fd
 *   VFIO_GROUP_UNSET_CONTAINER     fd, group
 *   VFIO_SET_IOMMU                 fd, type
 *   VFIO_IOMMU_MAP_DMA             fd, iova, size, vaddr, flags,
 *                                  vmlck_kb_before, vmlck_kb
 *   VFIO_IOMMU_UNMAP_DMA           fd, iova, size, flags, vmlck_kb_before,
 *                                  vmlck_kb, +unmapped; with
 *                                  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP
 *                                  also pgsize, +dirty
 *   VFIO_IOMMU_DIRTY_PAGES         fd, flags (START 1, STOP 2, GET_BITMAP 4);
 *                                  GET_BITMAP also iova, size, pgsize, +dirty
 *   VFIO_GROUP_GET_DEVICE_FD       fd (group), group, bdf
 *   VFIO_DEVICE_GET_INFO           fd, bdf, +flags, +num_regions, +num_irqs
 *   VFIO_DEVICE_GET_REGION_INFO    fd, bdf, index, +size, +offset, +flags
 *   VFIO_DEVICE_BIND_IOMMUFD       fd, bdf, iommufd, +dev_id
 *   VFIO_DEVICE_ATTACH_IOMMUFD_PT  fd, bdf, dev_id, pt_id, replace, +hwpt_id
 *   VFIO_DEVICE_DETACH_IOMMUFD_PT  fd, bdf, dev_id, pt_id (the one left)
 *   IOMMU_IOAS_ALLOC               fd, +ioas_id
 *   IOMMU_VFIO_IOAS                fd, flags (the op: 0 = GET), +ioas_id
 *   IOMMU_IOAS_IOVA_RANGES         fd, ioas_id, +num_iovas, +iova_alignment,
 *                                  +iova, +last (the first range)
 *   IOMMU_IOAS_MAP                 fd, ioas_id, flags, vaddr, len, iova
 *   IOMMU_IOAS_COPY                fd, src_ioas_id, dst_ioas_id, flags,
 *                                  src_iova, len, iova (destination)
 *   IOMMU_IOAS_UNMAP               fd, ioas_id, iova, len, +unmapped
 *   IOMMU_HWPT_ALLOC               fd, dev_id, pt_id, flags, +hwpt_id
 *   IOMMU_DESTROY                  fd, ioas_id, hwpt_id or stdev_id (a mock
 *                                  device: detached, unbound, removed)
 *   IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS
 *                                  fd, pt_id (IOAS or HWPT to attach to),
 *                                  flags (MOCK_FLAGS_DEVICE_*), +stdev_id,
 *                                  +dev_id, +hwpt_id (where the RID went)
 *   IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE
 *                                  fd, stdev_id, dev_id, pt_id, +hwpt_id
 *                                  (the RID, i.e. no PASID)
 *   IOMMU_TEST_OP_PASID_ATTACH, IOMMU_TEST_OP_PASID_REPLACE
 *                                  fd, stdev_id, dev_id, pasid, pt_id,
 *                                  +hwpt_id
 *   IOMMU_TEST_OP_PASID_DETACH     fd, stdev_id, dev_id, pasid
 *   IOMMU_TEST_OP_PASID_CHECK_HWPT fd, stdev_id, dev_id, pasid, hwpt_id (0:
 *                                  attached to nothing), want (the answer
 *                                  the scenario needs), matches (the
 *                                  kernel's answer: ret 0 = pasid is on
 *                                  hwpt_id, errno EINVAL = it is not)
 *   pread, pwrite                  fd, bdf, region ("config"), offset, len,
 *                                  +value (for 1, 2 or 4 bytes)
 *   edu_dma                        fd, bdf, iova, dst_iova, dma_bytes,
 *                                  verified, elapsed_ns, mismatch_at (on a
 *                                  mismatch); ret 0 or -1
 *   edu_dma_unmapped               fd, bdf, iova (never mapped), fault_addr,
 *                                  dst_iova (mapped; preloads edu's buffer
 *                                  and reads it back), dma_bytes, elapsed_ns,
 *                                  and what the blocked read left in edu's
 *                                  buffer: untouched (the preload), or
 *                                  zero_filled (QEMU's completion of a
 *                                  blocked read), or delivered (data
 *                                  arrived: ret -1, errno EIO)
 *   device_state                   bdf, fd, dev_id, pt_id (what the device
 *                                  fd last attached to), group_hwpt_id (where
 *                                  the group is), pt_destroyed
 * Any line may carry expect_errno: a failure the scenario provokes on
 * purpose; it does not fail the scenario.
 */
#ifndef IOMMUTRACE_WORKLOAD_LOG_H
#define IOMMUTRACE_WORKLOAD_LOG_H

#include <stdbool.h>
#include <stdint.h>

struct log_op;

/* The last failure, reported by main as "SCENARIO: OP failed: ERROR". */
struct log_fail {
	char op[48];
	int err;
	char detail[160];
};

int log_open(const char *path, bool echo);
void log_close(void);
void log_set_scenario(const char *name);

/* Start a line; the fields follow, log_end() writes it. NULL-safe. */
struct log_op *log_begin(const char *op);
#define log_begin_ioctl(req) log_begin(#req)
void log_int(struct log_op *o, const char *key, int64_t v);
void log_u64(struct log_op *o, const char *key, uint64_t v);
void log_str(struct log_op *o, const char *key, const char *v);
void log_bool(struct log_op *o, const char *key, bool v);
/* Emit: returns ret when err is 0, else -err (and records the failure). */
long log_end(struct log_op *o, long ret, int err);

/* The next log_end() expects to fail with err: tagged, not recorded. */
void log_expect(int err);

/* Record a failure that is not an operation of its own; returns -err. */
int log_failf(const char *op, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const struct log_fail *log_last_fail(void);
void log_fail_reset(void);

#endif
