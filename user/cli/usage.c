// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cli_parse(): argp_parse() whose usage errors are one line. argp follows
 * its message with a "Try `... --help'" hint that wraps to two more lines;
 * its error stream here keeps the first line of what it is given (the
 * message) and drops the rest.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include "cli/cli.h"

static bool line_done;

/* Writes to fd 2 up to the first newline, then swallows. */
static ssize_t first_line_write(void *cookie, const char *buf, size_t len)
{
	size_t n = 0;

	(void)cookie;
	while (!line_done && n < len)
		line_done = buf[n++] == '\n';
	if (n && write(STDERR_FILENO, buf, n) < 0)
		return -1;
	return len;
}

int cli_parse(const struct argp *argp, int argc, char **argv)
{
	static const cookie_io_functions_t io = { .write = first_line_write };
	FILE *err = fopencookie(NULL, "w", io), *saved = stderr;
	int rc;

	line_done = false;
	if (err) {
		setvbuf(err, NULL, _IONBF, 0);
		stderr = err;	/* argp's err_stream, and argp_error()'s exit path */
	}
	rc = argp_parse(argp, argc, argv, 0, NULL, NULL);
	stderr = saved;
	if (err)
		fclose(err);
	return rc;
}

error_t cli_no_args(int key, char *arg, struct argp_state *state)
{
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	argp_error(state, "unexpected argument '%s'", arg);
	return 0;
}
