// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Decoding ring-buffer records, and the names of what they carry. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "event/event.h"
#include "lib/util.h"


/* Every kind's name and shape, by value. */
const struct itr_name itr_kind_names[] = {
	{ ITR_EV_DOMAIN_ALLOC,	"domain_alloc" },
	{ ITR_EV_DOMAIN_FREE,	"domain_free" },
	{ ITR_EV_ATTACH,	"attach" },
	{ ITR_EV_DETACH,	"detach" },
	{ ITR_EV_PASID_ATTACH,	"pasid_attach" },
	{ ITR_EV_PASID_DETACH,	"pasid_detach" },
	{ ITR_EV_PASID_REPLACE,	"pasid_replace" },
	{ ITR_EV_MAP,		"map" },
	{ ITR_EV_MAP_SG,	"map_sg" },
	{ ITR_EV_UNMAP,		"unmap" },
	{ ITR_EV_UNMAP_FAST,	"unmap_fast" },
	{ ITR_EV_GROUP_ADD,	"group_add" },
	{ ITR_EV_GROUP_REMOVE,	"group_remove" },
	{ ITR_EV_FAULT,		"fault" },
	{ ITR_EV_IOCTL,		"ioctl" },
	{ ITR_EV_LOCKED,	"locked" },
	{ ITR_EV_HWPT_DOMAIN,	"hwpt_domain" },
	{ ITR_EV_OPEN,		"open" },
	{ ITR_EV_CLOSE,		"close" },
	{ ITR_EV_UNBIND,	"unbind" },
	{ ITR_EV_LOST,		"lost" },
};
const int itr_nkind_names = ARRAY_SIZE(itr_kind_names);

static const enum itr_shape kind_shape[ITR_EV_MAX] = {
	[ITR_EV_DOMAIN_ALLOC]	= ITR_SHAPE_DOMAIN,
	[ITR_EV_DOMAIN_FREE]	= ITR_SHAPE_DOMAIN,
	[ITR_EV_ATTACH]		= ITR_SHAPE_ATTACH,
	[ITR_EV_DETACH]		= ITR_SHAPE_ATTACH,
	[ITR_EV_PASID_ATTACH]	= ITR_SHAPE_ATTACH,
	[ITR_EV_PASID_DETACH]	= ITR_SHAPE_ATTACH,
	[ITR_EV_PASID_REPLACE]	= ITR_SHAPE_ATTACH,
	[ITR_EV_MAP]		= ITR_SHAPE_MAP,
	[ITR_EV_MAP_SG]		= ITR_SHAPE_MAP,
	[ITR_EV_UNMAP]		= ITR_SHAPE_MAP,
	[ITR_EV_UNMAP_FAST]	= ITR_SHAPE_MAP,
	[ITR_EV_GROUP_ADD]	= ITR_SHAPE_GROUP,
	[ITR_EV_GROUP_REMOVE]	= ITR_SHAPE_GROUP,
	[ITR_EV_FAULT]		= ITR_SHAPE_FAULT,
	[ITR_EV_IOCTL]		= ITR_SHAPE_IOCTL,
	[ITR_EV_LOCKED]		= ITR_SHAPE_LOCKED,
	[ITR_EV_HWPT_DOMAIN]	= ITR_SHAPE_JOIN,
	[ITR_EV_OPEN]		= ITR_SHAPE_FILE,
	[ITR_EV_CLOSE]		= ITR_SHAPE_FILE,
	[ITR_EV_UNBIND]		= ITR_SHAPE_UNBIND,
	[ITR_EV_LOST]		= ITR_SHAPE_LOST,
};

const struct itr_name itr_domain_type_names[] = {
	{ ITR_DOM_BLOCKED,	"BLOCKED" },
	{ ITR_DOM_UNMANAGED,	"UNMANAGED" },
	{ ITR_DOM_DMA,		"DMA" },
	{ ITR_DOM_IDENTITY,	"IDENTITY" },
	{ ITR_DOM_DMA_FQ,	"DMA_FQ" },
	{ ITR_DOM_SVA,		"SVA" },
	{ ITR_DOM_PLATFORM,	"PLATFORM" },
	{ ITR_DOM_NESTED,	"NESTED" },
	{ ITR_DOM_UNKNOWN,	"UNKNOWN" },
};
const int itr_ndomain_type_names = ARRAY_SIZE(itr_domain_type_names);

