// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace aux ACTION ...: the kernel shim's auxiliary-domain helpers
 * (shim/aux.c) through its misc device. One row per action, sorted by
 * name: its arguments and what it does.
 */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "lib/jsonw.h"
#include "lib/log.h"
#include "shim/shim.h"

enum { AUX_RID = 0x500, AUX_TRANSIENT, AUX_ATTACH, AUX_CORE_ONLY, AUX_PASID };

struct aux_action;

static struct {
	const struct aux_action *act;
	char *args[4];
	int nargs;
	bool rid, transient, attach, core_only;
	const char *pasid;	/* attach --pasid: on a --core-only domain */
	struct cli_fmt fmt;
} env;

/* One action: fn gets the open device and a command with its arguments parsed. */
struct aux_action {
	const char *name;
	int nargs;
	const char *usage;
	unsigned long req;
	int (*fn)(int fd, struct itr_shim_cmd *c, char *why);
};

static int act_alloc(int fd, struct itr_shim_cmd *c, char *why);
static int act_attach(int fd, struct itr_shim_cmd *c, char *why);
static int act_list(int fd, struct itr_shim_cmd *c, char *why);
static int act_plain(int fd, struct itr_shim_cmd *c, char *why);

static const struct aux_action actions[] = {
	{ "alloc", 1, "alloc DEVICE [--transient] [--attach] [--core-only]", ITR_SHIM_ALLOC, act_alloc },
	{ "attach", 1, "attach DOMAIN [--rid | --pasid PASID]", ITR_SHIM_ATTACH, act_attach },
	{ "detach", 2, "detach DOMAIN PASID | detach DOMAIN --rid", ITR_SHIM_DETACH, act_plain },
	{ "free", 1, "free DOMAIN", ITR_SHIM_FREE, act_plain },
	{ "list", 1, "list DEVICE [--json]", ITR_SHIM_LIST, act_list },
	{ "map", 3, "map DOMAIN IOVA SIZE", ITR_SHIM_MAP, act_plain },
	{ "replace", 3, "replace DOMAIN PASID NEW_DOMAIN", ITR_SHIM_REPLACE, act_plain },
	{ "unmap", 3, "unmap DOMAIN IOVA SIZE", ITR_SHIM_UNMAP, act_plain },
};
#define NACTIONS (int)(sizeof(actions) / sizeof(actions[0]))

static const char doc[] =
	"Drive the kernel shim's auxiliary-domain helpers (needs `iommutrace shim\n"
	"load`): a paging domain for a device, attached on PASIDs the shim\n"
	"allocates (the old aux-domain API, on today's PASID API), mapping pages\n"
	"the shim owns. Domains live until `aux free` or the shim's unload\n"
	"(--transient: until this command exits).\n"
	"\n"
	"USAGE: iommutrace aux alloc DEVICE [--transient] [--attach] [--core-only]\n"
	"       iommutrace aux attach DOMAIN [--rid | --pasid PASID]\n"
	"       iommutrace aux detach DOMAIN PASID | detach DOMAIN --rid\n"
	"       iommutrace aux replace DOMAIN PASID NEW_DOMAIN\n"
	"       iommutrace aux map|unmap DOMAIN IOVA SIZE\n"
	"       iommutrace aux list DEVICE [--json]\n"
	"       iommutrace aux free DOMAIN\n"
	"\n"
	"DEVICE is a name as in /sys/bus/*/devices/; IOVA and SIZE take 0x and\n"
	"K/M suffixes. A device without PASID support is refused, with why,\n"
	"unless --core-only: a test aid for kernels whose core takes a PASID on\n"
	"such a device anyway (7.x), the PASID then given with attach --pasid.\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace aux alloc iommufd_mock0     # domain 1\n"
	"    iommutrace aux attach 1                # pasid 1\n"
	"    iommutrace aux map 1 0x1000000 64K\n"
	"    iommutrace aux list iommufd_mock0\n"
	"    iommutrace aux replace 1 1 2           # PASID 1 moves to domain 2\n"
	"    iommutrace aux free 1\n";

