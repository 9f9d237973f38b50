/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommutrace-workload: a VMM-like driver of VFIO type1, iommufd and QEMU's
 * edu DMA engine, run inside test guests to give the tracer known work.
 * Every function returns 0 (or a non-negative result) or -errno.
 */
#ifndef IOMMUTRACE_WORKLOAD_H
#define IOMMUTRACE_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A scenario's result when it does not apply to the running kernel. */
#define WL_SKIP 77

#define BDF_LEN 32
#define PATH_LEN 256

/* The devices the scenarios drive (options, else found in sysfs). */
struct wl_env {
	char edu[BDF_LEN];
	char pair[2][BDF_LEN];
};

struct scenario {
	const char *name;
	const char *desc;
	int (*run)(const struct wl_env *env);
	bool iommufd;	/* skipped without /dev/iommu */
};

/* fd.c: open and close, logged */
int fd_open(const char *path, int flags);
void fd_close(int *fd, const char *path);

/* buf.c: anonymous memory to map for DMA */
struct buf {
	void *va;
	size_t size;
};
int buf_alloc(struct buf *b, size_t size);
void buf_free(struct buf *b);

/* The mappings most scenarios make: sizes 4 KiB to 2 MiB at distinct IOVAs,
 * all below edu's 28-bit DMA limit. */
struct map_spec {
	uint64_t iova;
	uint64_t size;
};
extern const struct map_spec wl_maps[];
#define WL_NMAPS 4
int bufs_alloc(struct buf *bufs, const struct map_spec *maps, size_t n);
void bufs_free(struct buf *bufs, size_t n);
/* VmLck of /proc/self/status (locked_vm) in KiB, or -errno */
int64_t proc_vmlck_kb(void);

/* pci.c: sysfs */
int pci_find(uint16_t vendor, uint16_t device, char (*bdfs)[BDF_LEN], int max);
int pci_normalize_bdf(const char *in, char out[BDF_LEN]);
int pci_group(const char *bdf);
int pci_require_vfio(const char *bdf);
int pci_load_vfio(void);
int pci_bind_vfio(const char *bdf);
int pci_cdev_path(const char *bdf, char path[PATH_LEN]);

/* device.c: a VFIO device fd, from a group or a cdev */
struct vdev {
	char bdf[BDF_LEN];
	int fd;
	uint32_t dev_id;	/* iommufd bind */
	uint32_t pt_id;		/* the pt this fd last attached to (0: none) */
	struct vfio_region_info cfg;
	struct vfio_region_info bar0;
};
void vdev_init(struct vdev *d, const char *bdf);
int vdev_from_group(struct vdev *d, int group_fd, int group);
int vdev_open_cdev(struct vdev *d);
int vdev_info(struct vdev *d);
int vdev_regions(struct vdev *d);
int vdev_cfg_read(struct vdev *d, uint64_t off, void *buf, size_t len);
int vdev_cfg_write(struct vdev *d, uint64_t off, const void *buf, size_t len);
int vdev_enable_dma(struct vdev *d);
int vdev_bar0_read32(struct vdev *d, uint64_t off, uint32_t *v);
int vdev_bar0_write32(struct vdev *d, uint64_t off, uint32_t v);
int vdev_bind_iommufd(struct vdev *d, int iommufd);
int vdev_attach(struct vdev *d, uint32_t pt_id, uint32_t *hwpt_id);
int vdev_detach(struct vdev *d);
void vdev_close(struct vdev *d);

/* container.c: a VFIO container (/dev/vfio/vfio, or /dev/iommu in compat
 * mode) holding one group */
struct container {
	char path[PATH_LEN];
	int fd;
	char group_path[PATH_LEN];
	int group_fd;
	int group;
	bool attached;
};
void container_init(struct container *c);
int container_open(struct container *c, const char *path);
int container_check_extension(struct container *c, int ext);
int container_add_group(struct container *c, int group);
int container_set_iommu(struct container *c, int type);
int container_map(struct container *c, void *va, uint64_t iova, uint64_t size);
int container_unmap(struct container *c, uint64_t iova, uint64_t size,
		    uint32_t flags, uint64_t *unmapped);
