// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel's own iommu tracepoints, from a tracefs `trace` dump. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tpcheck.h"

/* Parse a tracefs dump; unknown lines (headers, other events) are skipped. */
int tracefs_read(const char *path, struct evset *s)
{
	char line[1024];
	int err;
	FILE *f = input_open(path, &err);

	if (!f)
		return err;
	while (!err && fgets(line, sizeof(line), f)) {
		uint64_t a, b, c, d, ts = 0;
		unsigned long sec, usec;
		char *p = strstr(line, ": ");

		/* "  comm-pid  [cpu] flags  SEC.USEC: event: ..." */
		while (p && p > line && p[-1] != ' ')
			p--;
		if (p && sscanf(p, "%lu.%lu:", &sec, &usec) == 2)
			ts = sec * 1000000000ULL + usec * 1000ULL;
		if ((p = strstr(line, " map: IOMMU: iova=")) &&
		    sscanf(p, " map: IOMMU: iova=%" SCNx64 " - %" SCNx64 " paddr=%" SCNx64 " size=%" SCNu64,
			   &a, &b, &c, &d) == 4)
			err = evs_push(&s->k[K_MAP], ts, a, d, 0, NULL);
		else if ((p = strstr(line, " unmap: IOMMU: iova=")) &&
			 sscanf(p, " unmap: IOMMU: iova=%" SCNx64 " - %" SCNx64 " size=%" SCNu64
				" unmapped_size=%" SCNu64, &a, &b, &c, &d) == 4)
			err = evs_push(&s->k[K_UNMAP], ts, a, d, 0, NULL);
		else if ((p = strstr(line, " attach_device_to_domain: IOMMU: device="))) {
			char dev[32] = "";

			sscanf(p, " attach_device_to_domain: IOMMU: device=%31s", dev);
			err = evs_push(&s->k[K_ATTACH], ts, 0, 0, 0, dev);
		}
	}
	fclose(f);
	return err;
}
