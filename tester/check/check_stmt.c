/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_stmt.c: the results of statements that are not packet lines,
 * judged from what the runner observed: "send" (did the target take the
 * bytes), "read" and "wait received" (did they arrive), "wait STATE" and
 * "connect" (was the state reached), an agent action against its
 * "= RESULT", and the measurements (ISN spacing, TIME-WAIT, initial
 * window).  Each returns CHECK_OK, CHECK_WAIT (look again when something
 * happens or the wait is over) or CHECK_FOUND with the finding.
 *
 * Uses the case program and the findings only: the runner hands in plain
 * numbers, names and flags, never its TCB or the agent's reply.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static const char *state_upper(enum case_state, char *, size_t);

/*
 * The bytes of a "send" or "http".  Before anything was queued, a
 * connection that is not there is the case's own error when it was never
 * opened, and the target's doing when it closed.
 */
enum check_rc
check_send(const struct case_prog *p, const struct case_stmt *st,
    const struct check_send *o, struct finding *f)
{
	if (!o->begun && !o->open)
		return o->closed ? check_finding(f, FIND_STATE, p, st, "send: "
		    "the connection is closed") : check_finding(f, FIND_ERROR,
		    p, st, "send: the connection was never opened");
	if (o->done == o->len)
		return CHECK_OK;
	if (!o->open)
		return check_finding(f, FIND_STATE, p, st, "send: the "
		    "connection closed (%s) after %u of %u bytes",
		    o->why_closed != NULL ? o->why_closed : "?", o->done,
		    o->len);
	if (o->err != NULL)
		return check_finding(f, FIND_STATE, p, st, "send: %s", o->err);
	if (o->expired)
		return check_finding(f, FIND_STATE, p, st, "send: the target "
		    "took only %u of %u bytes (its window stayed closed)",
		    o->done, o->len);
	return CHECK_WAIT;
}

/* "read N", "read eof", "wait received N". */
enum check_rc
check_recv(const struct case_prog *p, const struct case_stmt *st,
    const struct check_recv *o, struct finding *f)
{
	char d[32];

	if (o->want_eof ? o->eof : o->have >= o->want)
		return CHECK_OK;
	if (!o->expired)
		return CHECK_WAIT;
	return check_finding(f, FIND_STATE, p, st, "%s within %s",
	    o->want_eof ? "the target's FIN did not arrive" : o->have == 0 ?
	    "no data arrived" : "not enough data arrived",
	    run_usec_str((int64_t)o->waited_us, d, sizeof(d)));
}

