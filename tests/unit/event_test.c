// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "event/event.h"
#include "records.h"

static const struct {
	const char *what;
	const struct itr_name *t;
	const int *n;
} tables[] = {
	{ "kinds", itr_kind_names, &itr_nkind_names },
	{ "domain types", itr_domain_type_names, &itr_ndomain_type_names },
	{ "prot", itr_prot_names, &itr_nprot_names },
	{ "fault sources", itr_fault_source_names, &itr_nfault_source_names },
	{ "flags", itr_flag_names, &itr_nflag_names },
	{ "layers", itr_layer_names, &itr_nlayer_names },
};

Test(event, tables_are_sorted_unique_and_reversible)
{
	unsigned int i, v;
	int j, k;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		const struct itr_name *t = tables[i].t;
		int n = *tables[i].n;

		cr_assert_gt(n, 0, "%s", tables[i].what);
		for (j = 0; j < n; j++) {
			if (j)
				cr_assert_lt(t[j - 1].value, t[j].value, "%s: %s before %s",
					     tables[i].what, t[j - 1].name, t[j].name);
			for (k = 0; k < j; k++)
				cr_assert_str_neq(t[j].name, t[k].name, "%s", tables[i].what);
			cr_assert_str_eq(name_of(t, n, t[j].value), t[j].name);
			cr_assert_eq(value_of(t, n, t[j].name, &v), 0, "%s", t[j].name);
			cr_assert_eq(v, t[j].value);
		}
		cr_assert_eq(value_of(t, n, "no-such-name", &v), -ENOENT);
	}
}

Test(event, every_kind_has_a_name)
{
	unsigned int k;

	cr_assert_eq(itr_nkind_names, ITR_EV_MAX - 1);
	for (k = 1; k < ITR_EV_MAX; k++)
		cr_assert_not_null(kind_name(k), "kind %u", k);
	cr_assert_null(kind_name(0));
	cr_assert_null(kind_name(ITR_EV_MAX));
	cr_assert_str_eq(kind_name(ITR_EV_MAP), "map");
	cr_assert_str_eq(kind_name(ITR_EV_PASID_ATTACH), "pasid_attach");
	cr_assert_str_eq(kind_name(ITR_EV_IOCTL), "ioctl");
	cr_assert_str_eq(kind_name(ITR_EV_LOCKED), "locked");
	cr_assert_str_eq(kind_name(ITR_EV_HWPT_DOMAIN), "hwpt_domain");
	cr_assert_str_eq(kind_name(ITR_EV_OPEN), "open");
	cr_assert_str_eq(kind_name(ITR_EV_UNBIND), "unbind");
	cr_assert_str_eq(kind_name(ITR_EV_CLOSE), "close");
}

Test(event, reverse_lookup_ignores_case)
{
	unsigned int v;

	cr_assert_eq(value_of(itr_domain_type_names, itr_ndomain_type_names, "dma_fq", &v), 0);
	cr_assert_eq(v, ITR_DOM_DMA_FQ);
	cr_assert_eq(value_of(itr_kind_names, itr_nkind_names, "UNMAP", &v), 0);
	cr_assert_eq(v, ITR_EV_UNMAP);
}

Test(event, names_of_values)
{
	char b[64];

	cr_assert_str_eq(domain_type_str(ITR_DOM_DMA, b, sizeof(b)), "DMA");
	cr_assert_str_eq(domain_type_str(ITR_DOM_BLOCKED, b, sizeof(b)), "BLOCKED");
	cr_assert_str_eq(domain_type_str(0x5, b, sizeof(b)), "0x5");
	cr_assert_str_eq(fault_source_str(ITR_FAULT_DMAR, b, sizeof(b)), "dmar");
	cr_assert_str_eq(fault_source_str(9, b, sizeof(b)), "0x9");
	cr_assert_str_eq(errno_str(EINVAL, b, sizeof(b)), "EINVAL");
	cr_assert_str_eq(errno_str(524, b, sizeof(b)), "ENOTSUPP");
	cr_assert_str_eq(errno_str(517, b, sizeof(b)), "EPROBE_DEFER");
	cr_assert_str_eq(errno_str(9999, b, sizeof(b)), "E9999");
	cr_assert_str_eq(layer_str(ITR_LAYER_VFIO_CONTAINER, b, sizeof(b)), "vfio-container");
	cr_assert_str_eq(layer_str(ITR_LAYER_VFIO_GROUP, b, sizeof(b)), "vfio-group");
	cr_assert_str_eq(layer_str(ITR_LAYER_VFIO_DEVICE, b, sizeof(b)), "vfio-device");
	cr_assert_str_eq(layer_str(ITR_LAYER_IOMMUFD, b, sizeof(b)), "iommufd");
	cr_assert_str_eq(layer_str(9, b, sizeof(b)), "0x9");
	cr_assert_str_eq(bits_str(itr_prot_names, itr_nprot_names, 0x43, ",", b, sizeof(b)),
			 "read,write,0x40");
	cr_assert_str_eq(bits_str(itr_prot_names, itr_nprot_names, 0, ",", b, sizeof(b)), "");
	cr_assert_str_eq(bits_str(itr_flag_names, itr_nflag_names, ITR_F_GROUP | ITR_F_FROM_TP,
				  "|", b, sizeof(b)), "from_tp|group");
	cr_assert_str_eq(bits_str(itr_prot_names, itr_nprot_names, 0x3f, ",", b, 8), "read,wr");
}

