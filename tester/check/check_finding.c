/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_finding.c: findings, what every check returns when the target did
 * something other than what the case asks for, and the list of them that
 * an attempt keeps until check_verdict() reads it.
 *
 * Uses the case program (for the line's text and severity) and nothing
 * else of the tester.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

enum check_rc
check_finding(struct finding *f, enum find_kind kind,
    const struct case_prog *prog, const struct case_stmt *st,
    const char *fmt, ...)
{
	char line[256], *msg = NULL;
	va_list ap;

	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->sev = st != NULL ? st->sev : CASE_SEV_MUST;
	f->prog = prog;
	f->st = st;
	f->seg = -1;
	if (fmt == NULL)
		return CHECK_FOUND;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (st == NULL || prog == NULL) {
		f->text = msg;
		return CHECK_FOUND;
	}
	/* "line 12 (> . 1:1(0) ack 1001): MESSAGE" */
	if (asprintf(&f->text, "line %d (%s): %s", st->loc.line,
	    case_stmt_fmt(prog, st, line, sizeof(line)),
	    msg != NULL ? msg : "out of memory") < 0)
		f->text = NULL;
	free(msg);
	return CHECK_FOUND;
}

void
check_finding_free(struct finding *f)
{
	free(f->text);
	f->text = NULL;
}

/*
 * A finding about the target's behaviour, the tester's trouble or unmet
 * needs ends the attempt: the first one decides.  A measurement, capture
 * losses, the path's trouble, the agent's going away and the host kernel's
 * RST qualify whatever the attempt ends with.
 */
int
check_finding_ends(const struct finding *f)
{
	return f->kind != FIND_MEASURED && f->kind != FIND_CAPLOSS &&
	    f->kind != FIND_HOSTRST && f->kind != FIND_PATH &&
	    f->kind != FIND_AGENTGONE && f->kind != FIND_PASSIVE;
}

/* A finding that, alone, makes the target fail (or warn). */
int
check_finding_fails(const struct finding *f)
{
	switch (f->kind) {
	case FIND_MISMATCH:
	case FIND_MISSING:
	case FIND_FORBIDDEN:
	case FIND_TIMING:
	case FIND_STATE:
	case FIND_PASSIVE:
		return 1;
	default:
		return 0;
	}
}

void
check_att_add(struct check_att *a, struct finding *f)
{
	struct finding *nv;

	if ((nv = reallocarray(a->v, a->n + 1, sizeof(*nv))) == NULL)
		abort();
	a->v = nv;
	a->v[a->n++] = *f;
	f->text = NULL;
}

void
check_att_free(struct check_att *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		check_finding_free(&a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}
