// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Output streams (user/lib/output.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/output.h"

/* A temporary file beside path: "DIR/.BASE.XXXXXX", mode 0666 less the umask. */
static FILE *open_temp(struct output *o, const char *path)
{
	const char *base = strrchr(path, '/');
	int dirlen = base ? (int)(base - path) + 1 : 0;
	mode_t mask;
	FILE *f;
	int fd;

	size_t len = strlen(path) + sizeof("/..XXXXXX");

	o->tmp = malloc(len);
	if (!o->tmp)
		return NULL;
	snprintf(o->tmp, len, "%.*s.%s.XXXXXX", dirlen, path, base ? base + 1 : path);
	fd = mkstemp(o->tmp);
	if (fd < 0)
		goto fail;
	mask = umask(0);
	umask(mask);
	f = fdopen(fd, "w");
	if (f && !fchmod(fd, 0666 & ~mask))
		return f;
	if (f)
		fclose(f);
	else
		close(fd);
	unlink(o->tmp);
fail:
	free(o->tmp);
	o->tmp = NULL;
	return NULL;
}

int output_open(struct output *o, const char *path)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!path)
		o->f = stdout;
	else if (!stat(path, &st) && !S_ISREG(st.st_mode))
		o->f = fopen(path, "w");	/* a device or a FIFO: written in place */
	else if (!(o->dest = realpath(path, NULL)) && errno != ENOENT)
		return -errno;
	else	/* beside a symlink's target, which is what is replaced */
		o->f = open_temp(o, o->dest ?: path);
	if (!o->f) {
		int err = -errno;

		free(o->dest);
		o->dest = NULL;
		return err;
	}
	/* a file or a pipe: large writes (ticks flush); a terminal: as stdio does */
	if (!isatty(fileno(o->f)))
		setvbuf(o->f, NULL, _IOFBF, OUTPUT_BUF);
	return 0;
}

int output_check(struct output *o)
{
	if (!o->err && o->f && ferror(o->f))
		o->err = errno ? -errno : -EIO;
	return o->err;
}

int output_flush(struct output *o)
{
	if (!o->err && o->f && fflush(o->f))
		o->err = errno ? -errno : -EIO;
	return output_check(o);
}

int output_close(struct output *o)
{
	output_flush(o);
	if (o->f && o->f != stdout && fclose(o->f) && !o->err)
		o->err = errno ? -errno : -EIO;
	o->f = NULL;
	if (o->tmp) {
		if (!o->err && rename(o->tmp, o->dest ?: o->path))
			o->err = -errno;
		if (o->err)
			unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->dest);
	o->dest = NULL;
	return o->err;
}

const char *output_name(const struct output *o)
{
	return o->path ?: "stdout";
}
