// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Load the enforce skeleton, put the first policy in force, attach and pin
 * every program and link and map under ITR_ENF_PIN_DIR, then let go of the
 * skeleton: the pins keep enforcement alive without the daemon.
 *
 * Hooks (the tiers of docs/enforce.md), one row each:
 *   LSM file_open, file_receive, file_ioctl: required;
 *   LSM file_ioctl_compat: required where the kernel has it (6.8+, and
 *     backports); without it a compat ioctl goes through file_ioctl;
 *   device objects: the address of the kernel's cdev_map (kallsyms), for a
 *     VFIO cdev's first open (bpf/enforce/device.bpf.h);
 *   kernel copy: vfio_pin_pages_remote (type1), iopt_map_pages (iommufd),
 *     anon_inode_getfile(_fmode) (GET_DEVICE_FD's device fd), by fentry,
 *     else kprobe; off when the function is absent.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "enforce.skel.h"
#include "enforce/enforce.h"
#include "lib/log.h"
#include "source/kernel.h"

/* The address of kernel data symbol NAME in /proc/kallsyms; 0: not found (or hidden). */
static __u64 kallsyms_addr(const char *name)
{
	char line[256], sym[128], type;
	unsigned long long addr, ret = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (!ret && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &addr, &type, sym) == 3 && !strcmp(sym, name))
			ret = addr;
	fclose(f);
	return ret;
}

/*
 * A kernel-copy hook: its function, module, and the programs' base name;
 * ALT, another function that serves the same path on other kernels: when
 * the kernel has that one, this one's absence is no loss and not said;
 * ONLY: the function is the operation's only path (a kernel without it
 * has no such operation to guard), so its absence is not said either.
 */
struct enf_hook {
	const char *func;
	const char *module;
	const char *base;
	const char *alt;
	bool only;
};

static const struct enf_hook copy_hooks[] = {
	{ "iopt_map_pages",		NULL,			"enf_iopt_map",		NULL, false },
	{ "vfio_pin_pages_remote",	"vfio_iommu_type1",	"enf_type1_pin",	NULL, false },
	/* GET_DEVICE_FD's device fd: 6.1 to 6.12, and 7.x (devfd.bpf.c) */
	{ "anon_inode_getfile",		NULL,			"enf_devfd",		"anon_inode_getfile_fmode", false },
	{ "anon_inode_getfile_fmode",	NULL,			"enf_devfd_fmode",	"anon_inode_getfile", false },
	/* a cdev's attach with and without a PASID: 7.x; 6.x has no cdev (attach.bpf.c) */
	{ "vfio_iommufd_physical_pasid_attach_ioas", "vfio",	"enf_pasid_attach",	NULL, true },
	{ "vfio_iommufd_physical_attach_ioas",	"vfio",		"enf_rid_attach",	NULL, true },
};

static bool verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return verbose ? vfprintf(stderr, fmt, ap) : 0;
}

static struct bpf_program *prog_named(struct enforce_bpf *s, const char *family, const char *base)
{
	char name[96];

	snprintf(name, sizeof(name), "%s_%s", family, base);
	return bpf_object__find_program_by_name(s->obj, name);
}

/* Choose each kernel-copy hook's family (or none) before the load. */
static void choose_copy_hooks(struct enforce_bpf *s, struct kernel *k)
{
	size_t i;

	for (i = 0; i < sizeof(copy_hooks) / sizeof(copy_hooks[0]); i++) {
		const struct enf_hook *h = &copy_hooks[i];
		struct bpf_program *fe = prog_named(s, "fentry", h->base);
		struct bpf_program *kp = prog_named(s, "kprobe", h->base);
		int fe_err = kernel_fentry_probe(k, h->module, h->func);
		char sym[128];

		if (!fe_err) {
			bpf_program__set_autoload(fe, true);
			continue;
		}
		if (k->kprobes && !kernel_resolve_sym(k, h->func, sym, sizeof(sym))) {
			bpf_program__set_autoload(kp, true);
			bpf_program__set_attach_target(kp, 0, sym);
			continue;
		}
		if ((h->alt && !kernel_fentry_probe(k, NULL, h->alt)) || (h->only && fe_err == -ENOENT))
			continue;
		if (fe_err == -ENOENT)
			log_warn("kernel-copy tier: %s%s%s is absent (%s): that path has only the ioctl gate",
				 h->func, h->module ? " in " : "", h->module ? h->module : "",
				 h->module ? "load the module before the daemon" : "not in this kernel");
		else
			log_warn("kernel-copy tier: %s cannot be hooked (fentry: %s; %s): that path has only the ioctl gate",
				 h->func, strerror(-fe_err), k->kprobes ? "no kprobe symbol" : "no kprobes");
	}
}

/* Is BPF LSM active? 1, or 0 with *why set. */
static int lsm_active(struct enforce_bpf *s, const char **why)
{
	struct bpf_link *link;
	int fd;

	switch (kernel_bpf_lsm()) {
	case 1:
		return 1;
	case 0:
		*why = "'bpf' is missing from /sys/kernel/security/lsm";
		return 0;
	}
	/* no securityfs: see whether an LSM program runs */
	link = bpf_program__attach(s->progs.enf_lsm_probe);
	if (!link) {
		*why = "an LSM program does not attach";
		return 0;
	}
	s->bss->enf_probe_tgid = getpid();
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	*why = "an LSM program attached but did not run (no securityfs to say why)";
	return s->bss->enf_probe_hits > 0;
}

