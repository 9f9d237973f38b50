/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ITR_COUNTERS_H
#define ITR_COUNTERS_H

#include <stdio.h>
#include "iommutrace.h"

/* Stable name of a counter ("map", "map_bytes", ...), NULL if unknown. */
const char *counter_name(unsigned int c);
/* Whether a counter counts bytes (printed in human units). */
int counter_is_bytes(unsigned int c);

void counters_show_plain(FILE *f, const struct itr_counters *c);
/* One JSON object per line: {"schema":1,"counters":{...}}; 0 or -errno. */
int counters_show_json(FILE *f, const struct itr_counters *c);

#endif