/* "ESTABLISHED", "SYN-SENT": a state as the peer's TCP names it. */
static const char *
state_upper(enum case_state s, char *buf, size_t cap)
{
	size_t i;

	snprintf(buf, cap, "%s", case_state_name(s));
	for (i = 0; buf[i] != '\0'; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
	return buf;
}

/*
 * "wait STATE": the peer's side is in it, or entered it since o->since
 * (so that a state passed through quickly is not missed).  "connect": the
 * connection is established or beyond, or was since; a connection that
 * ended instead failed.
 */
enum check_rc
check_state(const struct case_prog *p, const struct case_stmt *st,
    const struct check_state *o, struct finding *f)
{
	char d[32], w[24], c[24];

	if (o->cur == o->want || (o->connect && o->cur >= CASE_ST_ESTABLISHED &&
	    o->cur < CASE_ST_N) || (o->entered != 0 && o->entered >= o->since))
		return CHECK_OK;
	if (o->connect && o->gone)
		return check_finding(f, FIND_STATE, p, st, "the connection "
		    "failed: %s", o->why_gone != NULL ? o->why_gone : "?");
	if (!o->expired)
		return CHECK_WAIT;
	return check_finding(f, FIND_STATE, p, st, "%s not reached within %s "
	    "(the peer's side is in %s)", state_upper(o->want, w, sizeof(w)),
	    run_usec_str((int64_t)o->waited_us, d, sizeof(d)),
	    state_upper(o->cur, c, sizeof(c)));
}

/*
 * An agent action's reply against the "= RESULT" the case wrote.  An
 * error reply for a bad request (EINVAL, ENOSYS, ...) is the tester's
 * fault, not the target's answer, unless the case expects that errno.
 */
/* Whether name is one of list, errno names joined by '|'. */
static int
errname_in(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *bar;

	for (;;) {
		bar = strchr(list, '|');
		if ((bar != NULL ? (size_t)(bar - list) : strlen(list)) == n &&
		    strncmp(list, name, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		list = bar + 1;
	}
}

enum check_rc
check_agent_reply(const struct case_prog *p, const struct case_stmt *st,
    const struct check_agent *o, struct finding *f)
{
	static const char *const ours[] = { "EINVAL", "ENOSYS", "E2BIG",
	    "EBADF", "EACCES", "EMFILE", NULL };
	const struct case_agent *a = &st->u.agent;
	const char *op = case_agent_op_name(a->op);
	char obs[64];
	int i;

	if (!o->ok) {
		if (a->result == CASE_RES_ERRNO &&
		    errname_in(a->errname, o->errname))
			return CHECK_OK;
		for (i = 0; ours[i] != NULL; i++)
			if (strcmp(o->errname, ours[i]) == 0 &&
			    a->result != CASE_RES_ERRNO)
				return check_finding(f, FIND_ERROR, p, st,
				    "the agent refused \"%s\": %s %s", op,
				    o->errname, o->text);
		if (a->result == CASE_RES_ERRNO)
			return check_finding(f, FIND_STATE, p, st, "agent %s: "
			    "expected %s, observed %s", op, a->errname,
			    o->errname);
		return check_finding(f, FIND_STATE, p, st, "agent %s failed: "
		    "%s %s", op, o->errname, o->text);
	}
	if (!o->rw) {
		if (a->result == CASE_RES_ERRNO || a->result ==
		    CASE_RES_COUNT || a->result == CASE_RES_EOF)
			return check_finding(f, FIND_STATE, p, st, "agent %s: "
			    "expected %s, observed ok", op, a->result ==
			    CASE_RES_ERRNO ? a->errname : "a byte count");
		return CHECK_OK;
	}
	/* A read or write: its byte count and how it ended. */
	snprintf(obs, sizeof(obs), "%zu bytes, end=%s%s%s", o->n, o->end_name,
	    o->end_error ? " " : "", o->end_error ? o->end_errname : "");
	switch (a->result) {
	case CASE_RES_COUNT:
		if (o->n == a->result_count)
			return CHECK_OK;
		return check_finding(f, FIND_STATE, p, st, "agent %s: expected "
		    "%u bytes, observed %s", op, a->result_count, obs);
	case CASE_RES_EOF:
		if (o->end_eof)
			return CHECK_OK;
		return check_finding(f, FIND_STATE, p, st, "agent read: "
		    "expected end of file, observed %s", obs);
	case CASE_RES_ERRNO:
		if (o->end_error && errname_in(a->errname, o->end_errname))
			return CHECK_OK;
		return check_finding(f, FIND_STATE, p, st, "agent %s: expected "
		    "%s, observed %s", op, a->errname, obs);
	default:
		if (!o->end_error)
			return CHECK_OK;
		return check_finding(f, FIND_STATE, p, st, "agent %s ended with "
		    "%s after %zu bytes", op, o->end_errname, o->n);
	}
}

/*
 * "measure isn-spacing": the target's ISNs of connections from different
 * ports, in the order they were opened (RFC 6528, RFC 9293 3.4.1).  The
 * steps between them go to *out for the record (with two ISNs or more); a
 * constant ISN or steps all below CHECK_ISN_SMALL_STEP break the line.
 */
enum check_rc
check_isn_spacing(const struct case_prog *p, const struct case_stmt *st,
    const uint32_t *isn, uint32_t n, uint32_t sent, struct check_isn *out,
    struct finding *f)
{
	uint64_t step;
	uint32_t i;
	int32_t d;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->min_step = UINT64_MAX;
	for (i = 1; i < n; i++) {
		d = (int32_t)(isn[i] - isn[i - 1]);
		step = d < 0 ? (uint64_t)(-(int64_t)d) : (uint64_t)d;
		out->min_step = step < out->min_step ? step : out->min_step;
		out->max_step = step > out->max_step ? step : out->max_step;
	}
	out->measured = n >= 2;
	if (n < 2)
		return check_finding(f, FIND_STATE, p, st, "measure "
		    "isn-spacing: only %u of %u connections were answered "
		    "with a SYN-ACK", n, sent);
	if (out->max_step < CHECK_ISN_SMALL_STEP)
		return check_finding(f, FIND_STATE, p, st, "the target's ISN %s "
		    "over %u connections from different ports (RFC 6528: the "
		    "ISNs of different 4-tuples must be unrelated)",
		    out->max_step == 0 ? "is constant" : "grows in small steps",
		    n);
	return CHECK_OK;
}

/*
 * "measure time-wait": the connection answered as closed at the first
 * probe kept no TIME-WAIT at all (RFC 9293 MUST-13).
 */
enum check_rc
check_time_wait(const struct case_prog *p, const struct case_stmt *st,
    int ended, uint32_t probes, struct finding *f)
{
	if (ended && probes == 1)
		return check_finding(f, FIND_STATE, p, st, "measure time-wait: "
		    "the target kept no TIME-WAIT (its first probe was "
		    "answered as a closed connection)");
	return CHECK_OK;
}

/* "measure initial-window": the target must have sent data to measure. */
enum check_rc
check_initial_window(const struct case_prog *p, const struct case_stmt *st,
    uint64_t bytes, struct finding *f)
{
	if (bytes == 0)
		return check_finding(f, FIND_STATE, p, st, "measure "
		    "initial-window: the target sent no data");
	return CHECK_OK;
}
