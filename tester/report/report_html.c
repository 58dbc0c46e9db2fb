/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_html.c: the HTML report's skeleton: the folder it writes (index.html
 * and one page per case), the page template from reports/, and the pieces
 * every page shares (badges, the mismatch in plain words, RFC links).
 *
 * Each page is self-contained (inline CSS and SVG, no script, no fetch) and
 * carries a Content-Security-Policy that forbids scripts, so even text that
 * slipped through the escaping could not run.  It does not: every string of
 * the model goes through report_esc() and every link through report_href().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "report_html.h"
#include "report_util.h"

struct by_topic {
	const struct case_result *c;
	size_t		 ci;
};

struct case_arg {
	const struct run *run;
	size_t		 ti;
	size_t		 ci;
};

static int	 target_paths(char **, const struct target *, size_t);
static int	 by_topic_cmp(const void *, const void *);
static size_t	*topic_order(const struct target *);
static void	 index_body(FILE *, const void *);
static int	 index_cb(FILE *, const void *);
static int	 case_cb(FILE *, const void *);
static const char *field_words(const char *);
static void	 mismatch_one(FILE *, const struct case_result *,
		    const struct field_diff *);
static int	 write_cases(const struct html_ctx *, const char *, char **);

/* ---- paths ---- */

/*
 * Page names for the cases of one target: report_slugs() makes them
 * distinct, the same names the runner gave the cases' pcaps.
 */
static int
target_paths(char **paths, const struct target *t, size_t ti)
{
	const char **ids;
	char **names;
	size_t ci;
	int rc = 0;

	ids = calloc(t->ncases + 1, sizeof(*ids));
	names = calloc(t->ncases + 1, sizeof(*names));
	if (ids == NULL || names == NULL) {
		free(ids);
		free(names);
		return -1;
	}
	for (ci = 0; ci < t->ncases; ci++)
		ids[ci] = t->cases[ci]->id;
	if (report_slugs(ids, t->ncases, names) == -1)
		rc = -1;
	for (ci = 0; ci < t->ncases; ci++) {
		if (rc == 0 && asprintf(&paths[ci], "cases/t%zu/%s.html",
		    ti + 1, names[ci]) == -1) {
			paths[ci] = NULL;
			rc = -1;
		}
		free(names[ci]);
	}
	free(ids);
	free(names);
	return rc;
}

int
html_topic_cmp(const struct case_result *a, const struct case_result *b)
{
	const char *ta, *tb;
	size_t na, nb;
	int c;

	na = result_case_topic(a, &ta);
	nb = result_case_topic(b, &tb);
	if ((c = memcmp(ta, tb, na < nb ? na : nb)) != 0)
		return c;
	return na < nb ? -1 : na > nb;
}

int
html_same_topic(const struct case_result *a, const struct case_result *b)
{
	return html_topic_cmp(a, b) == 0;
}

static int
by_topic_cmp(const void *a, const void *b)
{
	const struct by_topic *x = a, *y = b;
	int c;

	if ((c = html_topic_cmp(x->c, y->c)) != 0)
		return c;
	return x->ci < y->ci ? -1 : x->ci > y->ci;
}

/* The cases of t sorted by topic, in run order within a topic. */
static size_t *
topic_order(const struct target *t)
{
	struct by_topic *v;
	size_t *order, ci;

	v = calloc(t->ncases + 1, sizeof(*v));
	order = calloc(t->ncases + 1, sizeof(*order));
	if (v == NULL || order == NULL) {
		free(v);
		free(order);
		return NULL;
	}
	for (ci = 0; ci < t->ncases; ci++) {
		v[ci].c = t->cases[ci];
		v[ci].ci = ci;
	}
	qsort(v, t->ncases, sizeof(*v), by_topic_cmp);
	for (ci = 0; ci < t->ncases; ci++)
		order[ci] = v[ci].ci;
	free(v);
	return order;
}

