// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Gaps in the stream (user/event/lost.h). */
#include <stdio.h>
#include <string.h>
#include "event/event.h"
#include "event/lost.h"

void lost_diff(struct lost_seen *s, const struct itr_ev_lost *e, struct lost_diff *d)
{
	__u64 sum = 0;
	int k;

	memset(d, 0, sizeof(*d));
	if (e->total <= s->total)	/* a duplicate, or an older report */
		return;
	d->total = e->total - s->total;
	s->total = e->total;
	for (k = 0; k < ITR_LOST_KINDS; k++) {
		__u32 n = e->by_kind[k] - s->by_kind[k];	/* mod 2^32 */

		if (n > d->total)	/* an older count than we saw: none new */
			continue;
		d->by_kind[k] = n;
		s->by_kind[k] = e->by_kind[k];
		sum += n;
	}
	d->unknown = sum < d->total ? d->total - sum : 0;
}

const char *lost_kinds_str(const struct lost_diff *d, char *buf, size_t len)
{
	size_t n = 0;
	int k;

	buf[0] = 0;
	for (k = 0; k < ITR_LOST_KINDS; k++)
		if (d->by_kind[k])
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s %llu", n ? ", " : "",
				      kind_name(k) ?: "?", (unsigned long long)d->by_kind[k]);
	if (d->unknown)
		snprintf(buf + n, n < len ? len - n : 0, "%sof unknown kind %llu", n ? ", " : "",
			 (unsigned long long)d->unknown);
	return buf;
}
