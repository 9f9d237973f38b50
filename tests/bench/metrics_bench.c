// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench: the exporter's cost, as figures.
 *
 * A model holding DEVICES domains, each attached to its own IOMMU group
 * with MAPS live mappings (1000 devices' worth of groups: the group series
 * are capped, the rest folded), the operation statistics with every row of
 * the ioctl table, and
 * 1. the tick's copy of the model (metrics_update), per call;
 * 2. one scrape rendered (metrics_render_view + prom_end): CPU per scrape,
 *    bytes and series of the document;
 * 3. scrapes over HTTP (lib/httpd.c on loopback, one connection each):
 *    wall-clock latency per scrape and this process's CPU (server and
 *    client together) per scrape.
 * ITR_BENCH_SMOKE=1 runs it small.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "event/ioctl.h"
#include "event/stats.h"
#include "lib/httpd.h"
#include "lib/ivset.h"
#include "sink/metrics.h"

static int DEVICES = 1000, MAPS = 8, RUNS = 200;

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fill_model(struct model *m)
{
	int i, j;

	for (i = 0; i < DEVICES; i++) {
		bool created;
		struct m_domain *d = htab_get_or_new(&m->domains, htab_key(i + 1), sizeof(*d), &created);

		if (!d || !(d->maps = ivset_new()))
			return -ENOMEM;
		d->id = i + 1;
		d->type = ITR_DOM_UNMANAGED;
		d->ngroups = 1;
		d->groups[0] = i;
		for (j = 0; j < MAPS; j++)
			ivset_insert(d->maps, (__u64)j << 21, 4096, NULL);
	}
	return 0;
}

static void fill_stats(struct stats *st)
{
	int k, i;

	for (k = 0; k < ITR_ST_MAX; k++) {
		st->op[k].calls[ITR_RES_OK] = 1000 + k;
		st->op[k].latency_ns.slot[10 + k] = 1000 + k;
	}
	for (i = 0; i < ioctl_ntable && st->nioctls < ITR_MAX_IOCTL_STATS; i++) {
		struct stats_ioctl *r = &st->ioctl[st->nioctls++];
		int layer = __builtin_ctz(ioctl_table[i].layers);

		r->key = ITR_IOCTL_STAT_KEY(layer, ioctl_table[i].cmd);
		r->st.calls[ITR_RES_OK] = 7;
		r->st.latency_ns.slot[14] = 7;
	}
}

/* One GET /metrics on a new connection; the bytes read, or -1. */
static long get(unsigned int port)
{
	static char buf[1 << 16];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	const char req[] = "GET /metrics HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long total = 0;
	bool ok = false;
	ssize_t n;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, req, sizeof(req) - 1) != sizeof(req) - 1) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (!total)
			ok = n >= 12 && !strncmp(buf, "HTTP/1.1 200", 12);
		total += n;
	}
	close(fd);
	return ok ? total : -1;
}

struct fixed {
	struct metrics *m;
	struct stats *st;
	struct itr_counters *c;
};

static int render(void *arg, const char *accept, struct httpd_reply *out)
{
	struct fixed *f = arg;
	struct prom p;
	int err;

	(void)accept;
	prom_init(&p, false);
	err = metrics_render_view(&p, "bench", f->c, f->st, &f->m->snap) ?: prom_end(&p);
	if (err) {
		prom_fini(&p);
		return err;
	}
	out->body = p.buf;
	out->len = p.len;
	out->ctype = PROM_TEXT_CTYPE;
	return 0;
}

int main(void)
{
	struct model_opts mo = {};
	struct itr_counters c = {};
	struct stats *st = calloc(1, sizeof(*st));
	struct fixed f;
	struct metrics m;
	struct model model;
	struct httpd *h;
	double t0, w0;
	size_t bytes = 0, series = 0;
	long got;
	int i;

	if (getenv("ITR_BENCH_SMOKE")) {
		DEVICES = 10;
		RUNS = 5;
	}
	if (!st || model_init(&model, &mo, NULL, NULL) || fill_model(&model)) {
		fprintf(stderr, "metrics_bench: out of memory\n");
		return 1;
	}
	fill_stats(st);
	metrics_init(&m, "bench", &model, NULL);
	t0 = cpu_s();
	for (i = 0; i < RUNS; i++)
		metrics_update(&m);
	printf("tick copy of the model (%d domains, %d groups, %d mappings each): %.1f us\n",
	       DEVICES, DEVICES, MAPS, (cpu_s() - t0) / RUNS * 1e6);
	t0 = cpu_s();
	for (i = 0; i < RUNS; i++) {
		struct prom p;
		size_t j;

		prom_init(&p, false);
		if (metrics_render_view(&p, "bench", &c, st, &m.snap) || prom_end(&p)) {
			fprintf(stderr, "metrics_bench: render failed\n");
			return 1;
		}
		bytes = p.len;
		for (series = 0, j = 0; j < p.len; j++)
			series += p.buf[j] == '\n' && j + 1 < p.len && p.buf[j + 1] != '#';
		prom_fini(&p);
	}
	printf("render: %.1f us CPU per scrape; %zu bytes, %zu series (%llu groups folded)\n",
	       (cpu_s() - t0) / RUNS * 1e6, bytes, series,
	       (unsigned long long)m.snap.groups_folded);
	f = (struct fixed){ &m, st, &c };
	h = httpd_start("0", "127.0.0.1", "/metrics", render, &f);
	if (!h)
		return 1;
	t0 = cpu_s();
	w0 = wall_s();
	for (i = 0; i < RUNS; i++) {
		got = get(httpd_port(h));
		if (got < 0) {
			fprintf(stderr, "metrics_bench: a scrape failed\n");
			return 1;
		}
	}
	printf("HTTP scrape: %.0f us wall per scrape, %.0f us CPU (server and client) per scrape\n",
	       (wall_s() - w0) / RUNS * 1e6, (cpu_s() - t0) / RUNS * 1e6);
	httpd_stop(h);
	metrics_fini(&m);
	model_fini(&model);
	free(st);
	return 0;
}
