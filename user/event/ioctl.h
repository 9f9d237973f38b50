/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * VFIO and iommufd ioctls: a table sorted by command, one row per command
 * (its uapi name, struct size, minimum argsz and the fields users care
 * about), and the decoding of an ITR_EV_IOCTL record's raw argument from
 * it. Decoding never reads past arg_len nor ITR_IOCTL_ARG_LEN bytes.
 * Fields and statuses: docs/events.md, "ioctl".
 */
#ifndef ITR_IOCTL_H
#define ITR_IOCTL_H

#include <stdbool.h>
#include <stddef.h>
#include "iommutrace.h"

/* What an ioctl's argument is. */
enum ioctl_arg {
	IOCTL_ARG_STRUCT = 0,	/* a pointer to a uapi struct whose first __u32 is its size */
	IOCTL_ARG_NONE,		/* no argument */
	IOCTL_ARG_VALUE,	/* an integer passed by value: BPF cannot read it, nothing decoded */
	IOCTL_ARG_INT,		/* a pointer to one __s32 (a file descriptor) */
	IOCTL_ARG_STRING,	/* a pointer to a NUL-terminated string */
};

/* Which way a field goes. */
enum ioctl_dir {
	IOCTL_IN = 1,		/* from the caller: read at entry (arg_in) */
	IOCTL_OUT = 2,		/* from the kernel: read at exit (arg_out) */
	IOCTL_INOUT = 3,	/* both: the value at exit */
};

/* How the text sink prints a field. */
enum ioctl_fmt {
	IOCTL_FMT_DEC = 0,	/* unsigned decimal */
	IOCTL_FMT_SDEC,		/* signed decimal (file descriptors) */
	IOCTL_FMT_HEX,		/* 0x... (addresses, flags) */
	IOCTL_FMT_SIZE,		/* 4KiB */
};

/*
 * What a field means to the model and the operation filters, whatever its
 * uapi name: the typed view of a decoded argument (ioctl_role()).
 */
enum ioctl_role {
	IOR_NONE = 0,
	IOR_IOVA,		/* the IOVA a map or unmap starts at */
	IOR_LENGTH,		/* its length in bytes */
	IOR_IOAS,		/* an iommufd IOAS id (in, out, source or destination) */
	IOR_PT,			/* a page table id: an IOAS or an HWPT */
	IOR_HWPT,		/* an iommufd HWPT id */
	IOR_OBJECT,		/* any iommufd object id (IOMMU_DESTROY) */
	IOR_PASID,		/* a PASID */
	IOR_CONTAINER_FD,	/* a VFIO container's file descriptor */
	IOR_IOMMUFD_FD,		/* an iommufd's file descriptor (a device bound to it) */
	IOR_N,
};

/* What an ioctl does, for the model (a switch on this, never on names). */
enum ioctl_op {
	IOP_NONE = 0,
	IOP_MAP,		/* map user memory at an IOVA (op_flag: the caller chose it) */
	IOP_ATTACH_PT,		/* attach a device to a page table (op_flag: on a PASID) */
	IOP_DETACH_PT,		/* detach it (op_flag: from a PASID) */
	IOP_DESTROY,		/* destroy an iommufd object */
};

struct ioctl_field {
	const char *name;	/* the uapi field's name: the JSON key under "args" */
	__u8 off;
	__u8 size;		/* 1, 2, 4 or 8 */
	__u8 dir;		/* enum ioctl_dir */
	__u8 fmt;		/* enum ioctl_fmt */
	__u8 role;		/* enum ioctl_role */
	const char *label;	/* text: shown as "label value"; "" value alone; NULL not shown */
	__u32 when;		/* present only when the argument's flags (at offset 4) have these bits; 0: always */
};

struct ioctl_desc {
	__u32 cmd;
	__u32 layers;		/* bits (1 << ITR_LAYER_*) of the files that take it */
	const char *name;	/* "IOMMU_IOAS_MAP" */
	__u8 arg;		/* enum ioctl_arg */
	__u16 size;		/* sizeof the uapi struct (ARG_STRUCT), else 0 */
	__u16 min;		/* the smallest argsz the kernel accepts (ARG_STRUCT) */
	__u8 op;		/* enum ioctl_op */
	__u32 op_flag;		/* the flag (at offset 4) that qualifies op; 0: none */
	const struct ioctl_field *fields;	/* ends with a NULL name; NULL: names only */
};

/* The table, sorted by (cmd, layers); exported for tests. */
extern const struct ioctl_desc ioctl_table[];
extern const int ioctl_ntable;

/*
 * The row of cmd for a file of this layer. VFIO reuses numbers across
 * files (VFIO_IOMMU_MAP_DMA on a container is VFIO_DEVICE_PCI_HOT_RESET on
 * a device): the row whose layers include layer, else the first row of
 * cmd. NULL: unknown command.
 */
const struct ioctl_desc *ioctl_lookup(__u32 cmd, __u32 layer);

enum ioctl_status {
	IOCTL_OK = 0,		/* every field it needs was captured */
	IOCTL_SHORT,		/* fewer bytes captured than it needs: fields beyond are absent */
	IOCTL_MALFORMED,	/* its argsz is smaller than the kernel's minimum */
	IOCTL_UNKNOWN,		/* not in the table */
};

#define IOCTL_MAX_FIELDS 12

struct ioctl_value {
	const struct ioctl_field *f;
	__u64 v;		/* sign-extended for IOCTL_FMT_SDEC */
	__u64 in;		/* the value at entry (INOUT: may differ from v; OUT: v) */
};

struct ioctl_decoded {
	const struct ioctl_desc *desc;	/* NULL: unknown */
	const char *name;	/* desc->name, or hex below */
	char hex[12];		/* "0x00003b85" for an unknown command */
	enum ioctl_status status;
	__u32 have;		/* bytes captured: min(arg_len, ITR_IOCTL_ARG_LEN) */
	__u32 need;		/* bytes the command needs */
	int n;
	struct ioctl_value v[IOCTL_MAX_FIELDS];
	bool has_str;		/* IOCTL_ARG_STRING: str holds what was captured */
	/* the typed view */
	enum ioctl_op op;
	bool op_flag;		/* the row's op_flag is set (IOP_MAP with no op_flag: always) */
	__u32 roles;		/* bits (1 << IOR_*) of the roles present */
	__u64 role_v[IOR_N];	/* the value of each role's first field */
	char str[ITR_IOCTL_ARG_LEN + 1];
};

/*
 * Decode an ioctl record's argument. A field is present when it lies
 * within the bytes captured and within the caller's argsz; IN fields come
 * from arg_in, OUT and INOUT from arg_out, except when the ioctl failed
 * (h.ret < 0): OUT fields are then absent and INOUT ones are the input.
 */
void ioctl_decode(const struct itr_ev_ioctl *io, struct ioctl_decoded *d);

/* The value of the first field of role r: true when present. */
static inline bool ioctl_role(const struct ioctl_decoded *d, enum ioctl_role r, __u64 *v)
{
	if (!(d->roles & (1u << r)))
		return false;
	*v = d->role_v[r];
	return true;
}

/* Whether the command's argument has a field of role r (captured or not). */
bool ioctl_desc_role(const struct ioctl_desc *desc, enum ioctl_role r);

/* Whether a field of a role in the mask (bits 1 << IOR_*) holds id, at entry or exit. */
bool ioctl_names_id(const struct ioctl_decoded *d, __u32 role_mask, __u64 id);

/* "ok", "short", "malformed", "unknown" */
const char *ioctl_status_str(enum ioctl_status s);

#endif