/* The programs enforcement runs (not the LSM probe). */
static bool enforcing_prog(struct enforce_bpf *s, struct bpf_program *prog)
{
	return bpf_program__autoload(prog) && prog != s->progs.enf_lsm_probe;
}

static int pin_all(struct enforce_bpf *s)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char path[256];
	int err;

	bpf_object__for_each_map(map, s->obj) {
		if (!strcmp(bpf_map__name(map), "enforce.rodata") || strchr(bpf_map__name(map), '.'))
			continue;
		snprintf(path, sizeof(path), "%s/%s", ITR_ENF_PIN_DIR, bpf_map__name(map));
		err = bpf_map__pin(map, path);
		if (err)
			return log_err("failed to pin %s: %s", path, strerror(-err)), err;
	}
	bpf_object__for_each_program(prog, s->obj) {
		if (!enforcing_prog(s, prog))
			continue;
		snprintf(path, sizeof(path), "%s/prog_%s", ITR_ENF_PIN_DIR, bpf_program__name(prog));
		err = bpf_program__pin(prog, path);
		if (err)
			return log_err("failed to pin %s: %s", path, strerror(-err)), err;
	}
	return 0;
}

static int attach_all(struct enforce_bpf *s)
{
	struct bpf_program *prog;
	struct bpf_link *link;
	char path[256];
	int err;

	bpf_object__for_each_program(prog, s->obj) {
		if (!enforcing_prog(s, prog))
			continue;
		link = bpf_program__attach(prog);
		if (!link) {
			err = -errno;
			return log_err("failed to attach %s: %s", bpf_program__name(prog), strerror(-err)), err;
		}
		snprintf(path, sizeof(path), "%s/link_%s", ITR_ENF_PIN_DIR, bpf_program__name(prog));
		err = bpf_link__pin(link, path);
		/* the pin holds the link now; the fd goes, the program stays */
		bpf_link__destroy(link);
		if (err)
			return log_err("failed to pin %s: %s", path, strerror(-err)), err;
	}
	return 0;
}

int enforce_load(const struct policy *p, const struct itr_enf_policy *kp, bool v)
{
	struct itr_enf_policy first = *kp;
	struct enforce_maps m;
	struct enforce_bpf *s;
	struct kernel k = {};
	__u32 zero = 0;
	const char *why = "";
	int err;

	verbose = v;
	libbpf_set_print(print_libbpf);
	err = kernel_open(&k, NULL);
	if (err)
		return err;
	s = enforce_bpf__open();
	if (!s) {
		err = -errno;
		log_err("failed to open the enforce programs: %s", strerror(-err));
		goto out_kernel;
	}
	/* the compat gate where the kernel has the hook (else file_ioctl sees compat calls) */
	bpf_program__set_autoload(s->progs.enf_file_ioctl_compat,
				  kernel_has_btf_func(&k, NULL, "bpf_lsm_file_ioctl_compat"));
	choose_copy_hooks(s, &k);
	/* a cdev's first open: its struct cdev from the kernel's cdev_map (device.bpf.h) */
	s->rodata->enf_cdev_map = kallsyms_addr("cdev_map");
	err = enforce_strict_prepare(s->progs.enf_strict, kp);
	if (err)
		goto out_skel;
	bpf_program__set_autoload(s->progs.enf_lsm_probe, kernel_bpf_lsm() < 0);
	err = enforce_bpf__load(s);
	if (err) {
		log_err("failed to load the enforce programs: %s", strerror(-err));
		goto out_skel;
	}
	if (!lsm_active(s, &why)) {
		log_err("BPF LSM is not active: %s (boot with lsm=...,bpf)", why);
		err = -ENOTSUP;
		goto out_skel;
	}
	if (mkdir(ITR_ENF_PIN_DIR, 0700) && errno != EEXIST) {
		err = -errno;
		log_err("cannot create %s: %s (is bpffs mounted on /sys/fs/bpf?)", ITR_ENF_PIN_DIR,
			strerror(-err));
		goto out_skel;
	}
	err = pin_all(s);
	if (err)
		goto out_unpin;
	/* the first policy in force before the first program runs: generation 0 in slot 0 */
	first.generation = 0;
	first.flags &= ~ITR_ENF_F_STRICT;	/* the gates judge maps until the shim is armed */
	if (bpf_map__update_elem(s->maps.enf_policy, &zero, sizeof(zero), &first, sizeof(first), BPF_ANY) ||
	    bpf_map__update_elem(s->maps.enf_active, &zero, sizeof(zero), &zero, sizeof(zero), BPF_ANY)) {
		err = -errno;
		log_err("cannot write the first policy: %s", strerror(-err));
		goto out_unpin;
	}
	/* then the names and counters through the one install path (slot 1, generation 1) */
	err = enforce_maps_open(&m);
	if (!err) {
		err = enforce_install(&m, p, &first);
		enforce_maps_close(&m);
	}
	if (err)
		goto out_unpin;
	err = attach_all(s);
	if (!err && (kp->flags & ITR_ENF_F_STRICT))
		err = enforce_strict_arm(p, kp);
out_unpin:
	if (err)
		enforce_stop();
out_skel:
	enforce_bpf__destroy(s);
out_kernel:
	kernel_close(&k);
	return err;
}
