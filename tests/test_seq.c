/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_seq.c: unit tests of the modular sequence comparisons of seq.h, at
 * the wrap from 0xffffffff to 0 and at the 2^31 distance where they stop
 * meaning anything.
 *
 * What happens at exactly 2^31: a - b and b - a are both 0x80000000, which
 * as int32_t is negative, so seq_lt(a, b) and seq_lt(b, a) are both true and
 * seq_max/seq_min return whichever argument is second/first.  RFC 9293 3.4
 * keeps every comparison the TCP makes within a window of less than 2^31
 * (the largest window is 2^30 with scaling, RFC 7323 2.3), so no caller can
 * meet it legitimately; these tests pin the behaviour so a change is seen.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "seq.h"

static void
seq_lt_plain_order(void **state)
{
	(void)state;
	assert_true(seq_lt(1, 2));
	assert_false(seq_lt(2, 1));
	assert_false(seq_lt(7, 7));
	assert_true(seq_le(7, 7));
	assert_true(seq_ge(7, 7));
	assert_false(seq_gt(7, 7));
	assert_true(seq_gt(1000, 999));
	assert_true(seq_ge(1000, 999));
	assert_false(seq_le(1000, 999));
}

/* 0xffffffff is followed by 0 (RFC 9293 3.4: arithmetic modulo 2^32). */
static void
seq_wraparound_ffffffff_precedes_0(void **state)
{
	(void)state;
	assert_true(seq_lt(0xffffffffu, 0));
	assert_true(seq_le(0xffffffffu, 0));
	assert_true(seq_gt(0, 0xffffffffu));
	assert_true(seq_ge(0, 0xffffffffu));
	assert_false(seq_gt(0xffffffffu, 0));
	assert_false(seq_lt(0, 0xffffffffu));
	assert_true(seq_lt(0xfffffff0u, 0x10));
	assert_true(seq_gt(0x10, 0xfffffff0u));
	assert_true(seq_lt(0x7fffffffu, 0x80000000u));
}

/* The largest distance at which the order is still consistent. */
static void
seq_distance_2pow31_minus_1_is_ordered(void **state)
{
	uint32_t	b[] = { 0, 1, 0x80000000u, 0xffffffffu, 12345 };
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		uint32_t	a = b[i] + 0x7fffffffu;

		assert_true(seq_gt(a, b[i]));
		assert_true(seq_lt(b[i], a));
		assert_false(seq_lt(a, b[i]));
		assert_false(seq_gt(b[i], a));
		assert_int_equal(seq_max(a, b[i]), a);
		assert_int_equal(seq_max(b[i], a), a);
		assert_int_equal(seq_min(a, b[i]), b[i]);
		assert_int_equal(seq_min(b[i], a), b[i]);
	}
	/* One more and the order flips: b + 2^31 + 1 is "before" b. */
	assert_true(seq_lt(0x80000001u, 0));
	assert_true(seq_gt(0, 0x80000001u));
}

/* Exactly 2^31 apart: each is "less" than the other (see the top). */
static void
seq_distance_2pow31_is_ambiguous(void **state)
{
	uint32_t	a = 0x80000000u, b = 0;

	(void)state;
	assert_true(seq_lt(a, b));
	assert_true(seq_lt(b, a));
	assert_false(seq_gt(a, b));
	assert_false(seq_gt(b, a));
	assert_true(seq_le(a, b) && seq_le(b, a));
	assert_false(seq_ge(a, b) || seq_ge(b, a));
	/* max/min then depend on the argument order. */
	assert_int_equal(seq_max(a, b), b);
	assert_int_equal(seq_max(b, a), a);
	assert_int_equal(seq_min(a, b), a);
	assert_int_equal(seq_min(b, a), b);
	/* The same across the wrap. */
	assert_true(seq_lt(0xffffffffu, 0x7fffffffu));
	assert_true(seq_lt(0x7fffffffu, 0xffffffffu));
}

/* lo <= a <= hi, inclusive at both ends, also when the window wraps. */
static void
seq_between_inclusive_and_across_wrap(void **state)
{
	(void)state;
	assert_true(seq_between(5, 5, 10));
	assert_true(seq_between(10, 5, 10));
	assert_false(seq_between(4, 5, 10));
	assert_false(seq_between(11, 5, 10));
	assert_true(seq_between(0xfffffff0u, 0xfffffff0u, 0x10));
	assert_true(seq_between(0xffffffffu, 0xfffffff0u, 0x10));
	assert_true(seq_between(0, 0xfffffff0u, 0x10));
	assert_true(seq_between(0x10, 0xfffffff0u, 0x10));
	assert_false(seq_between(0x11, 0xfffffff0u, 0x10));
	assert_false(seq_between(0xffffffefu, 0xfffffff0u, 0x10));
	/* An empty window (hi before lo) holds nothing. */
	assert_false(seq_between(5, 10, 5));
}

/* A window 2^31 or wider is meaningless: half of it falls outside. */
static void
seq_between_window_of_2pow31_breaks(void **state)
{
	(void)state;
	assert_true(seq_between(0x40000000u, 0, 0x80000000u));
	assert_false(seq_between(0xc0000000u, 0, 0x80000000u));
	/* Width 2^31 - 1 still works at both ends and in the middle. */
	assert_true(seq_between(0x7fffffffu, 0, 0x7fffffffu));
	assert_true(seq_between(0, 0, 0x7fffffffu));
	assert_true(seq_between(0x3fffffffu, 0, 0x7fffffffu));
}

static void
seq_min_max_across_wrap(void **state)
{
	(void)state;
	assert_int_equal(seq_max(0xffffffffu, 1), 1);
	assert_int_equal(seq_max(1, 0xffffffffu), 1);
	assert_int_equal(seq_min(0xffffffffu, 1), 0xffffffffu);
	assert_int_equal(seq_min(1, 0xffffffffu), 0xffffffffu);
	assert_int_equal(seq_max(3, 3), 3);
	assert_int_equal(seq_min(3, 3), 3);
	assert_int_equal(seq_max(100, 200), 200);
	assert_int_equal(seq_min(100, 200), 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seq_lt_plain_order),
		cmocka_unit_test(seq_wraparound_ffffffff_precedes_0),
		cmocka_unit_test(seq_distance_2pow31_minus_1_is_ordered),
		cmocka_unit_test(seq_distance_2pow31_is_ambiguous),
		cmocka_unit_test(seq_between_inclusive_and_across_wrap),
		cmocka_unit_test(seq_between_window_of_2pow31_breaks),
		cmocka_unit_test(seq_min_max_across_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
