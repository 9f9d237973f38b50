// Build: cc -std=gnu11 -Wall -Wextra -Werror -O2 -g -I/work/main/vmlinux/uapi tests/workload/*.c -ljson-c -o build/iommutrace-workload
// SPDX-License-Identifier: GPL-2.0
/*
 * iommutrace-workload: the scenario table, options and the run loop.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "workload.h"

#define PROG "iommutrace-workload"
#define MAX_SELECTED 256

/* Sorted by name; "all" runs them in this order (bind comes first). */
static const struct scenario scenarios[] = {
	{ "bind", "bind the e1000 pair and edu to vfio-pci (driver_override, unbind, drivers_probe)",
	  scn_bind, false },
	{ "edu-pasid-hold", "edu's cdev on an IOAS, held until stdin closes; \"detach N\" on stdin: a VFIO detach of PASID N",
	  scn_edu_pasid_hold, true },
	{ "iommufd-basic", "edu cdev on an IOAS: maps, copy to a 2nd IOAS, unmaps, own HWPT + replace, detach, destroy",
	  scn_iommufd_basic, true },
	{ "iommufd-compat", "/dev/iommu as a VFIO container: type1v2 MAP_DMA/UNMAP_DMA via iommufd's compat layer",
	  scn_iommufd_compat, true },
	{ "iommufd-edu-dma", "edu DMA round trip through iommufd IOAS mappings, verified",
	  scn_iommufd_edu_dma, true },
	{ "iommufd-group-replace", "both e1000 on HWPT A, replace only the first to B (moves the group), use the second",
	  scn_iommufd_group_replace, true },
	{ "iommufd-pasid", "IOMMUFD_TEST mock device: PASID attach to HWPT A, replace to B, check, detach",
	  scn_iommufd_pasid, true },
	{ "stress-ids", "3 iommufd contexts in one process (mock devices): 300 HWPTs allocated, used and destroyed, 2 per context left to the close",
	  scn_stress_ids, true },
	{ "stress-type1", "type1: one container held open while another is set up, mapped and closed 60 times (domains allocated and freed)",
	  scn_stress_type1, false },
	{ "mock-aux-hold", "two IOMMUFD_TEST mock devices (PASID-capable with its RID detached; without PASID) held until stdin closes",
	  scn_mock_aux_hold, true },
	{ "type1-close-mapped", "type1 maps left in place; close group and container fds",
	  scn_type1_close_mapped, false },
	{ "type1-dirty", "type1 dirty-page tracking: bitmap refused before START, START, GET_BITMAP, UNMAP_DMA with its bitmap, STOP",
	  scn_type1_dirty, false },
	{ "type1-edu-dma", "edu DMA round trip through type1 mappings, verified",
	  scn_type1_edu_dma, false },
	{ "type1-edu-fault", "edu DMA read from an unmapped IOVA: blocked (DMAR fault), no data delivered",
	  scn_type1_edu_fault, false },
	{ "type1-group-pair", "the e1000 pair's shared group in a type1 container: both device fds, map/unmap",
	  scn_type1_group_pair, false },
	{ "type1-map", "type1 MAP_DMA of 4 KiB, 64 KiB, 2 MiB, 1 MiB, then UNMAP_DMA each",
	  scn_type1_map, false },
	{ "type1-map-reserved", "type1 MAP_DMA into the MSI window (refused: EINVAL), then just below it",
	  scn_type1_map_reserved, false },
	{ "type1-unmap-all", "type1 maps, then one UNMAP_DMA with VFIO_DMA_UNMAP_FLAG_ALL",
	  scn_type1_unmap_all, false },
	{ "type1-unmap-parts", "16 x 4 KiB type1 maps unmapped as 2 x 32 KiB; half of one mapping refused",
	  scn_type1_unmap_parts, false },
};

enum {
	OPT_EDU = 0x100,
	OPT_PAIR,
};

struct opts {
	const char *log;
	bool list;
	bool verbose;
	struct wl_env env;
	bool edu_set, pair_set;
	const struct scenario *sel[MAX_SELECTED];
	int nsel;
};

volatile int wl_stop;
static char skip_reason[160];

const char *argp_program_version = PROG " 0.1";
static const char args_doc[] = "SCENARIO...";
static const char doc[] =
"Drive VFIO type1, iommufd and QEMU's edu DMA engine like a VMM, logging\n"
"every operation as one JSON line (format: tests/workload/log.h).\n"
"\n"
"USAGE: " PROG " [--log FILE] [--edu BDF] [--pair BDF,BDF] [-v]\n"
"                           SCENARIO...\n"
"       " PROG " --list\n"
"\n"
"SCENARIO is a name from --list, or all (every scenario, in list order;\n"
"those needing /dev/iommu are skipped without it).\n"
"\n"
"EXAMPLES:\n"
"    " PROG " --list              # the scenarios\n"
"    " PROG " bind type1-map      # bind, then type1 maps\n"
"    " PROG " --log ops.jsonl all # everything, logged to a file\n"
"    " PROG " --edu 0000:00:05.0 bind type1-edu-dma\n"
"\v"
"Exit status: 0 all ran ok (skips allowed), 77 everything was skipped,\n"
"1 a scenario failed, 2 usage error.";

static const struct argp_option options[] = {
	{ "list", 'l', NULL, 0, "List the scenarios and exit", 0 },
	{ "log", 'o', "FILE", 0, "Write the JSON-lines log to FILE (default: stdout)", 0 },
	{ "edu", OPT_EDU, "BDF", 0, "The edu device (default: the first 1234:11e8)", 0 },
	{ "pair", OPT_PAIR, "BDF,BDF", 0,
	  "The two e1000 functions that share a group (default: the first two 8086:100e)", 0 },
	{ "verbose", 'v', NULL, 0, "Copy log lines to stderr too (with --log FILE)", 0 },
	{},
};

