// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include "event/ioctl.h"
#include "records.h"
#include "sink/sink.h"

/* An ioctl record of cmd on a file of layer, argument in/out zero, arg_len 64. */
static void make(union rec *r, __u32 cmd, __u32 layer)
{
	rec_make(r, ITR_EV_IOCTL);
	r->ioctl.cmd = cmd;
	r->h.ctx.layer = layer;
	r->ioctl.arg_len = ITR_IOCTL_ARG_LEN;
	memset(r->ioctl.arg_in, 0, sizeof(r->ioctl.arg_in));
	memset(r->ioctl.arg_out, 0, sizeof(r->ioctl.arg_out));
}

static void put(__u8 *arg, size_t off, size_t size, __u64 v)
{
	memcpy(arg + off, &v, size);
}

/* The decoded value of field name; the test fails when it is absent. */
static __u64 val(const struct ioctl_decoded *d, const char *name)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].f->name, name))
			return d->v[i].v;
	cr_assert_fail("%s: no field %s", d->name, name);
	return 0;
}

static bool has(const struct ioctl_decoded *d, const char *name)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].f->name, name))
			return true;
	return false;
}

static __u32 first_layer(__u32 layers)
{
	return __builtin_ctz(layers);
}

Test(ioctl, table_is_sorted_and_sane)
{
	int i, j;

	cr_assert_gt(ioctl_ntable, 30);
	for (i = 0; i < ioctl_ntable; i++) {
		const struct ioctl_desc *d = &ioctl_table[i];
		const struct ioctl_field *f;
		int n = 0;

		cr_assert_not_null(d->name);
		cr_assert_neq(d->layers, 0, "%s", d->name);
		if (i) {
			const struct ioctl_desc *p = &ioctl_table[i - 1];

			cr_assert(p->cmd < d->cmd || (p->cmd == d->cmd && p->layers < d->layers),
				  "%s before %s", p->name, d->name);
			/* one row per command and file */
			cr_assert(p->cmd != d->cmd || !(p->layers & d->layers), "%s", d->name);
		}
		for (j = 0; j < i; j++)
			cr_assert_str_neq(ioctl_table[j].name, d->name);
		cr_assert(!strncmp(d->name, "VFIO_", 5) || !strncmp(d->name, "IOMMU_", 6), "%s",
			  d->name);
		if (d->arg != IOCTL_ARG_STRUCT || !d->fields)
			continue;
		/* argsz first, the minimum within the struct, fields in order and in 64 bytes */
		cr_assert(!strcmp(d->fields[0].name, "argsz") || !strcmp(d->fields[0].name, "size"),
			  "%s", d->name);
		cr_assert_eq(d->fields[0].off, 0);
		cr_assert_eq(d->fields[0].size, 4);
		cr_assert_geq(d->min, 4, "%s", d->name);
		cr_assert_leq(d->min, d->size, "%s", d->name);
		cr_assert_leq(d->min, ITR_IOCTL_ARG_LEN, "%s", d->name);
		for (f = d->fields; f->name; f++, n++) {
			cr_assert(f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8,
				  "%s.%s", d->name, f->name);
			cr_assert_leq(f->off + f->size, d->size, "%s.%s", d->name, f->name);
			cr_assert(f->dir >= IOCTL_IN && f->dir <= IOCTL_INOUT);
			if (n)
				cr_assert_gt(f->off, f[-1].off, "%s.%s", d->name, f->name);
		}
		cr_assert_leq(n, IOCTL_MAX_FIELDS, "%s", d->name);
	}
}

