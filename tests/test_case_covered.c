/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_case_covered.c: the record of what the fault runs covered
 * (cases/coverage.txt) and the two figures "tcpconform list" prints from
 * it (case_covered.c).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case.h"

static void
free_ids(char **ids, size_t n)
{
	while (n > 0)
		free(ids[--n]);
	free(ids);
}

static void
record_parse(void **state)
{
	static const char good[] = "# comment\nMUST-2 bad-checksum-out\n\n"
	    "RFC6298-5.5 a,b\n";
	static const char *const bad[] = { "MUST-2\n", "MUST-2 a b\n",
	    " a\n", "MUST-2 \n" };
	char **ids, *err = NULL;
	size_t n, i;

	(void)state;
	assert_int_equal(case_covered_parse(good, strlen(good), &ids, &n,
	    &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], "MUST-2");
	assert_string_equal(ids[1], "RFC6298-5.5");
	free_ids(ids, n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(case_covered_parse(bad[i], strlen(bad[i]),
		    &ids, &n, &err), -1);
		assert_string_equal(err, "line 1: not \"ID FAULT[,FAULT...]\"");
		free(err);
		err = NULL;
	}
}

/*
 * The denominators are the coverage map's: 100 RFC 9293 labels on the
 * wire, 50 key rules; a key rule is covered by any ID that states it.
 */
static void
figures(void **state)
{
	char *ids[] = { "MUST-2", "MUST-3", "RFC6298-5.5", "RFC9293-3.4",
	    "RFC7323-2.2", "SHLD-14", "MUST-41" };
	struct case_figs f;

	(void)state;
	case_covered_figs(NULL, 0, &f);
	assert_int_equal(f.rfc9293_total, 100);
	assert_int_equal(f.key_total, 50);
	assert_int_equal(f.rfc9293_covered, 0);
	assert_int_equal(f.key_covered, 0);
	case_covered_figs(ids, sizeof(ids) / sizeof(ids[0]), &f);
	/* MUST-2, MUST-3, SHLD-14: MUST-41 is not on the wire, 3.4 no label. */
	assert_int_equal(f.rfc9293_covered, 3);
	/* 1122 4.2.2.7 (once for two IDs), 6298 5.5, 7323 2.2, 1122 4.2.2.16. */
	assert_int_equal(f.key_covered, 4);
}

/* Every ID a key rule names is one a case may cite. */
static void
key_rows_known(void **state)
{
	const struct case_key_row *r;
	size_t n, i;
	int j;

	(void)state;
	r = case_key_rows(&n);
	for (i = 0; i < n; i++) {
		assert_non_null(r[i].ids[0]);
		for (j = 0; j < CASE_KEY_IDS && r[i].ids[j] != NULL; j++)
			if (case_req_find(r[i].ids[j]) == NULL)
				fail_msg("%s: unknown id %s", r[i].rule,
				    r[i].ids[j]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record_parse),
		cmocka_unit_test(figures),
		cmocka_unit_test(key_rows_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
