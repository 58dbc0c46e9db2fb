/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_expect.c: the expected-failure baseline of a kind of target
 * (--expect FILE).  One line per known failure:
 *
 *	# comment
 *	PATTERN [v4|v6] VERDICT[,VERDICT] [REASON...]
 *	close/fin-delayed-ack   warn   Linux delays the FIN's ACK ~40 ms
 *	rst/challenge-ack-[0-9]  v6 fail   a reason, kept in the report
 *	rst-unread/close-*  not-applicable  the proxy reads everything
 *
 * PATTERN is a shell pattern (fnmatch, '*' crosses '/') over case ids;
 * VERDICT is fail, warn, inconclusive or info (the info of a claim case:
 * the optional mechanism it names is absent).  The first line that matches a
 * case (and its family, when one is written) decides: a verdict the line
 * names becomes xfail; a pass becomes xpass (the baseline is out of date);
 * anything else stays as it is.
 *
 * not-applicable (alone, with a reason) says that this kind of target
 * cannot show what the case checks (a proxy whose application always reads
 * cannot close with unread data): the case is not run, and its verdict is
 * not applicable with the line's reason, never pass and never fail.
 *
 * check_baseline() applies it, or with --kind linux the case's own "linux"
 * line, to a case's verdict.  Uses the results model, the case program
 * and lib/ (file.h) only.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "file.h"
#include "check.h"

#define EXPECT_FILE_MAX	(1024 * 1024)

struct expect_line {
	char		*pattern;
	int		 family;	/* 0: both */
	unsigned	 verdicts;	/* 1 << VERDICT_* */
	char		*reason;
};

struct run_expect {
	struct expect_line *v;
	size_t		 n;
};

static int	parse_line(struct run_expect *, const char *, int, char *,
		    char **);
static int	parse_verdicts(const char *, unsigned *);
static char	*next_word(char **);
static const struct expect_line *find_line(const struct run_expect *,
		    const char *, int);

static char *
next_word(char **p)
{
	char *w;

	while (isspace((unsigned char)**p))
		(*p)++;
	if (**p == '\0')
		return NULL;
	w = *p;
	while (**p != '\0' && !isspace((unsigned char)**p))
		(*p)++;
	if (**p != '\0')
		*(*p)++ = '\0';
	return w;
}

static int
parse_verdicts(const char *s, unsigned *mask)
{
	char buf[64], *p, *w;
	int v;

	*mask = 0;
	if (strlen(s) >= sizeof(buf))
		return -1;
	if (strcmp(s, "not-applicable") == 0) {
		*mask = 1U << VERDICT_NA;
		return 0;
	}
	strcpy(buf, s);
	for (p = buf; (w = strsep(&p, ",")) != NULL;) {
		v = verdict_from_name(w);
		if (v != VERDICT_FAIL && v != VERDICT_WARN &&
		    v != VERDICT_INCONCLUSIVE && v != VERDICT_INFO)
			return -1;
		*mask |= 1U << v;
	}
	return 0;
}

static int
parse_line(struct run_expect *e, const char *name, int lineno, char *line,
    char **err)
{
	struct expect_line *nv, l = { NULL, 0, 0, NULL };
	char *p = line, *pat, *w;

	if ((pat = next_word(&p)) == NULL || *pat == '#')
		return 0;
	if ((w = next_word(&p)) != NULL && (strcmp(w, "v4") == 0 ||
	    strcmp(w, "v6") == 0)) {
		l.family = w[1] == '4' ? AF_INET : AF_INET6;
		w = next_word(&p);
	}
	if (w == NULL || parse_verdicts(w, &l.verdicts) == -1) {
		if (asprintf(err, "%s:%d: expected a verdict (fail, warn, "
		    "inconclusive, info or not-applicable) after '%s', found "
		    "%s%s%s",
		    name, lineno, pat, w ? "'" : "", w ? w : "end of line",
		    w ? "'" : "") < 0)
			*err = NULL;
		return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (l.verdicts == 1U << VERDICT_NA && *p == '\0') {
		if (asprintf(err, "%s:%d: not-applicable needs a reason: why "
		    "this kind of target cannot show '%s'", name, lineno,
		    pat) < 0)
			*err = NULL;
		return -1;
	}
	if ((nv = reallocarray(e->v, e->n + 1, sizeof(*nv))) == NULL)
		abort();
	e->v = nv;
	if ((l.pattern = strdup(pat)) == NULL ||
	    (*p != '\0' && (l.reason = strdup(p)) == NULL))
		abort();
	e->v[e->n++] = l;
	return 0;
}

int
run_expect_parse(const char *name, const char *buf, size_t len,
    struct run_expect **out, char **err)
{
	struct run_expect *e;
	char *text, *p, *line;
	int lineno = 0, rc = 0;

	*err = NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (text = strndup(buf, len)) == NULL)
		abort();
	for (p = text; rc == 0 && (line = strsep(&p, "\n")) != NULL;) {
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		rc = parse_line(e, name, lineno, line, err);
	}
	free(text);
	if (rc == -1) {
		run_expect_free(e);
		return -1;
	}
	*out = e;
	return 0;
}

int
run_expect_load(const char *path, struct run_expect **out, char **err)
{
	char *buf;
	size_t len;
	int rc;

	if (file_slurp(path, EXPECT_FILE_MAX, &buf, &len, err) == -1)
		return -1;
	rc = run_expect_parse(path, buf, len, out, err);
	free(buf);
	return rc;
}

