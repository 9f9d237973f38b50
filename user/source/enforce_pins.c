// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The enforcement's pinned maps, read-only (source/enforce_pins.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "source/enforce_pins.h"

/* The pins this reader needs, in the order of enum pin. */
enum pin { PIN_POLICY, PIN_ACTIVE, PIN_COUNTERS, PIN_NAMES, NPINS };
static const char *const pin_names[NPINS] = {
	[PIN_POLICY] = "enf_policy",
	[PIN_ACTIVE] = "enf_active",
	[PIN_COUNTERS] = "enf_counters",
	[PIN_NAMES] = "enf_names",
};

int enf_pins_sum(int fd, __u32 key, struct itr_enf_counts *per, int ncpu,
		 struct itr_enf_counts *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(fd, &key, per))
		return -errno;
	for (i = 0; i < ncpu; i++) {
		out->allowed += per[i].allowed;
		out->denied += per[i].denied;
		out->audited += per[i].audited;
		out->killed += per[i].killed;
		out->raced += per[i].raced;
		out->missed += per[i].missed;
	}
	return 0;
}

/* Rule ids are the policy's: a repeated one gets "#N" (its index) so no series repeats. */
static void unique_id(struct enf_pins *e, __u32 i, const char *name)
{
	__u32 j;

	snprintf(e->rules[i].id, sizeof(e->rules[i].id), "%s", name[0] ? name : "(unnamed)");
	for (j = 0; j < i; j++)
		if (!strcmp(e->rules[j].id, e->rules[i].id)) {
			snprintf(e->rules[i].id, sizeof(e->rules[i].id), "%.*s#%u",
				 ITR_ENF_NAME_LEN, name, i);
			break;
		}
}

static int read_pins(const int *fd, struct enf_pins *e)
{
	struct itr_enf_policy *pol = NULL;
	struct itr_enf_counts *per = NULL;
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	__u32 zero = 0, slot, i;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	pol = malloc(sizeof(*pol));	/* 6 KiB, on a server thread: not on its stack */
	per = calloc(ncpu, sizeof(*per));
	if (!pol || !per) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(fd[PIN_ACTIVE], &zero, &slot)) {
		err = -errno;
		goto out;
	}
	slot &= 1;
	if (bpf_map_lookup_elem(fd[PIN_POLICY], &slot, pol)) {
		err = -errno;
		goto out;
	}
	e->slot = slot;
	e->generation = pol->generation;
	e->flags = pol->flags;
	e->default_action = pol->default_action;
	e->nrules = pol->nrules < ITR_ENF_MAX_RULES ? pol->nrules : ITR_ENF_MAX_RULES;
	for (i = 0; i <= e->nrules; i++) {
		__u32 key = slot * ENF_PINS_NRULES + i;
		char name[ITR_ENF_NAME_LEN] = "";

		if (bpf_map_lookup_elem(fd[PIN_NAMES], &key, name)) {
			err = -errno;
			goto out;
		}
		name[sizeof(name) - 1] = 0;
		unique_id(e, i, name);
		e->rules[i].action = i ? pol->rules[i - 1].action : pol->default_action;
		err = enf_pins_sum(fd[PIN_COUNTERS], key, per, ncpu, &e->rules[i].c);
		if (err)
			goto out;
	}
out:
	free(per);
	free(pol);
	return err;
}

int enf_pins_read(const char *dir, struct enf_pins *out)
{
	LIBBPF_OPTS(bpf_obj_get_opts, ro, .file_flags = BPF_F_RDONLY);
	int fd[NPINS], err = 0, i;
	char path[256];

	memset(out, 0, sizeof(*out));
	for (i = 0; i < NPINS; i++)
		fd[i] = -1;
	for (i = 0; i < NPINS && !err; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, pin_names[i]);
		fd[i] = bpf_obj_get_opts(path, &ro);
		if (fd[i] < 0)
			err = -errno;
	}
	if (!err)
		err = read_pins(fd, out);
	for (i = 0; i < NPINS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return err;
}
