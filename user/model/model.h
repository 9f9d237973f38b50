/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The live model: what iommutrace believes the kernel's IOMMU state is,
 * built from a sysfs snapshot (user/snapshot.c) and then from decoded
 * events (user/event.h), one object per file:
 *
 *   device.c     PCI devices: group, driver, RID domain, PASID domains,
 *                and the iommufd view (the HWPT its VFIO fd attached to)
 *   group.c      IOMMU groups: members, domain, reserved regions
 *   domain.c     iommu_domains: type, IOVA mappings (user/ivset.h)
 *   container.c  VFIO containers (type1, or iommufd's compat container)
 *   hwpt.c       iommufd HWPTs and their IOAS and domain
 *   op.c         VFIO/iommufd operations (one ioctl) in flight
 *
 * The model knows no rule. At each point where its state changed in a way
 * a rule may judge, it announces the change (struct m_change) to one
 * callback: the checker (user/check/), which reads the model through const
 * pointers and never changes it. Data flows one way: events -> model ->
 * changes -> checker -> findings; the model never reads the kernel after
 * the snapshot.
 */
#ifndef ITR_MODEL_H
#define ITR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "event/event.h"
#include "event/lost.h"
#include "lib/htab.h"
#include "lib/ivset.h"

/* Where a fact came from. */
#define M_SNAPSHOT	(1u << 0)	/* read from sysfs at start */
#define M_EVENT		(1u << 1)	/* seen in an event */

#define M_MAX_RESV	16
#define M_MAX_PASIDS	8
#define M_DRIVER_LEN	32

/* A reserved IOVA region of a group (sysfs reserved_regions). */
struct m_resv {
	__u64 start, last;	/* inclusive */
	char type[20];		/* "msi", "direct", "direct-relaxable", "reserved" */
};

struct m_pasid {
	__u32 pasid;
	__u64 domain_id;
	__u64 since_ns;
};

struct m_device {
	char name[ITR_DEV_LEN];
	__u32 known;		/* M_* */
	__s32 group_id;		/* -1: unknown */
	char driver[M_DRIVER_LEN];	/* snapshot; "" none */
	__u64 domain_id;	/* current RID domain; 0: unknown */
	__u32 domain_type;
	__u64 default_domain_id;	/* learnt from an attach with is_default; 0: unknown */
	int npasids;
	struct m_pasid pasids[M_MAX_PASIDS];
	/* iommufd: what this device's VFIO fd believes (VFIO_DEVICE_ATTACH_IOMMUFD_PT) */
	__u32 view_hwpt;	/* 0: not attached through iommufd */
	__u64 view_domain;	/* the device's domain when its attach returned */
	__u64 view_ns;
	__u64 view_op;
	__u64 file_id;		/* its VFIO device fd (latest open) */
	__u64 iommufd_file;	/* the iommufd context its fd is bound to (unbind); 0: unknown */
	__s32 iommufd_fd;	/* ... the fd VFIO_DEVICE_BIND_IOMMUFD named; -1: none */
	__s32 fd;
	__u32 tgid;
	bool gap;		/* its domains may be wrong since a gap; until it is attached again */
	bool pasid_gap;		/* its PASIDs may be wrong since a gap; until it leaves its group */
};

struct m_group {
	__s32 id;
	__u32 known;
	char type[24];		/* sysfs type: "DMA", "DMA-FQ", "identity", "blocked", "unmanaged" */
	int nmembers;
	struct m_device *members[16];
	__u64 domain_id;	/* the group's domain (group-level attach); 0: unknown */
	__u32 domain_type;
	int nresv;
	struct m_resv resv[M_MAX_RESV];
	__u64 changed_ns;	/* last membership change seen */
	__u64 changed_op;	/* ... and the operation that made it (0: the kernel's own) */
	char changed_dev[ITR_DEV_LEN];
	bool changed_add;
	bool gap;		/* its domain may be wrong since a gap; until it is attached again */
};

struct m_domain {
	__u64 id;
	__u32 type;
	__u32 known;
	bool alloc_seen;	/* allocated while observed */
	bool complete;		/* every map and unmap of it is in the stream (by type) */
	__u64 first_op;		/* the operation it was first seen in */
	bool freed;
	__u64 alloc_ns;
	struct ivset *maps;	/* NULL until the first map */
	__u64 maps_total, unmaps_total;
	/* unmaps made outside any VFIO/iommufd ioctl since its last ioctl */
	__u64 kunmap_count, kunmap_bytes;
	__u64 last_user_op;
	__u32 hwpt_id;		/* iommufd HWPT whose domain this is; 0: none known */
	__u32 ioas_id;
	__u64 ictx;		/* ... in this iommufd context (model_ictx()) */
	__u32 tgid;		/* the process that caused its allocation */
	int ngroups;
	__s32 groups[8];	/* groups attached (whole, or one of their devices) */
	bool gap;		/* its maps may be wrong since a gap; until it is freed */
};

struct m_container {
	__u64 file_id;
	__s32 fd;
	__u32 tgid;
	int ngroups;
	__s32 groups[8];
};

/* An iommufd fd of a process, and the context (file) it was last seen to be. */
struct m_fdfile {
	__u64 file_id;
};

struct m_hwpt {
	__u64 key;		/* of (ictx, id): HWPT ids are per iommufd context */
	__u64 ictx;		/* its iommufd context (model_ictx()) */
	__u32 id, ioas_id;
	__u64 domain_id;
};

/* An operation (one ioctl) whose records are arriving; ended by its ioctl record. */
struct m_op {
	__u64 id;
	__u64 first_ns;
	int ngroups;
	__s32 groups[4];	/* groups it attached */
	int ndomains;
	__u64 domains[4];	/* domains it attached to */
	int npasid_det;
	__u32 pasid_det[4];	/* PASIDs it detached */
	bool rid_detach;	/* it detached a device's RID domain */
	bool gap;		/* in flight at a gap: some of its records may be lost */
};

struct model;

/* What changed, as the model announces it to the checker (see below). */
enum m_change_kind {
	MC_DOMAIN_FREE = 0,	/* domain is about to be forgotten (freed) */
	MC_RID_DETACH,		/* dev's RID was detached (from ev's old domain) */
	MC_GROUP_DOMAIN,	/* group's (or a member's) domain or HWPT view changed */
	MC_PASID_ATTACH,	/* dev's pasid is being attached (before the model records it) */
	MC_MAP,			/* a map into domain */
	MC_MAP_OVERLAP,		/* ... that covered the live mapping hit (map refused: what it hit) */
	MC_UNMAP,		/* an unmap from domain removed what removed says */
	MC_GROUP_MEMBERS,	/* a device joined or left group */
	MC_MAP_REQUEST,		/* a user asked to map [iova, iova+size) where groups are attached */
	MC_PASID_DETACH_REQ,	/* a user's PASID detach of dev (op: its operation) succeeded */
	MC_OP_END,		/* operation op_id ended (op: what the model kept of it, or NULL) */
	MC_NKINDS,
};

struct m_change {
	enum m_change_kind kind;
	const struct itr_event *ev;	/* the event that made it */
	const struct m_device *dev;
	const struct m_group *group;
	const struct m_domain *domain;
	const struct m_op *op;
	__u64 op_id;
	__u32 pasid;
	const struct iv *hit;		/* MC_MAP_OVERLAP */
	const struct iv_removed *removed;	/* MC_UNMAP */
	const __s32 *groups;		/* MC_MAP_REQUEST */
	int ngroups;
	__u64 iova, size;		/* MC_MAP_REQUEST */
};

/* "map", "op-end", ...: the name of a change kind. */
const char *model_change_name(enum m_change_kind k);

typedef void (*model_change_fn)(void *arg, const struct model *m, const struct m_change *c);

/* Why a member of a bounded set was not kept (counted in model.dropped). */
enum m_drop {
	MD_GROUP_MEMBER = 0,	/* a group's members (struct m_group.members) */
	MD_GROUP_RESV,		/* a group's reserved regions */
	MD_DEVICE_PASID,	/* a device's PASIDs */
	MD_DOMAIN_GROUP,	/* a domain's groups */
	MD_CONTAINER_GROUP,	/* a container's groups */
	MD_OP_OBJECT,		/* an operation's groups, domains or PASIDs */
	MD_NDROPS,
};

/* "group-member", ...: the name of a drop reason. */
const char *model_drop_name(enum m_drop d);

/*
 * Gaps in the stream (loss records, model/gap.c): what was lost, and what
 * the model stopped trusting because of it. A gap suspends the rules that
 * need the state it may have touched (check/checker.c), object by object,
 * until that state is known again: a domain's maps until it is freed (a
 * new domain is trusted from its allocation), a device's or group's
 * domain until it is attached again, a device's PASIDs until it leaves
 * its group, an operation in flight at a gap for good.
 */
enum m_gap_what {
	MG_MAPS = 1u << 0,	/* domains' mappings */
	MG_ATTACH = 1u << 1,	/* groups' and devices' domains, group members, files */
	MG_PASID = 1u << 2,	/* devices' PASIDs */
};

struct m_gaps {
	__u64 n;		/* gaps that lost anything */
	__u64 lost;		/* records lost in them */
	__u64 by_kind[ITR_LOST_KINDS];	/* ... by kind */
	__u64 unknown;		/* ... of no kind counted */
	__u64 last_ns;		/* the latest gap's record; 0: none */
	__u32 what;		/* m_gap_what bits any gap touched */
	/* objects suspended (each counted once per gap that touched it) */
	__u64 domains, groups, devices, pasid_devices, ops;
};

struct model_opts {
	bool all_domains;	/* the stream carries DMA-API domains' maps too */
};

struct model {
	struct model_opts o;
	struct htab devices;	/* name hash -> struct m_device */
	struct htab groups;	/* id -> struct m_group */
	struct htab domains;	/* id -> struct m_domain */
	struct m_domain *last_domain;	/* the last one domain_get() gave; NULL when it goes */
	struct htab containers;	/* file_id -> struct m_container */
	struct htab hwpts;	/* key -> struct m_hwpt */
	struct htab ops;	/* op id -> struct m_op */
	struct htab devfiles;	/* VFIO device file_id -> struct m_device */
	struct htab ictxfds;	/* tgid << 32 | fd -> struct m_fdfile: iommufd fds seen */
	__u64 renewed;		/* domains seen at a dead one's address (domain_renew) */
	/* who hears what changed (the checker) */
	model_change_fn changed;
	void *changed_arg;
	__u64 dropped[MD_NDROPS];	/* members bounded sets could not keep */
	/* stream */
	__u64 nevents;
	__u64 lost;		/* events the kernel side lost (loss records and the final count) */
	struct m_gaps gaps;
	__u64 last_ns;
	__u64 cur_op;		/* op_id of the event being fed */
	bool snapshot_taken;
	int snap_groups, snap_devices;
	int snap_frames;	/* recorded snapshots offered (model_snapshot_text) */
};

int model_init(struct model *m, const struct model_opts *o, model_change_fn changed, void *arg);
void model_fini(struct model *m);
/* Feed one decoded event. 0 or -ENOMEM. */
int model_feed(struct model *m, const struct itr_event *ev);
/*
 * The kernel side lost n more records that no loss record reported (the
 * final count): counted only, since no event comes after them.
 */
void model_lost(struct model *m, __u64 n, __u64 now_ns);
/*
 * A gap (an ITR_EV_LOST record; model_feed ignores them): suspend what
 * the records it lost may have touched. d: what it added (event/lost.h).
 */
void model_gap(struct model *m, const struct lost_diff *d, __u64 ts_ns);
/* Since a gap: may a group's (and its members') domains be wrong? */
bool group_gap(const struct m_group *g);

/*
 * Read the current world from sysfs under root ("" or "/": the real one;
 * tests pass a fake tree): /sys/kernel/iommu_groups/ * /{devices,type,
 * reserved_regions}, /sys/bus/pci/devices/ * /{iommu_group,driver}.
 * 0, or -errno when not even iommu_groups could be read (no IOMMU).
 */
int model_snapshot(struct model *m, const char *root);
/* The snapshot as JSON (what recordings store), and back. */
json_object *model_snapshot_json(const struct model *m);
/*
 * A recorded snapshot's bounds (docs/recording.md): what json-c may parse
 * (bytes, and values counted before parsing) and what the model may load.
 * Past any of them the snapshot is refused whole.
 */
#define MODEL_SNAP_MAX_BYTES	(4 << 20)
#define MODEL_SNAP_MAX_VALUES	(256 << 10)
#define MODEL_SNAP_MAX_OBJECTS	(32 << 10)
#define MODEL_SNAP_MAX_GROUPS	4096
#define MODEL_SNAP_MAX_DEVICES	16384
/*
 * Load all of a snapshot or none of it: 0, -EINVAL malformed, -E2BIG past
 * the bounds (why says what), -ENOMEM.
 */
int model_snapshot_load(struct model *m, json_object *snap);
int model_snapshot_load_why(struct model *m, json_object *snap, char *why, size_t whylen);
/*
 * A recording's SNAPSHOT frame (JSON text): as model_snapshot_load_why(),
 * bounded before parsing; only the first of a recording is loaded, a later
 * one is -EEXIST. why ends in ": ignored" on a refusal.
 */
int model_snapshot_text(struct model *m, const char *s, size_t len, char *why, size_t whylen);

/* Lookups and creation (NULL: out of memory); by the objects' files. */
struct m_device *device_get(struct model *m, const char *name);
struct m_device *device_find(const struct model *m, const char *name);
struct m_group *group_get(struct model *m, __s32 id);
struct m_group *group_find(const struct model *m, __s32 id);
int group_add_member(struct model *m, struct m_group *g, struct m_device *d);
void group_remove_member(struct m_group *g, struct m_device *d);
/* A reserved region (sysfs reserved_regions); counted when the group has no room. */
void group_add_resv(struct model *m, struct m_group *g, __u64 start, __u64 last, const char *type);
const struct m_resv *group_resv_hit(const struct m_group *g, __u64 start, __u64 last);
struct m_domain *domain_get(struct model *m, __u64 id, __u32 type);
struct m_domain *domain_find(const struct model *m, __u64 id);
void domain_free_maps(struct m_domain *d);
/* d is another domain now (see domain.c): forget everything but its id; type: its new one. */
void domain_renew(struct model *m, struct m_domain *d, __u32 type);
struct m_container *container_get(struct model *m, __u64 file_id);
struct m_container *container_find(const struct model *m, __u64 file_id);
void container_add_group(struct model *m, struct m_container *c, __s32 group);
struct m_hwpt *hwpt_get(struct model *m, __u64 ictx, __u32 id);
struct m_hwpt *hwpt_find(const struct model *m, __u64 ictx, __u32 id);
/*
 * The iommufd context of a record: its iommufd file, or the context its
 * device's VFIO file is bound to; else a stand-in for its process.
 */
__u64 model_ictx(const struct model *m, const struct itr_event *ev);
/* An iommufd ioctl's (process, fd) -> its context, for devices bound by fd. 0 or -ENOMEM. */
int model_note_iommufd_fd(struct model *m, const struct itr_event *ev);
__u64 model_fd_key(__u32 tgid, __s32 fd);
__u32 hwpt_of_domain(const struct model *m, __u64 domain_id);
struct m_op *op_get(struct model *m, __u64 id, __u64 ts);
struct m_op *op_find(const struct model *m, __u64 id);
void op_note_attach(struct model *m, struct m_op *op, __s32 group, __u64 domain);
void op_note_pasid_detach(struct model *m, struct m_op *op, __u32 pasid);
void op_end(struct model *m, __u64 id);
void domain_add_group(struct model *m, struct m_domain *d, __s32 group);
void domain_del_group(struct m_domain *d, __s32 group);

/* PASIDs of a device. */
const struct m_pasid *device_pasid(const struct m_device *d, __u32 pasid);
int device_pasid_set(struct model *m, struct m_device *d, __u32 pasid, __u64 domain, __u64 ts);
void device_pasid_clear(struct m_device *d, __u32 pasid);

/* Whether mapping checks can trust a domain's interval set. */
bool domain_tracked(const struct model *m, const struct m_domain *d);

/* Count a member a bounded set could not keep (model.c). */
void model_drop(struct model *m, enum m_drop why);

#endif
