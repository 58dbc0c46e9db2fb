/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_case_matrix.c: matrix files (case_matrix.c): which cells a file
 * makes, their ids, the numbers a state puts into an event's lines, the
 * metadata merged from header, state, event and cell, where statements
 * say they come from, and the messages for broken files (matrix line and
 * column, and the cell).
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
#include "segment.h"

#define GOOD \
	"# a comment\n"						/* 1 */ \
	"title \"{what} in {state}\"\n"				/* 2 */ \
	"tags matrix\n"						/* 3 */ \
	"\n"							/* 4 */ \
	"state ESTABLISHED snd=1 rcv=1\n"			/* 5 */ \
	"\tneeds agent\n"					/* 6 */ \
	"\tagent listen\n"					/* 7 */ \
	"\tconnect\n"						/* 8 */ \
	"state CLOSE-WAIT snd=2 rcv=1\n"			/* 9 */ \
	"\tneeds agent\n"					/* 10 */ \
	"\tagent listen\n"					/* 11 */ \
	"\tconnect\n"						/* 12 */ \
	"\t< F. 1:1(0) ack 1\n"					/* 13 */ \
	"event rst \"An RST\"\n"				/* 14 */ \
	"\t< R {snd}:{snd}(0)\n"				/* 15 */ \
	"event old \"An old RST\"\n"				/* 16 */ \
	"\t< R {snd-100}:{snd-100}(0)\n"			/* 17 */ \
	"cell * x rst\n"					/* 18 */ \
	"\tchecks RFC9293-3.10.7.4\n"				/* 19 */ \
	"\tfault rst-ignored\n"					/* 20 */ \
	"\t> R {rcv}:{rcv}(0)\n"				/* 21 */ \
	"cell CLOSE-WAIT x old\n"				/* 22 */ \
	"\tchecks RFC5961-3.2\n"				/* 23 */ \
	"\ttags rfc5961\n"					/* 24 */ \
	"\tfault rst-accept-out-of-window\n"			/* 25 */ \
	"\t> !R\n"						/* 26 */

static struct case_prog **
good(size_t *n)
{
	struct case_prog **v;
	char *msgs;

	assert_int_equal(case_matrix_parse("cases/m/ep.matrix", GOOD,
	    strlen(GOOD), &v, n, &msgs), 0);
	if (msgs != NULL)
		print_error("%s", msgs);
	assert_null(msgs);
	return v;
}

/* The last packet statement of a cell. */
static const struct case_seg *
last_pkt(const struct case_prog *p, const struct case_stmt **sp)
{
	int i;

	for (i = p->nstmts - 1; i >= 0; i--)
		if (p->stmts[i].kind == CASE_S_PACKET) {
			*sp = &p->stmts[i];
			return &p->stmts[i].u.pkt.alt[0];
		}
	fail_msg("no packet line");
	return NULL;
}

static char *
bad(const char *text)
{
	struct case_prog **v;
	size_t n;
	char *msgs;

	assert_int_equal(case_matrix_parse("m.matrix", text, strlen(text),
	    &v, &n, &msgs), -1);
	assert_null(v);
	assert_int_equal(n, 0);
	assert_non_null(msgs);
	return msgs;
}

/* Three cells, in the file's order, each with its virtual path. */
static void
test_case_matrix_cells_and_ids(void **state)
{
	struct case_prog **v;
	size_t n;

	(void)state;
	v = good(&n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0]->path, "cases/m/ep/established/rst.case");
	assert_string_equal(v[1]->path, "cases/m/ep/close-wait/rst.case");
	assert_string_equal(v[2]->path, "cases/m/ep/close-wait/old.case");
	assert_string_equal(v[0]->source, "cases/m/ep.matrix");
	assert_string_equal(v[0]->title, "An RST in ESTABLISHED");
	assert_string_equal(v[2]->title, "An old RST in CLOSE-WAIT");
	case_free_all(v, n);
}

