// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The shim's misc device: open it, run a command, say why one failed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "shim/shim.h"

static const char *const dom_names[] = {
	[ITR_SHIM_DOM_NONE] = "none",
	[ITR_SHIM_DOM_BLOCKED] = "blocked",
	[ITR_SHIM_DOM_IDENTITY] = "identity",
	[ITR_SHIM_DOM_UNMANAGED] = "unmanaged",
	[ITR_SHIM_DOM_DMA] = "dma",
	[ITR_SHIM_DOM_DMA_FQ] = "dma-fq",
	[ITR_SHIM_DOM_SVA] = "sva",
	[ITR_SHIM_DOM_NESTED] = "nested",
	[ITR_SHIM_DOM_OTHER] = "other",
};

const char *shim_dom_name(__u32 type)
{
	return type < sizeof(dom_names) / sizeof(dom_names[0]) ? dom_names[type] : "other";
}

int shim_open(char *why)
{
	int fd = open(SHIM_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	fd = -errno;
	if (fd == -ENOENT && !shim_loaded())
		snprintf(why, SHIM_WHY_LEN, "the shim is not loaded (iommutrace shim load)");
	else
		snprintf(why, SHIM_WHY_LEN, "cannot open %s: %s", SHIM_DEV_PATH, strerror(-fd));
	return fd;
}

/* After a failed ioctl: the shim's own reason, else errno's. */
static int failed(const char *msg, char *why)
{
	int err = -errno;

	snprintf(why, SHIM_WHY_LEN, "%s", msg[0] ? msg : strerror(-err));
	return err;
}

int shim_cmd(int fd, unsigned long req, struct itr_shim_cmd *c, char *why)
{
	c->size = sizeof(*c);
	return ioctl(fd, req, c) ? failed(c->msg, why) : 0;
}

int shim_list(int fd, struct itr_shim_list *l, char *why)
{
	l->size = sizeof(*l);
	return ioctl(fd, ITR_SHIM_LIST, l) ? failed(l->msg, why) : 0;
}

int shim_status(int fd, struct itr_shim_status *s, char *why)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	return ioctl(fd, ITR_SHIM_STATUS, s) ? failed("", why) : 0;
}
