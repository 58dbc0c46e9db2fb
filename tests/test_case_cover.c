/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_case_cover.c: the requirement view (case_cover.c): which
 * requirements count as seen on the wire, which need an agent, and the
 * counts per RFC and level for a given set of cases.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case.h"

static struct case_prog *
parse(const char *checks)
{
	struct case_prog *p;
	char *text, *msgs;

	assert_true(asprintf(&text, "title \"t\"\nchecks %s\nfault f\n"
	    "connect\n", checks) > 0);
	assert_int_equal(case_parse("t.case", text, strlen(text), &p, &msgs),
	    0);
	assert_null(msgs);
	free(text);
	return p;
}

static enum case_wire
wire(const char *id)
{
	const struct case_req *q = case_req_find(id);

	assert_non_null(q);
	return case_req_wire(q);
}

static const struct case_cover_row *
row(const struct case_cover *c, const char *rfc, enum case_sev level)
{
	size_t i;

	for (i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].rfc, rfc) == 0 &&
		    c->rows[i].level == level)
			return &c->rows[i];
	fail_msg("no row %s %s", rfc, case_sev_name(level));
	return NULL;
}

static int
uncited(const struct case_cover *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nuncited; i++)
		if (strcmp(c->uncited[i]->id, id) == 0)
			return 1;
	return 0;
}

/* API-only labels, and RFC 793's history, are not on the wire. */
static void
test_case_cover_wire_classes(void **state)
{
	(void)state;
	assert_int_equal(wire("MUST-41"), CASE_WIRE_NO);	/* API */
	assert_int_equal(wire("REC-1"), CASE_WIRE_NO);
	assert_int_equal(wire("RFC793-3.5"), CASE_WIRE_NO);
	assert_int_equal(wire("MUST-2"), CASE_WIRE_YES);	/* checksum */
	assert_int_equal(wire("RFC5961-3.2"), CASE_WIRE_YES);
	assert_int_equal(wire("MUST-10"), CASE_WIRE_AGENT);	/* sim. open */
	assert_int_equal(wire("SHLD-3"), CASE_WIRE_AGENT);
	assert_int_equal(wire("RFC9293-3.6"), CASE_WIRE_AGENT);
	assert_string_equal(case_wire_name(CASE_WIRE_AGENT), "agent");
}

/* No case: every requirement on the wire is uncited. */
static void
test_case_cover_empty(void **state)
{
	struct case_cover c;
	const struct case_cover_row *r;

	(void)state;
	assert_int_equal(case_cover_compute(NULL, 0, &c), 0);
	assert_int_equal(c.cited, 0);
	assert_int_equal(c.nuncited, c.visible);
	/* RFC 9293: 64 MUST labels and 18 unlabelled sections on the wire
	   (5 MUST labels are API only); 25 SHOULD; 11 MAY. */
	r = row(&c, "RFC 9293", CASE_SEV_MUST);
	assert_int_equal(r->visible, 64 + 18);
	assert_int_equal(r->agentless, 64 + 18 - 39 - 5);
	assert_int_equal(row(&c, "RFC 9293", CASE_SEV_SHOULD)->visible, 25);
	assert_int_equal(row(&c, "RFC 9293", CASE_SEV_MAY)->visible, 11);
	/* Rows in RFC number order, MUST before SHOULD. */
	assert_string_equal(c.rows[0].rfc, "RFC 1122");
	assert_int_equal(c.rows[0].level, CASE_SEV_MUST);
	assert_false(uncited(&c, "MUST-41"));
	case_cover_free(&c);
}

/* Two cases: what they name is cited once, however often named. */
static void
test_case_cover_cited(void **state)
{
	struct case_prog *p[2];
	struct case_cover c, none;

	(void)state;
	p[0] = parse("MUST-10 RFC5961-3.2 MUST-41");
	p[1] = parse("MUST-10 SHLD-3");
	assert_int_equal(case_cover_compute(NULL, 0, &none), 0);
	assert_int_equal(case_cover_compute(p, 2, &c), 0);
	assert_int_equal(c.visible, none.visible);
	assert_int_equal(c.cited, 3);		/* MUST-41 is not on the wire */
	assert_int_equal(c.nuncited, c.visible - 3);
	assert_int_equal(row(&c, "RFC 9293", CASE_SEV_MUST)->cited, 1);
	assert_int_equal(row(&c, "RFC 9293", CASE_SEV_SHOULD)->cited, 1);
	assert_int_equal(row(&c, "RFC 5961", CASE_SEV_MUST)->cited, 1);
	assert_false(uncited(&c, "MUST-10"));
	assert_true(uncited(&c, "MUST-11"));
	case_cover_free(&c);
	case_cover_free(&none);
	case_free(p[0]);
	case_free(p[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_cover_wire_classes),
		cmocka_unit_test(test_case_cover_empty),
		cmocka_unit_test(test_case_cover_cited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
