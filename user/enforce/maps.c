// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The pinned maps: open them by path, install a policy make-before-break,
 * and remove the pins.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "enforce/enforce.h"
#include "lib/log.h"

static int open_pin(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", ITR_ENF_PIN_DIR, name);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

int enforce_maps_open(struct enforce_maps *m)
{
	static const char *const names[] = { "enf_policy", "enf_active", "enf_counters",
					     "enf_audit", "enf_alert", "enf_names" };
	int *fds[] = { &m->policy, &m->active, &m->counters, &m->audit, &m->alert, &m->names };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		*fds[i] = -1;
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		*fds[i] = open_pin(names[i]);
		if (*fds[i] < 0) {
			int err = *fds[i];

			enforce_maps_close(m);
			return err;
		}
	}
	return 0;
}

void enforce_maps_close(struct enforce_maps *m)
{
	int *fds[] = { &m->policy, &m->active, &m->counters, &m->audit, &m->alert, &m->names };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int enforce_install(const struct enforce_maps *m, const struct policy *p, struct itr_enf_policy *kp)
{
	static struct itr_enf_policy cur;
	struct itr_enf_counts zero[512] = {};
	char name[ITR_ENF_NAME_LEN];
	__u32 k0 = 0, slot = 0, next, i;
	int ncpu = libbpf_num_possible_cpus();

	if (ncpu <= 0 || ncpu > 512)
		return log_err("cannot count the CPUs"), -EINVAL;
	if (bpf_map_lookup_elem(m->active, &k0, &slot))
		return log_err("cannot read the policy in force: %s", strerror(errno)), -errno;
	slot &= 1;
	if (bpf_map_lookup_elem(m->policy, &slot, &cur))
		return log_err("cannot read the policy in force: %s", strerror(errno)), -errno;
	next = slot ^ 1;
	kp->generation = cur.generation + 1;
	/*
	 * The slot not in force: no program reads it since the last flip
	 * (programs are not sleepable and run to completion in microseconds;
	 * a flip is at least this pause old before its old slot is rewritten).
	 */
	usleep(100 * 1000);
	for (i = 0; i <= ITR_ENF_MAX_RULES; i++) {
		__u32 key = next * (ITR_ENF_MAX_RULES + 1) + i;

		memset(name, 0, sizeof(name));
		if (!i)
			snprintf(name, sizeof(name), "(default)");
		else if (i <= p->nrules)
			snprintf(name, sizeof(name), "%s", p->rules[i - 1].name);
		if (bpf_map_update_elem(m->names, &key, name, BPF_ANY) ||
		    bpf_map_update_elem(m->counters, &key, zero, BPF_ANY))
			return log_err("cannot write policy slot %u: %s", next, strerror(errno)), -errno;
	}
	if (bpf_map_update_elem(m->policy, &next, kp, BPF_ANY))
		return log_err("cannot write policy slot %u: %s", next, strerror(errno)), -errno;
	/* the flip: one 4-byte store; before it the old policy, after it the new */
	if (bpf_map_update_elem(m->active, &k0, &next, BPF_ANY))
		return log_err("cannot switch to policy slot %u: %s", next, strerror(errno)), -errno;
	return 0;
}

/* The program id behind a pinned link; 0 if unknown. */
static __u32 link_prog_id(const char *path)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.prog_id = 0;
	close(fd);
	return info.prog_id;
}

/*
 * Unpinning drops the last reference, but the kernel may detach later
 * (6.12 defers bpf_link_put to a work item): wait until every program is
 * gone, which is after its link was released. 0, or -ETIMEDOUT.
 */
static int wait_progs_gone(const __u32 *ids, int n)
{
	int i, left, tries;

	for (tries = 0; tries < 1000; tries++) {
		for (i = 0, left = 0; i < n; i++) {
			int fd = ids[i] ? bpf_prog_get_fd_by_id(ids[i]) : -1;

			if (fd >= 0) {
				close(fd);
				left++;
			}
		}
		if (!left)
			return 0;
		usleep(10 * 1000);
	}
	return -ETIMEDOUT;
}

int enforce_stop(void)
{
	struct dirent *de;
	char path[512];
	__u32 ids[32];
	int err = 0, n = 0;
	DIR *d = opendir(ITR_ENF_PIN_DIR);

	if (!d) {
		if (errno == ENOENT) {
			printf("enforcement: not running\n");
			return 0;
		}
		log_err("cannot open %s: %s", ITR_ENF_PIN_DIR, strerror(errno));
		return -errno;
	}
	/* links first: the programs detach before the policy goes */
	for (int pass = 0; pass < 2; pass++) {
		rewinddir(d);
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || (!pass && strncmp(de->d_name, "link_", 5)))
				continue;
			snprintf(path, sizeof(path), "%s/%s", ITR_ENF_PIN_DIR, de->d_name);
			if (!pass && n < (int)(sizeof(ids) / sizeof(ids[0])))
				ids[n++] = link_prog_id(path);
			if (unlink(path) && errno != ENOENT) {
				log_err("cannot unpin %s: %s", path, strerror(errno));
				err = -errno;
			}
		}
	}
	closedir(d);
	if (!err && rmdir(ITR_ENF_PIN_DIR)) {
		log_err("cannot remove %s: %s", ITR_ENF_PIN_DIR, strerror(errno));
		err = -errno;
	}
	if (!err && wait_progs_gone(ids, n)) {
		log_err("unpinned, but the kernel has not detached every program after 10 s");
		err = -ETIMEDOUT;
	}
	/* after the programs: a kprobe left without its verdict denies (fail closed) */
	enforce_strict_disarm();
	if (!err)
		printf("enforcement: stopped\n");
	return err;
}