Test(ioctl, lookup_by_command_and_file)
{
	cr_assert_str_eq(ioctl_lookup(VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_CONTAINER)->name,
			 "VFIO_IOMMU_MAP_DMA");
	cr_assert_str_eq(ioctl_lookup(VFIO_IOMMU_MAP_DMA, ITR_LAYER_IOMMUFD)->name,
			 "VFIO_IOMMU_MAP_DMA");	/* iommufd's VFIO compatibility */
	cr_assert_str_eq(ioctl_lookup(VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_DEVICE)->name,
			 "VFIO_DEVICE_PCI_HOT_RESET");
	cr_assert_str_eq(ioctl_lookup(VFIO_DEVICE_FEATURE, ITR_LAYER_VFIO_DEVICE)->name,
			 "VFIO_DEVICE_FEATURE");
	cr_assert_str_eq(ioctl_lookup(VFIO_IOMMU_DIRTY_PAGES, ITR_LAYER_VFIO_CONTAINER)->name,
			 "VFIO_IOMMU_DIRTY_PAGES");
	/* no layer: the first row of the number (by layers: the device's) */
	cr_assert_str_eq(ioctl_lookup(VFIO_IOMMU_GET_INFO, ITR_LAYER_NONE)->name,
			 "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO");
	cr_assert_str_eq(ioctl_lookup(VFIO_IOMMU_GET_INFO, ITR_LAYER_VFIO_CONTAINER)->name,
			 "VFIO_IOMMU_GET_INFO");
	cr_assert_str_eq(ioctl_lookup(IOMMU_IOAS_MAP, ITR_LAYER_NONE)->name, "IOMMU_IOAS_MAP");
	cr_assert_str_eq(ioctl_lookup(IOMMU_IOAS_MAP, 99)->name, "IOMMU_IOAS_MAP");
	cr_assert_str_eq(ioctl_lookup(0x3ba0, ITR_LAYER_IOMMUFD)->name, "IOMMU_TEST_CMD");
	cr_assert_null(ioctl_lookup(0, ITR_LAYER_IOMMUFD));
	cr_assert_null(ioctl_lookup(_IO(';', 0xff), ITR_LAYER_IOMMUFD));
	cr_assert_null(ioctl_lookup(~0u, ITR_LAYER_IOMMUFD));
}

/*
 * Every row from a synthetic argument: argsz = the struct's size, every
 * input byte 0x10 + offset, every output byte 0x80 + offset; each field
 * comes back from the right side.
 */
Test(ioctl, every_row_decodes_from_a_synthetic_argument)
{
	int i, k;

	for (i = 0; i < ioctl_ntable; i++) {
		const struct ioctl_desc *t = &ioctl_table[i];
		const struct ioctl_field *f;
		struct ioctl_decoded d;
		union rec r;
		int n = 0;

		make(&r, t->cmd, first_layer(t->layers));
		for (k = 0; k < ITR_IOCTL_ARG_LEN; k++) {
			r.ioctl.arg_in[k] = 0x10 + k;
			r.ioctl.arg_out[k] = 0x80 + k;
		}
		if (t->arg == IOCTL_ARG_STRUCT) {
			put(r.ioctl.arg_in, 0, 4, t->size);
			put(r.ioctl.arg_out, 0, 4, t->size);
		}
		ioctl_decode(&r.ioctl, &d);
		cr_assert_eq(d.desc, t, "%s", t->name);
		cr_assert_str_eq(d.name, t->name);
		cr_assert_eq(d.status, IOCTL_OK, "%s: %s", t->name, ioctl_status_str(d.status));
		cr_assert_eq(d.have, ITR_IOCTL_ARG_LEN);
		for (f = t->fields; f && f->name; f++, n++) {
			__u64 want = 0;

			if (f->when && ((0x17161514u & f->when) != f->when)) {	/* flags at entry */
				cr_assert_not(has(&d, f->name), "%s.%s", t->name, f->name);
				n--;
				continue;
			}

			for (k = f->size - 1; k >= 0; k--)
				want = want << 8 | ((f->dir == IOCTL_IN ? 0x10 : 0x80) + f->off + k);
			if (f->off == 0 && t->arg == IOCTL_ARG_STRUCT)
				want = t->size;
			if (f->fmt == IOCTL_FMT_SDEC && f->size == 4)
				want = (__u64)(__s64)(__s32)want;
			cr_assert_eq(val(&d, f->name), want, "%s.%s: 0x%llx", t->name, f->name,
				     (unsigned long long)val(&d, f->name));
		}
		cr_assert_eq(d.n, n, "%s", t->name);
		cr_assert_eq(d.has_str, t->arg == IOCTL_ARG_STRING, "%s", t->name);
	}
}