void
run_expect_free(struct run_expect *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++) {
		free(e->v[i].pattern);
		free(e->v[i].reason);
	}
	free(e->v);
	free(e);
}

/* The first line for case id in family, or NULL. */
static const struct expect_line *
find_line(const struct run_expect *e, const char *id, int family)
{
	size_t i;

	if (e == NULL)
		return NULL;
	for (i = 0; i < e->n; i++) {
		if (e->v[i].family != 0 && e->v[i].family != family)
			continue;
		if (fnmatch(e->v[i].pattern, id, 0) == 0)
			return &e->v[i];
	}
	return NULL;
}

/*
 * The reason why this kind of target cannot show case id (a
 * not-applicable line), or NULL: the case runs.
 */
const char *
run_expect_na(const struct run_expect *e, const char *id, int family)
{
	const struct expect_line *l = find_line(e, id, family);

	return l != NULL && l->verdicts == 1U << VERDICT_NA ? l->reason : NULL;
}

/* The verdict after the baseline; *why is the line's reason (or NULL). */
enum verdict
run_expect_apply(const struct run_expect *e, const char *id, int family,
    enum verdict v, const char **why)
{
	const struct expect_line *l;

	*why = NULL;
	if ((l = find_line(e, id, family)) != NULL) {
		*why = l->reason;
		/* Not run (run_expect_na()): its verdict stays. */
		if (l->verdicts == 1U << VERDICT_NA)
			return v;
		if (l->verdicts & (1U << v))
			return VERDICT_XFAIL;
		if (v == VERDICT_PASS)
			return VERDICT_XPASS;
	}
	return v;
}

/*
 * Whether the baseline (as check_baseline() applies it) expects verdict v
 * of the case: one it would turn into xfail.
 */
int
check_baseline_expects(const struct run_expect *e, const char *id, int family,
    const struct case_prog *p, int kind_linux, enum verdict v)
{
	const char *why;

	if (v == VERDICT_PASS || v == VERDICT_XFAIL)
		return 0;
	if (run_expect_apply(e, id, family, v, &why) == VERDICT_XFAIL)
		return 1;
	return kind_linux && ((p->linux_verdict == CASE_V_FAIL &&
	    v == VERDICT_FAIL) || (p->linux_verdict == CASE_V_WARN &&
	    v == VERDICT_WARN));
}

/*
 * What the baseline expects of the case, as bits 1U << v: each failing
 * verdict it would turn into xfail, and VERDICT_XPASS when it would make
 * a pass xpass (it expects a failure and does not say "or pass").  0: it
 * expects nothing of the case.
 */
unsigned
check_baseline_mask(const struct run_expect *e, const char *id, int family,
    const struct case_prog *p, int kind_linux)
{
	static const enum verdict fails[] = { VERDICT_FAIL, VERDICT_WARN,
	    VERDICT_INFO };
	const char *why;
	enum verdict pv;
	unsigned m = 0;
	size_t i;

	for (i = 0; i < sizeof(fails) / sizeof(fails[0]); i++)
		if (check_baseline_expects(e, id, family, p, kind_linux,
		    fails[i]))
			m |= 1U << fails[i];
	pv = run_expect_apply(e, id, family, VERDICT_PASS, &why);
	if (m != 0 && (pv == VERDICT_XPASS || (pv == VERDICT_PASS &&
	    kind_linux && !p->linux_or_pass &&
	    (p->linux_verdict == CASE_V_FAIL ||
	    p->linux_verdict == CASE_V_WARN))))
		m |= 1U << VERDICT_XPASS;
	return m;
}

/*
 * The baseline: --expect, or with --kind linux the case's own "linux"
 * line (a fail or warn it expects on Linux).  A verdict it names becomes
 * xfail, a pass xpass (unless the line says "or pass"); the reason says
 * which baseline expected it.
 */
void
check_baseline(struct case_result *cr, const struct run_expect *e,
    const char *id, int family, const struct case_prog *p, int kind_linux)
{
	const char *why = NULL, *from = "the baseline";
	enum verdict v = cr->verdict, lv;
	char *r;

	cr->verdict = run_expect_apply(e, id, family, v, &why);
	if (cr->verdict == v && kind_linux &&
	    (p->linux_verdict == CASE_V_FAIL ||
	    p->linux_verdict == CASE_V_WARN)) {
		lv = p->linux_verdict == CASE_V_FAIL ? VERDICT_FAIL :
		    VERDICT_WARN;
		cr->verdict = v == lv ? VERDICT_XFAIL : v == VERDICT_PASS &&
		    !p->linux_or_pass ? VERDICT_XPASS : v;
		why = p->linux_reason;
		from = "the case's \"linux\" line";
	}
	if (cr->verdict == v)
		return;
	if (asprintf(&r, "%s %s%s%s%s%s%s", cr->verdict == VERDICT_XFAIL ?
	    "expected by" : "passed, but a failure is expected by", from,
	    why != NULL ? " (" : "", why != NULL ? why : "",
	    why != NULL ? ")" : "", cr->verdict == VERDICT_XFAIL &&
	    cr->reason != NULL ? ": " : "", cr->verdict == VERDICT_XFAIL &&
	    cr->reason != NULL ? cr->reason : "") < 0)
		abort();
	free(cr->reason);
	cr->reason = r;
}
