// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Report rows under address reuse (issue 14, defect 10): the kernel hands a
 * freed domain's address to the next domain; each life is its own row,
 * with its own type and sums, never the dead one's.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "lib/output.h"
#include "rec/writer.h"
#include "records.h"
#include "report/report.h"

#define D	0xffff888012345000ULL

static void put(struct rec_writer *w, unsigned int kind, __u32 type, __u64 iova)
{
	union rec r;
	size_t n = rec_make(&r, kind);

	r.h.domain_id = D;
	r.h.domain_type = type;
	r.h.ret = 0;
	if (kind == ITR_EV_MAP) {
		r.map.iova = iova;
		r.map.size = r.map.done = 4096;
	}
	cr_assert_eq(recw_event(w, &r, n), 0);
}

Test(report_rows, each_life_of_a_reused_address_is_a_row)
{
	char path[] = "/tmp/itr-rows-XXXXXX";
	const struct report_domain *d;
	struct rec_writer *w;
	struct rec_meta meta;
	struct output null;
	struct report r;
	int fd = mkstemp(path), err;

	cr_assert_geq(fd, 0);
	close(fd);
	rec_meta_now(&meta);
	w = recw_open(path, &meta, &err);
	cr_assert_not_null(w);
	put(w, ITR_EV_DOMAIN_ALLOC, ITR_DOM_NESTED, 0);
	put(w, ITR_EV_DOMAIN_FREE, ITR_DOM_NESTED, 0);
	put(w, ITR_EV_DOMAIN_ALLOC, ITR_DOM_UNMANAGED, 0);	/* the address again */
	put(w, ITR_EV_MAP, ITR_DOM_UNMANAGED, 0x1000);
	put(w, ITR_EV_MAP, ITR_DOM_UNMANAGED, 0x2000);
	cr_assert_eq(recw_close(w, NULL), 0);

	cr_assert_eq(output_open(&null, "/dev/null"), 0);
	cr_assert_eq(report_init(&r, REPORT_TEXT, &null, 10), 0);
	cr_assert_eq(report_replay(&r, path), 0, "%s", r.res.why);
	unlink(path);
	cr_assert_eq(r.ndomains, 2, "one row for two lives");
	d = report_domain_find(&r, D);	/* the live one */
	cr_assert_not_null(d);
	cr_assert_eq(d->type, ITR_DOM_UNMANAGED);
	cr_assert_eq(d->maps, 2);
	cr_assert_not(d->freed);
	report_fini(&r);
	output_close(&null);
}
