// SPDX-License-Identifier: GPL-2.0
/*
 * Stress of the tracer's identities (issue 14): many short-lived domains,
 * whose freed addresses the kernel hands to the next ones, and several
 * iommufd contexts in one process, whose object ids repeat.
 *
 * stress-ids (iommufd, IOMMUFD_TEST mock devices): STRESS_CTX contexts in
 * one process, each with an IOAS holding a mapping and a mock device moved
 * off its automatic HWPT onto one of its own (home); in rounds, each
 * context allocates a HWPT (a new domain, filled with the IOAS's mapping),
 * moves its device onto it and back home, and destroys it.
 * Each context ends with STRESS_KEEP HWPTs alive, logs "stress_hold" and
 * holds them 3 s (a tracer stopped then sees them alive), then closes.
 *
 * stress-type1 (any kernel, no iommufd needed): two containers at once in
 * one process (the guest has two assignable groups): the e1000 pair's held
 * open and mapped, while the edu's is set up (a new domain), mapped,
 * unmapped and closed (the domain freed) in rounds.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "iommufd_test.h"
#include "log.h"
#include "workload.h"

#define VFIO_CONTAINER "/dev/vfio/vfio"

#define STRESS_CTX	3
#define STRESS_ROUNDS	100	/* per context: 300 domains allocated and freed */
#define STRESS_KEEP	2	/* HWPTs left alive in each context at the end */
#define STRESS_T1_ROUNDS 60	/* per container */

struct stress_ctx {
	int ifd;
	uint32_t ioas, home;	/* home: the device's own HWPT between rounds */
	struct mock_dev m;
};

static int ctx_setup(struct stress_ctx *c, struct buf *b)
{
	uint64_t iova = 0;
	int err;

	c->ifd = -1;
	err = iommufd_open(&c->ifd);
	if (!err)
		err = ioas_alloc(c->ifd, &c->ioas);
	/* the device first: the IOVA the kernel picks then avoids its reserved ranges */
	if (!err)
		err = mock_dev_create(&c->m, c->ifd, c->ioas, 0);
	if (!err)
		err = ioas_map(c->ifd, c->ioas, b->va, b->size, IOMMU_IOAS_MAP_WRITEABLE |
			       IOMMU_IOAS_MAP_READABLE, &iova);
	/* off its automatic HWPT (destroyed with its domain when left) to its own */
	if (!err)
		err = hwpt_alloc(c->ifd, c->m.dev_id, c->ioas, 0, &c->home);
	if (!err)
		err = mock_dev_replace(&c->m, c->home);
	return err;
}

/* One short-lived domain: a HWPT, the device on it and back, destroyed. */
static int ctx_round(struct stress_ctx *c)
{
	uint32_t h = 0;
	int err = hwpt_alloc(c->ifd, c->m.dev_id, c->ioas, 0, &h);

	if (!err)
		err = mock_dev_replace(&c->m, h);
	if (!err)
		err = mock_dev_replace(&c->m, c->home);
	if (!err)
		err = iommufd_destroy(c->ifd, &h, "hwpt_id");
	return err;
}

int scn_stress_ids(const struct wl_env *env)
{
	struct stress_ctx ctx[STRESS_CTX];
	const struct log_fail *f;
	struct buf b = {};
	uint32_t keep;
	int i, r, k, err;

	(void)env;
	for (i = 0; i < STRESS_CTX; i++)
		ctx[i].ifd = -1;
	err = buf_alloc(&b, 64 * KiB);
	for (i = 0; !err && i < STRESS_CTX; i++)
		err = ctx_setup(&ctx[i], &b);
	for (r = 0; !err && r < STRESS_ROUNDS; r++)
		for (i = 0; !err && i < STRESS_CTX; i++)
			err = ctx_round(&ctx[i]);
	for (i = 0; !err && i < STRESS_CTX; i++)
		for (k = 0; !err && k < STRESS_KEEP; k++)
			err = hwpt_alloc(ctx[i].ifd, ctx[i].m.dev_id, ctx[i].ioas, 0, &keep);
	if (!err) {	/* a tracer stopped now sees every kept HWPT's domain alive */
		log_end(log_begin("stress_hold"), 0, 0);
		for (k = 0; k < 30 && !wl_stop; k++)
			usleep(100 * 1000);
	}
	f = log_last_fail();
	if (err == -ENOTTY && f && !strncmp(f->op, "IOMMU_TEST_OP_", 14))
		err = wl_skip("%s: %s (kernel without the IOMMUFD_TEST mock)", f->op, strerror(-err));
	/* every object of a context goes with its fd */
	for (i = 0; i < STRESS_CTX; i++)
		fd_close(&ctx[i].ifd, "/dev/iommu");
	buf_free(&b);
	return err;
}

static int t1_round(const char *bdf, struct buf *b)
{
	struct container c;
	int err;

	container_init(&c);
	err = type1_setup(&c, VFIO_CONTAINER, bdf);
	if (!err)
		err = container_map(&c, b->va, 0x100000, b->size);
	if (!err)
		err = container_unmap_exact(&c, 0x100000, b->size);
	container_close(&c);
	return err;
}

int scn_stress_type1(const struct wl_env *env)
{
	struct container hold;
	struct buf b = {};
	int r, err;

	container_init(&hold);
	err = wl_need(env->edu, "edu");
	if (!err)
		err = wl_need(env->pair[0], "e1000 pair");
	if (!err)
		err = buf_alloc(&b, 64 * KiB);
	/* one container stays open the whole time: two at once in one process */
	if (!err)
		err = type1_setup(&hold, VFIO_CONTAINER, env->pair[0]);
	if (!err)
		err = container_map(&hold, b.va, 0x200000, b.size);
	for (r = 0; !err && r < STRESS_T1_ROUNDS; r++)
		err = t1_round(env->edu, &b);
	if (!err)
		err = container_unmap_exact(&hold, 0x200000, b.size);
	container_close(&hold);
	buf_free(&b);
	return err;
}
