// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "records.h"
#include "sink/sink.h"

/* Every field of the header, in every event (docs/events.md). */
static const char *const hdr_keys[] = {
	"schema", "kind", "ts_ns", "cpu", "pid", "tgid", "comm", "cgroup_id", "domain_id",
	"domain_type", "group_id", "dev", "ret", "flags",
};

/* The kind-specific fields, by kind; NULL-terminated. */
static const char *const *kind_keys(unsigned int kind)
{
	static const char *const domain[] = { "pgsize_bitmap", "aperture_start", "aperture_end", NULL };
	static const char *const attach[] = { "old_domain_id", "old_domain_type", "is_default", NULL };
	static const char *const pasid[] = { "old_domain_id", "old_domain_type", "is_default",
					     "pasid", NULL };
	static const char *const map[] = { "iova", "paddr", "size", "done", "latency_ns", "prot",
					   "prot_names", NULL };
	static const char *const map_sg[] = { "iova", "paddr", "size", "done", "latency_ns", "prot",
					      "prot_names", "nents", NULL };
	static const char *const unmap[] = { "iova", "size", "done", "latency_ns", NULL };
	static const char *const group[] = { NULL };
	static const char *const fault[] = { "iova", "fault_flags", "access", "source", "reason", NULL };
	static const char *const ioctl[] = { "op_id", "file_id", "fd", "layer", "ioctl", "cmd",
					     "arg_len", "args", "decode", "latency_ns", NULL };
	static const char *const locked[] = { "npages", "locked_vm", NULL };
	static const char *const join[] = { "hwpt_id", "ioas_id", NULL };
	static const char *const file[] = { "op_id", "file_id", "fd", "layer", NULL };
	static const char *const unbind[] = { "dev_id", "iommufd_file_id", NULL };
	static const char *const lost[] = { "total", "by_kind", NULL };

	switch (kind) {
	case ITR_EV_DOMAIN_ALLOC: case ITR_EV_DOMAIN_FREE: return domain;
	case ITR_EV_ATTACH: case ITR_EV_DETACH: return attach;
	case ITR_EV_PASID_ATTACH ... ITR_EV_PASID_REPLACE: return pasid;
	case ITR_EV_MAP: return map;
	case ITR_EV_MAP_SG: return map_sg;
	case ITR_EV_UNMAP: case ITR_EV_UNMAP_FAST: return unmap;
	case ITR_EV_GROUP_ADD: case ITR_EV_GROUP_REMOVE: return group;
	case ITR_EV_FAULT: return fault;
	case ITR_EV_IOCTL: return ioctl;
	case ITR_EV_LOCKED: return locked;
	case ITR_EV_HWPT_DOMAIN: return join;
	case ITR_EV_OPEN ... ITR_EV_CLOSE: return file;
	case ITR_EV_UNBIND: return unbind;
	case ITR_EV_LOST: return lost;
	}
	return NULL;
}

/* The sink's output for ev: exactly one line, no raw control bytes; parsed back. */
static json_object *emit_and_parse(const struct itr_event *ev, char **line)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	json_object *o;

	cr_assert_eq(json_event(f, ev), 0);
	fclose(f);
	cr_assert_gt(len, 2);
	cr_assert_eq(buf[len - 1], '\n');
	for (i = 0; i + 1 < len; i++)
		cr_assert_geq((unsigned char)buf[i], 0x20, "raw byte 0x%02x at %zu: %s",
			      (unsigned char)buf[i], i, buf);
	o = json_tokener_parse(buf);
	cr_assert_not_null(o, "not JSON: %s", buf);
	if (line)
		*line = buf;
	else
		free(buf);
	return o;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\" in %s", key,
		  json_object_to_json_string(o));
	return v;
}

Test(json, every_kind_parses_back_with_exactly_its_fields)
{
	struct itr_event ev;
	union rec r;
	unsigned int k;

	for (k = 1; k < ITR_EV_MAX; k++) {
		const char *const *keys = kind_keys(k);
		json_object *o;
		size_t i, n = 0;

		rec_decode(&r, k, &ev);
		o = emit_and_parse(&ev, NULL);
		cr_assert_not_null(keys, "%s", kind_name(k));
		for (i = 0; i < sizeof(hdr_keys) / sizeof(hdr_keys[0]); i++, n++)
			get(o, hdr_keys[i]);
		for (i = 0; keys[i]; i++, n++)
			get(o, keys[i]);
		cr_assert_eq(json_object_object_length(o), (int)n, "%s: %s", kind_name(k),
			     json_object_to_json_string(o));
		cr_assert_eq(json_object_get_int(get(o, "schema")), ITR_ABI_VERSION);
		cr_assert_str_eq(json_object_get_string(get(o, "kind")), kind_name(k));
		cr_assert_eq(json_object_get_uint64(get(o, "ts_ns")), r.h.ts_ns);
		cr_assert_eq(json_object_get_int(get(o, "tgid")), 4320);
		cr_assert_str_eq(json_object_get_string(get(o, "comm")), "qemu-system-x86");
		json_object_put(o);
	}
}