/* The kernel's IOMMU_* prot bits; first letters are unique (text sink). */
const struct itr_name itr_prot_names[] = {
	{ 1u << 0, "read" },
	{ 1u << 1, "write" },
	{ 1u << 2, "cache" },
	{ 1u << 3, "noexec" },
	{ 1u << 4, "mmio" },
	{ 1u << 5, "priv" },
};
const int itr_nprot_names = ARRAY_SIZE(itr_prot_names);

const struct itr_name itr_fault_source_names[] = {
	{ ITR_FAULT_REPORT,	"report" },
	{ ITR_FAULT_TP,		"tp" },
	{ ITR_FAULT_DEVICE,	"device" },
	{ ITR_FAULT_DMAR,	"dmar" },
};
const int itr_nfault_source_names = ARRAY_SIZE(itr_fault_source_names);

const struct itr_name itr_flag_names[] = {
	{ ITR_F_FROM_TP,	"from_tp" },
	{ ITR_F_NO_RET,		"no_ret" },
	{ ITR_F_GROUP,		"group" },
	{ ITR_F_LOCKED,		"locked" },
};
const int itr_nflag_names = ARRAY_SIZE(itr_flag_names);

const struct itr_name itr_layer_names[] = {
	{ ITR_LAYER_NONE,		"none" },
	{ ITR_LAYER_VFIO_CONTAINER,	"vfio-container" },
	{ ITR_LAYER_VFIO_GROUP,		"vfio-group" },
	{ ITR_LAYER_VFIO_DEVICE,	"vfio-device" },
	{ ITR_LAYER_IOMMUFD,		"iommufd" },
};
const int itr_nlayer_names = ARRAY_SIZE(itr_layer_names);

/* The kernel's internal errnos (include/linux/errno.h): glibc has no names. */
static const struct itr_name kernel_errnos[] = {
	{ 512, "ERESTARTSYS" },
	{ 513, "ERESTARTNOINTR" },
	{ 514, "ERESTARTNOHAND" },
	{ 515, "ENOIOCTLCMD" },
	{ 516, "ERESTART_RESTARTBLOCK" },
	{ 517, "EPROBE_DEFER" },
	{ 518, "EOPENSTALE" },
	{ 519, "ENOPARAM" },
	{ 521, "EBADHANDLE" },
	{ 522, "ENOTSYNC" },
	{ 523, "EBADCOOKIE" },
	{ 524, "ENOTSUPP" },
	{ 525, "ETOOSMALL" },
	{ 526, "ESERVERFAULT" },
	{ 527, "EBADTYPE" },
	{ 528, "EJUKEBOX" },
	{ 529, "EIOCBQUEUED" },
	{ 530, "ERECALLCONFLICT" },
	{ 531, "ENOGRACE" },
};

const char *name_of(const struct itr_name *t, int n, unsigned int value)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

int value_of(const struct itr_name *t, int n, const char *name, unsigned int *value)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!strcasecmp(t[i].name, name)) {
			*value = t[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

const char *bits_str(const struct itr_name *t, int n, unsigned int v, const char *sep,
		     char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++) {
		if (!(v & t[i].value))
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? sep : "", t[i].name);
		v &= ~t[i].value;
	}
	if (v && off < len)
		snprintf(buf + off, len - off, "%s0x%x", off ? sep : "", v);
	return buf;
}

static const char *name_or_hex(const struct itr_name *t, int n, unsigned int v,
			       char *buf, size_t len)
{
	const char *s = name_of(t, n, v);

	if (s)
		return s;
	snprintf(buf, len, "0x%x", v);
	return buf;
}