Test(event, decodes_every_kind)
{
	static const enum itr_shape want[ITR_EV_MAX] = {
		[ITR_EV_DOMAIN_ALLOC] = ITR_SHAPE_DOMAIN,
		[ITR_EV_DOMAIN_FREE] = ITR_SHAPE_DOMAIN,
		[ITR_EV_ATTACH ... ITR_EV_PASID_REPLACE] = ITR_SHAPE_ATTACH,
		[ITR_EV_MAP ... ITR_EV_UNMAP_FAST] = ITR_SHAPE_MAP,
		[ITR_EV_GROUP_ADD ... ITR_EV_GROUP_REMOVE] = ITR_SHAPE_GROUP,
		[ITR_EV_FAULT] = ITR_SHAPE_FAULT,
		[ITR_EV_IOCTL] = ITR_SHAPE_IOCTL,
		[ITR_EV_LOCKED] = ITR_SHAPE_LOCKED,
		[ITR_EV_HWPT_DOMAIN] = ITR_SHAPE_JOIN,
		[ITR_EV_OPEN ... ITR_EV_CLOSE] = ITR_SHAPE_FILE,
		[ITR_EV_UNBIND] = ITR_SHAPE_UNBIND,
		[ITR_EV_LOST] = ITR_SHAPE_LOST,
	};
	struct itr_event ev;
	union rec r;
	unsigned int k;

	for (k = 1; k < ITR_EV_MAX; k++) {
		rec_decode(&r, k, &ev);
		cr_assert_eq(ev.kind, k);
		cr_assert_eq(ev.shape, want[k], "%s", kind_name(k));
		cr_assert_eq(ev.h, &r.h);
		cr_assert_eq(ev.payload, (void *)&r);
	}
	rec_decode(&r, ITR_EV_MAP, &ev);
	cr_assert_eq(ev.map->iova, 0x100000);
	rec_decode(&r, ITR_EV_FAULT, &ev);
	cr_assert_eq(ev.fault->source, ITR_FAULT_DMAR);
	rec_decode(&r, ITR_EV_IOCTL, &ev);
	cr_assert_eq(ev.ioctl->cmd, REC_IOAS_ALLOC);
	cr_assert_eq(ev.h->ctx.fd, 3);
	rec_decode(&r, ITR_EV_LOCKED, &ev);
	cr_assert_eq(ev.locked->npages, 16);
	rec_decode(&r, ITR_EV_HWPT_DOMAIN, &ev);
	cr_assert_eq(ev.join->hwpt_id, 4);
	rec_decode(&r, ITR_EV_OPEN, &ev);
	cr_assert_eq(ev.file, (void *)&r);
	cr_assert_eq(ev.h->ctx.fd, 7);
	cr_assert_eq(ev.h->ctx.layer, ITR_LAYER_VFIO_DEVICE);
	rec_decode(&r, ITR_EV_UNBIND, &ev);
	cr_assert_eq(ev.unbind->dev_id, 3);
}

Test(event, every_kind_has_its_size_in_the_abi)
{
	union rec r;
	unsigned int k;

	for (k = 1; k < ITR_EV_MAX; k++)
		cr_assert_eq(itr_kind_size(k), rec_make(&r, k), "%s", kind_name(k));
	cr_assert_eq(itr_kind_size(0), 0);
	cr_assert_eq(itr_kind_size(ITR_EV_MAX), 0);
	cr_assert_eq(itr_kind_size(0xffff), 0);
}

static int decode(const union rec *r, size_t size, char *why)
{
	struct itr_event ev;

	return event_decode(r, size, &ev, why, 160);
}

