// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The HTTP server of one document, on libmicrohttpd (lib/httpd.h). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "lib/httpd.h"
#include "lib/log.h"

struct httpd {
	struct MHD_Daemon *d;
	const char *path;
	httpd_render_fn fn;
	void *arg;
	unsigned int port;
};

int httpd_parse_addr(const char *addr, const char *default_host, struct sockaddr_storage *out,
		     char *why, size_t whylen)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM };
	char host[128], *end;
	const char *port, *colon;
	struct addrinfo *res;
	unsigned long n;
	int err;

	if (addr[0] == '[') {		/* [v6]:port */
		colon = strstr(addr, "]:");
		if (!colon || colon - addr - 1 >= (long)sizeof(host)) {
			snprintf(why, whylen, "want [IPV6]:PORT");
			return -EINVAL;
		}
		snprintf(host, sizeof(host), "%.*s", (int)(colon - addr - 1), addr + 1);
		port = colon + 2;
	} else if ((colon = strrchr(addr, ':'))) {
		if (colon - addr >= (long)sizeof(host) || colon == addr) {
			snprintf(why, whylen, "want HOST:PORT");
			return -EINVAL;
		}
		snprintf(host, sizeof(host), "%.*s", (int)(colon - addr), addr);
		port = colon + 1;
		if (strchr(host, ':')) {
			snprintf(why, whylen, "an IPv6 address goes in brackets: [V6]:PORT");
			return -EINVAL;
		}
	} else {
		snprintf(host, sizeof(host), "%s", default_host);
		port = addr;
	}
	errno = 0;
	n = strtoul(port, &end, 10);
	if (!*port || *end || errno || n > 65535) {
		snprintf(why, whylen, "bad port '%s'", port);
		return -EINVAL;
	}
	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		snprintf(why, whylen, "bad host '%s' (a numeric address)", host);
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	memcpy(out, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *ctype,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	return reply(c, status, "text/plain; charset=utf-8", (void *)msg, strlen(msg),
		     MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct httpd *h = cls;
	struct httpd_reply out = {};

	(void)version;
	(void)upload;
	if (!*state) {		/* headers only so far: answer on the next call */
		*state = h;
		return MHD_YES;
	}
	if (*upload_size) {	/* a body we do not want: skip it */
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!strcmp(url, "/"))
		return text(c, MHD_HTTP_OK, "iommutrace exporter: see /metrics\n");
	if (strcmp(url, h->path))
		return text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	if (h->fn(h->arg, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
		  &out))
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot render the metrics\n");
	return reply(c, MHD_HTTP_OK, out.ctype, out.body, out.len, MHD_RESPMEM_MUST_FREE);
}

struct httpd *httpd_start(const char *addr, const char *default_host, const char *path,
			  httpd_render_fn fn, void *arg)
{
	struct sockaddr_storage sa;
	const union MHD_DaemonInfo *info;
	struct httpd *h;
	char why[128];
	int err;

	err = httpd_parse_addr(addr, default_host, &sa, why, sizeof(why));
	if (err) {
		log_err("invalid address '%s': %s", addr, why);
		errno = -err;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->path = path;
	h->fn = fn;
	h->arg = arg;
	h->d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD |
				(sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				0, NULL, NULL, on_request, h,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)HTTPD_THREADS,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTPD_MAX_CONNS,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTPD_TIMEOUT_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_CONN_MEMORY,
				MHD_OPTION_END);
	if (!h->d) {
		err = errno ? errno : EADDRINUSE;
		log_err("cannot listen on %s: %s", addr, strerror(err));
		free(h);
		errno = err;
		return NULL;
	}
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	return h;
}

unsigned int httpd_port(const struct httpd *h)
{
	return h->port;
}

void httpd_stop(struct httpd *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
