// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <bpf/libbpf.h>
#include "cli/cmd.h"
#include "iommutrace.h"

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("iommutrace %s (abi %d, libbpf %s)\n", itr_version, ITR_ABI_VERSION,
	       libbpf_version_string());
	return 0;
}