/* ABI 7: an ioctl carrying type1's accounting has locked_pages, locked_vm and the flag */
Test(json, ioctl_with_folded_accounting)
{
	struct itr_event ev;
	json_object *o;
	union rec r;

	rec_decode(&r, ITR_EV_IOCTL, &ev);
	r.h.flags = ITR_F_LOCKED;	/* ev points into r */
	r.ioctl.locked_npages = -16;
	r.ioctl.locked_vm = 1040;
	o = emit_and_parse(&ev, NULL);
	cr_assert_eq(json_object_get_int64(get(o, "locked_pages")), -16);
	cr_assert_eq(json_object_get_int64(get(o, "locked_vm")), 1040);
	cr_assert_str_eq(json_object_to_json_string_ext(get(o, "flags"), JSON_C_TO_STRING_PLAIN),
			 "[\"locked\"]");
	json_object_put(o);
}

Test(json, field_values)
{
	struct itr_event ev;
	json_object *o, *a;
	union rec r;

	rec_decode(&r, ITR_EV_MAP, &ev);
	r.map.iova = 0xfffffffffffff000ULL;	/* beyond 2^53: exact in the text */
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "domain_id")), "1122334455667788");
	cr_assert_str_eq(json_object_get_string(get(o, "domain_type")), "UNMANAGED");
	cr_assert_eq(json_object_get_uint64(get(o, "iova")), 0xfffffffffffff000ULL);
	cr_assert_eq(json_object_get_uint64(get(o, "size")), 4096);
	cr_assert_eq(json_object_get_int(get(o, "prot")), 3);
	a = get(o, "prot_names");
	cr_assert_eq(json_object_array_length(a), 2);
	cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(a, 1)), "write");
	cr_assert(json_object_is_type(get(o, "dev"), json_type_null));
	cr_assert_eq(json_object_get_int(get(o, "group_id")), -1);
	json_object_put(o);

	rec_decode(&r, ITR_EV_PASID_REPLACE, &ev);
	r.h.ret = -EBUSY;
	r.h.flags = ITR_F_GROUP | ITR_F_FROM_TP;
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "error")), "EBUSY");
	cr_assert_eq(json_object_get_int(get(o, "ret")), -EBUSY);
	cr_assert_str_eq(json_object_get_string(get(o, "old_domain_id")), "99aabbccddeeff00");
	cr_assert_str_eq(json_object_get_string(get(o, "old_domain_type")), "DMA");
	cr_assert_eq(json_object_get_int(get(o, "pasid")), 3);
	cr_assert_str_eq(json_object_to_json_string(get(o, "flags")), "[ \"from_tp\", \"group\" ]");
	json_object_put(o);
	r.h.ret = INT_MIN;	/* a crafted recording's: no overflow negating it */
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "error")), "E2147483648");
	json_object_put(o);

	rec_decode(&r, ITR_EV_GROUP_ADD, &ev);
	o = emit_and_parse(&ev, NULL);
	cr_assert(json_object_is_type(get(o, "domain_id"), json_type_null));
	cr_assert(json_object_is_type(get(o, "domain_type"), json_type_null));
	cr_assert_str_eq(json_object_get_string(get(o, "dev")), "0000:00:06.0");
	json_object_put(o);

	/* a device fd from VFIO_GROUP_GET_DEVICE_FD: the group ioctl's op id */
	rec_decode(&r, ITR_EV_OPEN, &ev);
	r.h.ctx.op_id = REC_OP_ID;
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "dev")), "0000:00:06.0");
	cr_assert_eq(json_object_get_int(get(o, "group_id")), 5);
	cr_assert_str_eq(json_object_get_string(get(o, "op_id")), "0102030405060708");
	cr_assert_str_eq(json_object_get_string(get(o, "file_id")), "a1a2a3a4a5a6a7a8");
	cr_assert_eq(json_object_get_int(get(o, "fd")), 7);
	cr_assert_str_eq(json_object_get_string(get(o, "layer")), "vfio-device");
	json_object_put(o);

	/* the release: no fd, no operation, still the file */
	rec_decode(&r, ITR_EV_CLOSE, &ev);
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "kind")), "close");
	cr_assert_str_eq(json_object_get_string(get(o, "op_id")), "0000000000000000");
	cr_assert_str_eq(json_object_get_string(get(o, "file_id")), "a1a2a3a4a5a6a7a8");
	cr_assert_eq(json_object_get_int(get(o, "fd")), -1);
	cr_assert_str_eq(json_object_to_json_string(get(o, "flags")), "[ \"no_ret\" ]");
	json_object_put(o);

	/* a container: its file, its fd, no device */
	rec_decode(&r, ITR_EV_OPEN, &ev);
	rec_container(&r);
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "kind")), "open");
	cr_assert(json_object_is_type(get(o, "dev"), json_type_null));
	cr_assert_str_eq(json_object_get_string(get(o, "file_id")), "a1a2a3a4a5a6a7a8");
	cr_assert_eq(json_object_get_int(get(o, "fd")), 5);
	cr_assert_str_eq(json_object_get_string(get(o, "layer")), "vfio-container");
	json_object_put(o);

	/* an unbind outside any ioctl: no context, the iommufd context in its own field */
	rec_decode(&r, ITR_EV_UNBIND, &ev);
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "kind")), "unbind");
	cr_assert_str_eq(json_object_get_string(get(o, "dev")), "0000:00:06.0");
	cr_assert_eq(json_object_get_int(get(o, "dev_id")), 3);
	cr_assert_str_eq(json_object_get_string(get(o, "iommufd_file_id")), "99aabbccddeeff00");
	cr_assert(!json_object_object_get_ex(o, "op_id", NULL));
	json_object_put(o);

	rec_decode(&r, ITR_EV_FAULT, &ev);
	r.fault.source = 42;
	o = emit_and_parse(&ev, NULL);
	cr_assert_str_eq(json_object_get_string(get(o, "access")), "write");
	cr_assert_str_eq(json_object_get_string(get(o, "source")), "0x2a");
	json_object_put(o);
}

