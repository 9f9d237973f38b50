// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * replay_seed DIR [RECORDING...]: the whole-replay fuzzer's seeds, from
 * real guest recordings (default: tests/fuzz/corpus/replay/ *.itr, made
 * by `iommutrace record` in the test-bed guests). Each recording becomes
 * windows of WINDOW consecutive records with its snapshot, counters and
 * END, stored uncompressed in frames of FRAME records, so that mutations
 * reach the records and inputs stay small.
 */
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rec/reader.h"
#include "rec/writer.h"

#define WINDOW	64	/* records per seed */
#define FRAME	16	/* records per EVENTS frame */
#define MAXWIN	24	/* seeds per recording, spread over it */

struct rec_copy {
	void *snap;
	size_t snap_len;
	void **recs;
	size_t *lens;
	size_t n, cap;
};

static int load(const char *path, struct rec_copy *c, struct rec_meta *m)
{
	struct rec_reader *r;
	struct rec_item it;
	char why[256];
	int err, rc;

	r = recr_open(path, &err, why, sizeof(why));
	if (!r) {
		fprintf(stderr, "replay_seed: %s\n", why);
		return err;
	}
	*m = *recr_meta(r);
	while ((rc = recr_next(r, &it)) > 0) {
		void *copy = malloc(it.len);

		if (!copy)
			return -ENOMEM;
		memcpy(copy, it.data, it.len);
		if (it.type == REC_SNAPSHOT && !c->snap) {
			c->snap = copy;
			c->snap_len = it.len;
			continue;
		}
		if (it.type != REC_EVENTS) {
			free(copy);
			continue;
		}
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 256;
			c->recs = realloc(c->recs, c->cap * sizeof(*c->recs));
			c->lens = realloc(c->lens, c->cap * sizeof(*c->lens));
			if (!c->recs || !c->lens)
				return -ENOMEM;
		}
		c->recs[c->n] = copy;
		c->lens[c->n++] = it.len;
	}
	if (rc < 0)
		fprintf(stderr, "replay_seed: %s\n", recr_why(r));
	recr_close(r);
	return rc;
}

static int write_window(const char *out, const struct rec_meta *m, const struct rec_copy *c,
			size_t first, size_t n)
{
	struct itr_counters cnt = { .v = { [ITR_CNT_EMITTED] = n } };
	struct rec_writer *w = recw_open(out, m, &(int){ 0 });
	size_t i;
	int err;

	if (!w)
		return -errno ?: -EIO;
	err = recw_set_level(w, 0);
	if (!err && c->snap)
		err = recw_blob(w, REC_SNAPSHOT, c->snap, c->snap_len);
	for (i = first; i < first + n && !err; i++) {
		err = recw_event(w, c->recs[i], c->lens[i]);
		if (!err && (i - first + 1) % FRAME == 0)
			err = recw_flush(w);
	}
	return recw_close(w, err ? NULL : &cnt) ?: err;
}

static int seed(const char *dir, const char *path)
{
	struct rec_copy c = {};
	struct rec_meta m;
	char out[4096], *name = strdup(path), *dot;
	size_t nwin, k, first;
	int err = load(path, &c, &m);

	if (!name)
		return -ENOMEM;
	dot = strrchr(basename(name), '.');
	if (dot)
		*dot = 0;
	nwin = c.n ? (c.n + WINDOW - 1) / WINDOW : 1;
	for (k = 0; !err && k < nwin && k < MAXWIN; k++) {
		/* MAXWIN windows spread evenly over a longer recording */
		first = (nwin <= MAXWIN ? k : k * nwin / MAXWIN) * WINDOW;
		snprintf(out, sizeof(out), "%s/%s-%03zu.itr", dir, basename(name), k);
		err = write_window(out, &m, &c, first, c.n - first < WINDOW ? c.n - first : WINDOW);
	}
	if (err)
		fprintf(stderr, "replay_seed: %s: %s\n", path, strerror(-err));
	for (k = 0; k < c.n; k++)
		free(c.recs[k]);
	free(c.recs);
	free(c.lens);
	free(c.snap);
	free(name);
	return err;
}

int main(int argc, char **argv)
{
	glob_t g = {};
	size_t i;
	int err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: replay_seed DIR [RECORDING...]\n");
		return 2;
	}
	if (argc == 2 && glob("tests/fuzz/corpus/replay/*.itr", 0, NULL, &g)) {
		fprintf(stderr, "replay_seed: no recordings in tests/fuzz/corpus/replay\n");
		return 1;
	}
	for (i = 0; argc == 2 && i < g.gl_pathc && !err; i++)
		err = seed(argv[1], g.gl_pathv[i]);
	for (i = 2; i < (size_t)argc && !err; i++)
		err = seed(argv[1], argv[i]);
	globfree(&g);
	return err ? 1 : 0;
}
