// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's edu device (docs/specs/edu.rst) as a DMA engine: RAM -> its 4 KiB
 * buffer at device address 0x40000 -> RAM, through whatever IOMMU mapping
 * the scenario set up, or a read the IOMMU must block. BAR0 is driven with
 * 4-byte pread/pwrite (the DMA addresses fit: the device's DMA mask is 28
 * bits).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "workload.h"

enum edu_reg {
	EDU_ID = 0x00,
	EDU_DMA_SRC = 0x80,
	EDU_DMA_DST = 0x88,
	EDU_DMA_CNT = 0x90,
	EDU_DMA_CMD = 0x98,
};

enum edu_cmd {
	EDU_CMD_START = 1 << 0,
	EDU_CMD_TO_RAM = 1 << 1,	/* 0: RAM -> edu */
	EDU_CMD_IRQ = 1 << 2,
};

#define EDU_BUF_ADDR 0x40000ull
#define EDU_BUF_SIZE 4096
#define EDU_TIMEOUT_NS (5ull * 1000000000ull)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Regions, memory decode and bus mastering, and an edu behind BAR0. */
int edu_probe(struct vdev *d)
{
	uint32_t id;
	int err;

	err = vdev_regions(d);
	if (err)
		return err;
	if (d->bar0.size < EDU_BUF_ADDR)
		return log_failf("VFIO_DEVICE_GET_REGION_INFO", ENODEV,
				 "%s: BAR0 of %llu bytes is too small for edu", d->bdf,
				 (unsigned long long)d->bar0.size);
	err = vdev_enable_dma(d);
	if (err)
		return err;
	err = vdev_bar0_read32(d, EDU_ID, &id);
	if (err)
		return log_failf("pread", -err, "%s: BAR0 identification register", d->bdf);
	if ((id & 0xffff) != 0x00ed)
		return log_failf("pread", ENODEV, "%s: id 0x%08x is not edu's", d->bdf, id);
	return 0;
}

static int edu_wait(struct vdev *d, uint64_t deadline)
{
	const struct timespec tick = { .tv_nsec = 1000000 };
	uint32_t cmd;
	int err;

	for (;;) {
		err = vdev_bar0_read32(d, EDU_DMA_CMD, &cmd);
		if (err)
			return err;
		if (!(cmd & EDU_CMD_START))
			return 0;
		if (wl_stop)
			return -EINTR;
		if (now_ns() > deadline)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
}

static int edu_transfer(struct vdev *d, uint64_t src, uint64_t dst, size_t len,
			uint32_t cmd, uint64_t deadline)
{
	const struct {
		enum edu_reg reg;
		uint32_t val;
	} seq[] = {
		{ EDU_DMA_SRC, (uint32_t)src },
		{ EDU_DMA_DST, (uint32_t)dst },
		{ EDU_DMA_CNT, (uint32_t)len },
		{ EDU_DMA_CMD, cmd | EDU_CMD_START },
	};
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(seq); i++) {
		err = vdev_bar0_write32(d, seq[i].reg, seq[i].val);
		if (err)
			return err;
	}
	return edu_wait(d, deadline);
}

/*
 * a (at a_iova) -> edu -> b (at b_iova), then b must equal a. One edu_dma
 * log line; a mismatch is -EIO, a transfer that never ends -ETIMEDOUT.
 */
int edu_round_trip(struct vdev *d, struct buf *a, uint64_t a_iova,
		   struct buf *b, uint64_t b_iova, size_t len)
{
	struct log_op *o = log_begin("edu_dma");
	uint64_t start = now_ns(), deadline = start + EDU_TIMEOUT_NS;
	uint8_t *pa = a->va, *pb = b->va;
	uint8_t seed = (uint8_t)(start ^ (uint64_t)getpid());
	const char *step = "setup";
	bool verified = false;
	size_t i = 0;
	int err = 0;

	log_int(o, "fd", d->fd);
	log_str(o, "bdf", d->bdf);
	log_u64(o, "iova", a_iova);
	log_u64(o, "dst_iova", b_iova);
	log_u64(o, "dma_bytes", len);
	if (len >= EDU_BUF_SIZE || len > a->size || len > b->size ||
	    a_iova + len > EDU_IOVA_LIMIT || b_iova + len > EDU_IOVA_LIMIT) {
		err = -EINVAL;
		goto cleanup;
	}
	for (i = 0; i < len; i++)
		pa[i] = (uint8_t)(i * 131 + seed);
	memset(pb, 0, len);

	step = "RAM to edu";
	err = edu_transfer(d, a_iova, EDU_BUF_ADDR, len, 0, deadline);
	if (err)
		goto cleanup;
	step = "edu to RAM";
	err = edu_transfer(d, EDU_BUF_ADDR, b_iova, len, EDU_CMD_TO_RAM, deadline);
	if (err)
		goto cleanup;
	step = "verify";
	verified = !memcmp(pa, pb, len);
	if (!verified) {
		for (i = 0; i < len && pa[i] == pb[i]; i++)
			;
		log_u64(o, "mismatch_at", i);
		err = -EIO;
	}
cleanup:
	log_bool(o, "verified", verified);
	log_u64(o, "elapsed_ns", now_ns() - start);
	log_end(o, err ? -1 : 0, -err);
	if (err && !verified && !strcmp(step, "verify"))
		log_failf("edu_dma", EIO, "%s: %s: byte %zu of %zu differs", d->bdf, step, i, len);
	else if (err)
		log_failf("edu_dma", -err, "%s: %s", d->bdf, step);
	return err;
}