static void known_names(char *buf, size_t len)
{
	size_t i, off;

	off = snprintf(buf, len, "all");
	for (i = 0; i < ARRAY_SIZE(scenarios) && off < len; i++)
		off += snprintf(buf + off, len - off, " %s", scenarios[i].name);
}

static int select_name(struct opts *o, const char *name, struct argp_state *state)
{
	char known[1024];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (strcmp(name, "all") && strcmp(name, scenarios[i].name))
			continue;
		if (o->nsel == MAX_SELECTED)
			argp_failure(state, 2, 0, "too many scenarios");
		o->sel[o->nsel++] = &scenarios[i];
		if (strcmp(name, "all"))
			return 0;
	}
	if (!strcmp(name, "all"))
		return 0;
	known_names(known, sizeof(known));
	argp_failure(state, 2, 0, "unknown scenario '%s' (known: %s)", name, known);
	return EINVAL;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;
	char *comma;

	switch (key) {
	case 'l':
		o->list = true;
		break;
	case 'o':
		o->log = arg;
		break;
	case 'v':
		o->verbose = true;
		break;
	case OPT_EDU:
		if (pci_normalize_bdf(arg, o->env.edu))
			argp_failure(state, 2, 0, "--edu: bad PCI address '%s'", arg);
		o->edu_set = true;
		break;
	case OPT_PAIR:
		comma = strchr(arg, ',');
		if (!comma)
			argp_failure(state, 2, 0, "--pair: want BDF,BDF, not '%s'", arg);
		*comma = '\0';
		if (pci_normalize_bdf(arg, o->env.pair[0]) ||
		    pci_normalize_bdf(comma + 1, o->env.pair[1]))
			argp_failure(state, 2, 0, "--pair: bad PCI address in '%s,%s'",
				     arg, comma + 1);
		o->pair_set = true;
		break;
	case ARGP_KEY_ARG:
		return select_name(o, arg, state);
	case ARGP_KEY_END:
		if (!o->list && !o->nsel)
			argp_error(state, "no SCENARIO given (--list shows them)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Default devices: found by vendor:device; left empty when absent. */
static void find_devices(struct opts *o)
{
	char found[2][BDF_LEN];
	int n;

	if (!o->edu_set) {
		n = pci_find(EDU_VENDOR, EDU_DEVICE, found, 1);
		if (n > 0)
			memcpy(o->env.edu, found[0], BDF_LEN);
	}
	if (!o->pair_set) {
		n = pci_find(E1000_VENDOR, E1000_DEVICE, found, 2);
		if (n == 2)
			memcpy(o->env.pair, found, sizeof(found));
	}
}

int wl_need(const char *bdf, const char *what)
{
	if (bdf[0])
		return 0;
	return log_failf("find", ENODEV, "no %s device found (see --edu, --pair)", what);
}

int wl_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
	return WL_SKIP;
}

static void on_signal(int sig)
{
	(void)sig;
	wl_stop = 1;
}

/* Returns 0, WL_SKIP or -errno, after one line on stderr for the latter two
 * (the reason of a skip, what failed and why). */
static int run_one(const struct scenario *s, const struct wl_env *env)
{
	struct log_fail fail = {};
	struct log_op *o;
	const char *status;
	int err;

	log_set_scenario(s->name);
	log_fail_reset();
	skip_reason[0] = '\0';
	log_end(log_begin("scenario_begin"), 0, 0);
	if (s->iommufd && access("/dev/iommu", F_OK))
		err = wl_skip("no /dev/iommu (kernel without IOMMUFD)");
	else
		err = s->run(env);
	if (err == WL_SKIP)
		fprintf(stderr, PROG ": %s: skipped: %s\n", s->name,
			skip_reason[0] ? skip_reason : "does not apply here");
	if (err < 0) {
		if (log_last_fail())
			fail = *log_last_fail();
		else
			snprintf(fail.op, sizeof(fail.op), "scenario");
		fprintf(stderr, PROG ": %s: %s failed: %s%s%s%s\n", s->name, fail.op,
			strerror(-err), fail.detail[0] ? " (" : "", fail.detail,
			fail.detail[0] ? ")" : "");
	}
	status = err == WL_SKIP ? "skip" : err ? "fail" : "ok";
	o = log_begin("scenario_end");
	log_str(o, "status", status);
	if (err < 0)
		log_str(o, "failed_op", fail.op);
	if (err == WL_SKIP)
		log_str(o, "reason", skip_reason);
	log_end(o, err < 0 ? -1 : 0, err < 0 ? -err : 0);
	return err;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, args_doc, doc, NULL, NULL, NULL };
	struct sigaction sa = { .sa_handler = on_signal };
	struct opts o = {};
	int i, err, ok = 0, skipped = 0, failed = 0;

	argp_err_exit_status = 2;
	err = argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (err)
		return 2;
	if (o.list) {
		for (i = 0; i < (int)ARRAY_SIZE(scenarios); i++)
			printf("%-24s %s%s\n", scenarios[i].name, scenarios[i].desc,
			       scenarios[i].iommufd ? " [iommufd]" : "");
		return 0;
	}
	err = log_open(o.log, o.verbose);
	if (err) {
		fprintf(stderr, PROG ": cannot open log %s: %s\n", o.log, strerror(-err));
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	find_devices(&o);

	for (i = 0; i < o.nsel && !wl_stop; i++) {
		err = run_one(o.sel[i], &o.env);
		if (err == WL_SKIP)
			skipped++;
		else if (err)
			failed++;
		else
			ok++;
	}
	log_close();
	if (failed || wl_stop)
		return 1;
	return !ok && skipped ? WL_SKIP : 0;
}
