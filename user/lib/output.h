/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An output stream (a file, or stdout) that remembers its first failure, so
 * that writers write and one place judges: output_close() returns it.
 * A regular file (or a new one) is written to a temporary file beside it
 * and renamed over it by output_close() when every write succeeded: a
 * failed run leaves the old file as it was (a symlink stays one: its
 * target is replaced). A device or a FIFO is written in place. Every function returns 0 or -errno.
 */
#ifndef ITR_OUTPUT_H
#define ITR_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

/* Bytes buffered before a write to a file or a pipe (the tick flushes sooner). */
#define OUTPUT_BUF (1 << 20)

struct output {
	FILE *f;
	const char *path;	/* NULL: stdout */
	int err;		/* -errno of the first failure; 0: none */
	char *tmp;		/* the temporary file renamed to path; NULL: none */
	char *dest;		/* path resolved (a symlink's target); NULL: path */
};

/* Open path for writing (NULL: stdout). */
int output_open(struct output *o, const char *path);
/* What the last writes did: a write error becomes o->err; returns o->err. */
int output_check(struct output *o);
/* Flush and check. */
int output_flush(struct output *o);
/*
 * Flush and close (stdout is only flushed), then rename the temporary file
 * to path, or remove it after a failure; the first failure, or 0.
 */
int output_close(struct output *o);
/* "stdout" or the path. */
const char *output_name(const struct output *o);

#endif
