/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one error printer: "iommutrace: what failed: why" on stderr, one
 * line. Notices that are not errors (summaries, "lost N events") are the
 * commands' own output.
 */
#ifndef ITR_LOG_H
#define ITR_LOG_H

__attribute__((format(printf, 1, 2)))
void log_err(const char *fmt, ...);
/* "iommutrace: warning: ..." */
__attribute__((format(printf, 1, 2)))
void log_warn(const char *fmt, ...);

#endif
