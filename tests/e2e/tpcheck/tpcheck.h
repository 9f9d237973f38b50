/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tpcheck's private header: the comparison kinds, the event lists that
 * tracefs and iommutrace fill, the input readers, the workload-log
 * state and one entry point per subcommand (main.c lists them).
 */
#ifndef TPCHECK_H
#define TPCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* evs.c: what is compared, and the events of one source */
enum kind { K_MAP, K_UNMAP, K_ATTACH, K_NR };
extern const char *const kind_name[K_NR];

struct name_kind {
	const char *name;
	int kind;
};

/* The kind of NAME in a table of N rows, or -1. */
int name_kind(const struct name_kind *t, size_t n, const char *name);

struct ev {
	uint64_t ts, iova, size;	/* ts: ns, CLOCK_MONOTONIC */
	uint64_t domain;		/* iommutrace events: domain id; 0 unknown */
	char dev[32];			/* attach: the device */
	bool used;
};

struct evs {
	struct ev *v;
	size_t n, cap;
	uint64_t bytes;
};

/* One source's events by kind, and (iommutrace only) its map_sg windows. */
struct evset {
	struct evs k[K_NR];
	/*
	 * map_sg calls seen by iommutrace, as [entry, exit] windows (ts: start,
	 * size: length): one event stands for the per-segment map tracepoints
	 * fired inside it.
	 */
	struct evs sg;
	bool json;	/* read from iommutrace JSON lines, not tracefs */
};

int evs_push(struct evs *e, uint64_t ts, uint64_t iova, uint64_t size, uint64_t domain,
	     const char *dev);
void evset_free(struct evset *s);

/* tracefs.c, events.c: the two sources of events */
int tracefs_read(const char *path, struct evset *s);
int events_read(const char *path, struct evset *s);
/* A tracefs dump or iommutrace JSON lines, told apart by the first byte. */
int source_read(const char *path, struct evset *s);

/* input.c: input files, JSON lines and their fields */

/* PATH opened for reading; NULL with *ERR = -errno after saying why. */
FILE *input_open(const char *path, int *err);

struct jsonl {
	json_object **v;
	size_t n, cap;
};

/*
 * Call FN on each line of PATH parsed as JSON (LINENO counts from 1) until
 * FN fails: 0, or the first -errno. A file that does not open and a line
 * that is not JSON (-EINVAL) are said on stderr. jsonl_read keeps the
 * lines, those before a failure too.
 */
int jsonl_each(const char *path, int (*fn)(json_object *o, size_t lineno, void *ctx), void *ctx);
int jsonl_read(const char *path, struct jsonl *l);
void jsonl_free(struct jsonl *l);
uint64_t jnum(json_object *o, const char *key, bool *ok);
int64_t jint(json_object *o, const char *key, int64_t dflt);
const char *jstr(json_object *o, const char *key);

/*
 * wlog.c: the workload log's iommufd state. Which IOAS ids have a device
 * attached, so that their maps must reach a domain. Ids are per /dev/iommu
 * fd: each scenario opens its own, so the state is reset at every
 * scenario_begin.
 */
#define MAX_IDS 256
struct wlog_state {
	int pt_ioas[MAX_IDS];	/* IOAS of an object id: itself, or a HWPT's */
	int dev_ioas[MAX_IDS];	/* IOAS a device id is attached to, 0: none */
	int dev_hwpt[MAX_IDS];	/* HWPT a device id is attached to */
	int dev_group[MAX_IDS];	/* IOMMU group of a device id, from sysfs */
};

void wlog_track(struct wlog_state *st, const char *op, json_object *o);
int wlog_id(json_object *o, const char *key);
bool wlog_ioas_attached(const struct wlog_state *st, int ioas);
bool wlog_attach_reaches_iommu(const struct wlog_state *st, json_object *o);
/* The IOMMU group of a PCI device, from sysfs; -1 if unknown. */
int sysfs_group(const char *bdf);
/* The IOMMU group of a logged op's device (its "bdf"); -1 if unknown. */
int wlog_group(json_object *o);

/* ioctls.c: logged VFIO/iommufd ioctls paired with iommutrace's records */
struct ioc {
	json_object *o;
	uint64_t ts;
	int64_t tgid, fd, ret;
	const char *name, *op_id, *layer;
	bool used;
};

struct ioc_tally {
	unsigned long logged, missing, extra, ids, rets, join_seen, join_bad;
	unsigned long lk_checked, lk_records, lk_bad;
};

int ioc_compare(const char *log, const char *events, struct ioc_tally *t);

/* locked.c */
void locked_check(json_object *logged, const struct ioc *c, const struct jsonl *ev,
		  struct ioc_tally *t);

/* Subcommands: (argv[2], argv[3]) -> exit status 0, 1 (disagree) or 2. */
int cmd_count(const char *events, const char *trace);
int cmd_ioctls(const char *log, const char *events);
int cmd_locked(const char *log, const char *events);
int cmd_log(const char *log, const char *source);
int cmd_stat(const char *stat, const char *trace);

#endif
