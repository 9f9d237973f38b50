// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * recfile_seed DIR: the fuzzer's seed corpus, made by the writer so that
 * it follows the format: a clean recording (zlib), the same stored
 * uncompressed (mutations reach the records), one whose recorder was
 * killed (no END), and a header alone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rec/writer.h"
#include "records.h"

/* cut: 0 keeps the file whole, > 0 keeps its first cut bytes, < 0 drops -cut bytes. */
static int write_seed(const char *dir, const char *name, int level, off_t cut)
{
	struct itr_counters c = { .v = { [ITR_CNT_EMITTED] = 2 * (ITR_EV_MAX - 1) } };
	struct rec_meta m = { REC_VERSION, ITR_ABI_VERSION, 1700000000ULL * 1000000000ULL,
			      REC_T0, "6.12.9-amd64" };
	struct rec_writer *w;
	struct stat st;
	char path[4096];
	union rec r;
	unsigned int k;
	int err, pass;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	w = recw_open(path, &m, &err);
	if (!w)
		goto cleanup;
	err = recw_set_level(w, level);
	if (!err)
		err = recw_blob(w, REC_SNAPSHOT, "{\"devices\":[]}", 14);
	for (pass = 0; pass < 2 && !err; pass++) {
		for (k = 1; k < ITR_EV_MAX && !err; k++)
			err = recw_event(w, &r, rec_make(&r, k));
		if (!err)
			err = recw_flush(w);
	}
	err = recw_close(w, err ? NULL : &c) ?: err;
	if (!err && cut < 0 && stat(path, &st))
		err = -errno;
	if (!err && cut && truncate(path, cut > 0 ? cut : st.st_size + cut))
		err = -errno;
cleanup:
	if (err)
		fprintf(stderr, "recfile_seed: %s: %s\n", path, strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: recfile_seed DIR\n");
		return 2;
	}
	if (write_seed(argv[1], "clean.itr", 1, 0) || write_seed(argv[1], "stored.itr", 0, 0) ||
	    write_seed(argv[1], "killed.itr", 1, -(REC_FRAME_HDR_SIZE + 16)) ||
	    write_seed(argv[1], "header.itr", 1, REC_HDR_SIZE))
		return 1;
	return 0;
}
