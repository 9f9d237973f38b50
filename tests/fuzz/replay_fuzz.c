// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: any bytes as a whole recording, replayed as `report` and
 * `check` do: the reader, the snapshot's JSON, the event and ioctl
 * decoders, the model, the checker, then every report format (text, JSON,
 * Chrome trace) and the live commands' stream sinks (text and JSON
 * lines, findings included). Nothing may crash, leak, overflow or loop;
 * the reports of a recording must not fail for any reason other than its
 * damage. Seeds: real guest recordings (tests/fuzz/corpus/replay), stored
 * uncompressed in short windows by replay_seed.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "pipeline.h"
#include "report/report.h"
#include "source/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

/* The input as a file that replay_run() opens by name. */
static int as_file(const uint8_t *data, size_t size)
{
	static int fd = -1;

	if (fd < 0) {
		fd = memfd_create("replay-fuzz", 0);
		assert(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	assert(!ftruncate(fd, 0));
	assert(pwrite(fd, data, size, 0) == (ssize_t)size);
	return 0;
}

/* The stream sinks of trace and monitor over the replay. */
static void streams(void)
{
	struct pipeline_opts po = { .model = true };
	struct stream_sink text, json;
	struct output to, jo;
	struct replay_result res;
	struct pipeline p;
	char *tb = NULL, *jb = NULL;
	size_t tl = 0, jl = 0;

	memset(&to, 0, sizeof(to));
	memset(&jo, 0, sizeof(jo));
	to.f = open_memstream(&tb, &tl);
	jo.f = open_memstream(&jb, &jl);
	assert(to.f && jo.f);
	if (!pipeline_init(&p, &po)) {
		struct replay_ops ops = { pipeline_snapshot, pipeline_record, &p, NULL };

		pipeline_add_sink(&p, stream_sink_init(&text, &to, STREAM_TEXT, 0, true, true));
		pipeline_add_sink(&p, stream_sink_init(&json, &jo, STREAM_JSON, 0, true, true));
		replay_run(path, &ops, &res);
		assert(pipeline_close(&p) == 0);
		pipeline_fini(&p);
	}
	fclose(to.f);
	fclose(jo.f);
	free(tb);
	free(jb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum report_format fmts[] = { REPORT_TEXT, REPORT_JSON, REPORT_CHROME };
	struct replay_result res;
	struct output out;
	size_t i;

	as_file(data, size);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		int err;

		memset(&out, 0, sizeof(out));
		out.f = open_memstream(&buf, &len);
		assert(out.f);
		err = report_run(path, fmts[i], &out, 3, &res);
		/* a failure is the recording's damage, and says so */
		assert(!err || err == -ENOMEM || res.why[0]);
		assert(output_close(&out) == 0);
		free(buf);
	}
	streams();
	return 0;
}
