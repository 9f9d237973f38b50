// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "records.h"
#include "lib/fmt.h"
#include "sink/sink.h"

/* The text lines for records of these kinds, with changes applied by fix. */
static char *render(const unsigned int *kinds, int n, void (*fix)(union rec *))
{
	struct text_sink s = { .t0_ns = REC_T0 };
	struct itr_event ev;
	char *buf = NULL;
	size_t len = 0;
	union rec r;
	int i;

	s.f = open_memstream(&buf, &len);
	for (i = 0; i < n; i++) {
		rec_decode(&r, kinds[i], &ev);
		if (fix)
			fix(&r);
		cr_assert_eq(text_event(&s, &ev), 0);
	}
	fclose(s.f);
	return buf;
}

static const char *details(union rec *r, unsigned int kind, char *buf, size_t len)
{
	struct itr_event ev;

	rec_decode(r, kind, &ev);
	return text_details(&ev, buf, len);
}

Test(text, header_once_and_aligned_columns)
{
	static const char *const cols[] = { "TIME", "COMM", "PID", "KIND", "DOMAIN", "TYPE",
					    "DEV", "GROUP", "DETAILS" };
	unsigned int kinds[ITR_EV_MAX - 1];
	char *out, *line, *save = NULL, *header = NULL;
	int i, lines = 0;

	for (i = 0; i < ITR_EV_MAX - 1; i++)
		kinds[i] = i + 1;
	out = render(kinds, ITR_EV_MAX - 1, NULL);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!header) {
			header = line;
			for (i = 0; i < 9; i++)
				cr_assert_not_null(strstr(header, cols[i]), "%s in %s", cols[i], header);
			cr_assert_leq(strlen(header), 100, "%s", header);
			continue;
		}
		lines++;
		cr_assert_null(strstr(line, "TIME"), "header printed twice: %s", line);
		/* Fixed columns: KIND, DOMAIN, DEV start where their titles do. */
		cr_assert_eq(strncmp(line + (strstr(header, "KIND") - header),
				     kind_name(lines), strlen(kind_name(lines))), 0,
			     "\n%s\n%s", header, line);
		cr_assert_eq(line[strstr(header, "DOMAIN") - header - 1], ' ', "%s", line);
		/* The fixed columns take 86; lines but map_sg's fit 120. */
		cr_assert_eq(strstr(header, "DETAILS") - header, 86, "%s", header);
		if (lines != ITR_EV_MAP_SG)
			cr_assert_leq(strlen(line), 120, "wider than 120 columns:\n%s", line);
	}
	cr_assert_eq(lines, ITR_EV_MAX - 1);
	free(out);
}

Test(text, map_row)
{
	unsigned int kind = ITR_EV_MAP;
	char *out = render(&kind, 1, NULL), *row = strchr(out, '\n') + 1;

	cr_assert_str_eq(row, "0.001500   qemu-system-    4320 map           d:55667788 UNMANAGED "
			 "-                - 0x100000 4KiB pa 0x7c000 rw 2.1us\n", "%s", out);
	free(out);
}

static void set_ret_ebusy(union rec *r)
{
	r->h.ret = -EBUSY;
}

Test(text, attach_row_with_an_error)
{
	unsigned int kind = ITR_EV_ATTACH;
	char *out = render(&kind, 1, set_ret_ebusy), *row = strchr(out, '\n') + 1;

	cr_assert_str_eq(row, "0.001500   qemu-system-    4320 attach        d:55667788 UNMANAGED "
			 "0000:00:06.0     5 from d:ddeeff00 DMA EBUSY\n", "%s", out);
	free(out);
}

Test(text, map_details_units_and_partial_unmaps)
{
	char b[192];
	union rec r;

	rec_make(&r, ITR_EV_MAP);
	cr_assert_str_eq(details(&r, ITR_EV_MAP, b, sizeof(b)), "0x100000 4KiB pa 0x7c000 rw 2.1us");
	rec_make(&r, ITR_EV_UNMAP);
	r.map.size = 3 << 20;
	r.map.done = 1 << 20;
	r.map.latency_ns = 3400000;
	{
		struct itr_event ev;
		char why[64];

		cr_assert_eq(event_decode(&r, sizeof(r.map), &ev, why, sizeof(why)), 0);
		cr_assert_str_eq(text_details(&ev, b, sizeof(b)),
				 "0x100000 3MiB done 1MiB 3.4ms");
	}
	cr_assert_str_eq(details(&r, ITR_EV_MAP_SG, b, sizeof(b)),
			 "0x100000 4KiB pa 0x7c000 rw nents 2 2.1us");
	/* A buffer too small truncates, never overflows. */
	cr_assert_str_eq(details(&r, ITR_EV_MAP, b, 12), "0x100000 4K");
}