/* Map every wl_maps entry from its own buffer (allocated into bufs). */
int container_map_table(struct container *c, struct buf *bufs);
/* Unmap [iova, iova + size) and insist the kernel unmapped all of it. */
int container_unmap_exact(struct container *c, uint64_t iova, uint64_t size);
int container_unset(struct container *c);
/* dirty.c: type1 dirty-page tracking (VFIO_IOMMU_DIRTY_PAGES START/STOP) */
int container_dirty(struct container *c, uint32_t flag);
/* key: the process's VmLck now, in KiB (logged when readable) */
struct log_op;
void log_vmlck(struct log_op *o, const char *key);
void container_close(struct container *c);
int type1_setup(struct container *c, const char *path, const char *bdf);

/* ioas.c: iommufd objects */
int iommufd_open(int *fd);
int ioas_alloc(int ifd, uint32_t *ioas_id);
int ioas_vfio_get(int ifd, uint32_t *ioas_id);
int ioas_iova_ranges(int ifd, uint32_t ioas_id);
int ioas_map(int ifd, uint32_t ioas_id, void *va, uint64_t len, uint32_t flags,
	     uint64_t *iova);
int ioas_copy(int ifd, uint32_t dst_ioas, uint32_t src_ioas, uint64_t src_iova,
	      uint64_t len, uint32_t flags, uint64_t *dst_iova);
int ioas_unmap(int ifd, uint32_t ioas_id, uint64_t iova, uint64_t len,
	       uint64_t *unmapped);
int hwpt_alloc(int ifd, uint32_t dev_id, uint32_t pt_id, uint32_t flags,
	       uint32_t *hwpt_id);
int iommufd_destroy(int ifd, uint32_t *id, const char *key);

/* mock.c: an IOMMUFD_TEST mock device (kernels with CONFIG_IOMMUFD_TEST) */
struct mock_dev {
	int ifd;
	uint32_t stdev_id;	/* the selftest object: what test ops take */
	uint32_t dev_id;	/* its iommufd_device (idev) */
	uint32_t hwpt_id;	/* where its RID is attached */
};
int mock_dev_create(struct mock_dev *m, int ifd, uint32_t pt_id, uint32_t dev_flags);
int mock_dev_replace(struct mock_dev *m, uint32_t pt_id);
int mock_pasid_attach(struct mock_dev *m, uint32_t pasid, uint32_t pt_id);
int mock_pasid_replace(struct mock_dev *m, uint32_t pasid, uint32_t pt_id);
int mock_pasid_detach(struct mock_dev *m, uint32_t pasid);
int mock_pasid_check(struct mock_dev *m, uint32_t pasid, uint32_t hwpt_id, bool want);

/* edu.c: QEMU's edu DMA engine through a VFIO device fd */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_DMA_LEN 1024	/* QEMU 7.2 aborts on a full 4096 */
#define EDU_IOVA_LIMIT 0x10000000ull	/* 28-bit DMA mask */
int edu_probe(struct vdev *d);
int edu_dma_unmapped(struct vdev *d, uint64_t iova, struct buf *dst, uint64_t dst_iova,
		     size_t len);
int edu_round_trip(struct vdev *d, struct buf *a, uint64_t a_iova,
		   struct buf *b, uint64_t b_iova, size_t len);

/* main.c */
extern volatile int wl_stop;
int wl_need(const char *bdf, const char *what);
/* The scenario does not apply here: returns WL_SKIP, main prints why. */
int wl_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* scenarios */
int scn_bind(const struct wl_env *env);
int scn_edu_pasid_hold(const struct wl_env *env);
int scn_iommufd_basic(const struct wl_env *env);
int scn_iommufd_compat(const struct wl_env *env);
int scn_iommufd_edu_dma(const struct wl_env *env);
int scn_iommufd_group_replace(const struct wl_env *env);
int scn_iommufd_pasid(const struct wl_env *env);
int scn_stress_ids(const struct wl_env *env);
int scn_stress_type1(const struct wl_env *env);
int scn_mock_aux_hold(const struct wl_env *env);
int scn_type1_close_mapped(const struct wl_env *env);
int scn_type1_dirty(const struct wl_env *env);
int scn_type1_edu_dma(const struct wl_env *env);
int scn_type1_edu_fault(const struct wl_env *env);
int scn_type1_group_pair(const struct wl_env *env);
int scn_type1_map(const struct wl_env *env);
int scn_type1_map_reserved(const struct wl_env *env);
int scn_type1_unmap_all(const struct wl_env *env);
int scn_type1_unmap_parts(const struct wl_env *env);

#define E1000_VENDOR 0x8086
#define E1000_DEVICE 0x100e

#endif
