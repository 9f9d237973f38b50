// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the subcommands share (user/cli/cli.h): values and the output. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "lib/log.h"

double cli_seconds(struct argp_state *state, const char *opt, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	/* !(v <= max) also refuses NaN; inf is above max */
	if (errno || end == arg || *end || !(v > 0) || !(v <= CLI_SECONDS_MAX))
		argp_error(state, "invalid --%s '%s': want seconds > 0, at most %d (a year)", opt, arg,
			   CLI_SECONDS_MAX);
	return v;
}

const char *cli_readable(struct argp_state *state, const char *opt, const char *arg)
{
	if (access(arg, R_OK))
		argp_error(state, "cannot read --%s '%s': %s", opt, arg, strerror(errno));
	return arg;
}

const char *cli_output(struct argp_state *state, const char *arg)
{
	if (!*arg)
		argp_error(state, "invalid --output '': want a file name");
	return arg;
}

const char *cli_option_name(const struct argp_option *opts, int key)
{
	int i;

	for (i = 0; opts[i].name || opts[i].key || opts[i].doc; i++)
		if (opts[i].name && opts[i].key == key)
			return opts[i].name;
	return NULL;
}

int cli_output_clash(const char *path, const char *const *inputs)
{
	struct stat out, in;

	if (!path || stat(path, &out))
		return 0;	/* stdout, or a file yet to be made */
	for (; *inputs; inputs++)
		if (!stat(*inputs, &in) && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			log_err("--output '%s' is the input '%s': refusing to overwrite it",
				path, *inputs);
			return -EEXIST;
		}
	return 0;
}

int cli_output_open(struct output *o, const char *path, const char *const *inputs)
{
	int err = cli_output_clash(path, inputs);

	if (err) {
		memset(o, 0, sizeof(*o));
		return err;
	}
	err = output_open(o, path);

	if (err)
		log_err("cannot open --output '%s': %s", path, strerror(-err));
	return err;
}

int cli_output_close(struct output *o, int err)
{
	int werr = output_close(o);

	if (err == -EPIPE || werr == -EPIPE)	/* the reader is gone: not a failure */
		return err == -EPIPE ? 0 : err;
	if (werr) {
		log_err("failed to write %s: %s", output_name(o), strerror(-werr));
		return err ?: werr;
	}
	return err;
}
