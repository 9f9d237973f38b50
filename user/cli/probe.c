// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace probe: what this kernel offers and which method each hook of
 * the probe table gets (really loaded and attached, then detached).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <json-c/json.h>
#include <bpf/libbpf.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "source/kernel.h"
#include "source/live.h"
#include "source/loader.h"

static struct {
	struct live_opts live;	/* -v, --btf, --no-fentry (kernel_argp) */
	struct loader_opts lo;
	struct cli_fmt fmt;	/* --json */
} env;

/* Layers that are modules in Debian's kernels, and a function each has. */
static const struct {
	const char *module;
	const char *func;
} layers[] = {
	{ "iommufd",		"iommufd_fops_open" },
	{ "vfio",		"vfio_register_group_dev" },
	{ "vfio_iommu_type1",	"vfio_iommu_type1_ioctl" },
	{ "vfio_pci_core",	"vfio_pci_core_register_device" },
};

#define NLAYERS (sizeof(layers) / sizeof(layers[0]))

struct facts {
	struct utsname uts;
	char btf[256];
	bool ringbuf, fentry, kprobes, loaded;
	int bpf_lsm;			/* 1, 0, -errno: unknown */
	char fentry_why[160], kprobes_why[128];
	const char *layer[NLAYERS];	/* "module", "module (not loaded)", "built in", "absent" */
};

static const char doc[] =
	"Show what this kernel offers iommutrace: BTF, ring buffer, BPF LSM,\n"
	"fentry and kprobe support, the VFIO and iommufd layers, and the method\n"
	"each hook gets (fentry, kprobe, tracepoint or unavailable) and why.\n"
	"The hooks are really loaded and attached, then detached.\n"
	"\n"
	"USAGE: iommutrace probe [--json] [--btf PATH] [--no-fentry] [-v]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace probe               # a table\n"
	"    iommutrace probe --json        # one JSON object\n"
	"    iommutrace probe --btf /boot/vmlinux-btf   # kernel without /sys/kernel/btf\n";

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->child_inputs[0] = &env.live;
	state->child_inputs[1] = &env.fmt;
	return 0;
}

static void gather(struct facts *f, const struct loader *l)
{
	struct kernel k;
	char path[128];
	size_t i;

	uname(&f->uts);
	f->ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1;
	f->bpf_lsm = kernel_bpf_lsm();
	f->fentry = l->fentry_ok && !env.lo.no_fentry;
	snprintf(f->fentry_why, sizeof(f->fentry_why), "%s",
		 env.lo.no_fentry ? "disabled (--no-fentry)" : l->fentry_why);
	if (kernel_open(&k, env.lo.btf_path))
		return;
	snprintf(f->btf, sizeof(f->btf), "%s", k.btf_source);
	f->kprobes = k.kprobes;
	snprintf(f->kprobes_why, sizeof(f->kprobes_why), "%s", k.kprobes_why);
	for (i = 0; i < NLAYERS; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", layers[i].module);
		f->layer[i] = !access(path, R_OK) ? "module" :
			      kernel_has_btf_func(&k, NULL, layers[i].func) ? "built in" :
			      kernel_module_exists(layers[i].module) ? "module (not loaded)" : "absent";
	}
	kernel_close(&k);
}

static void show_plain(const struct facts *f, const struct loader *l)
{
	size_t i;
	int t;

	printf("%-10s %s %s\n", "kernel", f->uts.release, f->uts.version);
	printf("%-10s %s\n", "btf", f->btf[0] ? f->btf : "none");
	printf("%-10s %s\n", "ringbuf", f->ringbuf ? "yes" : "no");
	printf("%-10s %s\n", "bpf-lsm", f->bpf_lsm > 0 ? "yes (\"bpf\" in the active LSMs)" :
	       f->bpf_lsm == 0 ? "no (\"bpf\" not in the active LSMs)" :
	       "unknown (no /sys/kernel/security/lsm: securityfs not mounted)");
	printf("%-10s %s\n", "fentry", f->fentry ? "yes" : f->fentry_why);
	printf("%-10s %s\n", "kprobes", f->kprobes ? "yes" : f->kprobes_why);
	for (i = 0; i < NLAYERS; i++)
		printf("%-10s %-18s %s\n", i ? "" : "layers", layers[i].module, f->layer[i] ?: "?");
	printf("%-10s %s\n\n", "hooks", f->loaded ? "loaded and attached" : "NOT loaded (see above)");
	printf("%-34s %-11s %-30s %s\n", "TARGET", "METHOD", "SYMBOL", "WHY");
	for (t = 0; t < itr_ntargets; t++) {
		const struct target_state *s = &l->targets[t];
		char name[80];

		snprintf(name, sizeof(name), "%s%s%s%s", s->t->kind == TGT_TP ? "tp:" : "", s->t->name,
			 s->t->module ? " @" : "", s->t->module ?: "");
		printf("%-34s %-11s %-30s %s\n", name, method_name(s->method),
		       s->method == METHOD_NONE || s->method >= METHOD_SUPERSEDED ? "-" : s->symbol,
		       s->why);
	}
}

