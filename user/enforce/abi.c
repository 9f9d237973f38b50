// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Adopting pinned programs: are they of this build's ABI? The pinned maps
 * do not say how large the records the programs write into the audit
 * rings are; the programs' BTF does (maps.bpf.c names struct
 * itr_enf_audit). A daemon that read records of another layout would
 * print garbage: it refuses, and says how to start afresh.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "enforce/enforce.h"
#include "lib/log.h"

#define ABI_PROG	ITR_ENF_PIN_DIR "/prog_enf_file_open"

int enforce_pins_abi_check(void)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	const struct btf_type *t;
	struct btf *btf = NULL;
	long long size = -1;
	int fd, id, err = 0;

	fd = bpf_obj_get(ABI_PROG);
	if (fd < 0)
		return log_err("cannot open %s: %s", ABI_PROG, strerror(errno)), -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.btf_id)
		err = -ENOENT;
	else
		btf = btf__load_from_kernel_by_id(info.btf_id);
	close(fd);
	if (btf) {
		id = btf__find_by_name_kind(btf, "itr_enf_audit", BTF_KIND_STRUCT);
		t = id > 0 ? btf__type_by_id(btf, id) : NULL;
		size = t ? (long long)t->size : -1;
		btf__free(btf);
	}
	if (err || size != (long long)sizeof(struct itr_enf_audit)) {
		if (size < 0)
			log_err("the pinned programs under %s are of an older build (their BTF names no "
				"struct itr_enf_audit; ABI %d wants it): run `iommutrace enforce --stop`, "
				"then start again", ITR_ENF_PIN_DIR, ITR_ENF_ABI_VERSION);
		else
			log_err("the pinned programs under %s write %lld-byte audit records, this build "
				"reads %zu (ABI %d): run `iommutrace enforce --stop`, then start again",
				ITR_ENF_PIN_DIR, size, sizeof(struct itr_enf_audit), ITR_ENF_ABI_VERSION);
		return -EPROTO;
	}
	return 0;
}
