// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel's own view through the shim's kfuncs (source/kview.h). */
#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "source/kview.h"
#include "source/loader.h"	/* before the skeleton: it declares struct itr_config */
#include "iommutrace.skel.h"
#include "shim/shim.h"

/* The shim is loaded and says its kfuncs are registered. */
static bool kfuncs_there(void)
{
	struct itr_shim_status s;
	char why[SHIM_WHY_LEN];
	int fd, err;

	if (!shim_loaded())
		return false;
	fd = shim_open(why);
	if (fd < 0)
		return false;
	err = shim_status(fd, &s, why);
	close(fd);
	return !err && s.kfuncs;
}

void kview_prepare(struct loader *l, bool wanted)
{
	l->kview = wanted && kfuncs_there();
	bpf_program__set_autoload(l->skel->progs.itr_kview, l->kview);
}

int kview_query(void *arg, struct itr_kview *q)
{
	struct loader *l = arg;
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = q, .ctx_size_in = sizeof(*q));
	int err;

	if (!l || !l->kview)
		return -ENOENT;
	q->done = 0;
	err = bpf_prog_test_run_opts(bpf_program__fd(l->skel->progs.itr_kview), &o);
	if (err)
		return -errno;
	return q->done ? 0 : -EIO;
}
