// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording source (user/replay.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "rec/reader.h"
#include "source/replay.h"

int replay_run(const char *path, const struct replay_ops *ops, struct replay_result *res)
{
	struct rec_reader *r;
	struct rec_item it;
	int err = 0, n;

	memset(res, 0, sizeof(*res));
	r = recr_open(path, &err, res->why, sizeof(res->why));
	if (!r)
		return err;
	res->mono_ns = recr_meta(r)->mono_ns;
	snprintf(res->release, sizeof(res->release), "%s", recr_meta(r)->release);
	while ((n = recr_next(r, &it)) > 0) {
		if (it.type == REC_EVENTS) {
			res->records++;
			if (ops->event)
				err = ops->event(ops->arg, &it.ev);
			else
				err = ops->record ? ops->record(ops->arg, it.data, it.len) : 0;
		} else if (it.type == REC_SNAPSHOT && ops->snapshot) {
			err = ops->snapshot(ops->arg, it.data, it.len);
		}
		if (err)
			break;
	}
	if (!err && n < 0)
		err = n;
	if (recr_counters(r)) {
		res->counters = *recr_counters(r);
		res->counters_ok = true;
	}
	res->clean_end = recr_clean_end(r);
	if (!res->why[0] || err)
		snprintf(res->why, sizeof(res->why), "%s", recr_why(r));
	recr_close(r);
	return err;
}
