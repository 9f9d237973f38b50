/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * iommutrace report: a recording (user/rec/) replayed through the pipeline
 * (user/pipeline.h) and summed up: per domain, per device, per process,
 * latency and size histograms, findings; as text, one JSON document, or a
 * Chrome/Perfetto trace streamed as the events replay. Formats:
 * docs/report.md.
 *
 * The files: report.c (init, replay, print, fini: the sinks' wiring),
 * sums.c (the sums, the sums' sink), text.c, json.c, chrome.c (the
 * chrome-trace stream, a sink of its own); report/internal.h is what they
 * share. The command is cli/report.c.
 *
 * The core is callable without argv: report_run(), or report_init() ->
 * report_replay() -> report_print() -> report_fini() to look at the sums.
 */
#ifndef ITR_REPORT_H
#define ITR_REPORT_H

#include <stdbool.h>
#include "lib/hist.h"
#include "lib/htab.h"
#include "lib/output.h"
#include "pipeline.h"
#include "source/replay.h"

enum report_format {
	REPORT_TEXT = 0,
	REPORT_JSON,
	REPORT_CHROME,		/* Trace Event Format (chrome://tracing, Perfetto) */
};

#define REPORT_MAX_GROUPS 8
#define REPORT_MAX_DEVS 8

/* One domain's sums, kept after the model forgets a freed domain. */
struct report_domain {
	__u64 id;
	__u64 seq;		/* order of first appearance */
	__u32 type;
	__u32 hwpt_id;		/* 0: none known */
	__u64 maps, map_errors, bytes_mapped;	/* map and map_sg calls; bytes of the ones that worked */
	__u64 unmaps, unmap_errors, bytes_unmapped;
	bool alloc_seen;
	bool freed;
	/* at the end (domains still alive): from the model */
	bool tracked;		/* the model followed every map: live_* are exact */
	__u64 live_mappings, live_bytes;
	/* last known */
	int ngroups;
	__s32 groups[REPORT_MAX_GROUPS];
	int ndevs;
	char devs[REPORT_MAX_DEVS][ITR_DEV_LEN];
};

/* One process's (tgid, comm) map and unmap calls. */
struct report_proc {
	__u32 tgid;
	char comm[ITR_COMM_LEN];
	__u64 maps, map_bytes;
	__u64 unmaps, unmap_bytes;
};

/* The chrome-trace stream: a sink after the sums' one (report/chrome.c). */
struct report_chrome {
	struct sink sink;
	bool open;		/* the document's head is written */
	__u64 n;		/* events written */
	struct htab pids;	/* tgids and pids named by metadata events */
	int err;		/* the first failure (-errno): nothing is written after it */
};

struct report {
	enum report_format fmt;
	struct output *out;		/* the caller's */
	int top;			/* top mappers shown; 0: all */
	const char *path;
	struct pipeline p;
	struct sink sink;		/* the sums' (report/sums.c) */
	struct report_chrome chrome;	/* chrome-trace only */
	struct replay_result res;
	int err;			/* replay's: 0 or -errno */
	bool header_ok;			/* the file's header was read */
	struct htab domains;		/* id -> struct report_domain */
	__u64 ndomains;
	struct htab procs;		/* hash(tgid, comm) -> struct report_proc */
	struct hist map_lat, map_size, ioctl_lat;
	__u64 records, events;
	__u64 kinds[ITR_EV_MAX];
	bool have_t0;
	__u64 t0_ns;			/* time origin: the recording's start, or its first event's */
	__u64 first_ns, last_ns;
};

/* "text", "json", "chrome-trace" and back (-EINVAL). */
int report_format_parse(const char *s, enum report_format *out);
const char *report_format_str(enum report_format f);

/* The report goes to out (which the caller opens and closes). */
int report_init(struct report *r, enum report_format fmt, struct output *out, int top);
/*
 * Replay path into r (chrome-trace: writing events as they come). 0, or
 * the replay's -errno (r->res.why says why; what came before was summed);
 * a failed write stops the replay with out's error.
 */
int report_replay(struct report *r, const char *path);
/*
 * Print the report of what was replayed (chrome-trace: close the
 * document) and flush. 0 or -errno (a write's is out->err).
 */
int report_print(struct report *r);
void report_fini(struct report *r);

/* A domain's sums (live_* and tracked: after report_print); NULL when never seen. */
const struct report_domain *report_domain_find(const struct report *r, __u64 id);

/*
 * All of it: replay path, print the report to out, return 0, or the
 * replay's -errno (a partial report was printed when the header could be
 * read) or a write's (out->err); res (may be NULL) gets the replay's
 * result, whose why is the error, or the warning of a recording not
 * closed cleanly.
 */
int report_run(const char *path, enum report_format fmt, struct output *out, int top,
	       struct replay_result *res);

#endif