static const struct argp_option options[] = {
	{ "rid", AUX_RID, NULL, 0, "attach, detach: the device's RID, not a PASID", 0 },
	{ "transient", AUX_TRANSIENT, NULL, 0, "alloc: undo the domain when this command exits", 0 },
	{ "attach", AUX_ATTACH, NULL, 0, "alloc: attach it to a new PASID too", 0 },
	{ "core-only", AUX_CORE_ONLY, NULL, 0, "alloc: a device without PASID support (its PASIDs given to attach)", 0 },
	{ "pasid", AUX_PASID, "PASID", 0, "attach: this PASID (a --core-only domain)", 0 },
	{},
};

static const struct aux_action *action_find(const char *name)
{
	int i;

	for (i = 0; i < NACTIONS; i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.fmt;
		break;
	case AUX_RID:
		env.rid = true;
		break;
	case AUX_TRANSIENT:
		env.transient = true;
		break;
	case AUX_ATTACH:
		env.attach = true;
		break;
	case AUX_CORE_ONLY:
		env.core_only = true;
		break;
	case AUX_PASID:
		env.pasid = arg;
		break;
	case ARGP_KEY_ARG:
		if (!env.act) {
			env.act = action_find(arg);
			if (!env.act)
				argp_error(state, "unknown action '%s' (alloc, attach, detach, free, list, map, replace, unmap)", arg);
		} else if (env.nargs == 4) {
			argp_error(state, "unexpected argument '%s'", arg);
		} else {
			env.args[env.nargs++] = arg;
		}
		break;
	case ARGP_KEY_END:
		if (!env.act)
			argp_error(state, "no action given (alloc, attach, detach, free, list, map, replace, unmap)");
		if (env.act->req == ITR_SHIM_DETACH && env.rid && env.nargs == 1)
			break;
		if (env.nargs != env.act->nargs)
			argp_error(state, "usage: aux %s", env.act->usage);
		if (env.rid && env.act->req != ITR_SHIM_ATTACH && env.act->req != ITR_SHIM_DETACH)
			argp_error(state, "--rid is for attach and detach");
		if ((env.transient || env.attach || env.core_only) && env.act->req != ITR_SHIM_ALLOC)
			argp_error(state, "--transient, --attach and --core-only are for alloc");
		if (env.pasid && (env.act->req != ITR_SHIM_ATTACH || env.rid))
			argp_error(state, "--pasid is for attach, without --rid");
		if (env.attach && env.core_only)
			argp_error(state, "--attach needs a PASID the shim allocates: not with --core-only");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* A number: decimal or 0x hex, with an optional K, M or G; -EINVAL if not. */
static int parse_u64(const char *s, __u64 *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	if (*end && !end[1])
		shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 :
			*end == 'G' || *end == 'g' ? 30 : -1;
	if ((*end && shift <= 0) || (v << shift) >> shift != v)
		return -EINVAL;
	*out = v << shift;
	return 0;
}

/* Argument i as a number in [1, max], named what in the error. */
static int arg_num(int i, const char *what, __u64 max, __u64 *out)
{
	if (parse_u64(env.args[i], out) || *out > max || (*out == 0 && max != ~0ULL)) {
		log_err("aux %s: invalid %s '%s'", env.act->name, what, env.args[i]);
		return -EINVAL;
	}
	return 0;
}

/* env.args into c, by the action's shape. */
static int fill(struct itr_shim_cmd *c)
{
	__u64 v;

	c->flags = (env.rid ? ITR_SHIM_RID : 0) | (env.transient ? ITR_SHIM_TRANSIENT : 0) |
		   (env.core_only ? ITR_SHIM_CORE_ONLY : 0);
	if (env.pasid) {
		if (parse_u64(env.pasid, &v) || !v || v >= (1u << 20)) {
			log_err("aux attach: invalid PASID '%s' (1 to 0xfffff)", env.pasid);
			return -EINVAL;
		}
		c->pasid = v;
	}
	if (env.act->req == ITR_SHIM_ALLOC || env.act->req == ITR_SHIM_LIST) {
		if (strlen(env.args[0]) >= sizeof(c->dev)) {
			log_err("aux %s: device name '%s' is too long", env.act->name, env.args[0]);
			return -EINVAL;
		}
		strcpy(c->dev, env.args[0]);
		return 0;
	}
	if (arg_num(0, "domain", 0x7fffffff, &v))
		return -EINVAL;
	c->domain = v;
	if (env.nargs < 2)
		return 0;
	if (env.act->req == ITR_SHIM_MAP || env.act->req == ITR_SHIM_UNMAP) {
		if (arg_num(1, "IOVA", ~0ULL, &c->iova) || arg_num(2, "size", ~0ULL, &c->length))
			return -EINVAL;
		return 0;
	}
	if (arg_num(1, "PASID", 0xffffffffu, &v))
		return -EINVAL;
	c->pasid = v;
	if (env.nargs > 2) {
		if (arg_num(2, "domain", 0x7fffffff, &v))
			return -EINVAL;
		c->domain2 = v;
	}
	return 0;
}

static int act_plain(int fd, struct itr_shim_cmd *c, char *why)
{
	return shim_cmd(fd, env.act->req, c, why);
}

static int act_alloc(int fd, struct itr_shim_cmd *c, char *why)
{
	int err = shim_cmd(fd, ITR_SHIM_ALLOC, c, why);

	if (err)
		return err;
	printf("domain %u\n", c->domain);
	if (!env.attach)
		return 0;
	c->flags = 0;
	err = shim_cmd(fd, ITR_SHIM_ATTACH, c, why);
	if (!err)
		printf("pasid %u\n", c->pasid);
	return err;
}

static int act_attach(int fd, struct itr_shim_cmd *c, char *why)
{
	int err = shim_cmd(fd, ITR_SHIM_ATTACH, c, why);

	if (!err && !env.rid)
		printf("pasid %u\n", c->pasid);
	return err;
}

static void list_json(const struct itr_shim_list *l)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	__u32 i;

	jw_str(o, "device", l->dev);
	jw_int(o, "max_pasids", l->max_pasids);
	for (i = 0; i < l->n; i++) {
		json_object *e = json_object_new_object();

		jw_int(e, "pasid", l->e[i].pasid);
		jw_bool(e, "rid", i == 0);
		jw_int(e, "domain", l->e[i].domain);
		jw_str(e, "type", shim_dom_name(l->e[i].type));
		jw_bool(e, "kernel", l->e[i].kernel);
		json_object_array_add(a, e);
	}
	jw_obj(o, "attachments", a);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

static int act_list(int fd, struct itr_shim_cmd *c, char *why)
{
	struct itr_shim_list l = {};
	__u32 i;
	int err;

	memcpy(l.dev, c->dev, sizeof(l.dev));
	err = shim_list(fd, &l, why);
	if (err)
		return err;
	if (env.fmt.json) {
		list_json(&l);
		return 0;
	}
	printf("%-6s %-7s %-10s %s\n", "PASID", "DOMAIN", "TYPE", "KERNEL");
	for (i = 0; i < l.n; i++) {
		char p[16] = "rid", d[16] = "-";

		if (i)
			snprintf(p, sizeof(p), "%u", l.e[i].pasid);
		if (l.e[i].domain)
			snprintf(d, sizeof(d), "%u", l.e[i].domain);
		printf("%-6s %-7s %-10s %s\n", p, d, shim_dom_name(l.e[i].type),
		       l.e[i].kernel ? "yes" : "no");
	}
	return 0;
}

int cmd_aux(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &json_argp, 0, "Output (list):", 0 },
		{},
	};
	static const struct argp argp = { options, parse_opt, "ACTION ARGS...", doc, children,
					  NULL, NULL };
	struct itr_shim_cmd c = {};
	char why[SHIM_WHY_LEN];
	int fd, err;

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	if (fill(&c))
		return 2;
	fd = shim_open(why);
	if (fd < 0) {
		log_err("aux %s: %s", env.act->name, why);
		return 1;
	}
	err = env.act->fn(fd, &c, why);
	close(fd);
	if (err) {
		log_err("aux %s: %s", env.act->name, why);
		return 1;
	}
	return 0;
}