static int show_json(const struct facts *f, const struct loader *l)
{
	json_object *o = json_object_new_object(), *ls = json_object_new_object();
	json_object *ts = json_object_new_array();
	size_t i;
	int t;

	if (!o || !ls || !ts) {
		json_object_put(o);
		json_object_put(ls);
		json_object_put(ts);
		return -ENOMEM;
	}
	json_object_object_add(o, "kernel", json_object_new_string(f->uts.release));
	json_object_object_add(o, "btf", f->btf[0] ? json_object_new_string(f->btf) : NULL);
	json_object_object_add(o, "ringbuf", json_object_new_boolean(f->ringbuf));
	json_object_object_add(o, "bpf_lsm", f->bpf_lsm < 0 ? NULL : json_object_new_boolean(f->bpf_lsm));
	json_object_object_add(o, "fentry", json_object_new_boolean(f->fentry));
	json_object_object_add(o, "kprobes", json_object_new_boolean(f->kprobes));
	json_object_object_add(o, "loaded", json_object_new_boolean(f->loaded));
	for (i = 0; i < NLAYERS; i++)
		json_object_object_add(ls, layers[i].module, json_object_new_string(f->layer[i] ?: "?"));
	json_object_object_add(o, "layers", ls);
	for (t = 0; t < itr_ntargets; t++) {
		const struct target_state *s = &l->targets[t];
		json_object *r = json_object_new_object();

		if (!r)
			break;
		json_object_object_add(r, "name", json_object_new_string(s->t->name));
		json_object_object_add(r, "kind", json_object_new_string(s->t->kind == TGT_TP ? "tracepoint" : "function"));
		json_object_object_add(r, "module", s->t->module ? json_object_new_string(s->t->module) : NULL);
		json_object_object_add(r, "method", json_object_new_string(method_name(s->method)));
		json_object_object_add(r, "symbol", s->symbol[0] ? json_object_new_string(s->symbol) : NULL);
		json_object_object_add(r, "why", json_object_new_string(s->why));
		json_object_object_add(r, "required", json_object_new_boolean(s->t->flags & TGT_REQUIRED));
		json_object_array_add(ts, r);
	}
	json_object_object_add(o, "targets", ts);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

int cmd_probe(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &kernel_argp, 0, "Kernel:", 0 },
		{ &json_argp, 0, "Output (one JSON object with --json):", 0 },
		{},
	};
	static const struct argp argp = { NULL, parse_arg, NULL, doc, children, NULL, NULL };
	struct facts f = {};
	struct loader l = {};
	struct output out;
	struct kernel k;
	int err;

	memset(&env, 0, sizeof(env));
	if (cli_parse(&argp, argc, argv))
		return 2;
	live_loader_opts(&env.live, &env.lo);
	loader_set_verbose(env.lo.verbose);
	/* Without the kernel's BTF there are no choices to show (said once). */
	if (kernel_open(&k, env.lo.btf_path))
		return 1;
	kernel_close(&k);
	/* Really load and attach; if that fails, still show the choices. */
	err = loader_start(&l, NULL, &env.lo);
	f.loaded = !err;
	if (err) {
		env.lo.dry_run = true;
		if (loader_start(&l, NULL, &env.lo))
			return 1;
	}
	gather(&f, &l);
	output_open(&out, NULL);
	err = env.fmt.json ? show_json(&f, &l) : (show_plain(&f, &l), 0);
	loader_stop(&l);
	return cli_output_close(&out, err) || !f.loaded ? 1 : 0;
}