Test(event, rejects_unknown_kinds)
{
	unsigned int bad[] = { 0, ITR_EV_MAX, 999, 0xffff };
	char why[160];
	union rec r;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = rec_make(&r, bad[i]);

		cr_assert_eq(decode(&r, n, why), -EBADMSG, "kind %u", bad[i]);
		cr_assert_not_null(strstr(why, "unknown kind"), "%s", why);
	}
}

Test(event, rejects_short_records)
{
	char why[160];
	union rec r;
	unsigned int k;

	rec_make(&r, ITR_EV_MAP);
	cr_assert_eq(decode(&r, 0, why), -EBADMSG);
	cr_assert_eq(decode(&r, sizeof(struct itr_hdr) - 1, why), -EBADMSG);
	cr_assert_not_null(strstr(why, "shorter than a header"), "%s", why);
	/* Every kind with a payload: a record one field short of its struct. */
	for (k = 1; k < ITR_EV_MAX; k++) {
		size_t n = rec_make(&r, k);

		if (n == sizeof(struct itr_hdr))
			continue;
		r.h.size = n - 8;
		cr_assert_eq(decode(&r, n - 8, why), -EBADMSG, "%s", kind_name(k));
		cr_assert_not_null(strstr(why, "shorter than its struct"), "%s", why);
	}
}

/* Old recordings: an ABI 6 ioctl record (16 bytes shorter, nothing folded) is read. */
Test(event, reads_abi6_ioctl_records)
{
	struct itr_event ev;
	char why[160];
	union rec r;

	rec_make(&r, ITR_EV_IOCTL);
	r.h.size = ITR_IOCTL_ABI6_SIZE;
	cr_assert_eq(event_decode(&r, ITR_IOCTL_ABI6_SIZE, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(ev.ioctl->cmd, REC_IOAS_ALLOC);
	cr_assert_eq(ev.io.status, IOCTL_OK);
	/* ... but one that says it carries folded accounting must hold it */
	r.h.flags = ITR_F_LOCKED;
	cr_assert_eq(decode(&r, ITR_IOCTL_ABI6_SIZE, why), -EBADMSG);
	cr_assert_not_null(strstr(why, "shorter than its struct"), "%s", why);
	/* and any other length short of ABI 7's is refused */
	r.h.flags = 0;
	r.h.size = ITR_IOCTL_ABI6_SIZE + 8;
	cr_assert_eq(decode(&r, ITR_IOCTL_ABI6_SIZE + 8, why), -EBADMSG);
}

Test(event, rejects_a_size_field_that_disagrees)
{
	char why[160];
	union rec r;
	size_t n = rec_make(&r, ITR_EV_ATTACH);

	r.h.size = n + 8;
	cr_assert_eq(decode(&r, n, why), -EBADMSG);
	cr_assert_str_eq(why, "attach record of 152 bytes says its size is 160");
	r.h.size = 0;
	cr_assert_eq(decode(&r, n, why), -EBADMSG);
}

Test(event, accepts_longer_records_of_a_newer_abi)
{
	struct itr_event ev;
	char why[160];
	union rec r;

	rec_make(&r, ITR_EV_GROUP_ADD);
	r.h.size = 128;
	cr_assert_eq(event_decode(&r, 128, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(ev.kind, ITR_EV_GROUP_ADD);
}

Test(event, rejects_misaligned_records)
{
	__u64 buf[40];
	char why[160];
	union rec r;
	size_t n = rec_make(&r, ITR_EV_GROUP_ADD);

	memcpy((char *)buf + 4, &r, n);
	cr_assert_eq(decode((const union rec *)((char *)buf + 4), n, why), -EINVAL);
	cr_assert_not_null(strstr(why, "aligned"), "%s", why);
}

/* A crafted record whose strings run to their end (found by the replay fuzzer). */
Test(event, rejects_unterminated_strings)
{
	char why[160];
	union rec r;
	size_t n = rec_make(&r, ITR_EV_ATTACH);

	memset(r.h.dev, 'a', ITR_DEV_LEN);
	cr_assert_eq(decode(&r, n, why), -EBADMSG);
	cr_assert_str_eq(why, "attach record: its device name is not NUL-terminated");
	rec_make(&r, ITR_EV_ATTACH);
	memset(r.h.comm, 'b', ITR_COMM_LEN);
	cr_assert_eq(decode(&r, n, why), -EBADMSG);
	cr_assert_str_eq(why, "attach record: its comm is not NUL-terminated");
}
