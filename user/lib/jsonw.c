// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* JSON helpers (user/lib/jsonw.h). */
#include <errno.h>
#include "lib/jsonw.h"

int jw_line(FILE *f, json_object *j)
{
	int err = 0;

	if (!j)
		return -ENOMEM;
	if (fprintf(f, "%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		err = errno ? -errno : -EIO;
	json_object_put(j);
	return err;
}