/* A state's numbers reach the event's and the cell's lines. */
static void
test_case_matrix_numbers(void **state)
{
	const struct case_stmt *s = NULL;
	const struct case_seg *g;
	struct case_prog **v;
	size_t n;
	int i;

	(void)state;
	v = good(&n);
	/* ESTABLISHED x rst: < R 1:1(0), then > R 1:1(0) on line 21. */
	g = last_pkt(v[0], &s);
	assert_int_equal(s->u.pkt.dir, CASE_DIR_OUT);
	assert_int_equal(g->flags, SEG_RST);
	assert_int_equal(g->seq, 1);
	assert_int_equal(s->loc.line, 21);
	assert_int_equal(s->loc.col, 2);
	assert_string_equal(s->loc.file, "cases/m/ep.matrix");
	for (i = 0; i < v[1]->nstmts; i++)
		if (v[1]->stmts[i].kind == CASE_S_PACKET &&
		    v[1]->stmts[i].u.pkt.dir == CASE_DIR_IN &&
		    v[1]->stmts[i].u.pkt.alt[0].flags == SEG_RST)
			break;
	assert_true(i < v[1]->nstmts);
	assert_int_equal(v[1]->stmts[i].u.pkt.alt[0].seq, 2);	/* {snd} */
	assert_int_equal(v[1]->stmts[i].loc.line, 15);
	/* CLOSE-WAIT x old: {snd-100} is 2^32 - 98. */
	for (i = 0; i < v[2]->nstmts; i++)
		if (v[2]->stmts[i].kind == CASE_S_PACKET &&
		    v[2]->stmts[i].u.pkt.alt[0].flags == SEG_RST)
			break;
	assert_true(i < v[2]->nstmts);
	assert_int_equal(v[2]->stmts[i].u.pkt.alt[0].seq, 4294967198u);
	case_free_all(v, n);
}

/* Metadata of header, state and cell merged into one line of each. */
static void
test_case_matrix_metadata(void **state)
{
	struct case_prog **v;
	size_t n;

	(void)state;
	v = good(&n);
	assert_int_equal(v[2]->needs, CASE_NEED_AGENT);
	assert_int_equal(v[2]->ntags, 2);
	assert_string_equal(v[2]->tags[0], "matrix");
	assert_string_equal(v[2]->tags[1], "rfc5961");
	assert_int_equal(v[2]->nreqs, 1);
	assert_string_equal(v[2]->reqs[0]->id, "RFC5961-3.2");
	assert_int_equal(v[2]->nfaults, 1);
	assert_string_equal(v[2]->faults[0], "rst-accept-out-of-window");
	case_free_all(v, n);
}

/* A broken line names the matrix file's line and column, and the cell. */
static void
test_case_matrix_error_names_line_and_cell(void **state)
{
	char *text, *msgs, *p;

	(void)state;
	text = strdup(GOOD);
	p = strstr(text, "\t> !R");
	p[3] = 'Q';		/* "> !Q": no such flag */
	msgs = bad(text);
	assert_non_null(strstr(msgs, "m.matrix:26:"));
	assert_non_null(strstr(msgs, "(cell CLOSE-WAIT x old)"));
	free(msgs);
	free(text);
}

static void
test_case_matrix_unknown_number(void **state)
{
	char *msgs;

	(void)state;
	msgs = bad("title \"t\"\nstate A snd=1\n\tconnect\nevent e\n"
	    "\t< R {nxt}:{nxt}(0)\ncell A x e\n\tchecks MUST-10\n"
	    "\tfault f\n");
	assert_string_equal(msgs, "m.matrix:5:6: error: expected a number of "
	    "state A, found '{nxt}' (it has none of that name)\n");
	free(msgs);
}

static void
test_case_matrix_unknown_state_and_twice(void **state)
{
	char *msgs;

	(void)state;
	msgs = bad("title \"t\"\nstate A\n\tconnect\nevent e\n\tclose\n"
	    "cell B x e\n");
	assert_string_equal(msgs, "m.matrix:6:1: error: expected a state "
	    "defined above, found 'B'\n");
	free(msgs);
	msgs = bad("title \"t\"\nstate A\n\tconnect\nevent e\n\tclose\n"
	    "cell A x e\n\tchecks MUST-10\n\tfault f\ncell * x *\n");
	assert_string_equal(msgs, "m.matrix:9:1: error: expected each cell "
	    "once, found A x e again\n");
	free(msgs);
	msgs = bad("title \"t\"\nstate A\n\tconnect\nnonsense\n");
	assert_non_null(strstr(msgs, "m.matrix:4:1: error: expected 'state', "
	    "'event' or 'cell'"));
	free(msgs);
	msgs = bad("title \"t\"\nstate A\n\tconnect\nevent e\n\tclose\n");
	assert_string_equal(msgs, "m.matrix:1:1: error: expected at least "
	    "one 'cell' line\n");
	free(msgs);
}