int
html_ctx_init(struct html_ctx *h, const struct run *r)
{
	size_t ti;

	h->run = r;
	h->paths = calloc(r->ntargets + 1, sizeof(*h->paths));
	h->order = calloc(r->ntargets + 1, sizeof(*h->order));
	if (h->paths == NULL || h->order == NULL)
		return -1;
	for (ti = 0; ti < r->ntargets; ti++)
		if ((h->paths[ti] = calloc(r->targets[ti]->ncases + 1,
		    sizeof(**h->paths))) == NULL ||
		    target_paths(h->paths[ti], r->targets[ti], ti) == -1 ||
		    (h->order[ti] = topic_order(r->targets[ti])) == NULL)
			return -1;
	return 0;
}

void
html_ctx_free(struct html_ctx *h)
{
	size_t ti, ci;

	for (ti = 0; h->order != NULL && ti < h->run->ntargets; ti++)
		free(h->order[ti]);
	free(h->order);
	h->order = NULL;
	if (h->paths == NULL)
		return;
	for (ti = 0; ti < h->run->ntargets && h->paths[ti] != NULL; ti++) {
		for (ci = 0; ci < h->run->targets[ti]->ncases; ci++)
			free(h->paths[ti][ci]);
		free(h->paths[ti]);
	}
	free(h->paths);
	h->paths = NULL;
}

/* ---- the page ---- */

/*
 * reports/page.html with @TITLE@, @GENERATOR@, @STYLE@ and @BODY@ filled
 * in; any other '@' is copied as it is.
 */
void
html_page(FILE *f, const char *title, const char *css,
    void (*fn)(FILE *, const void *), const void *arg)
{
	const char *p = report_asset_page_html, *at;

	while ((at = strchr(p, '@')) != NULL) {
		fwrite(p, 1, (size_t)(at - p), f);
		if (strncmp(at, "@TITLE@", 7) == 0) {
			report_esc_max(f, title, 120);
			p = at + 7;
		} else if (strncmp(at, "@GENERATOR@", 11) == 0) {
			fputs("tcpconform " PACKAGE_VERSION, f);
			p = at + 11;
		} else if (strncmp(at, "@STYLE@", 7) == 0) {
			fputs(report_asset_base_css, f);
			fputs(css, f);
			p = at + 7;
		} else if (strncmp(at, "@BODY@", 6) == 0) {
			fn(f, arg);
			p = at + 6;
		} else {
			fputc('@', f);
			p = at + 1;
		}
	}
	fputs(p, f);
}

void
html_badge(FILE *f, enum verdict v, const char *extra)
{
	fprintf(f, "<span class=\"badge v-%s%s%s\">%s</span>", verdict_name(v),
	    extra != NULL ? " " : "", extra != NULL ? extra : "",
	    verdict_label(v));
}

const char *
html_glyph(enum verdict v)
{
	static const char *const glyphs[VERDICT_N] = {
		[VERDICT_PASS] = "\xe2\x9c\x93",	/* check mark */
		[VERDICT_FAIL] = "\xe2\x9c\x97",	/* ballot x */
		[VERDICT_WARN] = "!",
		[VERDICT_INFO] = "i",
		[VERDICT_INCONCLUSIVE] = "?",
		[VERDICT_FLAKY] = "\xe2\x89\x88",	/* almost equal */
		[VERDICT_NA] = "\xe2\x80\x93",		/* en dash */
		[VERDICT_XFAIL] = "x",
		[VERDICT_XPASS] = "+",
		[VERDICT_ERROR] = "E",
		[VERDICT_SKIP] = "\xc2\xb7",		/* middle dot */
	};

	return (unsigned)v < VERDICT_N ? glyphs[v] : "E";
}

const char *
html_dir_words(enum seg_dir d)
{
	return d == SEGDIR_FROM_TARGET ? "target \xe2\x86\x92 peer" :
	    "peer \xe2\x86\x92 target";
}

void
html_target_name(FILE *f, const struct target *t, size_t ti)
{
	if (t->name != NULL && t->name[0] != '\0')
		report_esc_max(f, t->name, 60);
	else if (t->address != NULL && t->address[0] != '\0')
		report_esc_max(f, t->address, 60);
	else
		fprintf(f, "target %zu", ti + 1);
}

