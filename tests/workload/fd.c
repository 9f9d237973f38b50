// SPDX-License-Identifier: GPL-2.0
/* open(2) and close(2) of the workload's device files, logged. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "log.h"
#include "workload.h"

/* Returns the new fd or -errno. */
int fd_open(const char *path, int flags)
{
	struct log_op *o = log_begin("open");
	int fd, err;

	fd = open(path, flags | O_CLOEXEC);
	err = fd < 0 ? errno : 0;
	log_str(o, "path", path);
	log_int(o, "fd", fd);
	log_int(o, "flags", flags);
	return log_end(o, fd, err);
}

/* Close *fd if open and mark it closed; path only labels the log line. */
void fd_close(int *fd, const char *path)
{
	struct log_op *o;
	int ret;

	if (*fd < 0)
		return;
	o = log_begin("close");
	log_int(o, "fd", *fd);
	log_str(o, "path", path);
	ret = close(*fd);
	log_end(o, ret, ret ? errno : 0);
	*fd = -1;
}
