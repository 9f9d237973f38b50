/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* How numbers, sizes, times and ids are shown: one formatter each. */
#ifndef ITR_FMT_H
#define ITR_FMT_H

#include <stddef.h>
#include <linux/types.h>

/* "1.5 MiB", "512 B": human units (summaries). */
const char *fmt_bytes(char *buf, size_t len, unsigned long long n);
/* Exact and short: "4KiB", "2MiB", "3076KiB", "100B" (event lines). */
const char *fmt_size(char *buf, size_t len, unsigned long long n);
/* "850ns", "2.1us", "3.4ms", "1.20s". */
const char *fmt_ns(char *buf, size_t len, unsigned long long ns);
/* A 64-bit id as 16 hex digits, "00000000deadbeef" (JSON ids). */
const char *fmt_id(char *buf, size_t len, __u64 id);
/* A domain id as the text lines show it: "d:" and its low 32 bits; "-" for 0. */
const char *domain_str(__u64 id, char *buf, size_t len);

#endif
