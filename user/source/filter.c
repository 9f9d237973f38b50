// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Filter options -> struct itr_config, and the same filters in user space. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "event/event.h"
#include "source/filter.h"
#include "lib/parse.h"

void filter_init(struct itr_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->group_id = -1;
}

/* A decimal number in [min, max]; 0 or -EINVAL. */
/* A PCI address "DDDD:BB:DD.F" or "BB:DD.F" -> dev_name() form "0000:00:06.0". */
static int parse_bdf(const char *arg, char *out, size_t len)
{
	unsigned int dom = 0, bus, dev, fn;
	int n = -1;

	if (sscanf(arg, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &n) != 4 || arg[n]) {
		dom = 0;
		n = -1;
		if (sscanf(arg, "%2x:%2x.%1x%n", &bus, &dev, &fn, &n) != 3 || arg[n])
			return -EINVAL;
	}
	if (strpbrk(arg, " \t+-xX") || dev > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

/* "a,b,c" of names in table t -> OR of bit(value); 0 or -EINVAL with why. */
static int parse_names(const struct itr_name *t, int n, const char *what, const char *arg,
		       __u32 (*bit)(__u32), __u32 *out, char *why, size_t len)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	unsigned int v;
	int err = 0, i, off;

	if (!copy)
		return -ENOMEM;
	if (!*arg || arg[strlen(arg) - 1] == ',' || strstr(arg, ",,") || *arg == ',') {
		snprintf(why, len, "empty %s name", what);
		err = -EINVAL;
		goto cleanup;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (value_of(t, n, tok, &v)) {
			off = snprintf(why, len, "unknown %s '%s' (known:", what, tok);
			for (i = 0; i < n && off > 0 && (size_t)off < len; i++)
				off += snprintf(why + off, len - off, " %s", t[i].name);
			if (off > 0 && (size_t)off < len)
				snprintf(why + off, len - off, ")");
			err = -EINVAL;
			goto cleanup;
		}
		*out |= bit(v);
	}
cleanup:
	free(copy);
	return err;
}

static __u32 kind_bit(__u32 kind)
{
	return 1u << kind;
}

static int parse_cgroup(const char *arg, __u64 *id, char *why, size_t len)
{
	struct statfs fs;
	struct stat st;

	if (stat(arg, &st) || statfs(arg, &fs)) {
		snprintf(why, len, "%s", strerror(errno));
		return -EINVAL;
	}
	if (!S_ISDIR(st.st_mode) || fs.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(why, len, "not a cgroup v2 directory");
		return -EINVAL;
	}
	*id = st.st_ino;	/* the kernfs node id: bpf_get_current_cgroup_id() */
	return 0;
}

static int add_dev(struct itr_config *cfg, const char *arg, char *why, size_t len)
{
	char bdf[ITR_DEV_LEN];
	int i;

	if (parse_bdf(arg, bdf, sizeof(bdf))) {
		snprintf(why, len, "want a PCI address DDDD:BB:DD.F or BB:DD.F");
		return -EINVAL;
	}
	for (i = 0; i < cfg->ndevs; i++)
		if (!strcmp(cfg->devs[i], bdf))
			return 0;
	if (cfg->ndevs == ITR_MAX_FILTER_DEVS) {
		snprintf(why, len, "at most %d devices", ITR_MAX_FILTER_DEVS);
		return -EINVAL;
	}
	memcpy(cfg->devs[cfg->ndevs++], bdf, sizeof(bdf));
	return 0;
}

int filter_parse(struct itr_config *cfg, int key, const char *arg, char *why, size_t len)
{
	long long n;

	why[0] = '\0';
	switch (key) {
	case FILTER_PID:
		if (parse_num(arg, 1, INT_MAX, &n)) {
			snprintf(why, len, "want a process id > 0");
			return -EINVAL;
		}
		cfg->tgid = n;
		return 0;
	case FILTER_COMM:
		if (!*arg) {
			snprintf(why, len, "want a task name");
			return -EINVAL;
		}
		if (strlen(arg) >= ITR_COMM_LEN) {
			snprintf(why, len, "longer than %d characters (the kernel keeps '%.*s')",
				 ITR_COMM_LEN - 1, ITR_COMM_LEN - 1, arg);
			return -EINVAL;
		}
		memset(cfg->comm, 0, sizeof(cfg->comm));
		memcpy(cfg->comm, arg, strlen(arg));
		return 0;
	case FILTER_CGROUP:
		return parse_cgroup(arg, &cfg->cgroup_id, why, len);
	case FILTER_DEV:
		return add_dev(cfg, arg, why, len);
	case FILTER_GROUP:
		if (parse_num(arg, 0, INT_MAX, &n)) {
			snprintf(why, len, "want an IOMMU group number >= 0");
			return -EINVAL;
		}
		cfg->group_id = n;
		return 0;
	case FILTER_TYPE:
		if (parse_names(itr_domain_type_names, itr_ndomain_type_names, "domain type", arg,
				filter_type_bit, &cfg->domain_types, why, len))
			return -EINVAL;
		/* Asking for DMA-API domains by type means sending them. */
		if (cfg->domain_types & (filter_type_bit(ITR_DOM_DMA) | filter_type_bit(ITR_DOM_DMA_FQ)))
			cfg->all_domains = 1;
		return 0;
	case FILTER_KINDS:
		return parse_names(itr_kind_names, itr_nkind_names, "event kind", arg, kind_bit,
				   &cfg->kinds, why, len);
	case FILTER_ALL_DOMAINS:
		cfg->all_domains = 1;
		return 0;
	}
	snprintf(why, len, "unknown filter option %d", key);
	return -EINVAL;
}
