// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The streaming JSON writer (user/lib/jsonw_stream.h): escaping, numbers, nesting, growth. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <json-c/json.h>
#include "lib/jsonw_stream.h"

static struct jws W;

static void setup(void)
{
	jws_init(&W);
}

static void teardown(void)
{
	jws_fini(&W);
}

TestSuite(jsonw_stream, .init = setup, .fini = teardown);

/* The text parsed back by json-c (a real parser); the test fails if it is not JSON. */
static json_object *parsed(void)
{
	json_object *o = json_tokener_parse(jws_text(&W, NULL));

	cr_assert_not_null(o, "not JSON: %s", jws_text(&W, NULL));
	return o;
}

Test(jsonw_stream, every_control_byte_quote_and_backslash_is_escaped)
{
	char s[64];
	json_object *o;
	size_t i, n;
	const char *t;

	for (i = 1; i < 0x20; i++)
		s[i - 1] = (char)i;
	strcpy(s + 0x1f, "\"\\/a\x7f");
	jws_begin(&W, NULL);
	jws_str(&W, "k\"ey\n", s);
	jws_end(&W);
	t = jws_text(&W, &n);
	for (i = 0; i < n; i++)
		cr_assert_geq((unsigned char)t[i], 0x20, "raw byte 0x%02x at %zu", (unsigned char)t[i], i);
	cr_assert_not_null(strstr(t, "\\u0001\\u0002"), "%s", t);
	cr_assert_not_null(strstr(t, "\\b\\t\\n\\u000b\\f\\r"), "%s", t);
	cr_assert_not_null(strstr(t, "\\\"\\\\/a\x7f"), "'/' and DEL as they are: %s", t);
	o = parsed();
	cr_assert_str_eq(json_object_get_string(json_object_object_get(o, "k\"ey\n")), s);
	json_object_put(o);
}

Test(jsonw_stream, kernel_strings_stop_at_max_and_replace_invalid_utf8)
{
	static const char comm[16] = { 'q', 'e', 'm', 'u', '\xff', '\xc3', '\xa9', '\n',
				       '\xe2', '\x82', 'x', 'y', 'z', 'w', 'v', 'u' };	/* no NUL */
	json_object *o;

	jws_begin(&W, NULL);
	jws_kstr(&W, "comm", comm, sizeof(comm));
	jws_kstr(&W, "short", "ab\0cd", 8);
	jws_end(&W);
	o = parsed();
	cr_assert_str_eq(json_object_get_string(json_object_object_get(o, "comm")),
			 "qemu?\xc3\xa9\n??xyzwvu", "é kept, 0xff and a cut sequence as '?'");
	cr_assert_str_eq(json_object_get_string(json_object_object_get(o, "short")), "ab");
	json_object_put(o);
}

Test(jsonw_stream, numbers_at_their_limits_and_ids)
{
	json_object *o;

	jws_begin(&W, NULL);
	jws_u64(&W, "umax", UINT64_MAX);
	jws_u64(&W, "zero", 0);
	jws_i64(&W, "imin", INT64_MIN);
	jws_i64(&W, "neg", -1);
	jws_id(&W, "id", 0x00ab000000000001ULL);
	jws_bool(&W, "t", true);
	jws_null(&W, "n");
	jws_str(&W, "nulls", NULL);
	jws_end(&W);
	cr_assert_str_eq(jws_text(&W, NULL), "{\"umax\":18446744073709551615,\"zero\":0,"
			 "\"imin\":-9223372036854775808,\"neg\":-1,\"id\":\"00ab000000000001\","
			 "\"t\":true,\"n\":null,\"nulls\":null}");
	o = parsed();
	cr_assert_eq(json_object_get_uint64(json_object_object_get(o, "umax")), UINT64_MAX);
	cr_assert_eq(json_object_get_int64(json_object_object_get(o, "imin")), INT64_MIN);
	json_object_put(o);
}

Test(jsonw_stream, nested_objects_and_arrays_get_their_commas)
{
	jws_begin(&W, NULL);
	jws_begin_array(&W, "a");
	jws_str(&W, NULL, "x");
	jws_u64(&W, NULL, 1);
	jws_begin(&W, NULL);
	jws_end(&W);
	jws_end_array(&W);
	jws_begin(&W, "o");
	jws_begin_array(&W, "e");
	jws_end_array(&W);
	jws_u64(&W, "k", 2);
	jws_end(&W);
	jws_end(&W);
	cr_assert_str_eq(jws_text(&W, NULL), "{\"a\":[\"x\",1,{}],\"o\":{\"e\":[],\"k\":2}}");
	json_object_put(parsed());
}

Test(jsonw_stream, a_line_longer_than_the_inline_buffer_grows_and_is_written_whole)
{
	static char big[3 * JWS_INLINE];
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	json_object *o;

	memset(big, 'x', sizeof(big) - 1);
	big[5] = '"';
	jws_begin(&W, NULL);
	jws_str(&W, "big", big);
	jws_end(&W);
	cr_assert_eq(jws_line(&W, f), 0);
	fclose(f);
	cr_assert_eq(len, strlen(big) + 1 + 10 + 1, "the text, one escape, the frame, a newline");
	cr_assert_eq(out[len - 1], '\n');
	o = parsed();
	cr_assert_str_eq(json_object_get_string(json_object_object_get(o, "big")), big);
	json_object_put(o);
	free(out);
	jws_reset(&W);
	jws_begin(&W, NULL);
	jws_end(&W);
	cr_assert_str_eq(jws_text(&W, NULL), "{}");
}