/*
 * A cell may name a claim; its answer is the first statement after the
 * state's (claim_from), so that a mechanism missing at the event reads
 * "absent" even where the state's own statements expect segments.  A claim
 * with a severity is an error, at the first statement (where the case's
 * severity is settled).
 */
#define CLAIM \
	"title \"t\"\n"					/* 1 */ \
	"state A snd=1 rcv=1\n"				/* 2 */ \
	"\tneeds agent\n"					/* 3 */ \
	"\tagent listen\n"					/* 4 */ \
	"\tconnect\n"						/* 5 */ \
	"\t> F. {rcv}:{rcv}(0) ack {snd}\n"			/* 6 */ \
	"event syn\n"						/* 7 */ \
	"\t< S {snd}:{snd}(0)\n"				/* 8 */ \
	"cell A x syn\n"					/* 9 */ \
	"\tchecks RFC5961-4.2\n"				/* 10 */ \
	"\tclaim rfc5961-syn\n"				/* 11 */ \
	"\tfault no-challenge-ack\n"				/* 12 */ \
	"\t> . {rcv}:{rcv}(0) ack {snd}\n"			/* 13 */

static void
test_case_matrix_claim(void **state)
{
	struct case_prog **v;
	size_t n;
	char *msgs, *text;
	int i;

	(void)state;
	assert_int_equal(case_matrix_parse("m.matrix", CLAIM, strlen(CLAIM),
	    &v, &n, &msgs), 0);
	assert_null(msgs);
	assert_int_equal(n, 1);
	assert_non_null(v[0]->claim);
	assert_string_equal(v[0]->claim->name, "rfc5961-syn");
	assert_int_equal(v[0]->severity, CASE_SEV_MAY);
	/* The state's statements (agent listen, connect, > F.) come first;
	 * the claim's answer starts at the event's < S on line 8. */
	i = v[0]->claim_from;
	assert_int_equal(i, 3);
	assert_int_equal(v[0]->stmts[i].loc.line, 8);
	assert_int_equal(v[0]->stmts[i - 1].loc.line, 6);
	case_free_all(v, n);
	if (asprintf(&text, "%s\tseverity should\n", CLAIM) < 0)
		fail();
	msgs = bad(text);
	assert_non_null(strstr(msgs, "m.matrix:4:2: error: expected no "
	    "'severity' in a case with a 'claim'"));
	assert_non_null(strstr(msgs, "(cell A x syn)"));
	free(msgs);
	free(text);
	msgs = bad("title \"t\"\nstate A\n\tconnect\nevent e\n\tclose\n"
	    "cell A x e\n\tchecks MUST-10\n\tfault f\n\tclaim rfc9999\n");
	assert_non_null(strstr(msgs, "m.matrix:9:8: error: expected a claim "
	    "name"));
	free(msgs);
}

/* Whatever the bytes, no crash, and either cells or messages. */
static void
test_case_matrix_hostile_bytes(void **state)
{
	static const char *const inputs[] = {
		"", "{", "state\n", "state A b\n", "event\n", "cell x\n",
		"title \"t\"\nstate A snd=1\n\t< R {snd+}:1(0)\n",
		"title \"t\"\nstate A snd=1\n\t< R {snd:1(0)\n",
		"\t\tconnect\n", "state A\n\x00\n",
	};
	struct case_prog **v;
	size_t i, n;
	char *msgs;

	(void)state;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		assert_int_equal(case_matrix_parse("m.matrix", inputs[i],
		    strlen(inputs[i]) + (i == 9 ? 3 : 0), &v, &n, &msgs), -1);
		assert_non_null(msgs);
		free(msgs);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_matrix_cells_and_ids),
		cmocka_unit_test(test_case_matrix_numbers),
		cmocka_unit_test(test_case_matrix_metadata),
		cmocka_unit_test(test_case_matrix_error_names_line_and_cell),
		cmocka_unit_test(test_case_matrix_unknown_number),
		cmocka_unit_test(test_case_matrix_unknown_state_and_twice),
		cmocka_unit_test(test_case_matrix_claim),
		cmocka_unit_test(test_case_matrix_hostile_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