/* The fields of the commands users care about, by name and direction. */
Test(ioctl, fields_of_the_commands_that_matter)
{
	static const struct {
		__u32 cmd, layer;
		const char *fields;	/* "name:dir ..." in struct order; dir i, o, io */
	} want[] = {
		{ VFIO_GET_API_VERSION, ITR_LAYER_VFIO_CONTAINER, "" },
		{ VFIO_CHECK_EXTENSION, ITR_LAYER_VFIO_CONTAINER, "" },
		{ VFIO_SET_IOMMU, ITR_LAYER_VFIO_CONTAINER, "" },
		{ VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_CONTAINER,
		  "argsz:i flags:i vaddr:i iova:i size:i" },
		{ VFIO_IOMMU_UNMAP_DMA, ITR_LAYER_VFIO_CONTAINER, "argsz:i flags:i iova:i size:io" },
		{ VFIO_IOMMU_DIRTY_PAGES, ITR_LAYER_VFIO_CONTAINER, "argsz:i flags:i" },
		{ VFIO_IOMMU_GET_INFO, ITR_LAYER_VFIO_CONTAINER, "argsz:i flags:o iova_pgsizes:o" },
		{ VFIO_GROUP_GET_STATUS, ITR_LAYER_VFIO_GROUP, "argsz:i flags:o" },
		{ VFIO_GROUP_SET_CONTAINER, ITR_LAYER_VFIO_GROUP, "container_fd:i" },
		{ VFIO_GROUP_UNSET_CONTAINER, ITR_LAYER_VFIO_GROUP, "" },
		{ VFIO_GROUP_GET_DEVICE_FD, ITR_LAYER_VFIO_GROUP, "" },
		{ VFIO_DEVICE_GET_INFO, ITR_LAYER_VFIO_DEVICE,
		  "argsz:i flags:o num_regions:o num_irqs:o" },
		{ VFIO_DEVICE_GET_REGION_INFO, ITR_LAYER_VFIO_DEVICE,
		  "argsz:i flags:o index:i size:o offset:o" },
		{ VFIO_DEVICE_BIND_IOMMUFD, ITR_LAYER_VFIO_DEVICE,
		  "argsz:i flags:i iommufd:i out_devid:o" },
		{ VFIO_DEVICE_ATTACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE,
		  "argsz:i flags:i pt_id:io pasid:i" },
		{ VFIO_DEVICE_DETACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE, "argsz:i flags:i pasid:i" },
		{ IOMMU_IOAS_ALLOC, ITR_LAYER_IOMMUFD, "size:i flags:i out_ioas_id:o" },
		{ IOMMU_IOAS_MAP, ITR_LAYER_IOMMUFD,
		  "size:i flags:i ioas_id:i user_va:i length:i iova:io" },
		{ IOMMU_IOAS_UNMAP, ITR_LAYER_IOMMUFD, "size:i ioas_id:i iova:i length:io" },
		{ IOMMU_IOAS_COPY, ITR_LAYER_IOMMUFD,
		  "size:i flags:i dst_ioas_id:i src_ioas_id:i length:i dst_iova:io src_iova:i" },
		{ IOMMU_IOAS_IOVA_RANGES, ITR_LAYER_IOMMUFD,
		  "size:i ioas_id:i num_iovas:io out_iova_alignment:o" },
		{ IOMMU_HWPT_ALLOC, ITR_LAYER_IOMMUFD,
		  "size:i flags:i dev_id:i pt_id:i out_hwpt_id:o data_type:i" },
		{ IOMMU_DESTROY, ITR_LAYER_IOMMUFD, "size:i id:i" },
		{ IOMMU_VFIO_IOAS, ITR_LAYER_IOMMUFD, "size:i ioas_id:io op:i" },
		{ IOMMU_OPTION, ITR_LAYER_IOMMUFD, "size:i option_id:i op:i object_id:i val64:io" },
		{ IOMMU_GET_HW_INFO, ITR_LAYER_IOMMUFD,
		  "size:i flags:i dev_id:i data_len:io out_data_type:o out_capabilities:o" },
	};
	static const char *const dirs[] = { "", "i", "o", "io" };
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ioctl_desc *d = ioctl_lookup(want[i].cmd, want[i].layer);
		const struct ioctl_field *f;
		char got[256] = "";
		size_t off = 0;

		cr_assert_not_null(d, "cmd 0x%x", want[i].cmd);
		cr_assert(d->layers & (1u << want[i].layer), "%s", d->name);
		for (f = d->fields; f && f->name; f++)
			off += snprintf(got + off, sizeof(got) - off, "%s%s:%s", off ? " " : "",
					f->name, dirs[f->dir]);
		cr_assert_str_eq(got, want[i].fields, "%s", d->name);
	}
	/* The kernel's minimum sizes (offsetofend of the last required field). */
	cr_assert_eq(ioctl_lookup(VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_CONTAINER)->min, 32);
	cr_assert_eq(ioctl_lookup(VFIO_IOMMU_UNMAP_DMA, ITR_LAYER_VFIO_CONTAINER)->min, 24);
	cr_assert_eq(ioctl_lookup(VFIO_DEVICE_ATTACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE)->min, 12);
	cr_assert_eq(ioctl_lookup(VFIO_DEVICE_BIND_IOMMUFD, ITR_LAYER_VFIO_DEVICE)->min, 16);
	cr_assert_eq(ioctl_lookup(IOMMU_IOAS_MAP, ITR_LAYER_IOMMUFD)->min, 40);
	cr_assert_eq(ioctl_lookup(IOMMU_HWPT_ALLOC, ITR_LAYER_IOMMUFD)->min, 24);
	cr_assert_eq(ioctl_lookup(IOMMU_GET_HW_INFO, ITR_LAYER_IOMMUFD)->min, 32);
}

