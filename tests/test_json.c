/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_json.c: the JSON writer's escaping, the reader on good and hostile
 * input, and results.json written and read back into the same model.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "json.h"
#include "report.h"
#include "text.h"
#include "result.h"
#include "test_report_fixture.h"

static char	*escaped(const char *, size_t);
static int	 parses(const char *);

static char *
escaped(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	json_write_escaped(f, s, n);
	fclose(f);
	return buf;
}

static int
parses(const char *doc)
{
	struct json_value *v;
	char *err = NULL;

	v = json_parse(doc, strlen(doc), &err);
	if (v == NULL) {
		assert_non_null(err);
		free(err);
		return 0;
	}
	assert_null(err);
	json_free(v);
	return 1;
}

static void
test_json_escapes_quotes_controls_and_markup(void **state)
{
	char *s;

	(void)state;
	s = escaped("a\"b\\c\n\t\x01<>&\x7f", 12);
	assert_string_equal(s,
	    "\"a\\\"b\\\\c\\n\\t\\u0001\\u003c\\u003e\\u0026\\u007f\"");
	free(s);
	s = escaped("nul\0x", 5);
	assert_string_equal(s, "\"nul\\u0000x\"");
	free(s);
}

/* Bad UTF-8 becomes \udcXX (one per byte); good UTF-8 passes through. */
static void
test_json_invalid_utf8_becomes_surrogate_escapes(void **state)
{
	char *s;

	(void)state;
	s = escaped("\xc3\xa9\xff\xc3(\xed\xa0\x80\xf0\x9f\x98\x80", 12);
	assert_string_equal(s, "\"\xc3\xa9\\udcff\\udcc3(\\udced\\udca0"
	    "\\udc80\xf0\x9f\x98\x80\"");
	free(s);
	s = escaped("\xe2\x80\xa8", 3);		/* U+2028 */
	assert_string_equal(s, "\"\\u2028\"");
	free(s);
	s = escaped("\xc0\xaf", 2);		/* overlong '/' */
	assert_string_equal(s, "\"\\udcc0\\udcaf\"");
	free(s);
}

static void
test_json_escaped_bytes_read_back_identical(void **state)
{
	unsigned char in[256];
	struct json_value *v;
	char *s, *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)i;
	s = escaped((const char *)in, sizeof(in));
	v = json_parse(s, strlen(s), &err);
	assert_non_null(v);
	assert_int_equal(v->type, JSON_STRING);
	assert_int_equal(v->len, sizeof(in));
	assert_memory_equal(v->str, in, sizeof(in));
	json_free(v);
	free(s);
}

static void
test_json_writer_structure(void **state)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	static const uint8_t b[] = { 0x00, 0xab, 0xff };

	(void)state;
	f = open_memstream(&buf, &len);
	json_writer_init(&w, f, 0);
	json_begin_object(&w, NULL);
	json_int(&w, "i", -5);
	json_uint(&w, "u", 4294967295u);
	json_double(&w, "d", 0.5);
	json_double(&w, "nan", NAN);
	json_bool(&w, "t", 1);
	json_null(&w, "n");
	json_string(&w, "s", NULL);
	json_hex(&w, "h", b, sizeof(b));
	json_begin_array(&w, "a");
	json_int(&w, NULL, 1);
	json_begin_object(&w, NULL);
	json_end_object(&w);
	json_end_array(&w);
	json_end_object(&w);
	assert_int_equal(json_writer_error(&w), 0);
	fclose(f);
	assert_string_equal(buf, "{\"i\":-5,\"u\":4294967295,\"d\":0.5,"
	    "\"nan\":null,\"t\":true,\"n\":null,\"s\":null,\"h\":\"00abff\","
	    "\"a\":[1,{}]}");
	free(buf);
}