Test(json, odd_device_names_are_escaped)
{
	static const struct {
		const char *raw;	/* what the kernel gave (ITR_DEV_LEN bytes at most) */
		const char *want;	/* what a JSON parser reads back */
	} cases[] = {
		{ "a\"b\\c", "a\"b\\c" },
		{ "\x01\x1f\n\r\t\b\f", "\x01\x1f\n\r\t\b\f" },
		{ "dev\x7f</script>", "dev\x7f</script>" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },		/* valid UTF-8 kept */
		{ "bad\xff\xc3(\xed\xa0\x80", "bad?" "?(???" },	/* invalid UTF-8: "?" */
		{ "cut\xe2\x82", "cut??" },			/* truncated sequence */
	};
	struct itr_event ev;
	union rec r;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *o;
		char *line;

		rec_decode(&r, ITR_EV_ATTACH, &ev);
		memset(r.h.dev, 0, sizeof(r.h.dev));
		strcpy(r.h.dev, cases[i].raw);
		memcpy(r.h.comm, cases[i].raw, strlen(cases[i].raw) < 16 ? strlen(cases[i].raw) : 16);
		o = emit_and_parse(&ev, &line);
		cr_assert_str_eq(json_object_get_string(get(o, "dev")), cases[i].want, "%s", line);
		cr_assert_null(strstr(line, "\\/"), "%s", line);
		json_object_put(o);
		free(line);
	}
}

Test(json, unterminated_strings_stop_at_their_field)
{
	struct itr_event ev;
	json_object *o;
	union rec r;

	rec_decode(&r, ITR_EV_ATTACH, &ev);
	memset(r.h.comm, 'c', sizeof(r.h.comm));
	memset(r.h.dev, 'd', sizeof(r.h.dev));
	o = emit_and_parse(&ev, NULL);
	cr_assert_eq(strlen(json_object_get_string(get(o, "comm"))), ITR_COMM_LEN);
	cr_assert_eq(strlen(json_object_get_string(get(o, "dev"))), ITR_DEV_LEN);
	json_object_put(o);
}

/* The write error itself, as errno says: /dev/full is ENOSPC. */
Test(json, a_failing_stream_is_an_error)
{
	struct itr_event ev;
	union rec r;
	FILE *f = fopen("/dev/full", "w");

	cr_assert_not_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	rec_decode(&r, ITR_EV_MAP, &ev);
	cr_assert_eq(json_event(f, &ev), -ENOSPC);
	fclose(f);
}
