// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <argp.h>
#include "cli/cli.h"
#include "source/filter.h"
#include "records.h"

static int parse(struct itr_config *cfg, int key, const char *arg, char *why)
{
	return filter_parse(cfg, key, arg, why, 256);
}

Test(filter, init_means_no_filter)
{
	struct itr_config cfg;

	memset(&cfg, 0xff, sizeof(cfg));
	filter_init(&cfg);
	cr_assert_eq(cfg.group_id, -1);
	cr_assert_eq(cfg.tgid, 0);
	cr_assert_eq(cfg.ndevs, 0);
	cr_assert_eq(cfg.kinds, 0);
	cr_assert_eq(cfg.comm[0], 0);
	cr_assert_eq(cfg.all_domains, 0);
}

Test(filter, good_values)
{
	struct itr_config cfg;
	char why[256];

	filter_init(&cfg);
	cr_assert_eq(parse(&cfg, FILTER_PID, "4320", why), 0, "%s", why);
	cr_assert_eq(cfg.tgid, 4320);
	cr_assert_eq(parse(&cfg, FILTER_COMM, "qemu-system-x86", why), 0, "%s", why);
	cr_assert_str_eq(cfg.comm, "qemu-system-x86");
	cr_assert_eq(parse(&cfg, FILTER_GROUP, "0", why), 0, "%s", why);
	cr_assert_eq(cfg.group_id, 0);
	cr_assert_eq(parse(&cfg, FILTER_DEV, "0000:00:06.0", why), 0, "%s", why);
	cr_assert_eq(parse(&cfg, FILTER_DEV, "0A:1f.7", why), 0, "%s", why);
	cr_assert_eq(parse(&cfg, FILTER_DEV, "0000:0a:1F.7", why), 0, "duplicate: %s", why);
	cr_assert_eq(parse(&cfg, FILTER_DEV, "ABCD:ff:00.1", why), 0, "%s", why);
	cr_assert_eq(cfg.ndevs, 3);
	cr_assert_str_eq(cfg.devs[0], "0000:00:06.0");
	cr_assert_str_eq(cfg.devs[1], "0000:0a:1f.7");
	cr_assert_str_eq(cfg.devs[2], "abcd:ff:00.1");
	cr_assert_eq(parse(&cfg, FILTER_KINDS, "map,UNMAP", why), 0, "%s", why);
	cr_assert_eq(parse(&cfg, FILTER_KINDS, "fault", why), 0, "%s", why);
	cr_assert_eq(cfg.kinds, 1u << ITR_EV_MAP | 1u << ITR_EV_UNMAP | 1u << ITR_EV_FAULT);
	cr_assert_eq(parse(&cfg, FILTER_TYPE, "UNMANAGED,identity", why), 0, "%s", why);
	cr_assert_eq(cfg.domain_types,
		     filter_type_bit(ITR_DOM_UNMANAGED) | filter_type_bit(ITR_DOM_IDENTITY));
	cr_assert_eq(cfg.all_domains, 0);
	cr_assert_eq(parse(&cfg, FILTER_ALL_DOMAINS, NULL, why), 0, "%s", why);
	cr_assert_eq(cfg.all_domains, 1);
}

Test(filter, asking_for_dma_types_sends_them)
{
	struct itr_config cfg;
	char why[256];

	filter_init(&cfg);
	cr_assert_eq(parse(&cfg, FILTER_TYPE, "DMA_FQ", why), 0, "%s", why);
	cr_assert_eq(cfg.all_domains, 1);
}

Test(filter, bad_values)
{
	static const struct {
		int key;
		const char *arg;
		const char *why;	/* a part of the reason */
	} cases[] = {
		{ FILTER_PID, "0", "process id" },
		{ FILTER_PID, "-1", "process id" },
		{ FILTER_PID, "12x", "process id" },
		{ FILTER_PID, "", "process id" },
		{ FILTER_PID, "99999999999", "process id" },
		{ FILTER_COMM, "", "task name" },
		{ FILTER_COMM, "qemu-system-x86_64", "the kernel keeps 'qemu-system-x86'" },
		{ FILTER_GROUP, "-1", "group" },
		{ FILTER_GROUP, "one", "group" },
		{ FILTER_DEV, "", "PCI address" },
		{ FILTER_DEV, "xyz", "PCI address" },
		{ FILTER_DEV, "00:20.0", "PCI address" },	/* device > 0x1f */
		{ FILTER_DEV, "00:06.8", "PCI address" },	/* function > 7 */
		{ FILTER_DEV, "0x0:06.0", "PCI address" },
		{ FILTER_DEV, "00:06.0 ", "PCI address" },
		{ FILTER_DEV, "000:00:06.0x", "PCI address" },
		{ FILTER_DEV, "00000:00:06.0", "PCI address" },
		{ FILTER_TYPE, "", "empty domain type" },
		{ FILTER_TYPE, "DMA,", "empty domain type" },
		{ FILTER_TYPE, "DMA,,UNMANAGED", "empty domain type" },
		{ FILTER_TYPE, "DMA,PAGING", "unknown domain type 'PAGING' (known: BLOCKED" },
		{ FILTER_KINDS, "map,mapp", "unknown event kind 'mapp' (known: domain_alloc" },
		{ FILTER_KINDS, ",map", "empty event kind" },
		{ FILTER_CGROUP, "/nonexistent/cgroup", "No such file or directory" },
		{ FILTER_CGROUP, "/proc", "not a cgroup v2 directory" },
		{ FILTER_CGROUP, "/proc/self/status", "not a cgroup v2 directory" },
	};
	struct itr_config cfg;
	char why[256];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		filter_init(&cfg);
		cr_assert_eq(parse(&cfg, cases[i].key, cases[i].arg, why), -EINVAL, "'%s' accepted",
			     cases[i].arg);
		cr_assert_not_null(strstr(why, cases[i].why), "'%s': %s", cases[i].arg, why);
		cr_assert_null(strchr(why, '\n'), "%s", why);
	}
}

