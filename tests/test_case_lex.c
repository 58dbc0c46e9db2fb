/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_case_lex.c: unit tests of the case language's lexer: the tokens of
 * packetdrill's notation, strings and their escapes, comments, positions,
 * and the messages for what cannot be a token.
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
#include "case_lex.h"

/*
 * Lex src and describe the tokens in one string: a letter for the type
 * (W word, N number, H hex, S string, P punctuation, E ellipsis, L end of
 * line, $ end of file) and the text, separated by blanks.
 */
static char *
lex_all(const char *src, char **msgs)
{
	static const char type[] = "$LWNHSPE";
	struct case_diags d;
	struct case_lexer lx;
	struct case_tok t;
	char *out = NULL;
	size_t len;
	FILE *f;

	case_diags_init(&d, "t.case");
	case_lex_init(&lx, src, strlen(src), &d);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	do {
		case_lex_next(&lx, &t);
		fprintf(f, "%s%c", ftell(f) ? " " : "", type[t.type]);
		if (t.type > CASE_TK_EOL)
			fprintf(f, "%.*s", (int)t.n, t.p);
	} while (t.type != CASE_TK_EOF);
	fclose(f);
	*msgs = case_diags_finish(&d);
	return out;
}

struct lexcase {
	const char	*src;
	const char	*toks;
	const char	*msgs;		/* NULL: none */
};

static const struct lexcase lexcases[] = {
	/* A packetdrill line: time, direction, flags, seq, fields. */
	{ "+0.1 < S. 0:0(0) ack 1 win 65535",
	  "P+ N0.1 P< WS. N0 P: N0 P( N0 P) Wack N1 Wwin N65535 $", NULL },
	/* Options; "..." is one token, a lone "." is the ACK flag. */
	{ "> . 1:1(0) <...>", "P> P. N1 P: N1 P( N0 P) P< E... P> $", NULL },
	{ "<mss 1460,sackOK,TS val 1 ecr 0,nop>",
	  "P< Wmss N1460 P, WsackOK P, WTS Wval N1 Wecr N0 P, Wnop P> $", NULL },
	/* Relative range with a leading-dot number. */
	{ "+0~+.04", "P+ N0 P~ P+ N.04 $", NULL },
	/* Hex needs a digit after 0x; words carry '-' and '.'. */
	{ "0x1F 0x MUST-13 RFC1122-4.2.2.13",
	  "H0x1F N0 Wx WMUST-13 WRFC1122-4.2.2.13 $", NULL },
	/* Units right after a number stay separate tokens. */
	{ "40ms 1.5s", "N40 Wms N1.5 Ws $", NULL },
	/* Comments of both kinds; '#' inside a string is text. */
	{ "a # b\nc // d\n\"e # f\"", "Wa L Wc L S\"e # f\" $", NULL },
	/* CRLF line ends. */
	{ "a\r\nb\r\n", "Wa L Wb L $", NULL },
	/* Connection labels, alternatives, results, negation. */
	{ "@b > !R | F = EPIPE", "P@ Wb P> P! WR P| WF P= WEPIPE $", NULL },
	/* Errors: stray character, then the line goes on. */
	{ "a $ b", "Wa Wb $", "t.case:1:3: error: stray character '$'\n" },
	/* A run of binary bytes is one message. */
	{ "a \x80\x81\x82 b", "Wa Wb $",
	  "t.case:1:3: error: stray byte 0x80\n" },
	{ "x \"abc\ny", "Wx L Wy $",
	  "t.case:1:3: error: expected '\"' to end the string, found end of "
	  "line\n" },
	{ "\"abc", "$",
	  "t.case:1:1: error: expected '\"' to end the string, found end of "
	  "file\n" },
	{ "\"a\\qb\" c", "Wc $",
	  "t.case:1:3: error: unknown escape '\\q' in a string (known: \\\\ "
	  "\\\" \\n \\r \\t \\0 \\xHH)\n" },
	{ "\"a\\x4\"", "$",
	  "t.case:1:3: error: expected two hex digits after '\\x' in a "
	  "string\n" },
	{ "\"a\x01\"", "$",
	  "t.case:1:3: error: control byte 0x01 in a string (write it as "
	  "\\x01)\n" },
	/* A backslash at the end of the line does not swallow it. */
	{ "\"a\\\nb", "L Wb $",
	  "t.case:1:1: error: expected '\"' to end the string, found end of "
	  "line\n" },
};