/* ---- the mismatch in words ---- */

static const char *
field_words(const char *field)
{
	static const char *const words[][2] = {
		{ "ack", "acknowledgment number" },
		{ "seq", "sequence number" },
		{ "win", "window" },
		{ "window", "window" },
		{ "flags", "flags" },
		{ "len", "payload length" },
		{ "length", "payload length" },
		{ "options", "option list" },
		{ "mss", "MSS option" },
		{ "wscale", "window scale option" },
		{ "ts", "timestamp option" },
		{ "tsval", "timestamp value" },
		{ "tsecr", "timestamp echo reply" },
		{ "sack", "SACK blocks" },
		{ "urp", "urgent pointer" },
		{ "payload", "payload" },
		{ "time", "time" },
		{ "ttl", "TTL" },
	};
	size_t i;

	for (i = 0; field != NULL && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(field, words[i][0]) == 0)
			return words[i][1];
	return NULL;
}

static void
mismatch_one(FILE *f, const struct case_result *c, const struct field_diff *d)
{
	const struct seg_rec *s = NULL;
	const char *w;

	if (c->mismatch_seg >= 0 && (size_t)c->mismatch_seg < c->nsegs)
		s = c->segs[c->mismatch_seg];
	if (s != NULL && s->kind == SEGK_MISSING) {
		fprintf(f, "Segment %ld (%s) never arrived: the case expected "
		    "<code>", c->mismatch_seg + 1, html_dir_words(s->dir));
		report_esc_max(f, d->expected, 200);
		fputs("</code>; observed: ", f);
		report_esc_max(f, d->observed != NULL ? d->observed :
		    "nothing", 200);
		return;
	}
	if (s != NULL)
		fprintf(f, "In segment %ld (%s) the ", c->mismatch_seg + 1,
		    html_dir_words(s->dir));
	else
		fputs("The ", f);
	if ((w = field_words(d->field)) != NULL)
		fputs(w, f);
	else {
		fputs("field <code>", f);
		report_esc_max(f, d->field, 60);
		fputs("</code>", f);
	}
	fputs(" was <strong>", f);
	report_esc_max(f, d->observed != NULL ? d->observed : "(nothing)", 200);
	fputs("</strong> where the case expected <strong>", f);
	report_esc_max(f, d->expected != NULL ? d->expected : "(nothing)",
	    200);
	fputs("</strong>", f);
}

void
html_mismatch(FILE *f, const struct case_result *c, int with_code)
{
	char buf[512];
	size_t i;

	if (c->ndiffs == 0)
		return;
	fputs("<p class=\"plain\">", f);
	mismatch_one(f, c, &c->diffs[0]);
	if (c->ndiffs > 1)
		fprintf(f, " (and %zu more field%s)", c->ndiffs - 1,
		    c->ndiffs > 2 ? "s" : "");
	fputs(".</p>\n", f);
	if (!with_code)
		return;
	fputs("<ul class=\"diffs\">\n", f);
	for (i = 0; i < c->ndiffs; i++) {
		fputs("<li><code>", f);
		report_esc(f, result_diff_str(&c->diffs[i], buf, sizeof(buf)));
		fputs("</code></li>\n", f);
	}
	fputs("</ul>\n", f);
}

/*
 * "RFC 9293 3.10.7.4" links to rfc-editor.org.  The link is built from the
 * digits parsed out of the text, never from the text itself.
 */
