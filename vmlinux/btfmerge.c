// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfmerge OUT BASE [MODULE...]: merge a kernel's base BTF and the split BTF
 * of some of its modules into one deduplicated raw BTF file, from which
 * `bpftool btf dump file OUT format c` makes a vmlinux.h that also declares
 * the modules' types. Part of the vmlinux.h recipe (vmlinux/gen.sh).
 *
 * libbpf cannot append split BTF, so each module is first made whole: a copy
 * of BASE (same ids) followed by the module's own types (whose ids then line
 * up), appended, and everything is deduplicated at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static struct btf *whole_module(const struct btf *base, const char *path)
{
	struct btf *mod, *whole;
	int id, n, err = 0;

	mod = btf__parse_split(path, (struct btf *)base);
	if (!mod) {
		fprintf(stderr, "btfmerge: cannot read module BTF %s: %s\n", path, strerror(errno));
		return NULL;
	}
	whole = btf__new_empty();
	if (!whole || btf__add_btf(whole, base) < 0) {
		err = -ENOMEM;
		goto cleanup;
	}
	n = btf__type_cnt(mod);
	for (id = btf__type_cnt(base); id < n && !err; id++)
		if (btf__add_type(whole, mod, btf__type_by_id(mod, id)) < 0)
			err = -EINVAL;
cleanup:
	btf__free(mod);
	if (err) {
		fprintf(stderr, "btfmerge: cannot copy the types of %s\n", path);
		btf__free(whole);
		return NULL;
	}
	return whole;
}

int main(int argc, char **argv)
{
	struct btf *base = NULL, *out = NULL, *whole;
	const void *raw;
	__u32 size;
	FILE *f = NULL;
	int i, ret = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: btfmerge OUT BASE [MODULE...]\n");
		return 2;
	}
	base = btf__parse(argv[2], NULL);
	if (!base) {
		fprintf(stderr, "btfmerge: cannot read base BTF %s: %s\n", argv[2], strerror(errno));
		goto cleanup;
	}
	out = btf__new_empty();
	if (!out || btf__add_btf(out, base) < 0)
		goto cleanup;
	for (i = 3; i < argc; i++) {
		whole = whole_module(base, argv[i]);
		if (!whole)
			goto cleanup;
		if (btf__add_btf(out, whole) < 0) {
			fprintf(stderr, "btfmerge: cannot append %s\n", argv[i]);
			btf__free(whole);
			goto cleanup;
		}
		btf__free(whole);
	}
	if (argc > 3 && btf__dedup(out, NULL)) {
		fprintf(stderr, "btfmerge: deduplication failed: %s\n", strerror(errno));
		goto cleanup;
	}
	raw = btf__raw_data(out, &size);
	f = fopen(argv[1], "wb");
	if (!raw || !f || fwrite(raw, 1, size, f) != size) {
		fprintf(stderr, "btfmerge: cannot write %s: %s\n", argv[1], strerror(errno));
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (f && fclose(f) && !ret)
		ret = 1;
	btf__free(out);
	btf__free(base);
	return ret;
}
