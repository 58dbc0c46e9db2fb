/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_report_html.c: the HTML report says what it must (the mismatch in
 * the one canonical form and in words, one ladder arrow per segment, the
 * pcap link, the requirement view, the matrix) and interprets nothing that
 * came from the target or a case file.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
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
#include "report_util.h"
#include "result.h"
#include "test_report_fixture.h"

static char	*case_page(const struct run *, size_t, size_t);
static char	*esc(const char *);
static void	 assert_inert(const char *);
static void	 rm_tree(const char *);

static char *
case_page(const struct run *r, size_t ti, size_t ci)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	assert_int_equal(report_html_case(f, r, ti, ci), 0);
	fclose(f);
	return buf;
}

static char *
esc(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	report_esc(f, s);
	fclose(f);
	return buf;
}

/*
 * Nothing of the hostile case may reach the page as markup: no script or
 * img element, no event-handler attribute, no javascript: link, and no
 * byte that is not well-formed, printable UTF-8.
 */
static void
assert_inert(const char *html)
{
	size_t i, n = strlen(html), k;

	assert_null(strcasestr(html, "<script"));
	assert_null(strcasestr(html, "<img"));
	assert_null(strcasestr(html, "onerror="));
	assert_null(strcasestr(html, "href=\"javascript"));
	assert_null(strstr(html, "<![CDATA["));
	for (i = 0; i < n; i += k) {
		k = json_utf8_len(html + i, n - i);
		assert_true(k > 0);
		if (k == 1 && html[i] != '\n' && html[i] != '\t')
			assert_true((unsigned char)html[i] >= 0x20 &&
			    html[i] != 0x7f);
	}
}