const char *domain_type_str(unsigned int type, char *buf, size_t len)
{
	return name_or_hex(itr_domain_type_names, itr_ndomain_type_names, type, buf, len);
}

const char *fault_source_str(unsigned int src, char *buf, size_t len)
{
	return name_or_hex(itr_fault_source_names, itr_nfault_source_names, src, buf, len);
}

const char *layer_str(unsigned int layer, char *buf, size_t len)
{
	return name_or_hex(itr_layer_names, itr_nlayer_names, layer, buf, len);
}

const char *errno_str(int err, char *buf, size_t len)
{
	const char *s = err > 0 ? strerrorname_np(err) : NULL;

	if (!s && err > 0)
		s = name_of(kernel_errnos, ARRAY_SIZE(kernel_errnos), err);
	if (s)
		return s;
	snprintf(buf, len, "E%d", err);
	return buf;
}

const char *ret_errno_str(int ret, char *buf, size_t len)
{
	if (ret != INT_MIN)
		return errno_str(-ret, buf, len);
	snprintf(buf, len, "E%lld", -(long long)ret);
	return buf;
}

/* s[len-1] is NUL, the kernel's usual padding, or a NUL comes earlier */
static bool nul_terminated(const char *s, size_t len)
{
	return !s[len - 1] || memchr(s, 0, len - 1);
}

int event_decode(const void *rec, size_t size, struct itr_event *ev, char *why, size_t whylen)
{
	int err;

	memset(ev, 0, offsetof(struct itr_event, io));	/* io: filled for ioctls only */
	err = event_check(rec, size, why, whylen);
	if (!err)
		event_type(rec, ev);
	return err;
}

int event_check(const void *rec, size_t size, char *why, size_t whylen)
{
	const struct itr_hdr *h = rec;
	size_t need;

	if ((uintptr_t)rec % 8) {
		snprintf(why, whylen, "record at %p is not 8-byte aligned", rec);
		return -EINVAL;
	}
	if (size < sizeof(*h)) {
		snprintf(why, whylen, "record of %zu bytes is shorter than a header (%zu)",
			 size, sizeof(*h));
		return -EBADMSG;
	}
	if (!kind_name(h->kind)) {
		snprintf(why, whylen, "unknown kind %u (record of %zu bytes)", h->kind, size);
		return -EBADMSG;
	}
	need = itr_kind_size(h->kind);
	/* an ABI 6 ioctl record (old recordings): exactly that long, nothing folded */
	if (h->kind == ITR_EV_IOCTL && size == ITR_IOCTL_ABI6_SIZE && !(h->flags & ITR_F_LOCKED))
		need = ITR_IOCTL_ABI6_SIZE;
	if (!need) {
		snprintf(why, whylen, "%s record: the ABI gives its kind no size",
			 kind_name(h->kind));
		return -EBADMSG;
	}
	if (size < need) {
		snprintf(why, whylen, "%s record of %zu bytes is shorter than its struct (%zu)",
			 kind_name(h->kind), size, need);
		return -EBADMSG;
	}
	if (h->size != size) {
		snprintf(why, whylen, "%s record of %zu bytes says its size is %u",
			 kind_name(h->kind), size, h->size);
		return -EBADMSG;
	}
	/* the kernel's strings always end in a NUL (bpf_probe_read_kernel_str, comm) */
	if (!nul_terminated(h->dev, ITR_DEV_LEN) || !nul_terminated(h->comm, ITR_COMM_LEN)) {
		snprintf(why, whylen, "%s record: its %s is not NUL-terminated", kind_name(h->kind),
			 nul_terminated(h->dev, ITR_DEV_LEN) ? "comm" : "device name");
		return -EBADMSG;
	}
	return 0;
}

void event_type(const void *rec, struct itr_event *ev)
{
	const struct itr_hdr *h = rec;

	ev->kind = h->kind;
	ev->shape = kind_shape[h->kind];
	ev->h = h;
	ev->payload = rec;
	if (ev->kind == ITR_EV_IOCTL)
		ioctl_decode(ev->ioctl, &ev->io);
}
