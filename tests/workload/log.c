// SPDX-License-Identifier: GPL-2.0
/* JSON-lines operation log (format in log.h), written with json-c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"

struct log_op {
	const char *op;
	uint64_t ts_ns;
	json_object *fields;
};

static struct {
	FILE *out;
	bool own;	/* out was opened here */
	bool echo;	/* copy each line to stderr (-v with --log FILE) */
	uint64_t seq;
	const char *scenario;
	int expect;	/* errno the next op is expected to fail with */
	struct log_fail fail;
} lg;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int log_open(const char *path, bool echo)
{
	lg.out = stdout;
	lg.own = false;
	if (path && strcmp(path, "-")) {
		lg.out = fopen(path, "w");
		if (!lg.out) {
			int err = -errno;

			lg.out = NULL;
			return err;
		}
		lg.own = true;
	}
	setvbuf(lg.out, NULL, _IOLBF, 0);
	lg.echo = echo && lg.own;
	return 0;
}

void log_close(void)
{
	if (lg.out && lg.own)
		fclose(lg.out);
	lg.out = NULL;
}

void log_set_scenario(const char *name)
{
	lg.scenario = name;
}

struct log_op *log_begin(const char *op)
{
	struct log_op *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->op = op;
	o->ts_ns = now_ns();
	o->fields = json_object_new_object();
	if (!o->fields) {
		free(o);
		return NULL;
	}
	return o;
}

static void add(struct log_op *o, const char *key, json_object *v)
{
	if (!o || !v) {
		json_object_put(v);
		return;
	}
	json_object_object_add(o->fields, key, v);
}

void log_int(struct log_op *o, const char *key, int64_t v)
{
	if (o)
		add(o, key, json_object_new_int64(v));
}

void log_u64(struct log_op *o, const char *key, uint64_t v)
{
	if (o)
		add(o, key, json_object_new_uint64(v));
}

void log_str(struct log_op *o, const char *key, const char *v)
{
	if (o)
		add(o, key, json_object_new_string(v ? v : ""));
}

void log_bool(struct log_op *o, const char *key, bool v)
{
	if (o)
		add(o, key, json_object_new_boolean(v));
}

void log_expect(int err)
{
	lg.expect = err;
}

static void write_line(json_object *line)
{
	const char *s = json_object_to_json_string_ext(line,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!s || !lg.out)
		return;
	fprintf(lg.out, "%s\n", s);
	fflush(lg.out);
	if (lg.echo)
		fprintf(stderr, "%s\n", s);
}

long log_end(struct log_op *o, long ret, int err)
{
	int expect = lg.expect;
	json_object *line;

	lg.expect = 0;
	if (err && err != expect) {
		snprintf(lg.fail.op, sizeof(lg.fail.op), "%s", o ? o->op : "?");
		lg.fail.err = err;
		lg.fail.detail[0] = '\0';
	}
	if (!o)
		return err ? -err : ret;

	line = json_object_new_object();
	if (line) {
		json_object_object_add(line, "seq", json_object_new_uint64(++lg.seq));
		json_object_object_add(line, "ts_ns", json_object_new_uint64(o->ts_ns));
		json_object_object_add(line, "pid", json_object_new_int(getpid()));
		json_object_object_add(line, "scenario",
				       json_object_new_string(lg.scenario ? lg.scenario : ""));
		json_object_object_add(line, "op", json_object_new_string(o->op));
		json_object_object_add(line, "ret", json_object_new_int64(ret));
		json_object_object_add(line, "errno", json_object_new_int(err));
		if (expect)
			json_object_object_add(line, "expect_errno", json_object_new_int(expect));
		json_object_object_foreach(o->fields, key, val)
			json_object_object_add(line, key, json_object_get(val));
		write_line(line);
		json_object_put(line);
	}
	json_object_put(o->fields);
	free(o);
	return err ? -err : ret;
}

int log_failf(const char *op, int err, const char *fmt, ...)
{
	va_list ap;

	snprintf(lg.fail.op, sizeof(lg.fail.op), "%s", op);
	lg.fail.err = err;
	va_start(ap, fmt);
	vsnprintf(lg.fail.detail, sizeof(lg.fail.detail), fmt, ap);
	va_end(ap);
	return -err;
}

const struct log_fail *log_last_fail(void)
{
	return lg.fail.op[0] ? &lg.fail : NULL;
}

void log_fail_reset(void)
{
	memset(&lg.fail, 0, sizeof(lg.fail));
}