static void
case_lex_token_table(void **state)
{
	size_t i;
	char *toks, *msgs;

	(void)state;
	for (i = 0; i < sizeof(lexcases) / sizeof(lexcases[0]); i++) {
		toks = lex_all(lexcases[i].src, &msgs);
		if (strcmp(toks, lexcases[i].toks) != 0)
			print_error("case %zu: tokens '%s', expected '%s'\n", i,
			    toks, lexcases[i].toks);
		assert_string_equal(toks, lexcases[i].toks);
		if (lexcases[i].msgs == NULL)
			assert_null(msgs);
		else
			assert_string_equal(msgs, lexcases[i].msgs);
		free(toks);
		free(msgs);
	}
}

/* Lines and columns are 1-based; "spc" tells "+0.1" from "+ 0.1". */
static void
case_lex_positions_and_spacing(void **state)
{
	struct case_diags d;
	struct case_lexer lx;
	struct case_tok t;
	const char *src = "ab\n  +0.1 @x\n";

	(void)state;
	case_diags_init(&d, "t.case");
	case_lex_init(&lx, src, strlen(src), &d);
	case_lex_next(&lx, &t);
	assert_int_equal(t.line, 1);
	assert_int_equal(t.col, 1);
	assert_int_equal(t.spc, 1);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_EOL);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_PUNCT);
	assert_int_equal(t.line, 2);
	assert_int_equal(t.col, 3);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_NUM);
	assert_int_equal(t.col, 4);
	assert_int_equal(t.spc, 0);
	case_lex_next(&lx, &t);
	assert_int_equal(t.col, 8);
	assert_int_equal(t.spc, 1);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_WORD);
	assert_int_equal(t.spc, 0);
	assert_null(case_diags_finish(&d));
}

/* Every escape decodes to its byte; the NUL escape is kept. */
static void
case_lex_string_escapes_decode(void **state)
{
	struct case_diags d;
	struct case_lexer lx;
	struct case_tok t;
	const char *src = "\"a\\tb\\x41\\0\\\"\\\\\\r\\n\"";
	static const uint8_t want[] = { 'a', '\t', 'b', 'A', 0, '"', '\\',
	    '\r', '\n' };
	uint8_t *b;
	size_t n;

	(void)state;
	case_diags_init(&d, "t.case");
	case_lex_init(&lx, src, strlen(src), &d);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_STR);
	b = case_str_decode(&t, &n);
	assert_non_null(b);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(b, want, sizeof(want));
	free(b);
	assert_null(case_diags_finish(&d));
}

/* The lexer never reads past the given length: no NUL terminator needed. */
static void
case_lex_bounded_by_length(void **state)
{
	struct case_diags d;
	struct case_lexer lx;
	struct case_tok t;
	char *buf = malloc(3);

	(void)state;
	memcpy(buf, "0x1", 3);	/* no terminator; ASan would catch a read */
	case_diags_init(&d, "t.case");
	case_lex_init(&lx, buf, 2, &d);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_NUM);
	assert_int_equal(t.n, 1);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_WORD);
	case_lex_next(&lx, &t);
	assert_int_equal(t.type, CASE_TK_EOF);
	free(buf);
	free(case_diags_finish(&d));
}

/* "did you mean": swaps count once, case is ignored, long words are far. */
static void
case_lex_distance(void **state)
{
	(void)state;
	assert_int_equal(case_distance("conect", 6, "connect"), 1);
	assert_int_equal(case_distance("akc", 3, "ack"), 1);
	assert_int_equal(case_distance("SACKOK", 6, "sackOK"), 0);
	assert_int_equal(case_distance("abc", 3, "xyz"), 3);
	assert_int_equal(case_distance("a", 40, "a"), 99);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case_lex_token_table),
		cmocka_unit_test(case_lex_positions_and_spacing),
		cmocka_unit_test(case_lex_string_escapes_decode),
		cmocka_unit_test(case_lex_bounded_by_length),
		cmocka_unit_test(case_lex_distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