static void
rm_tree(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_report_html_escape_covers_markup_and_bad_bytes(void **state)
{
	char *s;

	(void)state;
	s = esc("<a href=\"x\" onclick='y'>&</a>");
	assert_string_equal(s, "&lt;a href&#61;&quot;x&quot; onclick&#61;"
	    "&#39;y&#39;&gt;&amp;&lt;/a&gt;");
	free(s);
	s = esc("\x01\x7f\xc2\x85\xff\xc3\xa9\xef\xbf\xbe\tok");
	assert_string_equal(s, "\\x01\\x7f\\xc2\\x85\\xff\xc3\xa9"
	    "\\xef\\xbf\\xbe\tok");
	free(s);
}

static void
test_report_html_href_cannot_start_a_scheme(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	report_href(f, "../../", "javascript:alert(1)\" onmouseover=\"x");
	fclose(f);
	assert_string_equal(buf, "../../javascript%3Aalert%281%29%22%20"
	    "onmouseover%3D%22x");
	free(buf);
}

static void
test_report_html_slug_is_a_safe_file_name(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(report_slug("handshake/Passive-Open", buf,
	    sizeof(buf)), "handshake-passive-open");
	assert_string_equal(report_slug("../../etc/passwd", buf, sizeof(buf)),
	    "etc-passwd");
	assert_string_equal(report_slug("\"><script>", buf, sizeof(buf)),
	    "script");
	assert_string_equal(report_slug("///", buf, sizeof(buf)), "case");
	assert_string_equal(report_slug(NULL, buf, sizeof(buf)), "case");
	assert_int_equal(strlen(report_slug("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaa", buf, sizeof(buf))), sizeof(buf) - 1);
	assert_true(text_natcmp("MUST-9", "MUST-10") < 0);
	assert_true(text_natcmp("MUST-10", "SHLD-1") < 0);
	assert_true(text_natcmp("MUST-010", "MUST-10") == 0);
}

/* Ids that slugify alike get distinct names, stable and readable. */
static void
test_report_html_slugs_are_distinct(void **state)
{
	static const char *const ids[] = { "x y", "x-y", "x/y", "x-y-2",
	    "X_Y", "x-y", NULL, "a/b" };
	char *names[8];
	size_t i, k;

	(void)state;
	assert_int_equal(report_slugs(ids, 8, names), 0);
	assert_string_equal(names[0], "x-y");
	assert_string_equal(names[1], "x-y-2-2");	/* "x-y-2" is taken */
	assert_string_equal(names[2], "x-y-3");
	assert_string_equal(names[3], "x-y-2");
	assert_string_equal(names[4], "x_y");
	assert_string_equal(names[5], "x-y-6");
	assert_string_equal(names[6], "case");
	assert_string_equal(names[7], "a-b");
	for (i = 0; i < 8; i++)
		for (k = i + 1; k < 8; k++)
			if (strcmp(names[i], names[k]) == 0)
				fail_msg("%s and %s share %s", ids[i] ? ids[i] :
				    "(null)", ids[k] ? ids[k] : "(null)",
				    names[i]);
	for (i = 0; i < 8; i++)
		free(names[i]);
}

/* The failing case names the field in the canonical form and in words. */
static void
test_report_html_case_page_states_the_mismatch(void **state)
{
	struct run *r;
	char *html;

	(void)state;
	r = fixture_run(0);
	html = case_page(r, 0, FX_FAIL);
	assert_non_null(strstr(html, "<code>ack: expected 1002, observed 1000"
	    "</code>"));
	assert_non_null(strstr(html, "In segment 5 (target \xe2\x86\x92 peer) "
	    "the acknowledgment number was <strong>1000</strong> where the case"
	    " expected <strong>1002</strong> (and 1 more field)."));
	assert_non_null(strstr(html, "<span class=\"badge v-fail big\">FAIL"));
	/* where the case failed, and the case's own words on the rule */
	assert_non_null(strstr(html, "<p class=\"where\">At <code>cases/close/"
	    "fin-consumes-sequence.case:14</code></p>"));
	assert_non_null(strstr(html, "<p class=\"about\"><strong>What the case "
	    "checks:</strong> A FIN occupies one sequence number: the ACK of\n"
	    "our FIN must acknowledge it (RFC 9293 3.6).</p>"));
	assert_non_null(strstr(html, "<tr id=\"seg-5\" class=\"k-observed "
	    "diverge\">"));
	/* the requirement with its RFC section, linked */
	assert_non_null(strstr(html, "<a href=\"https://www.rfc-editor.org/"
	    "rfc/rfc9293#section-3.6\">RFC 9293 3.6</a>"));
	/* the payload as hex and ASCII */
	assert_non_null(strstr(html, "47 45 54 20 2f 20 48 54  54 50 2f 31 2e "
	    "30 0d 0a   GET / HTTP/1.0.."));
	free(html);
	html = case_page(r, 0, FX_MISSING);
	assert_non_null(strstr(html, "Segment 5 (target \xe2\x86\x92 peer) "
	    "never arrived: the case expected <code>&gt; . 1:1(0) ack 1"
	    "</code>"));
	free(html);
	result_run_free(r);
}

/* One <line class="arw"> per segment, whatever the kind of segment. */
static void
test_report_html_ladder_draws_one_arrow_per_segment(void **state)
{
	struct run *r;
	char *html;
	size_t ci;

	(void)state;
	r = fixture_run(1);
	for (ci = 0; ci < r->targets[0]->ncases; ci++) {
		html = case_page(r, 0, ci);
		assert_int_equal(fixture_count(html, "<line class=\"arw\""),
		    r->targets[0]->cases[ci]->nsegs);
		/* the arrow, the table row, and the row's label */
		assert_int_equal(fixture_count(html, " diverge\">"),
		    r->targets[0]->cases[ci]->mismatch_seg >= 0 ? 3 : 0);
		free(html);
	}
	html = case_page(r, 0, FX_MISSING);
	assert_int_equal(fixture_count(html, "<g class=\"s from-target "
	    "k-missing diverge\">"), 1);
	assert_int_equal(fixture_count(html, "<g class=\"s from-target "
	    "k-unexpected\">"), 1);
	assert_non_null(strstr(html, "missing: . 1:1(0) ack 1 win 64240"));
	assert_non_null(strstr(html, "marker-end=\"url(#ah-unexp)\""));
	free(html);
	html = case_page(r, 0, FX_PASS);
	assert_non_null(strstr(html, ">S. 0:0(0) ack 1 win 64240</text>"));
	assert_non_null(strstr(html, "&lt;mss 65495,sackOK,TS val 7 ecr 100,"
	    "nop,wscale 7&gt;"));
	free(html);
	result_run_free(r);
}

static void
test_report_html_links_the_pcap(void **state)
{
	struct run *r;
	char *html;

	(void)state;
	r = fixture_run(1);
	html = case_page(r, 0, FX_FAIL);
	assert_non_null(strstr(html, "<a href=\"../../pcap/close-fin-consumes-"
	    "sequence.pcap\">pcap/close-fin-consumes-sequence.pcap</a>"));
	free(html);
	result_set(&r->targets[0]->pcap_dir, "../run 1");
	html = case_page(r, 0, FX_FAIL);
	assert_non_null(strstr(html, "href=\"../../../run%201/pcap/close-fin-"
	    "consumes-sequence.pcap\""));
	free(html);
	result_set(&r->targets[0]->pcap_dir, "/srv/out");
	html = case_page(r, 0, FX_FAIL);
	assert_non_null(strstr(html, "href=\"/srv/out/pcap/close-fin-"));
	free(html);
	html = case_page(r, 0, FX_NCASES);	/* the hostile one */
	assert_non_null(strstr(html, "href=\"/srv/out/javascript%3Aalert%285"
	    "%29\""));
	free(html);
	html = case_page(r, 0, FX_INFO);
	assert_non_null(strstr(html, "no pcap was written for this case"));
	assert_non_null(strstr(html, "<td class=\"num\">60.25</td>"));
	free(html);
	result_run_free(r);
}

static void
test_report_html_index_summarises_the_run(void **state)
{
	struct run *r;
	char *html;
	int v;

	(void)state;
	r = fixture_run(0);
	html = fixture_render(report_html_index, r, NULL);
	assert_non_null(strstr(html, "<h1>TCP conformance of linux</h1>"));
	assert_non_null(strstr(html, "48 \xc2\xb5s, jitter 9 \xc2\xb5s"));
	assert_non_null(strstr(html, "2026-05-14 09:30:12 UTC"));
	assert_non_null(strstr(html, "The run is incomplete"));
	assert_non_null(strstr(html, "Exit status 2."));
	for (v = 0; v < VERDICT_N; v++)
		assert_non_null(strstr(html, verdict_legend(v)));
	/* the legend's table: exit status, JUnit and TAP of each verdict */
	assert_non_null(strstr(html, "<td><code>0</code>; with --strict "
	    "<code>3</code></td><td><code>passed</code>; with --strict "
	    "<code>&lt;failure&gt;</code></td><td><code>ok</code>; with "
	    "--strict <code>not ok</code></td></tr>"));
	assert_non_null(strstr(html, "<td><code>0</code>; with --strict "
	    "<code>3</code>; with --complete <code>4</code></td><td><code>"
	    "&lt;skipped&gt;</code>; with --strict <code>&lt;failure&gt;"
	    "</code></td><td><code>ok # SKIP</code>; with --strict <code>"
	    "not ok</code></td></tr>"));
	assert_non_null(strstr(html, "<td><code>0</code></td><td><code>"
	    "&lt;skipped&gt;</code></td><td><code>not ok # TODO</code></td>"));
	assert_non_null(strstr(html, "<td><code>2</code></td><td><code>"
	    "&lt;error&gt;</code></td><td><code>not ok</code></td>"));
	assert_int_equal(fixture_count(html, "<a class=\"tile "), FX_NCASES);
	assert_int_equal(fixture_count(html, "<tr class=\"case "), FX_NCASES);
	assert_non_null(strstr(html, "<a class=\"tile v-fail\" href=\"cases/t1/"
	    "close-fin-consumes-sequence.html\""));
	/* the problems, the mismatch in words */
	assert_non_null(strstr(html, "the acknowledgment number was <strong>"
	    "1000</strong>"));
	/* the requirement view: covered, with cases, and not covered */
	assert_non_null(strstr(html, "<code>RFC5961-3.2</code>"));
	assert_non_null(strstr(html, "rfc5961#section-3.2"));
	assert_non_null(strstr(html, "3 of the 4 in the catalogue are "
	    "covered"));
	assert_non_null(strstr(html, "<code>MUST-13</code> MUST</li>"));
	/* coverage by RFC and keyword: MUST-10, 12, 13 (2 checked), SHLD-2 */
	assert_non_null(strstr(html, "<tr><td>RFC 9293</td><td>MUST</td>"
	    "<td>3</td><td>2</td></tr>"));
	assert_non_null(strstr(html, "<tr><td>RFC 9293</td><td>SHOULD</td>"
	    "<td>1</td><td>1</td></tr>"));
	assert_non_null(strstr(html, "<th colspan=\"2\">All</th><th>4</th>"
	    "<th>3</th>"));
	/* no matrix for one target; a self-contained page */
	assert_null(strstr(html, "id=\"matrix\""));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "src="));
	assert_non_null(strstr(html, "Content-Security-Policy\" content=\""
	    "default-src 'none'"));
	free(html);
	result_run_free(r);
}

