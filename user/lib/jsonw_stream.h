/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A streaming JSON writer for the hot path (one JSON line per event):
 * appends text to a buffer, no object tree, no allocation per value (the
 * buffer starts on the caller's stack and grows on the heap only for a
 * long line). Escaping follows RFC 8259: '"', '\\' and every byte below
 * 0x20 are escaped (\b \f \n \r \t, else \u00XX), nothing else; kernel
 * strings (fixed-size, maybe unterminated, maybe not UTF-8) have invalid
 * UTF-8 bytes replaced by '?'. Unit-tested in tests/unit/jsonw_stream_test.c.
 * Commas between members and elements are the writer's job.
 *
 *	struct jws w;
 *
 *	jws_init(&w);
 *	jws_begin(&w, NULL);			{
 *	jws_u64(&w, "ts_ns", ts);		"ts_ns":123
 *	jws_begin_array(&w, "prot_names");	,"prot_names":[
 *	jws_str(&w, NULL, "read");		"read"
 *	jws_end_array(&w);			]
 *	jws_end(&w);				}
 *	err = jws_line(&w, f);			the text and '\n', one fwrite
 *	jws_fini(&w);
 */
#ifndef ITR_JSONW_STREAM_H
#define ITR_JSONW_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define JWS_INLINE 2048

struct jws {
	char *b;		/* inl, or a heap copy once it outgrew inl */
	size_t n, cap;
	bool comma;		/* the next member or element needs a ',' first */
	bool nomem;		/* a growth failed: the text is cut */
	char inl[JWS_INLINE];
};

void jws_init(struct jws *w);
void jws_fini(struct jws *w);
/* Start again (keeps the buffer). */
void jws_reset(struct jws *w);

/* Members of an object take a key; elements of an array take key NULL. */
void jws_begin(struct jws *w, const char *key);
void jws_end(struct jws *w);
void jws_begin_array(struct jws *w, const char *key);
void jws_end_array(struct jws *w);
void jws_u64(struct jws *w, const char *key, __u64 v);
void jws_i64(struct jws *w, const char *key, __s64 v);
void jws_bool(struct jws *w, const char *key, bool v);
void jws_null(struct jws *w, const char *key);
/* A C string, escaped; NULL is null. */
void jws_str(struct jws *w, const char *key, const char *s);
/* A kernel string of at most max bytes (stops at a NUL), escaped, invalid UTF-8 as '?'. */
void jws_kstr(struct jws *w, const char *key, const char *s, size_t max);
/* A 64-bit id as 16 hex digits (a string: exact in any parser). */
void jws_id(struct jws *w, const char *key, __u64 v);

/* The text so far (NUL-terminated), and its length. */
const char *jws_text(const struct jws *w, size_t *len);
/* Write the text and a newline to f in one call: 0, -ENOMEM (cut), or -errno. */
int jws_line(struct jws *w, FILE *f);

#endif
