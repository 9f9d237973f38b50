/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small HTTP server on libmicrohttpd for one document (the metrics): GET
 * and HEAD of `path` call the render callback in the server's own threads;
 * "/" answers with a pointer to it; other paths get 404, other methods
 * 405. Slow, idle or malformed clients cannot hold up a scrape: the server
 * polls its connections (no blocking read), drops a connection idle for
 * HTTPD_TIMEOUT_S, refuses more than HTTPD_MAX_CONNS at once and answers a
 * request whose headers pass HTTPD_CONN_MEMORY with 431. Memory is bounded
 * by those limits and the size of the rendered document.
 */
#ifndef ITR_HTTPD_H
#define ITR_HTTPD_H

#include <stddef.h>

#define HTTPD_MAX_CONNS 64
#define HTTPD_TIMEOUT_S 10
#define HTTPD_CONN_MEMORY (32 * 1024)
#define HTTPD_THREADS 2

/* What a render produced: a malloc'ed body (the server frees it) and its type. */
struct httpd_reply {
	char *body;
	size_t len;
	const char *ctype;
};

/* Render the document for a request with this Accept header (NULL: none); 0 or -errno. */
typedef int (*httpd_render_fn)(void *arg, const char *accept, struct httpd_reply *out);

struct httpd;

/*
 * Parse "HOST:PORT", "[V6HOST]:PORT" or "PORT" (host: default_host) into a
 * socket address; 0 or -EINVAL with a reason in why.
 */
struct sockaddr_storage;
int httpd_parse_addr(const char *addr, const char *default_host, struct sockaddr_storage *out,
		     char *why, size_t whylen);
/*
 * Listen on addr and serve path (e.g. "/metrics"). NULL on failure with
 * errno set and a reason printed.
 */
struct httpd *httpd_start(const char *addr, const char *default_host, const char *path,
			  httpd_render_fn fn, void *arg);
/* The port it listens on (useful with port 0). */
unsigned int httpd_port(const struct httpd *h);
/* Stop serving, close every connection; NULL is ignored. */
void httpd_stop(struct httpd *h);

#endif