void
html_rfc_section(FILE *f, const char *sec)
{
	const char *p = sec;
	char num[8], part[32];
	size_t n = 0, m = 0;

	if (sec == NULL)
		return;
	if (strncasecmp(p, "RFC", 3) == 0)
		p += 3;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9' && n + 1 < sizeof(num))
		num[n++] = *p++;
	num[n] = '\0';
	while (*p == ' ' || *p == ',')
		p++;
	if (strncasecmp(p, "section ", 8) == 0)
		p += 8;
	while (((*p >= '0' && *p <= '9') || (*p == '.' && m > 0)) &&
	    m + 1 < sizeof(part))
		part[m++] = *p++;
	while (m > 0 && part[m - 1] == '.')
		m--;
	part[m] = '\0';
	if (n == 0 || n > 5 || *p != '\0') {
		report_esc_max(f, sec, 80);
		return;
	}
	fprintf(f, "<a href=\"https://www.rfc-editor.org/rfc/rfc%s%s%s\">",
	    num, m > 0 ? "#section-" : "", part);
	report_esc_max(f, sec, 80);
	fputs("</a>", f);
}

/* ---- writing ---- */

static void
index_body(FILE *f, const void *arg)
{
	const struct html_ctx *h = arg;

	html_index_header(f, h->run);
	fputs("<main>\n", f);
	html_summary(f, h);
	html_claims(f, h);
	html_problems(f, h);
	html_grid(f, h);
	if (h->run->ntargets > 1)
		html_matrix(f, h);
	else
		html_case_list(f, h);
	html_requirements(f, h);
	html_legend(f);
	fputs("</main>\n", f);
	fputs("<footer>Written by tcpconform " PACKAGE_VERSION ".  This "
	    "report is self-contained: it needs no network and runs no "
	    "script.  The same results are in results.json (every field), "
	    "junit.xml and, when asked for, results.tap.</footer>\n", f);
}

int
report_html_index(FILE *f, const struct run *r)
{
	struct html_ctx h;
	char title[200];
	int rc = 0;

	memset(&h, 0, sizeof(h));
	if (html_ctx_init(&h, r) == -1)
		rc = -1;
	else {
		snprintf(title, sizeof(title), "tcpconform report: %s",
		    r->ntargets == 1 && r->targets[0]->name != NULL ?
		    r->targets[0]->name : "several targets");
		html_page(f, title, report_asset_index_css, index_body, &h);
	}
	html_ctx_free(&h);
	fflush(f);
	return rc == 0 && !ferror(f) ? 0 : -1;
}

static int
index_cb(FILE *f, const void *arg)
{
	return report_html_index(f, arg);
}

static int
case_cb(FILE *f, const void *arg)
{
	const struct case_arg *a = arg;

	return report_html_case(f, a->run, a->ti, a->ci);
}

static int
write_cases(const struct html_ctx *h, const char *dir, char **err)
{
	const struct run *r = h->run;
	struct case_arg a = { r, 0, 0 };
	char *path;
	int rc;

	for (a.ti = 0; a.ti < r->ntargets; a.ti++) {
		if (asprintf(&path, "%s/cases/t%zu", dir, a.ti + 1) == -1)
			return -1;
		rc = file_mkdir(path, err);
		free(path);
		if (rc == -1)
			return -1;
		for (a.ci = 0; a.ci < r->targets[a.ti]->ncases; a.ci++) {
			if (asprintf(&path, "%s/%s", dir,
			    h->paths[a.ti][a.ci]) == -1)
				return -1;
			rc = file_write_atomic(path, case_cb, &a, err);
			free(path);
			if (rc == -1)
				return -1;
		}
	}
	return 0;
}

/* Case pages first, index.html last: the index never links to nothing. */
int
report_html_write_dir(const struct run *r, const char *dir, char **err)
{
	struct html_ctx h;
	char *path = NULL;
	int rc = -1;

	*err = NULL;
	memset(&h, 0, sizeof(h));
	if (html_ctx_init(&h, r) == -1 ||
	    asprintf(&path, "%s/cases", dir) == -1) {
		path = NULL;
		goto out;
	}
	if (file_mkdir(path, err) == -1 || write_cases(&h, dir, err) == -1)
		goto out;
	free(path);
	if (asprintf(&path, "%s/index.html", dir) == -1) {
		path = NULL;
		goto out;
	}
	rc = file_write_atomic(path, index_cb, r, err);
out:
	if (rc == -1 && *err == NULL)
		*err = strdup("out of memory");
	free(path);
	html_ctx_free(&h);
	return rc;
}