Test(text, prot_letters_and_unknown_bits)
{
	struct itr_event ev;
	char b[192];
	union rec r;

	rec_decode(&r, ITR_EV_MAP, &ev);
	r.map.prot = 0x7 | 0x80;
	r.map.latency_ns = 0;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "0x100000 4KiB pa 0x7c000 rwc+0x80");
	r.map.prot = 0;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "0x100000 4KiB pa 0x7c000 -");
}

Test(text, fmt_ns_units)
{
	char b[32];

	cr_assert_str_eq(fmt_ns(b, sizeof(b), 850), "850ns");
	cr_assert_str_eq(fmt_ns(b, sizeof(b), 2100), "2.1us");
	cr_assert_str_eq(fmt_ns(b, sizeof(b), 3400000), "3.4ms");
	cr_assert_str_eq(fmt_ns(b, sizeof(b), 1200000000), "1.20s");
}

Test(text, attach_like_details)
{
	struct itr_event ev;
	char b[192];
	union rec r;

	cr_assert_str_eq(details(&r, ITR_EV_PASID_ATTACH, b, sizeof(b)), "from d:ddeeff00 DMA pasid 3");
	rec_decode(&r, ITR_EV_ATTACH, &ev);
	r.attach.old_domain_id = 0;
	r.attach.is_default = 1;
	r.h.flags = ITR_F_GROUP;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "from - default group");
	r.h.ret = -524;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "from - default group ENOTSUPP");
	r.h.flags |= ITR_F_NO_RET;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "from - default group");
}

Test(text, domain_group_and_fault_details)
{
	struct itr_event ev;
	char b[192];
	union rec r;

	cr_assert_str_eq(details(&r, ITR_EV_DOMAIN_ALLOC, b, sizeof(b)),
			 "pgsizes 4K,2M,1G aperture 48-bit");
	rec_decode(&r, ITR_EV_DOMAIN_FREE, &ev);
	r.domain.pgsize_bitmap = ~0xfffULL;
	r.domain.aperture_start = 0x1000;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)),
			 "pgsizes 4K..8E(52) aperture 0x1000-0xffffffffffff");
	r.domain.aperture_start = 0;
	r.domain.aperture_end = ~0ULL;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "pgsizes 4K..8E(52) aperture 64-bit");
	rec_decode(&r, ITR_EV_DOMAIN_ALLOC, &ev);
	memset(&r.domain.pgsize_bitmap, 0, 24);
	r.h.domain_id = 0;
	r.h.ret = -ENOMEM;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "ENOMEM");
	cr_assert_str_eq(details(&r, ITR_EV_GROUP_ADD, b, sizeof(b)), "");
	rec_decode(&r, ITR_EV_OPEN, &ev);
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "open fd 7");
	/* from VFIO_GROUP_GET_DEVICE_FD: the context is the new file's, no "<-" */
	r.h.ctx.op_id = REC_OP_ID;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "open fd 7");
	r.h.ret = -EBUSY;
	r.h.ctx.fd = -1;
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "open fd -1 EBUSY");
	r.h.ret = INT_MIN;	/* a crafted recording's: no overflow negating it */
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "open fd -1 E2147483648");
	r.h.ret = -EBUSY;
	cr_assert_str_eq(details(&r, ITR_EV_CLOSE, b, sizeof(b)), "close");
	rec_decode(&r, ITR_EV_OPEN, &ev);
	rec_container(&r);
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "open fd 5");
	cr_assert_str_eq(details(&r, ITR_EV_UNBIND, b, sizeof(b)), "unbind dev 3");
	/* inside IOMMU_DESTROY (a selftest mock device): the ioctl it came through */
	rec_decode(&r, ITR_EV_UNBIND, &ev);
	r.h.ctx = (struct itr_ctx){ REC_OP_ID, REC_FILE_ID, 3, ITR_LAYER_IOMMUFD };
	cr_assert_str_eq(text_details(&ev, b, sizeof(b)), "unbind dev 3 <- iommufd fd 3");
	cr_assert_str_eq(details(&r, ITR_EV_FAULT, b, sizeof(b)), "iova 0xdead000 write dmar reason 6");
}

static void odd_strings(union rec *r)
{
	memcpy(r->h.comm, "a\tb\x1b[31m\xff", 10);
	r->h.dev[0] = '\0';
	r->h.domain_id = 0;
	r->h.group_id = -1;
}

Test(text, odd_bytes_and_missing_fields)
{
	unsigned int kind = ITR_EV_GROUP_ADD;
	char *out = render(&kind, 1, odd_strings), *row = strchr(out, '\n') + 1;

	cr_assert_str_eq(row, "0.001500   a?b?[31m?       4320 group_add     -          -         "
			 "-                - \n", "%s", out);
	free(out);
}