Test(filter, at_most_four_devices)
{
	static const char *const devs[] = { "00:01.0", "00:02.0", "00:03.0", "00:04.0" };
	struct itr_config cfg;
	char why[256];
	unsigned int i;

	filter_init(&cfg);
	for (i = 0; i < 4; i++)
		cr_assert_eq(parse(&cfg, FILTER_DEV, devs[i], why), 0, "%s", why);
	cr_assert_eq(parse(&cfg, FILTER_DEV, "00:05.0", why), -EINVAL);
	cr_assert_str_eq(why, "at most 4 devices");
	cr_assert_eq(cfg.ndevs, ITR_MAX_FILTER_DEVS);
}

Test(filter, cgroup_id_is_the_directory_inode)
{
	static const char *const dir = "/sys/fs/cgroup";
	struct itr_config cfg;
	struct statfs fs;
	struct stat st;
	char why[256];

	if (statfs(dir, &fs) || fs.f_type != CGROUP2_SUPER_MAGIC || stat(dir, &st))
		cr_skip_test("no cgroup v2 hierarchy at %s", dir);
	filter_init(&cfg);
	cr_assert_eq(parse(&cfg, FILTER_CGROUP, dir, why), 0, "%s", why);
	cr_assert_eq(cfg.cgroup_id, st.st_ino);
}

/* The argp child: a bad value is one line naming the option and the value. */
static error_t parent(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->child_inputs[0] = state->input;
	return 0;
}

static int parse_args(int argc, char **argv, struct itr_config *cfg)
{
	static const struct argp_child children[] = { { &filter_argp, 0, NULL, 0 }, {} };
	static const struct argp argp = { NULL, parent, NULL, NULL, children, NULL, NULL };

	return argp_parse(&argp, argc, argv, ARGP_NO_EXIT, NULL, cfg);
}

Test(filter, argp_parses_options)
{
	char *argv[] = { "trace", "--pid", "7", "-c", "fio", "--dev", "00:06.0", "--kinds",
			 "attach", "--group=3", "--all-domains" };
	struct itr_config cfg;

	cr_assert_eq(parse_args(sizeof(argv) / sizeof(argv[0]), argv, &cfg), 0);
	cr_assert_eq(cfg.tgid, 7);
	cr_assert_str_eq(cfg.comm, "fio");
	cr_assert_str_eq(cfg.devs[0], "0000:00:06.0");
	cr_assert_eq(cfg.kinds, 1u << ITR_EV_ATTACH);
	cr_assert_eq(cfg.group_id, 3);
	cr_assert_eq(cfg.all_domains, 1);
}

Test(filter, argp_error_names_option_and_value, .init = cr_redirect_stderr)
{
	char *argv[] = { "trace", "--type", "DMA,FOO" };
	struct itr_config cfg;
	char err[1024] = "";
	size_t n;

	cr_assert_neq(parse_args(3, argv, &cfg), 0);
	fflush(stderr);
	n = fread(err, 1, sizeof(err) - 1, cr_get_redirected_stderr());
	err[n] = '\0';
	cr_assert_not_null(strstr(err, "invalid --type 'DMA,FOO': unknown domain type 'FOO'"),
			   "%s", err);
	cr_assert_eq(strchr(err, '\n')[-1], ')', "one line: %s", err);
}

Test(filter, every_domain_type_has_its_own_bit)
{
	static const __u32 types[] = {
		ITR_DOM_BLOCKED, ITR_DOM_UNMANAGED, ITR_DOM_DMA, ITR_DOM_IDENTITY,
		ITR_DOM_DMA_FQ, ITR_DOM_SVA, ITR_DOM_PLATFORM, ITR_DOM_NESTED, ITR_DOM_UNKNOWN,
	};
	__u32 seen = 0;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		__u32 b = itr_type_bit(types[i]);

		cr_assert_eq(b & (b - 1), 0, "type 0x%x: not one bit", types[i]);
		cr_assert_eq(seen & b, 0, "type 0x%x shares bit 0x%x", types[i], b);
		seen |= b;
	}
}
