// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Outputs (user/lib/output.h) and the CLI's guard (user/cli/cli.h): a file
 * is replaced only once every write succeeded, never half-written, and an
 * output that is one of the command's inputs is refused.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "lib/output.h"

static char dir[] = "/tmp/itr-output-XXXXXX";
static char path[64];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.txt", dir);
}

static void teardown(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static void put(const char *p, const char *s)
{
	FILE *f = fopen(p, "w");

	cr_assert_not_null(f);
	fputs(s, f);
	cr_assert_eq(fclose(f), 0);
}

/* The file's text (at most 63 bytes), "" when it does not exist. */
static const char *get(const char *p)
{
	static char buf[64];
	FILE *f = fopen(p, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return buf;
}

static int nfiles(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

TestSuite(output, .init = setup, .fini = teardown);

Test(output, replaces_the_file_at_close)
{
	struct output o;

	put(path, "old\n");
	cr_assert_eq(output_open(&o, path), 0);
	fputs("new\n", o.f);
	cr_assert_eq(output_flush(&o), 0);
	cr_assert_str_eq(get(path), "old\n", "written in place before the close");
	cr_assert_eq(output_close(&o), 0);
	cr_assert_str_eq(get(path), "new\n");
	cr_assert_eq(nfiles(), 1, "the temporary file stayed");
}

Test(output, failure_keeps_the_old_file)
{
	struct output o;

	put(path, "old\n");
	cr_assert_eq(output_open(&o, path), 0);
	fputs("half", o.f);
	o.err = -ENOSPC;	/* as a failed write leaves it */
	cr_assert_eq(output_close(&o), -ENOSPC);
	cr_assert_str_eq(get(path), "old\n");
	cr_assert_eq(nfiles(), 1, "the temporary file stayed");
}

Test(output, new_file_gets_the_umask_mode)
{
	struct output o;
	struct stat st;
	mode_t old = umask(022);

	cr_assert_eq(output_open(&o, path), 0);
	cr_assert_eq(output_close(&o), 0);
	umask(old);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0644, "mode %o", st.st_mode & 0777);
}

Test(output, device_is_written_in_place)
{
	struct output o;

	cr_assert_eq(output_open(&o, "/dev/null"), 0);
	cr_assert_null(o.tmp);
	fputs("x", o.f);
	cr_assert_eq(output_close(&o), 0);
}

Test(output, input_is_refused_by_inode)
{
	char in[80], hard[80];
	struct output o;

	snprintf(in, sizeof(in), "%s/in.itr", dir);
	snprintf(hard, sizeof(hard), "%s/hard.itr", dir);
	put(in, "recording\n");
	cr_assert_eq(link(in, hard), 0);
	cr_assert_eq(cli_output_open(&o, in, (const char *const[]){ "/dev/null", in, NULL }), -EEXIST);
	cr_assert_eq(cli_output_open(&o, hard, (const char *const[]){ in, NULL }), -EEXIST);
	cr_assert_str_eq(get(in), "recording\n");
	cr_assert_eq(cli_output_open(&o, path, (const char *const[]){ in, NULL }), 0, "another file");
	cr_assert_eq(cli_output_close(&o, 0), 0);
}

Test(output, a_symlink_stays_one)
{
	char link[80];
	struct output o;
	struct stat st;

	snprintf(link, sizeof(link), "%s/link.txt", dir);
	put(path, "old\n");
	cr_assert_eq(symlink("out.txt", link), 0);
	cr_assert_eq(output_open(&o, link), 0);
	fputs("new\n", o.f);
	cr_assert_eq(output_close(&o), 0);
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the symlink was replaced by a file");
	cr_assert_str_eq(get(path), "new\n");
	cr_assert_eq(nfiles(), 2);
}