static void
test_report_html_matrix_links_every_cell(void **state)
{
	struct run *r;
	char *html;

	(void)state;
	r = fixture_run(0);
	fixture_add_target(r, "fault-fin");
	html = fixture_render(report_html_index, r, NULL);
	assert_non_null(strstr(html, "<section id=\"matrix\">"));
	assert_int_equal(fixture_count(html, "<td><a class=\"badge v-"),
	    2 * FX_NCASES);
	/* grid tiles, matrix cells, and the 4 failures among the problems */
	assert_int_equal(fixture_count(html, "href=\"cases/t2/"),
	    2 * FX_NCASES + 4);
	assert_non_null(strstr(html, "<td>1 of 12</td><td>8 of 12</td>"));
	assert_int_equal(fixture_count(html, "<tr class=\"differ"), FX_NCASES);
	assert_null(strstr(html, "id=\"cases\""));
	free(html);
	result_run_free(r);
}

static void
test_report_html_hostile_text_is_inert(void **state)
{
	struct run *r;
	char *html;
	size_t ci;

	(void)state;
	r = fixture_run(1);
	fixture_add_target(r, HOSTILE_TITLE);
	html = fixture_render(report_html_index, r, NULL);
	assert_inert(html);
	/* the target card's identity, the agent's words in order */
	assert_non_null(strstr(html, "<dt>Identity</dt><dd class=\"mono\">"
	    "os=Linux release=6.1.0-28-amd64 net.ipv4.tcp_rfc1337=0</dd>"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"
	    "&quot;&gt;&lt;img src&#61;x onerror&#61;alert(2)&gt;]]&gt;"
	    "\\xff\\xfe bad UTF-8"));
	free(html);
	for (ci = 0; ci < r->targets[0]->ncases; ci++) {
		html = case_page(r, 0, ci);
		assert_inert(html);
		free(html);
	}
	html = case_page(r, 0, FX_NCASES);
	/* the payload: hex, and ASCII with markup escaped */
	assert_non_null(strstr(html, "3c 73 63 72 69 70 74 3e"));
	assert_non_null(strstr(html, "  &lt;script&gt;alert(4)\n"));
	assert_non_null(strstr(html, "  &lt;/script&gt;..]]&gt;\"'\n"));
	assert_non_null(strstr(html, "  &amp;\n</pre>"));
	free(html);
	result_run_free(r);
}

