// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Facts about the running kernel: BTF, symbols, fentry and kprobe support. */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "source/kernel.h"

#define MAX_MODULE_BTFS 16

static struct {
	char name[64];
	struct btf *btf;
} module_btfs[MAX_MODULE_BTFS];
static int nmodule_btfs;

/* Read a whole text file, keeping the first word of each line ("\nword\n"...). */
static int read_names(const char *path, int field, const char *types, char **out, size_t *len)
{
	char line[512];
	size_t cap = 1 << 20, n = 1;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "r");

	if (!buf || !f) {
		int err = f ? -ENOMEM : -errno;

		free(buf);
		if (f)
			fclose(f);
		return err;
	}
	buf[0] = '\n';
	while (fgets(line, sizeof(line), f)) {
		char *w[3] = {}, *save = NULL, *p = line;
		int i;
		size_t l;

		for (i = 0; i < 3 && (w[i] = strtok_r(p, " \t\n", &save)); i++)
			p = NULL;
		if (!w[field] || (types && (!w[1] || !strchr(types, w[1][0]))))
			continue;
		l = strlen(w[field]);
		if (n + l + 2 > cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		memcpy(buf + n, w[field], l);
		n += l;
		buf[n++] = '\n';
	}
	fclose(f);
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

int kernel_open(struct kernel *k, const char *btf_path)
{
	int err;

	memset(k, 0, sizeof(*k));
	if (btf_path) {
		k->vmlinux = btf__parse(btf_path, NULL);
		snprintf(k->btf_source, sizeof(k->btf_source), "%s", btf_path);
	} else if (access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
		k->vmlinux = btf__load_vmlinux_btf();
		snprintf(k->btf_source, sizeof(k->btf_source), "/sys/kernel/btf/vmlinux");
	} else {
		log_err("this kernel exposes no BTF (/sys/kernel/btf/vmlinux is missing): "
				"pass --btf PATH to a BTF file of this kernel");
		return -ENOENT;
	}
	if (!k->vmlinux) {
		char why[128];

		err = -errno;
		libbpf_strerror(err, why, sizeof(why));	/* libbpf's own codes (4001...) too */
		log_err("cannot read kernel BTF from %s: %s", k->btf_source, why);
		return err;
	}
	/* text symbols only: "ADDR t NAME [MODULE]" */
	err = read_names("/proc/kallsyms", 2, "tT", &k->kallsyms, &k->kallsyms_len);
	if (err) {
		log_err("cannot read /proc/kallsyms: %s", strerror(-err));
		kernel_close(k);
		return err;
	}
	/* fentry needs an ftrace site; absent list: let the load decide */
	if (read_names("/sys/kernel/tracing/available_filter_functions", 0, NULL,
		       &k->ftrace, &k->ftrace_len))
		read_names("/sys/kernel/debug/tracing/available_filter_functions", 0, NULL,
			   &k->ftrace, &k->ftrace_len);
	k->kprobes = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
	if (!k->kprobes)
		snprintf(k->kprobes_why, sizeof(k->kprobes_why),
			 "the kernel has no kprobe PMU (CONFIG_KPROBE_EVENTS off?)");
	return 0;
}

void kernel_close(struct kernel *k)
{
	int i;

	for (i = 0; i < nmodule_btfs; i++)
		btf__free(module_btfs[i].btf);
	nmodule_btfs = 0;
	btf__free(k->vmlinux);
	free(k->kallsyms);
	free(k->ftrace);
	memset(k, 0, sizeof(*k));
}

struct btf *kernel_btf(struct kernel *k, const char *module)
{
	struct btf *b;
	int i;

	if (!module)
		return k->vmlinux;
	for (i = 0; i < nmodule_btfs; i++)
		if (!strcmp(module_btfs[i].name, module))
			return module_btfs[i].btf;
	if (nmodule_btfs == MAX_MODULE_BTFS)
		return NULL;
	b = btf__load_module_btf(module, k->vmlinux);
	/* no module BTF: built in (its functions are vmlinux's), or not loaded */
	if (!b)
		return k->vmlinux;
	snprintf(module_btfs[nmodule_btfs].name, sizeof(module_btfs[0].name), "%s", module);
	module_btfs[nmodule_btfs++].btf = b;
	return b;
}

int kernel_module_btf_fd(const char *module)
{
	__u32 id = 0;

	while (!bpf_btf_get_next_id(id, &id)) {
		struct bpf_btf_info info = {};
		__u32 len = sizeof(info);
		char name[64] = "";
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		info.name = (__u64)(unsigned long)name;
		info.name_len = sizeof(name);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(name, module))
			return fd;
		close(fd);
	}
	return -ENOENT;
}

