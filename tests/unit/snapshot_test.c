// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Recorded snapshots (model_snapshot_text, docs/recording.md): all or
 * nothing, bounded before json-c parses them, only the first one loaded;
 * a crafted recording of millions of groups replays in bounded memory.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "lib/output.h"
#include "model/model.h"
#include "rec/writer.h"
#include "report/report.h"

static struct model m;
static char why[160];

static void setup(void)
{
	cr_assert_eq(model_init(&m, NULL, NULL, NULL), 0);
}

static void teardown(void)
{
	model_fini(&m);
}

TestSuite(snapshot, .init = setup, .fini = teardown);

/* {"groups":[{"id":FIRST},...]} of n groups (free it). */
static char *groups_text(size_t first, size_t n, size_t *len)
{
	char *s = NULL;
	size_t i;
	FILE *f = open_memstream(&s, len);

	cr_assert_not_null(f);
	fputs("{\"groups\":[", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s{\"id\":%zu}", i ? "," : "", first + i);
	fputs("]}", f);
	cr_assert_eq(fclose(f), 0);
	return s;
}

static int load(const char *s)
{
	return model_snapshot_text(&m, s, strlen(s), why, sizeof(why));
}

Test(snapshot, malformed_is_all_or_nothing)
{
	static const char *const bad[] = {
		"{\"groups\":[{\"id\":1,\"devices\":[{\"name\":\"0000:00:01.0\"}]},{\"id\":\"x\"}]}",
		"{\"groups\":[{\"id\":1,\"devices\":[{\"name\":\"0000:00:01.0\"},{\"driver\":\"d\"}]}]}",
		"{\"groups\":[{\"id\":1},{\"id\":2,\"reserved_regions\":[{\"start\":9,\"last\":1,\"type\":\"msi\"}]}]}",
		"{\"groups\":[{\"id\":1},{\"id\":4294967296}]}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct model fresh;

		cr_assert_eq(model_init(&fresh, NULL, NULL, NULL), 0);
		cr_assert_eq(model_snapshot_text(&fresh, bad[i], strlen(bad[i]), why, sizeof(why)),
			     -EINVAL, "%s", bad[i]);
		cr_assert_null(group_find(&fresh, 1), "a malformed snapshot's group stayed: %s", bad[i]);
		cr_assert_null(device_find(&fresh, "0000:00:01.0"));
		cr_assert_not(fresh.snapshot_taken);
		cr_assert_not_null(strstr(why, ": ignored"), "%s", why);
		model_fini(&fresh);
	}
}

Test(snapshot, groups_past_the_bound_are_refused_whole)
{
	size_t len;
	char *s = groups_text(0, MODEL_SNAP_MAX_GROUPS + 1, &len);

	cr_assert_eq(model_snapshot_text(&m, s, len, why, sizeof(why)), -E2BIG);
	cr_assert_str_eq(why, "4097 groups, at most 4096: ignored");
	cr_assert_null(group_find(&m, 0));
	free(s);
}

Test(snapshot, the_bound_itself_loads)
{
	size_t len;
	char *s = groups_text(0, MODEL_SNAP_MAX_GROUPS, &len);

	cr_assert_eq(model_snapshot_text(&m, s, len, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(m.snap_groups, MODEL_SNAP_MAX_GROUPS);
	free(s);
}

Test(snapshot, text_past_the_bounds_is_refused_before_parsing)
{
	size_t len, n = MODEL_SNAP_MAX_BYTES + 1;
	char *s = malloc(n + 1);

	memset(s, ' ', n);	/* blanks: valid JSON around a value, but too long */
	memcpy(s, "{\"groups\":[]}", 13);
	s[n] = 0;
	cr_assert_eq(model_snapshot_text(&m, s, n, why, sizeof(why)), -E2BIG);
	cr_assert_not_null(strstr(why, "bytes, at most"), "%s", why);
	free(s);
	/* many values in few bytes: counted before json-c allocates them */
	model_fini(&m);
	cr_assert_eq(model_init(&m, NULL, NULL, NULL), 0);
	s = malloc(2 * MODEL_SNAP_MAX_VALUES + 32);
	len = sprintf(s, "{\"groups\":[],\"x\":[0");
	for (n = 0; n < MODEL_SNAP_MAX_VALUES; n++)
		len += sprintf(s + len, ",0");
	len += sprintf(s + len, "]}");
	cr_assert_eq(model_snapshot_text(&m, s, len, why, sizeof(why)), -E2BIG);
	cr_assert_not_null(strstr(why, "JSON values"), "%s", why);
	free(s);
}

Test(snapshot, only_the_first_is_loaded)
{
	cr_assert_eq(load("{\"groups\":[{\"id\":1}]}"), 0, "%s", why);
	cr_assert_eq(load("{\"groups\":[{\"id\":7}]}"), -EEXIST);
	cr_assert_not_null(strstr(why, "second snapshot"), "%s", why);
	cr_assert_not_null(group_find(&m, 1));
	cr_assert_null(group_find(&m, 7));
	cr_assert_eq(m.snap_groups, 1);
}

/*
 * Six snapshot frames of a million tiny groups each (issue 14: 7.2 GB and
 * 25 s before the bounds): report within 512 MiB of address space.
 */
Test(snapshot, crafted_recording_replays_in_bounded_memory, .timeout = 60)
{
	struct rec_meta meta;
	struct rec_writer *w;
	struct replay_result res;
	struct output null;
	char path[] = "/tmp/itr-snapbomb-XXXXXX";
	size_t len;
	char *s = groups_text(0, 1000000, &len);
	int fd = mkstemp(path), err, i;

	cr_assert_geq(fd, 0);
	close(fd);
	rec_meta_now(&meta);
	w = recw_open(path, &meta, &err);
	cr_assert_not_null(w);
	for (i = 0; i < 6; i++)
		cr_assert_eq(recw_blob(w, REC_SNAPSHOT, s, len), 0);
	cr_assert_eq(recw_close(w, NULL), 0);
	free(s);
#ifndef __SANITIZE_ADDRESS__	/* ASan reserves terabytes of address space */
	{
		struct rlimit rl = { 512ul << 20, 512ul << 20 };

		cr_assert_eq(setrlimit(RLIMIT_AS, &rl), 0);
	}
#endif
	cr_assert_eq(output_open(&null, "/dev/null"), 0);
	err = report_run(path, REPORT_JSON, &null, 10, &res);
	unlink(path);
	cr_assert_eq(err, 0, "%s", res.why);
	cr_assert_eq(output_close(&null), 0);
}