static void
test_report_html_write_dir_leaves_only_the_report(void **state)
{
	char dir[] = "/tmp/tc-test-html-XXXXXX", path[256], *err = NULL;
	struct run *r;
	struct dirent *de;
	struct stat st;
	DIR *d;
	size_t n = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	r = fixture_run(1);
	assert_int_equal(report_write_all(r, dir, REPORT_DEFAULT | REPORT_TAP,
	    &err), 0);
	assert_null(err);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	snprintf(path, sizeof(path), "%s/cases/t1", dir);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		assert_null(strstr(de->d_name, ".tmp"));
		assert_non_null(strstr(de->d_name, ".html"));
		n++;
	}
	closedir(d);
	assert_int_equal(n, r->targets[0]->ncases);
	snprintf(path, sizeof(path), "%s/cases/t1/close-fin-consumes-sequence"
	    ".html", dir);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/results.tap", dir);
	assert_int_equal(stat(path, &st), 0);
	/* a folder that cannot be written: an error, not a crash */
	assert_int_equal(report_write_all(r, "/nonexistent/x", REPORT_DEFAULT,
	    &err), -1);
	assert_non_null(err);
	free(err);
	result_run_free(r);
	rm_tree(dir);
}

static void
test_report_html_colliding_ids_get_distinct_pages(void **state)
{
	struct run *r;
	struct target *t;
	char *html;

	(void)state;
	r = result_run_new();
	t = result_target_add(r);
	result_set(&result_case_add(t)->id, "a/b");
	result_set(&result_case_add(t)->id, "a b");
	result_set(&result_case_add(t)->id, "A.B/");
	result_case_add(t);			/* no id at all */
	html = fixture_render(report_html_index, r, NULL);
	assert_non_null(strstr(html, "href=\"cases/t1/a-b.html\""));
	assert_non_null(strstr(html, "href=\"cases/t1/a-b-2.html\""));
	assert_non_null(strstr(html, "href=\"cases/t1/a.b.html\""));
	assert_non_null(strstr(html, "href=\"cases/t1/case.html\""));
	free(html);
	html = case_page(r, 0, 3);
	assert_non_null(strstr(html, "No segments were recorded"));
	assert_int_equal(fixture_count(html, "<line class=\"arw\""), 0);
	free(html);
	result_run_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_report_html_escape_covers_markup_and_bad_bytes),
		cmocka_unit_test(test_report_html_href_cannot_start_a_scheme),
		cmocka_unit_test(test_report_html_slug_is_a_safe_file_name),
		cmocka_unit_test(test_report_html_slugs_are_distinct),
		cmocka_unit_test(
		    test_report_html_case_page_states_the_mismatch),
		cmocka_unit_test(
		    test_report_html_ladder_draws_one_arrow_per_segment),
		cmocka_unit_test(test_report_html_links_the_pcap),
		cmocka_unit_test(test_report_html_index_summarises_the_run),
		cmocka_unit_test(test_report_html_matrix_links_every_cell),
		cmocka_unit_test(test_report_html_hostile_text_is_inert),
		cmocka_unit_test(
		    test_report_html_write_dir_leaves_only_the_report),
		cmocka_unit_test(
		    test_report_html_colliding_ids_get_distinct_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