/* Pretty output, with the rows of a table one per line. */
static void
test_json_writer_pretty_with_flat_rows(void **state)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	json_writer_init(&w, f, 1);
	json_begin_object(&w, NULL);
	json_begin_array(&w, "rows");
	json_begin_object_flat(&w, NULL);
	json_int(&w, "a", 1);
	json_begin_object(&w, "in");
	json_null(&w, "x");
	json_end_object(&w);
	json_end_object(&w);
	json_begin_object_flat(&w, NULL);
	json_end_object(&w);
	json_end_array(&w);
	json_begin_array(&w, "empty");
	json_end_array(&w);
	json_end_object(&w);
	assert_int_equal(json_writer_error(&w), 0);
	fclose(f);
	assert_string_equal(buf, "{\n  \"rows\": [\n    {\"a\":1,\"in\":"
	    "{\"x\":null}},\n    {}\n  ],\n  \"empty\": []\n}\n");
	free(buf);
}

static void
test_json_reader_values(void **state)
{
	static const char doc[] = " {\"a\": [1, -2.5e1, true, false, null,"
	    " \"x\\u00e9\\ud83d\\ude00\\/\"], \"big\": 12345678901234567890,"
	    " \"a\": 2}";
	const struct json_value *a, *big;
	struct json_value *v;
	char *err = NULL;

	(void)state;
	v = json_parse(doc, strlen(doc), &err);
	assert_non_null(v);
	a = json_get(v, "a");		/* the first of two "a" */
	assert_int_equal(a->type, JSON_ARRAY);
	assert_int_equal(a->n, 6);
	assert_true(a->items[0].is_int);
	assert_int_equal(a->items[0].inum, 1);
	assert_true(a->items[1].num == -25.0);
	assert_false(a->items[1].is_int);
	assert_int_equal(a->items[2].type, JSON_TRUE);
	assert_int_equal(a->items[3].type, JSON_FALSE);
	assert_int_equal(a->items[4].type, JSON_NULL);
	assert_string_equal(a->items[5].str, "x\xc3\xa9\xf0\x9f\x98\x80/");
	big = json_get(v, "big");
	assert_false(big->is_int);	/* beyond int64: a double only */
	assert_null(json_get(v, "missing"));
	assert_null(json_get(a, "a"));
	json_free(v);
}

static void
test_json_reader_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", " ", "{", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{a:1}",
		"01", "1.", ".5", "-", "1e", "+1", "\"abc", "\"\\x\"",
		"\"\\u12\"", "\"\\u12g4\"", "\"a\nb\"", "tru", "nul", "[1]x",
		"1e999", "\"\x01\"", "{\"a\":1,}", "[\"\\", "\"\\u",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parses(bad[i]))
			fail_msg("accepted: %s", bad[i]);
	assert_true(parses("0"));
	assert_true(parses("\xef\xbb\xbf[]"));
	assert_true(parses("\"\\ud800\""));	/* lone surrogate: U+FFFD */
}

static void
test_json_reader_error_names_line_and_column(void **state)
{
	char *err = NULL;

	(void)state;
	assert_null(json_parse("{\n  \"a\": 1,\n  \"b\" 2}", 21, &err));
	assert_non_null(err);
	assert_string_equal(err, "line 3, column 7: expected ':' after "
	    "object key");
	free(err);
}

static void
test_json_reader_limits_depth(void **state)
{
	char buf[2 * (JSON_MAX_DEPTH + 1) + 1];
	int i;

	(void)state;
	for (i = 0; i < JSON_MAX_DEPTH; i++) {
		buf[i] = '[';
		buf[2 * JSON_MAX_DEPTH - 1 - i] = ']';
	}
	buf[2 * JSON_MAX_DEPTH] = '\0';
	assert_true(parses(buf));
	memmove(buf + 1, buf, 2 * JSON_MAX_DEPTH + 1);
	buf[0] = '[';
	buf[2 * JSON_MAX_DEPTH + 1] = ']';
	buf[2 * JSON_MAX_DEPTH + 2] = '\0';
	assert_false(parses(buf));
}