Test(ioctl, ioas_map_in_and_out)
{
	struct ioctl_decoded d;
	union rec r;

	make(&r, IOMMU_IOAS_MAP, ITR_LAYER_IOMMUFD);
	put(r.ioctl.arg_in, 0, 4, sizeof(struct iommu_ioas_map));
	put(r.ioctl.arg_in, 8, 4, 3);				/* ioas_id */
	put(r.ioctl.arg_in, 16, 8, 0x7f0000000000ULL);		/* user_va */
	put(r.ioctl.arg_in, 24, 8, 4096);			/* length */
	memcpy(r.ioctl.arg_out, r.ioctl.arg_in, 40);
	put(r.ioctl.arg_out, 32, 8, 0x100000);			/* iova: the kernel's choice */
	r.ioctl.arg_len = 40;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_OK);
	cr_assert_eq(val(&d, "ioas_id"), 3);
	cr_assert_eq(val(&d, "user_va"), 0x7f0000000000ULL);
	cr_assert_eq(val(&d, "length"), 4096);
	cr_assert_eq(val(&d, "iova"), 0x100000);
	/* A failed ioctl: no outputs, in/out fields as they went in. */
	r.h.ret = -EINVAL;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(val(&d, "iova"), 0);
	make(&r, IOMMU_IOAS_ALLOC, ITR_LAYER_IOMMUFD);
	put(r.ioctl.arg_in, 0, 4, 12);
	put(r.ioctl.arg_out, 0, 4, 12);
	put(r.ioctl.arg_out, 8, 4, 7);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(val(&d, "out_ioas_id"), 7);
	r.h.ret = -ENOMEM;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_not(has(&d, "out_ioas_id"));
	cr_assert_eq(d.n, 2);
}

Test(ioctl, unknown_command)
{
	struct ioctl_decoded d;
	union rec r;

	make(&r, 0xc0de3bff, ITR_LAYER_IOMMUFD);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_null(d.desc);
	cr_assert_eq(d.status, IOCTL_UNKNOWN);
	cr_assert_str_eq(d.name, "0xc0de3bff");
	cr_assert_eq(d.n, 0);
	cr_assert_str_eq(ioctl_status_str(d.status), "unknown");
}

/* Fewer bytes than needed: "short", and only the fields that fit. */
Test(ioctl, short_argument)
{
	struct ioctl_decoded d;
	union rec r;

	make(&r, IOMMU_IOAS_MAP, ITR_LAYER_IOMMUFD);
	memset(r.ioctl.arg_in, 0xee, sizeof(r.ioctl.arg_in));	/* beyond arg_len: never read */
	memset(r.ioctl.arg_out, 0xee, sizeof(r.ioctl.arg_out));
	put(r.ioctl.arg_in, 0, 4, 40);
	put(r.ioctl.arg_in, 4, 4, 0);
	put(r.ioctl.arg_in, 8, 4, 3);
	r.ioctl.arg_len = 12;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_SHORT);
	cr_assert_str_eq(ioctl_status_str(d.status), "short");
	cr_assert_eq(d.have, 12);
	cr_assert_eq(d.need, 40);
	cr_assert_eq(d.n, 3);
	cr_assert_eq(val(&d, "ioas_id"), 3);
	cr_assert_not(has(&d, "user_va"));
	cr_assert_not(has(&d, "iova"));
	/* not even argsz */
	r.ioctl.arg_len = 3;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_SHORT);
	cr_assert_eq(d.n, 0);
	r.ioctl.arg_len = 0;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_SHORT);
	cr_assert_eq(d.have, 0);
	/* a pointer to an fd: 4 bytes needed */
	make(&r, VFIO_GROUP_SET_CONTAINER, ITR_LAYER_VFIO_GROUP);
	put(r.ioctl.arg_in, 0, 4, 5);
	r.ioctl.arg_len = 2;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_SHORT);
	cr_assert_eq(d.n, 0);
	r.ioctl.arg_len = 4;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_OK);
	cr_assert_eq(val(&d, "container_fd"), 5);
}

