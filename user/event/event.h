/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The decoder: one raw ring-buffer record -> a validated, typed view
 * (kind, header, payload), and the names of everything an event carries
 * (kinds, domain types, prot bits, fault sources, header flags, layers,
 * errnos).
 *
 * Name tables are sorted by value; each has a reverse lookup (name ->
 * value, case-insensitive) for the CLI's filters.
 */
#ifndef ITR_EVENT_H
#define ITR_EVENT_H

#include <stddef.h>
#include "iommutrace.h"
#include "event/ioctl.h"

/* Which struct follows the header. */
enum itr_shape {
	ITR_SHAPE_DOMAIN = 0,	/* struct itr_ev_domain */
	ITR_SHAPE_ATTACH,	/* struct itr_ev_attach */
	ITR_SHAPE_MAP,		/* struct itr_ev_map */
	ITR_SHAPE_GROUP,	/* struct itr_ev_group */
	ITR_SHAPE_FAULT,	/* struct itr_ev_fault */
	ITR_SHAPE_IOCTL,	/* struct itr_ev_ioctl */
	ITR_SHAPE_LOCKED,	/* struct itr_ev_locked */
	ITR_SHAPE_JOIN,		/* struct itr_ev_join */
	ITR_SHAPE_FILE,		/* struct itr_ev_file */
	ITR_SHAPE_UNBIND,	/* struct itr_ev_unbind */
	ITR_SHAPE_LOST,		/* struct itr_ev_lost */
};

/*
 * A decoded record: pointers into the caller's buffer, valid as long as it
 * is, and an ioctl's argument decoded once, which every consumer reads.
 */
struct itr_event {
	enum itr_kind kind;
	enum itr_shape shape;
	const struct itr_hdr *h;
	union {
		const void *payload;	/* the whole record, typed below by shape */
		const struct itr_ev_domain *domain;
		const struct itr_ev_attach *attach;
		const struct itr_ev_map *map;
		const struct itr_ev_group *group;
		const struct itr_ev_fault *fault;
		const struct itr_ev_ioctl *ioctl;
		const struct itr_ev_locked *locked;
		const struct itr_ev_join *join;
		const struct itr_ev_file *file;
		const struct itr_ev_unbind *unbind;
		const struct itr_ev_lost *lost;
	};
	/* ITR_EV_IOCTL: the argument decoded once (event/ioctl.h); else unset */
	struct ioctl_decoded io;
};

/*
 * Validate and type one record of `size` bytes. A record must be 8-byte
 * aligned, hold at least its kind's struct (longer is accepted: fields
 * appended by a newer ABI are ignored; an ioctl record of exactly ABI
 * 6's size without ITR_F_LOCKED is accepted too, and then its
 * locked_npages and locked_vm must not be read), and its header's size must equal
 * `size`. 0, or -EINVAL / -EBADMSG with a one-line reason in why.
 */
int event_decode(const void *rec, size_t size, struct itr_event *ev, char *why, size_t whylen);
/* event_decode()'s checks alone, ev not filled: 0, or its error and why. */
int event_check(const void *rec, size_t size, char *why, size_t whylen);
/*
 * Type a record that event_decode() has already accepted, without its
 * checks (the recording's reader checks a frame whole, then returns its
 * records one by one): ev's kind, shape, h, payload and, for an ioctl, io.
 */
void event_type(const void *rec, struct itr_event *ev);

/* A value and its name. */
struct itr_name {
	unsigned int value;
	const char *name;
};

/* The tables, sorted by value (exported for tests). */
extern const struct itr_name itr_kind_names[];
extern const int itr_nkind_names;
extern const struct itr_name itr_domain_type_names[];
extern const int itr_ndomain_type_names;
extern const struct itr_name itr_prot_names[];		/* bits */
extern const int itr_nprot_names;
extern const struct itr_name itr_fault_source_names[];
extern const int itr_nfault_source_names;
extern const struct itr_name itr_flag_names[];		/* ITR_F_* bits */
extern const int itr_nflag_names;
extern const struct itr_name itr_layer_names[];		/* enum itr_layer */
extern const int itr_nlayer_names;

/* value -> name; NULL when absent. */
const char *name_of(const struct itr_name *t, int n, unsigned int value);
/* name -> value (case-insensitive); 0 or -ENOENT. */
int value_of(const struct itr_name *t, int n, const char *name, unsigned int *value);
/* "read,write": the names of the bits set in v joined by sep, unknown bits as "0x40". */
const char *bits_str(const struct itr_name *t, int n, unsigned int v, const char *sep,
		     char *buf, size_t len);

/*
 * "map", "attach", ...; NULL for an unknown kind. Inline: a replay asks it
 * of every record, three times. The table is in value order from 1: one
 * look, the search as fallback.
 */
static inline const char *kind_name(unsigned int kind)
{
	if (kind - 1 < (unsigned int)itr_nkind_names && itr_kind_names[kind - 1].value == kind)
		return itr_kind_names[kind - 1].name;
	return name_of(itr_kind_names, itr_nkind_names, kind);
}
/* "DMA", "UNMANAGED", ...; unknown values as "0x5" in buf. */
const char *domain_type_str(unsigned int type, char *buf, size_t len);
/* "report", "tp", ...; unknown values as "0x9" in buf. */
const char *fault_source_str(unsigned int src, char *buf, size_t len);
/* "vfio-container", "iommufd", ...; "none" for 0; unknown values as "0x9" in buf. */
const char *layer_str(unsigned int layer, char *buf, size_t len);
/* "EINVAL", "ENOTSUPP" (kernel-internal errnos too) for err > 0; else "E<n>". */
const char *errno_str(int err, char *buf, size_t len);
/* errno_str(-ret) of a negative return, INT_MIN too ("E2147483648"). */
const char *ret_errno_str(int ret, char *buf, size_t len);

#endif