static void
test_json_results_round_trip_all_fields(void **state)
{
	struct run *a, *b;
	char *text, *err = NULL;
	size_t len;

	(void)state;
	a = fixture_run(1);
	a->strict = 1;
	a->complete = 1;
	result_set(&a->stopped, "interrupted");
	text = fixture_render(report_json_write, a, &len);
	b = report_json_parse(text, len, &err);
	if (b == NULL)
		fail_msg("%s", err);
	fixture_assert_equal(a, b);
	/* the canonical mismatch text is there for other readers too */
	assert_non_null(strstr(text, "\"text\": \"ack: expected 1002, "
	    "observed 1000\""));
	assert_non_null(strstr(text, "\"exit_status\": 2"));
	result_run_free(a);
	result_run_free(b);
	free(text);
}

static void
test_json_results_reader_reports_bad_fields(void **state)
{
	static const struct {
		const char	*doc;
		const char	*msg;
	} bad[] = {
		{ "[]", "not a results object" },
		{ "{\"format\":\"x\"}",
		  "format: not a tcpconform results file" },
		{ "{\"format\":\"tcpconform-results\",\"version\":9}",
		  "version: format version 9 is newer" },
		{ "{\"format\":\"tcpconform-results\",\"version\":1,"
		  "\"targets\":[{\"cases\":[{\"verdict\":\"great\"}]}]}",
		  "targets[0].cases[0].verdict: unknown verdict" },
		{ "{\"format\":\"tcpconform-results\",\"version\":1,"
		  "\"targets\":[{\"cases\":[{\"verdict\":\"pass\","
		  "\"segments\":[{\"seq\":4294967296}]}]}]}",
		  "targets[0].cases[0].segments[0].seq: not an integer" },
		{ "{\"format\":\"tcpconform-results\",\"version\":1,"
		  "\"targets\":[{\"cases\":[{\"verdict\":\"pass\","
		  "\"mismatch\":{\"segment\":0}}]}]}",
		  "targets[0].cases[0].mismatch.segment: not an integer" },
		{ "{\"format\":\"tcpconform-results\",\"version\":1,"
		  "\"targets\":[{\"cases\":[{\"verdict\":\"pass\","
		  "\"title\":\"a\\u0000b\"}]}]}",
		  "targets[0].cases[0].title: string holds a NUL" },
		{ "{\"format\":\"tcpconform-results\",\"version\":1,"
		  "\"targets\":[{\"mode\":\"moon\"}]}",
		  "targets[0].mode: unknown value" },
		{ "{\"format\":\"tcpconform-results\",\"version\":1,"
		  "\"targets\":[{\"cases\":[{\"verdict\":\"pass\","
		  "\"segments\":[{\"payload\":\"zz\"}]}]}]}",
		  "targets[0].cases[0].segments[0].payload: not hex" },
	};
	struct run *r;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		r = report_json_parse(bad[i].doc, strlen(bad[i].doc), &err);
		assert_null(r);
		assert_non_null(err);
		if (strncmp(err, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("%zu: got \"%s\", want \"%s\"", i, err,
			    bad[i].msg);
		free(err);
	}
}

/* A results file may not ask for more pages than REPORT_MAX_CASES. */
static void
test_json_results_reader_limits_cases(void **state)
{
	static const char head[] = "{\"format\":\"tcpconform-results\","
	    "\"version\":1,\"targets\":[{\"cases\":[";
	static const char one[] = "{\"verdict\":\"pass\"},";
	struct run *r;
	char *doc, *p, *err = NULL;
	size_t i, n = REPORT_MAX_CASES + 1;

	(void)state;
	doc = malloc(sizeof(head) + n * (sizeof(one) - 1) + 8);
	assert_non_null(doc);
	p = doc + sprintf(doc, "%s", head);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s", one);
	strcpy(p - 1, "]}]}");
	r = report_json_parse(doc, strlen(doc), &err);
	assert_null(r);
	assert_non_null(strstr(err, "targets: more than"));
	free(err);
	/* one case fewer is fine */
	strcpy(p - 1 - (sizeof(one) - 1), "]}]}");
	r = report_json_parse(doc, strlen(doc), &err);
	assert_non_null(r);
	assert_int_equal(r->targets[0]->ncases, REPORT_MAX_CASES);
	result_run_free(r);
	free(doc);
}

static void
test_json_results_minimal_file_gets_defaults(void **state)
{
	static const char doc[] = "{\"format\":\"tcpconform-results\","
	    "\"version\":1,\"targets\":[{\"cases\":[{\"verdict\":\"pass\"}]}]}";
	struct run *r;
	char *err = NULL;

	(void)state;
	r = report_json_parse(doc, strlen(doc), &err);
	assert_non_null(r);
	assert_int_equal(r->ntargets, 1);
	assert_int_equal(r->targets[0]->rtt_us, -1);
	assert_int_equal(r->targets[0]->ncases, 1);
	assert_int_equal(r->targets[0]->cases[0]->mismatch_seg, -1);
	assert_null(r->targets[0]->cases[0]->id);
	result_run_free(r);
}

static void
test_json_results_file_written_atomically(void **state)
{
	char dir[] = "/tmp/tc-test-json-XXXXXX", path[64], *err = NULL;
	struct run *a, *b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/results.json", dir);
	a = fixture_run(0);
	assert_int_equal(report_write_file(path, report_json_write, a, &err),
	    0);
	b = report_json_read_file(path, &err);
	assert_non_null(b);
	fixture_assert_equal(a, b);
	result_run_free(b);
	assert_null(report_json_read_file("/nonexistent/x.json", &err));
	assert_non_null(strstr(err, "/nonexistent/x.json: "));
	free(err);
	result_run_free(a);
	unlink(path);
	rmdir(dir);
}

/*
 * Text for a terminal: what a terminal would obey is shown as \xNN (C0
 * with ESC and BEL, DEL, C1 as UTF-8, bidi overrides, broken UTF-8);
 * printable UTF-8 stays.
 */
static void
test_text_term_escapes_what_a_terminal_obeys(void **state)
{
	char *out;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(f = open_memstream(&out, &len));
	text_term(f, "a\x1b]0;t\x07\x1b[2J\xc2\x9b" "31m\x7f\t\xe2\x80\xae"
	    "\xff\xc3 \xc3\xa9\xe2\x86\x92 ok\\");
	text_term(f, NULL);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, "a\\x1b]0;t\\x07\\x1b[2J\\xc2\\x9b31m"
	    "\\x7f\\x09\\xe2\\x80\\xae\\xff\\xc3 \xc3\xa9\xe2\x86\x92 ok\\");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes_quotes_controls_and_markup),
		cmocka_unit_test(
		    test_json_invalid_utf8_becomes_surrogate_escapes),
		cmocka_unit_test(test_json_escaped_bytes_read_back_identical),
		cmocka_unit_test(test_json_writer_structure),
		cmocka_unit_test(test_json_writer_pretty_with_flat_rows),
		cmocka_unit_test(test_json_reader_values),
		cmocka_unit_test(test_json_reader_rejects_malformed),
		cmocka_unit_test(test_json_reader_error_names_line_and_column),
		cmocka_unit_test(test_json_reader_limits_depth),
		cmocka_unit_test(test_json_results_round_trip_all_fields),
		cmocka_unit_test(test_json_results_reader_reports_bad_fields),
		cmocka_unit_test(test_json_results_reader_limits_cases),
		cmocka_unit_test(test_json_results_minimal_file_gets_defaults),
		cmocka_unit_test(test_json_results_file_written_atomically),
		cmocka_unit_test(test_text_term_escapes_what_a_terminal_obeys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
