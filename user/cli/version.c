// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <bpf/libbpf.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "iommutrace.h"

static const char doc[] =
	"Show the version, the ABI between the BPF programs and user space (the\n"
	"one recordings carry) and libbpf's version.\n"
	"\n"
	"USAGE: iommutrace version\n";

int cmd_version(int argc, char **argv)
{
	static const struct argp argp = { NULL, cli_no_args, NULL, doc, NULL, NULL, NULL };
	struct output out;

	if (cli_parse(&argp, argc, argv))
		return 2;
	output_open(&out, NULL);
	fprintf(out.f, "iommutrace %s (abi %d, libbpf %s)\n", itr_version, ITR_ABI_VERSION,
		libbpf_version_string());
	return cli_output_close(&out, 0) ? 1 : 0;
}