/* argsz below the kernel's minimum: "malformed"; fields past argsz absent. */
Test(ioctl, malformed_argsz)
{
	struct ioctl_decoded d;
	union rec r;

	make(&r, VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_CONTAINER);
	put(r.ioctl.arg_in, 0, 4, 16);
	put(r.ioctl.arg_in, 8, 8, 0x7f0000000000ULL);
	put(r.ioctl.arg_in, 16, 8, 0x100000);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_MALFORMED);
	cr_assert_str_eq(ioctl_status_str(d.status), "malformed");
	cr_assert_eq(val(&d, "argsz"), 16);
	cr_assert_eq(val(&d, "vaddr"), 0x7f0000000000ULL);
	cr_assert_not(has(&d, "iova"));	/* the caller did not pass it */
	put(r.ioctl.arg_in, 0, 4, 0);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_MALFORMED);
	cr_assert_eq(d.n, 1);
	/* Exactly the minimum is fine; an optional field past argsz is absent. */
	make(&r, VFIO_DEVICE_ATTACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE);
	put(r.ioctl.arg_in, 0, 4, 12);
	put(r.ioctl.arg_in, 8, 4, 2);
	put(r.ioctl.arg_in, 12, 4, 9);
	put(r.ioctl.arg_out, 0, 4, 12);
	put(r.ioctl.arg_out, 8, 4, 4);	/* the kernel's answer: hwpt 4 */
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_OK);
	cr_assert_eq(val(&d, "pt_id"), 4);
	cr_assert_not(has(&d, "pasid"));
	/* pasid: with VFIO_DEVICE_ATTACH_PASID only (the kernel ignores it otherwise) */
	put(r.ioctl.arg_in, 0, 4, 16);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_not(has(&d, "pasid"));
	put(r.ioctl.arg_in, 4, 4, VFIO_DEVICE_ATTACH_PASID);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(val(&d, "pasid"), 9);
	put(r.ioctl.arg_in, 0, 4, 11);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.status, IOCTL_MALFORMED);
}

/* A record claiming more than ITR_IOCTL_ARG_LEN bytes: clamped. */
Test(ioctl, arg_len_beyond_64_is_clamped)
{
	struct ioctl_decoded d;
	union rec r;

	make(&r, VFIO_GROUP_GET_DEVICE_FD, ITR_LAYER_VFIO_GROUP);
	memset(r.ioctl.arg_in, 'x', sizeof(r.ioctl.arg_in));	/* no NUL in 64 bytes */
	r.ioctl.arg_len = 4096;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.have, ITR_IOCTL_ARG_LEN);
	cr_assert_eq(d.status, IOCTL_OK);
	cr_assert(d.has_str);
	cr_assert_eq(strlen(d.str), ITR_IOCTL_ARG_LEN);
	make(&r, IOMMU_HWPT_ALLOC, ITR_LAYER_IOMMUFD);
	put(r.ioctl.arg_in, 0, 4, 0xffffffff);	/* a huge argsz is not a reason to read on */
	r.ioctl.arg_len = ~0u;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_eq(d.have, ITR_IOCTL_ARG_LEN);
	cr_assert_eq(d.status, IOCTL_OK);
	cr_assert_eq(d.n, 6);
}

