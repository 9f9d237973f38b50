// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Log2 histograms (user/lib/hist.h). */
#include <stdbool.h>
#include "lib/hist.h"
#include "lib/jsonw.h"

int hist_slot(__u64 v)
{
	return v > 1 ? 63 - __builtin_clzll(v) : 0;
}

void hist_add(struct hist *h, __u64 v)
{
	h->slot[hist_slot(v)]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

int hist_last(const struct hist *h)
{
	int i;

	for (i = HIST_SLOTS - 1; i >= 0; i--)
		if (h->slot[i])
			return i;
	return -1;
}

void hist_range(int i, __u64 *low, __u64 *high)
{
	*low = i ? 1ULL << i : 0;
	*high = i == 63 ? ~0ULL : (2ULL << i) - 1;
}

void hist_print(FILE *f, const struct hist *h, const char *unit)
{
	int i, last = hist_last(h), narrow = last <= 32, s;
	int width = narrow ? 10 : 20, stars = narrow ? 40 : 20;
	__u64 max = 0, low, high;

	if (last < 0)
		return;
	for (i = 0; i <= last; i++)
		if (h->slot[i] > max)
			max = h->slot[i];
	fprintf(f, "%*s%-*s : count    distribution\n", narrow ? 5 : 15, "", narrow ? 19 : 29, unit);
	for (i = 0; i <= last; i++) {
		hist_range(i, &low, &high);
		fprintf(f, "%*llu -> %-*llu : %-8llu |", width, (unsigned long long)low, width,
			(unsigned long long)high, (unsigned long long)h->slot[i]);
		for (s = 0; s < stars; s++)
			fputc(s < (int)(h->slot[i] * stars / max) ? '*' : ' ', f);
		fprintf(f, "|\n");
	}
}

static void u64_or_null(json_object *o, const char *k, bool known, __u64 v)
{
	jw_obj(o, k, known ? json_object_new_uint64(v) : NULL);
}

json_object *hist_json(const struct hist *h, const char *unit)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	int i, last = hist_last(h);
	__u64 low, high;

	if (!o || !a) {
		json_object_put(o);
		json_object_put(a);
		return NULL;
	}
	jw_str(o, "unit", unit);
	jw_u64(o, "count", h->count);
	jw_u64(o, "sum", h->sum);
	u64_or_null(o, "min", h->count, h->min);
	u64_or_null(o, "max", h->count, h->max);
	for (i = 0; i <= last; i++) {
		json_object *b = json_object_new_object();

		hist_range(i, &low, &high);
		if (b) {
			jw_u64(b, "low", low);
			jw_u64(b, "high", high);
			jw_u64(b, "count", h->slot[i]);
		}
		json_object_array_add(a, b);
	}
	jw_obj(o, "buckets", a);
	return o;
}
