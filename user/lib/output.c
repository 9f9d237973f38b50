// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Output streams (user/lib/output.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "lib/output.h"

int output_open(struct output *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	o->path = path;
	o->f = path ? fopen(path, "w") : stdout;
	if (!o->f)
		return -errno;
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
	return o->err;
}

const char *output_name(const struct output *o)
{
	return o->path ?: "stdout";
}