Test(ioctl, string_and_value_arguments)
{
	struct ioctl_decoded d;
	union rec r;

	make(&r, VFIO_GROUP_GET_DEVICE_FD, ITR_LAYER_VFIO_GROUP);
	strcpy((char *)r.ioctl.arg_in, "0000:00:06.0");
	memset(r.ioctl.arg_in + 13, 'z', 20);
	ioctl_decode(&r.ioctl, &d);
	cr_assert_str_eq(d.str, "0000:00:06.0");
	r.ioctl.arg_len = 4;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_str_eq(d.str, "0000");
	/* SET_IOMMU's argument is the type itself: BPF cannot read it, nothing to decode */
	make(&r, VFIO_SET_IOMMU, ITR_LAYER_VFIO_CONTAINER);
	r.ioctl.arg_len = 0;
	ioctl_decode(&r.ioctl, &d);
	cr_assert_str_eq(d.name, "VFIO_SET_IOMMU");
	cr_assert_eq(d.status, IOCTL_OK);
	cr_assert_eq(d.n, 0);
	cr_assert_not(d.has_str);
}

static json_object *json_of(union rec *r, char **line)
{
	struct itr_event ev;
	char why[160], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_object *o;

	cr_assert_eq(event_decode(r, r->h.size, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(json_event(f, &ev), 0);
	fclose(f);
	o = json_tokener_parse(buf);
	cr_assert_not_null(o, "%s", buf);
	*line = buf;
	return o;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\" in %s", key,
		  json_object_to_json_string(o));
	return v;
}

Test(ioctl, json_parses_back)
{
	json_object *o, *args;
	union rec r;
	char *line;

	make(&r, IOMMU_HWPT_ALLOC, ITR_LAYER_IOMMUFD);
	put(r.ioctl.arg_in, 0, 4, sizeof(struct iommu_hwpt_alloc));
	put(r.ioctl.arg_in, 8, 4, 1);		/* dev_id */
	put(r.ioctl.arg_in, 12, 4, 2);		/* pt_id */
	memcpy(r.ioctl.arg_out, r.ioctl.arg_in, 64);
	put(r.ioctl.arg_out, 16, 4, 4);		/* out_hwpt_id */
	o = json_of(&r, &line);
	cr_assert_str_eq(json_object_get_string(get(o, "kind")), "ioctl");
	cr_assert_str_eq(json_object_get_string(get(o, "ioctl")), "IOMMU_HWPT_ALLOC");
	cr_assert_str_eq(json_object_get_string(get(o, "layer")), "iommufd");
	cr_assert_eq(json_object_get_int(get(o, "fd")), 3);
	cr_assert_str_eq(json_object_get_string(get(o, "op_id")), "0102030405060708");
	cr_assert_str_eq(json_object_get_string(get(o, "file_id")), "a1a2a3a4a5a6a7a8");
	cr_assert_str_eq(json_object_get_string(get(o, "decode")), "ok");
	cr_assert_eq(json_object_get_uint64(get(o, "latency_ns")), 2100);
	cr_assert_eq(json_object_get_uint64(get(o, "cmd")), IOMMU_HWPT_ALLOC);
	cr_assert_eq(json_object_get_uint64(get(o, "arg_len")), 64);
	cr_assert(!json_object_object_get_ex(o, "unknown", NULL), "%s", line);
	args = get(o, "args");
	cr_assert_eq(json_object_object_length(args), 6, "%s", line);
	cr_assert_eq(json_object_get_int(get(args, "dev_id")), 1);
	cr_assert_eq(json_object_get_int(get(args, "pt_id")), 2);
	cr_assert_eq(json_object_get_int(get(args, "out_hwpt_id")), 4);
	json_object_put(o);
	free(line);

	/* an fd is signed; an unknown command says so */
	make(&r, VFIO_DEVICE_BIND_IOMMUFD, ITR_LAYER_VFIO_DEVICE);
	put(r.ioctl.arg_in, 0, 4, 24);
	put(r.ioctl.arg_in, 8, 4, (__u32)-1);
	r.h.ret = -EBADF;
	o = json_of(&r, &line);
	cr_assert_eq(json_object_get_int(get(get(o, "args"), "iommufd")), -1, "%s", line);
	cr_assert(!json_object_object_get_ex(get(o, "args"), "out_devid", NULL), "%s", line);
	cr_assert_str_eq(json_object_get_string(get(o, "error")), "EBADF");
	json_object_put(o);
	free(line);
	make(&r, 0x3bff, ITR_LAYER_IOMMUFD);
	o = json_of(&r, &line);
	cr_assert_str_eq(json_object_get_string(get(o, "ioctl")), "0x00003bff");
	cr_assert_str_eq(json_object_get_string(get(o, "decode")), "unknown");
	cr_assert(json_object_get_boolean(get(o, "unknown")));
	cr_assert_eq(json_object_object_length(get(o, "args")), 0);
	json_object_put(o);
	free(line);
	make(&r, VFIO_GROUP_GET_DEVICE_FD, ITR_LAYER_VFIO_GROUP);
	strcpy((char *)r.ioctl.arg_in, "0000:00:06.0");
	r.h.ret = 7;
	o = json_of(&r, &line);
	cr_assert_str_eq(json_object_get_string(get(get(o, "args"), "name")), "0000:00:06.0");
	cr_assert_str_eq(json_object_get_string(get(o, "layer")), "vfio-group");
	json_object_put(o);
	free(line);
}

/* Records made inside an ioctl carry its context; others do not. */
Test(ioctl, json_core_records_join_their_ioctl)
{
	json_object *o;
	union rec r;
	char *line;

	rec_make(&r, ITR_EV_MAP);
	o = json_of(&r, &line);
	cr_assert(!json_object_object_get_ex(o, "op_id", NULL), "%s", line);
	cr_assert(!json_object_object_get_ex(o, "fd", NULL), "%s", line);
	json_object_put(o);
	free(line);
	r.h.ctx = (struct itr_ctx){ REC_OP_ID, REC_FILE_ID, 4, ITR_LAYER_VFIO_CONTAINER };
	o = json_of(&r, &line);
	cr_assert_str_eq(json_object_get_string(get(o, "op_id")), "0102030405060708");
	cr_assert_str_eq(json_object_get_string(get(o, "file_id")), "a1a2a3a4a5a6a7a8");
	cr_assert_eq(json_object_get_int(get(o, "fd")), 4);
	cr_assert_str_eq(json_object_get_string(get(o, "layer")), "vfio-container");
	json_object_put(o);
	free(line);
}

static const char *details(union rec *r, char *buf, size_t len)
{
	struct itr_event ev;
	char why[160];

	cr_assert_eq(event_decode(r, r->h.size, &ev, why, sizeof(why)), 0, "%s", why);
	return text_details(&ev, buf, len);
}

Test(ioctl, text_details)
{
	char b[192];
	union rec r;

	cr_assert_str_eq((rec_make(&r, ITR_EV_IOCTL), details(&r, b, sizeof(b))),
			 "IOMMU_IOAS_ALLOC fd 3 ioas 2 2.1us");
	make(&r, IOMMU_IOAS_MAP, ITR_LAYER_IOMMUFD);
	put(r.ioctl.arg_in, 0, 4, 40);
	put(r.ioctl.arg_in, 8, 4, 3);
	put(r.ioctl.arg_in, 24, 8, 4096);
	memcpy(r.ioctl.arg_out, r.ioctl.arg_in, 64);
	put(r.ioctl.arg_out, 32, 8, 0x100000);
	cr_assert_str_eq(details(&r, b, sizeof(b)), "IOMMU_IOAS_MAP fd 3 ioas 3 iova 0x100000 4KiB 2.1us");
	r.ioctl.arg_len = 12;
	r.ioctl.latency_ns = 0;
	cr_assert_str_eq(details(&r, b, sizeof(b)), "IOMMU_IOAS_MAP fd 3 ioas 3 short 12B");
	make(&r, VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_CONTAINER);
	r.h.ctx.fd = 4;
	put(r.ioctl.arg_in, 0, 4, 8);
	r.h.ret = -EINVAL;
	cr_assert_str_eq(details(&r, b, sizeof(b)), "VFIO_IOMMU_MAP_DMA fd 4 malformed 2.1us EINVAL");
	make(&r, VFIO_GROUP_GET_DEVICE_FD, ITR_LAYER_VFIO_GROUP);
	strcpy((char *)r.ioctl.arg_in, "0000:00:06.0\x1b");
	r.h.ret = 7;
	r.ioctl.latency_ns = 0;
	cr_assert_str_eq(details(&r, b, sizeof(b)), "VFIO_GROUP_GET_DEVICE_FD fd 3 0000:00:06.0? ret 7");
	make(&r, 0x3bff, ITR_LAYER_IOMMUFD);
	r.ioctl.latency_ns = 0;
	cr_assert_str_eq(details(&r, b, sizeof(b)), "0x00003bff fd 3 unknown");
	/* a core record inside an ioctl: the layer and fd it came through */
	rec_make(&r, ITR_EV_MAP);
	r.h.ctx = (struct itr_ctx){ REC_OP_ID, REC_FILE_ID, 4, ITR_LAYER_VFIO_CONTAINER };
	cr_assert_str_eq(details(&r, b, sizeof(b)),
			 "0x100000 4KiB pa 0x7c000 rw 2.1us <- vfio-container fd 4");
	rec_make(&r, ITR_EV_LOCKED);
	cr_assert_str_eq(details(&r, b, sizeof(b)), "+16 pages locked_vm 1040");
	r.locked.npages = -16;
	r.locked.locked_vm = 0;
	cr_assert_str_eq(details(&r, b, sizeof(b)), "-16 pages");
	rec_make(&r, ITR_EV_HWPT_DOMAIN);
	cr_assert_str_eq(details(&r, b, sizeof(b)), "hwpt 4 ioas 2");
}

/* ABI 7: a type1 MAP_DMA's pinned-page accounting, folded into its ioctl record */
Test(ioctl, text_details_of_folded_accounting)
{
	char b[192];
	union rec r;

	make(&r, VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_CONTAINER);
	put(r.ioctl.arg_in, 0, 4, 32);
	put(r.ioctl.arg_in, 16, 8, 0x100000);
	put(r.ioctl.arg_in, 24, 8, 4096);
	r.h.flags = ITR_F_LOCKED;
	r.ioctl.locked_npages = 1;
	r.ioctl.locked_vm = 17;
	cr_assert_str_eq(details(&r, b, sizeof(b)),
			 "VFIO_IOMMU_MAP_DMA fd 3 iova 0x100000 4KiB +1 pages locked_vm 17 2.1us");
	/* without the flag the fields are not the record's: nothing shown */
	r.h.flags = 0;
	cr_assert_str_eq(details(&r, b, sizeof(b)), "VFIO_IOMMU_MAP_DMA fd 3 iova 0x100000 4KiB 2.1us");
}

/* The text sink learns hwpt <-> domain and names HWPTs on attach lines. */
Test(ioctl, text_attach_lines_name_hwpts)
{
	struct text_sink s = { .t0_ns = REC_T0 };
	struct itr_event ev;
	char *buf = NULL, why[160];
	size_t len = 0;
	union rec r;

	s.f = open_memstream(&buf, &len);
	rec_make(&r, ITR_EV_HWPT_DOMAIN);	/* hwpt 4 is domain REC_DOMAIN_ID */
	cr_assert_eq(event_decode(&r, r.h.size, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(text_event(&s, &ev), 0);
	r.join.hwpt_id = 3;
	r.h.domain_id = REC_OLD_ID;
	text_learn(&s, &ev);	/* a record a filter dropped teaches too */
	cr_assert_eq(text_hwpt_of(&s, REC_DOMAIN_ID), 4);
	cr_assert_eq(text_hwpt_of(&s, REC_OLD_ID), 3);
	cr_assert_eq(text_hwpt_of(&s, 0), 0);
	cr_assert_eq(text_hwpt_of(NULL, REC_OLD_ID), 0);
	rec_make(&r, ITR_EV_ATTACH);
	r.h.flags = ITR_F_GROUP;
	r.h.ctx = (struct itr_ctx){ REC_OP_ID, REC_FILE_ID, 7, ITR_LAYER_VFIO_DEVICE };
	cr_assert_eq(event_decode(&r, r.h.size, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(text_event(&s, &ev), 0);
	/* a freed domain is forgotten */
	rec_make(&r, ITR_EV_DOMAIN_FREE);
	r.h.domain_id = REC_OLD_ID;
	cr_assert_eq(event_decode(&r, r.h.size, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(text_event(&s, &ev), 0);
	cr_assert_eq(text_hwpt_of(&s, REC_OLD_ID), 0);
	cr_assert_eq(text_hwpt_of(&s, REC_DOMAIN_ID), 4);
	fclose(s.f);
	cr_assert_null(strstr(buf, "hwpt 3 ioas"), "%s", buf);
	cr_assert_not_null(strstr(buf, " hwpt 4 from d:ddeeff00 DMA (hwpt 3) group "
				  "<- vfio-device fd 7\n"), "%s", buf);
	free(buf);
}