/* What a read the IOMMU blocked left in edu's buffer (edu_dma_unmapped). */
enum edu_blocked {
	EDU_KEPT,	/* the preloaded pattern: the read changed nothing */
	EDU_ZEROED,	/* zeros: the read completed without memory data (QEMU) */
	EDU_DELIVERED,	/* anything else: data from the unmapped IOVA */
	EDU_NO_WRITEBACK,	/* dst still holds the fill: the check itself failed */
};

static enum edu_blocked edu_classify(const uint8_t *got, const uint8_t *pat, size_t len,
				     uint8_t fill)
{
	bool kept = true, zeroed = true, unwritten = true;
	size_t i;

	for (i = 0; i < len; i++) {
		kept = kept && got[i] == pat[i];
		zeroed = zeroed && !got[i];
		unwritten = unwritten && got[i] == fill;
	}
	if (kept)
		return EDU_KEPT;
	if (zeroed)
		return EDU_ZEROED;
	return unwritten ? EDU_NO_WRITEBACK : EDU_DELIVERED;
}

/*
 * A DMA read the IOMMU must block: edu reads len bytes at iova, which is
 * not mapped, so the guest's DMAR driver logs a fault for the page at
 * iova. To see what the read delivered, edu's buffer is first loaded with
 * a pattern through dst (mapped at dst_iova) and copied back there after.
 * No data may arrive: the buffer keeps the pattern, or holds the zeros
 * QEMU completes a blocked read with. One edu_dma_unmapped log line;
 * anything else is -EIO.
 */
int edu_dma_unmapped(struct vdev *d, uint64_t iova, struct buf *dst, uint64_t dst_iova,
		     size_t len)
{
	static const char *const what[] = {
		[EDU_DELIVERED] = "edu's buffer holds data that the blocked read delivered",
		[EDU_NO_WRITEBACK] = "edu did not copy its buffer back",
	};
	const uint8_t fill = 0xee;	/* even: never in the (odd) pattern */
	struct log_op *o = log_begin("edu_dma_unmapped");
	uint64_t start = now_ns(), deadline = start + EDU_TIMEOUT_NS;
	uint8_t seed = (uint8_t)(start ^ (uint64_t)getpid());
	uint8_t *pd = dst->va, pat[EDU_BUF_SIZE];
	enum edu_blocked res = EDU_NO_WRITEBACK;
	const char *step = "setup";
	size_t i;
	int err = 0;

	log_int(o, "fd", d->fd);
	log_str(o, "bdf", d->bdf);
	log_u64(o, "iova", iova);
	log_u64(o, "fault_addr", iova & ~0xfffull);	/* DMAR reports the page */
	log_u64(o, "dst_iova", dst_iova);
	log_u64(o, "dma_bytes", len);
	if (len >= EDU_BUF_SIZE || len > dst->size ||
	    iova + len > EDU_IOVA_LIMIT || dst_iova + len > EDU_IOVA_LIMIT) {
		err = -EINVAL;
		goto cleanup;
	}
	for (i = 0; i < len; i++)
		pat[i] = pd[i] = (uint8_t)(i * 131 + seed) | 1;

	step = "preload, RAM to edu";
	err = edu_transfer(d, dst_iova, EDU_BUF_ADDR, len, 0, deadline);
	if (err)
		goto cleanup;
	step = "unmapped IOVA to edu";
	err = edu_transfer(d, iova, EDU_BUF_ADDR, len, 0, deadline);
	if (err)
		goto cleanup;
	memset(pd, fill, len);
	step = "edu to RAM";
	err = edu_transfer(d, EDU_BUF_ADDR, dst_iova, len, EDU_CMD_TO_RAM, deadline);
	if (err)
		goto cleanup;
	step = "verify";
	res = edu_classify(pd, pat, len, fill);
	if (res >= EDU_DELIVERED)
		err = -EIO;
	log_bool(o, "untouched", res == EDU_KEPT);
	log_bool(o, "zero_filled", res == EDU_ZEROED);
	log_bool(o, "delivered", res == EDU_DELIVERED);
cleanup:
	log_u64(o, "elapsed_ns", now_ns() - start);
	log_end(o, err ? -1 : 0, -err);
	if (err && res >= EDU_DELIVERED && !strcmp(step, "verify"))
		log_failf("edu_dma_unmapped", EIO, "%s: %s", d->bdf, what[res]);
	else if (err)
		log_failf("edu_dma_unmapped", -err, "%s: %s", d->bdf, step);
	return err;
}