bool kernel_has_btf_func(struct kernel *k, const char *module, const char *func)
{
	struct btf *b = kernel_btf(k, module);

	return b && btf__find_by_name_kind(b, func, BTF_KIND_FUNC) > 0;
}

bool kernel_has_tp(struct kernel *k, const char *name)
{
	char t[128];

	snprintf(t, sizeof(t), "btf_trace_%s", name);
	return btf__find_by_name_kind(k->vmlinux, t, BTF_KIND_TYPEDEF) > 0;
}

int kernel_resolve_sym(const struct kernel *k, const char *func, char *buf, size_t len)
{
	char key[160];
	const char *p;
	size_t n;

	if (!k->kallsyms)
		return -ENOENT;
	snprintf(key, sizeof(key), "\n%s\n", func);
	if (memmem(k->kallsyms, k->kallsyms_len, key, strlen(key))) {
		snprintf(buf, len, "%s", func);
		return 0;
	}
	/* a compiler clone: FUNC.isra.0, FUNC.constprop.0, FUNC.part.0, ... */
	snprintf(key, sizeof(key), "\n%s.", func);
	p = memmem(k->kallsyms, k->kallsyms_len, key, strlen(key));
	if (!p)
		return -ENOENT;
	p++;
	n = strcspn(p, "\n");
	if (n + 1 > len)
		return -ENAMETOOLONG;
	memcpy(buf, p, n);
	buf[n] = 0;
	return 0;
}

int kernel_fentry_probe(struct kernel *k, const char *module, const char *func)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btf *b = kernel_btf(k, module);
	int id, fd, obj_fd = 0, err;
	char key[160];

	if (!b)
		return -ENOENT;
	id = btf__find_by_name_kind(b, func, BTF_KIND_FUNC);
	if (id <= 0)
		return -ENOENT;
	snprintf(key, sizeof(key), "\n%s\n", func);
	if (k->ftrace && !memmem(k->ftrace, k->ftrace_len, key, strlen(key)))
		return -ESRCH;
	if (module && b != k->vmlinux) {
		obj_fd = kernel_module_btf_fd(module);
		if (obj_fd < 0)
			return obj_fd;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.expected_attach_type = BPF_TRACE_FENTRY,
		.attach_btf_id = id,
		.attach_btf_obj_fd = obj_fd,
	);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "itr_probe", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	err = fd < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	if (obj_fd > 0)
		close(obj_fd);
	return err;
}

int kernel_bpf_lsm(void)
{
	char buf[512] = "";
	FILE *f = fopen("/sys/kernel/security/lsm", "r");
	char *tok, *save = NULL;

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	for (tok = strtok_r(buf, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, "bpf"))
			return 1;
	return 0;
}

bool kernel_module_exists(const char *module)
{
	char path[512], line[1024], key[128], alt[128];
	struct utsname u;
	bool found = false;
	FILE *f;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	f = fopen(path, "r");
	/* "kernel/drivers/vfio/vfio.ko.xz: deps" (modules use - or _ alike) */
	snprintf(key, sizeof(key), "/%s.ko", module);
	snprintf(alt, sizeof(alt), "/%s.ko", module);
	for (char *p = alt; *p; p++)
		if (*p == '_')
			*p = '-';
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (colon)
			*colon = 0;
		found = strstr(line, key) || strstr(line, alt);
	}
	if (f)
		fclose(f);
	return found;
}
