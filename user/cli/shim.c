// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace shim load|unload|status: the kernel shim's module. */
#include <argp.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "lib/jsonw.h"
#include "lib/log.h"
#include "shim/shim.h"

enum { SHIM_KO = 0x400 };

static struct {
	const char *action;
	const char *ko;
	struct cli_fmt fmt;
} env;

static const char doc[] =
	"Load, unload or show the kernel shim (shim/: auxiliary-domain helpers\n"
	"for `iommutrace aux`, and kfuncs with which `monitor` and `check`\n"
	"confirm findings against the kernel's own state). Everything else in\n"
	"iommutrace works without it.\n"
	"\n"
	"USAGE: iommutrace shim load [--ko FILE] | unload | status [--json]\n"
	"\n"
	"load takes the .ko built for the running kernel from shim/*/ next to\n"
	"the iommutrace binary (make shim), or --ko FILE. unload undoes every\n"
	"domain the shim still holds; it fails while its device is open.\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace shim load           # build/shim/PROFILE/iommutrace_shim.ko\n"
	"    iommutrace shim status --json  # {\"loaded\":true,\"domains\":1,...}\n"
	"    iommutrace shim unload\n";

static const struct argp_option options[] = {
	{ "ko", SHIM_KO, "FILE", 0, "load: the module file (default: built for this kernel)", 0 },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.fmt;
		break;
	case SHIM_KO:
		env.ko = cli_readable(state, "ko", arg);
		break;
	case ARGP_KEY_ARG:
		if (env.action)
			argp_error(state, "unexpected argument '%s'", arg);
		if (strcmp(arg, "load") && strcmp(arg, "unload") && strcmp(arg, "status"))
			argp_error(state, "unknown action '%s' (load, unload, status)", arg);
		env.action = arg;
		break;
	case ARGP_KEY_END:
		if (!env.action)
			argp_error(state, "no action given (load, unload, status)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int show_status(void)
{
	char why[SHIM_WHY_LEN];
	struct itr_shim_status s = {};
	struct itr_shim_strict st;
	bool loaded = shim_loaded();
	int fd = -1, err = 0;

	if (loaded) {
		fd = shim_open(why);
		err = fd < 0 ? fd : shim_status(fd, &s, why);
		if (fd >= 0)
			close(fd);
		if (err) {
			log_err("shim status: %s", why);
			return 1;
		}
	}
	if (env.fmt.json) {
		json_object *o = json_object_new_object();

		jw_bool(o, "loaded", loaded);
		if (loaded) {
			jw_int(o, "abi", s.abi);
			jw_bool(o, "kfuncs", s.kfuncs);
			jw_int(o, "domains", s.domains);
			jw_int(o, "attachments", s.attachments);
			jw_int(o, "maps", s.maps);
			jw_u64(o, "mapped_bytes", s.mapped_bytes);
			if (!shim_strict_status(&st, why)) {
				jw_int(o, "strict_armed", st.kinds);
				jw_u64(o, "strict_decided", st.decided);
				jw_u64(o, "strict_denied", st.denied);
				jw_u64(o, "strict_undecided", st.undecided);
				jw_u64(o, "strict_missed", st.missed);
			}
		}
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else if (!loaded) {
		printf("shim: not loaded (aux and kernel confirmation of findings need it)\n");
	} else {
		printf("shim: loaded (abi %u), kfuncs %s\n", s.abi, s.kfuncs ? "on" : "off (no module BTF)");
		printf("domains %u, attachments %u, mappings %u (%llu bytes)\n", s.domains,
		       s.attachments, s.maps, (unsigned long long)s.mapped_bytes);
		if (!shim_strict_status(&st, why))
			printf("strict tier: %s; %llu maps decided, %llu denied, %llu without a verdict, %llu missed\n",
			       st.kinds ? "armed" : "not armed", (unsigned long long)st.decided,
			       (unsigned long long)st.denied, (unsigned long long)st.undecided,
			       (unsigned long long)st.missed);
	}
	return 0;
}

int cmd_shim(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &json_argp, 0, "Output (status):", 0 },
		{},
	};
	static const struct argp argp = { options, parse_opt, "load|unload|status", doc, children,
					  NULL, NULL };
	char why[SHIM_WHY_LEN], path[4096];

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	if (!strcmp(env.action, "status"))
		return show_status();
	if (!strcmp(env.action, "unload")) {
		struct itr_shim_strict st;

		/* armed, the module holds itself: say why and how to end it */
		if (!shim_strict_status(&st, why) && st.kinds) {
			log_err("shim unload: refused: the strict enforcement tier is armed "
				"(iommutrace enforce --stop disarms it)");
			return 1;
		}
		if (shim_unload(why)) {
			log_err("shim unload: %s", why);
			return 1;
		}
		printf("shim: unloaded\n");
		return 0;
	}
	if (shim_find_ko(env.ko, path, sizeof(path), why) || shim_load(path, why)) {
		log_err("shim load: %s", why);
		return 1;
	}
	printf("shim: loaded %s\n", path);
	return 0;
}
