// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The streaming JSON writer (user/lib/jsonw_stream.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/jsonw_stream.h"

void jws_init(struct jws *w)
{
	w->b = w->inl;
	w->cap = sizeof(w->inl);
	jws_reset(w);
}

void jws_fini(struct jws *w)
{
	if (w->b != w->inl)
		free(w->b);
	w->b = w->inl;
	w->cap = sizeof(w->inl);
}

void jws_reset(struct jws *w)
{
	w->n = 0;
	w->b[0] = 0;
	w->comma = false;
	w->nomem = false;
}

/* Grow to room for k more bytes and a NUL; false when it cannot. */
static bool grow(struct jws *w, size_t k)
{
	size_t cap = w->cap;
	char *b;

	if (w->nomem)
		return false;
	while (w->n + k >= cap)
		cap *= 2;
	b = w->b == w->inl ? malloc(cap) : realloc(w->b, cap);
	if (!b) {
		w->nomem = true;
		return false;
	}
	if (w->b == w->inl)
		memcpy(b, w->inl, w->n + 1);
	w->b = b;
	w->cap = cap;
	return true;
}

/* Room for k more bytes and a NUL: the hot path is one compare. */
static inline bool room(struct jws *w, size_t k)
{
	return w->n + k < w->cap || grow(w, k);
}

static inline void put(struct jws *w, const char *s, size_t k)
{
	if (!room(w, k))
		return;
	memcpy(w->b + w->n, s, k);
	w->n += k;
	w->b[w->n] = 0;
}

static inline void putc1(struct jws *w, char c)
{
	if (!room(w, 1))
		return;
	w->b[w->n++] = c;
	w->b[w->n] = 0;
}

/* The length of s when none of its bytes needs escaping, else -1. */
static inline long plain_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\')
			return -1;
	return (const char *)p - s;
}

/* The bytes of s[0..k) as the inside of a JSON string. */
static void escaped(struct jws *w, const char *s, size_t k)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	for (i = 0; i < k; i++) {
		unsigned char c = s[i];
		char e[6] = { '\\', 0 };
		size_t el = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			el = 6;
		}
		put(w, e, el);
	}
	put(w, s + run, k - run);
}

/*
 * The separator, and the key of a member. Keys are nearly always plain
 * identifiers: those go in one copy (,"key":), the others escaped.
 */
static void key(struct jws *w, const char *k)
{
	long kl;
	char *p;

	if (w->comma)
		putc1(w, ',');
	w->comma = true;
	if (!k)
		return;
	kl = plain_len(k);
	if (kl < 0) {
		putc1(w, '"');
		escaped(w, k, strlen(k));
		put(w, "\":", 2);
		return;
	}
	if (!room(w, kl + 3))
		return;
	p = w->b + w->n;
	p[0] = '"';
	memcpy(p + 1, k, kl);
	p[kl + 1] = '"';
	p[kl + 2] = ':';
	w->n += kl + 3;
	w->b[w->n] = 0;
}

void jws_begin(struct jws *w, const char *k)
{
	key(w, k);
	putc1(w, '{');
	w->comma = false;
}

void jws_end(struct jws *w)
{
	putc1(w, '}');
	w->comma = true;
}

void jws_begin_array(struct jws *w, const char *k)
{
	key(w, k);
	putc1(w, '[');
	w->comma = false;
}

void jws_end_array(struct jws *w)
{
	putc1(w, ']');
	w->comma = true;
}

/* Decimal digits of v, right-aligned in b[0..24); their start. */
static char *digits(char *b, __u64 v)
{
	char *p = b + 24;

	do
		*--p = '0' + v % 10;
	while ((v /= 10));
	return p;
}

void jws_u64(struct jws *w, const char *k, __u64 v)
{
	char b[24], *p = digits(b, v);

	key(w, k);
	put(w, p, b + 24 - p);
}

void jws_i64(struct jws *w, const char *k, __s64 v)
{
	char b[25], *p = digits(b + 1, v < 0 ? -(__u64)v : (__u64)v);

	if (v < 0)
		*--p = '-';
	key(w, k);
	put(w, p, b + 25 - p);
}

void jws_bool(struct jws *w, const char *k, bool v)
{
	key(w, k);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void jws_null(struct jws *w, const char *k)
{
	key(w, k);
	put(w, "null", 4);
}

void jws_str(struct jws *w, const char *k, const char *s)
{
	if (!s) {
		jws_null(w, k);
		return;
	}
	key(w, k);
	putc1(w, '"');
	escaped(w, s, strlen(s));
	putc1(w, '"');
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned int c = s[0], cp, min;
	size_t need, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, cp = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		need = 2, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (need >= n)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

void jws_kstr(struct jws *w, const char *k, const char *s, size_t max)
{
	size_t n = strnlen(s, max), i = 0, run = 0, q;

	key(w, k);
	putc1(w, '"');
	while (i < n) {
		q = utf8_seq((const unsigned char *)s + i, n - i);
		if (q) {
			i += q;
			continue;
		}
		escaped(w, s + run, i - run);
		putc1(w, '?');
		run = ++i;
	}
	escaped(w, s + run, n - run);
	putc1(w, '"');
}

void jws_id(struct jws *w, const char *k, __u64 v)
{
	static const char hex[] = "0123456789abcdef";
	char b[18];
	int i;

	b[0] = b[17] = '"';
	for (i = 16; i >= 1; i--, v >>= 4)
		b[i] = hex[v & 15];
	key(w, k);
	put(w, b, sizeof(b));
}

const char *jws_text(const struct jws *w, size_t *len)
{
	if (len)
		*len = w->n;
	return w->b;
}

int jws_line(struct jws *w, FILE *f)
{
	if (w->nomem)
		return -ENOMEM;
	w->b[w->n] = '\n';	/* room() keeps a byte for the NUL */
	errno = 0;
	if (fwrite(w->b, 1, w->n + 1, f) != w->n + 1) {
		w->b[w->n] = 0;
		return errno ? -errno : -EIO;
	}
	w->b[w->n] = 0;
	return 0;
}
