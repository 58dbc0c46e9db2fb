/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_lib.c: lib/'s hex reader and writer, its error setter and its
 * allocation family, the one copy of each that every module (and, for
 * hex, tcpconform-agent) uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "errmsg.h"
#include "hex.h"

static void
lib_hex_round_trip(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x7a, 0xff, 0x10 };
	unsigned char out[4];
	char hex[9];

	(void)state;
	assert_int_equal(hex_encode(hex, bytes, 4), 8);
	assert_string_equal(hex, "007aff10");
	memset(out, 0xee, sizeof(out));
	assert_int_equal(hex_decode(out, "007AfF10", 4), 8);
	assert_memory_equal(out, bytes, 4);
	assert_int_equal(hex_encode(hex, bytes, 0), 0);
	assert_string_equal(hex, "");
}

/* The index of the first bad digit; the bytes before it are decoded. */
static void
lib_hex_bad_digit(void **state)
{
	unsigned char out[3] = { 0 };

	(void)state;
	assert_int_equal(hex_decode(out, "61g2", 2), 2);
	assert_int_equal(out[0], 0x61);
	assert_int_equal(hex_decode(out, "616x", 2), 3);
	assert_int_equal(hex_decode(out, " 1", 1), 0);
	assert_int_equal(hex_val('9'), 9);
	assert_int_equal(hex_val('a'), 10);
	assert_int_equal(hex_val('F'), 15);
	assert_int_equal(hex_val('g'), -1);
	assert_int_equal(hex_val('\0'), -1);
}

static int
fails(char **err, int n)
{
	return tc_seterr(err, "step %d of %s", n, "three");
}

static void
lib_seterr(void **state)
{
	char *err = NULL;

	(void)state;
	assert_int_equal(fails(&err, 2), -1);
	assert_non_null(err);
	assert_string_equal(err, "step 2 of three");
	free(err);
	/* No place for a message: still -1, nothing written. */
	assert_int_equal(fails(NULL, 3), -1);
}

static void
lib_xalloc(void **state)
{
	char *s, *t;
	int *v;

	(void)state;
	v = xcalloc(4, sizeof(*v));
	assert_int_equal(v[3], 0);
	v = xreallocarray(v, 8, sizeof(*v));
	v[7] = 7;
	assert_int_equal(v[7], 7);
	free(v);
	s = xstrdup("abc");
	assert_string_equal(s, "abc");
	assert_null(xstrdup(NULL));
	t = xasprintf("%s-%d", s, 42);
	assert_string_equal(t, "abc-42");
	free(s);
	free(t);
	free(xmalloc(0));
}

static void
lib_strv(void **state)
{
	char **v = NULL, buf[4] = "ab";
	size_t n = 0, i;

	(void)state;
	xstrv_add(&v, &n, buf);
	buf[0] = 'x';		/* a copy is kept, not the pointer */
	xstrv_add(&v, &n, "cd");
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "ab");
	assert_string_equal(v[1], "cd");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lib_hex_round_trip),
		cmocka_unit_test(lib_hex_bad_digit),
		cmocka_unit_test(lib_seterr),
		cmocka_unit_test(lib_xalloc),
		cmocka_unit_test(lib_strv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
