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
 * "measure isn-spacing": RFC 9293 3.4.1 binds the ISN to a clock (MUST-8)
 * and, with RFC 6528 (SHLD-1), adds a keyed function of the four-tuple:
 * ISN = M + F(localip, localport, remoteip, remoteport, secretkey).  The
 * probes are bare SYNs, each four-tuple probed twice, a while apart, in
 * the order they left.  From the wire:
 * - an ISN that never changes has no clock (MUST-8);
 * - the second ISN of a four-tuple is M's advance over the time between
 *   its two SYNs, F being the same: if it went back, or no four-tuple's
 *   moved at all, no clock drives the ISN (MUST-8), whatever its rate;
 * - ISNs of all four-tuples that one line in time predicts (each within
 *   CHECK_ISN_PREDICT of it) lack F (SHLD-1).
 * No tick rate is assumed.  Otherwise the figures are a measurement.
 */
enum check_rc
check_isn_spacing(const struct case_prog *p, const struct case_stmt *st,
    const struct check_isn_probe *pr, uint32_t nprobes, struct check_isn *out,
    struct finding *f)
{
	double sd = 0, sdt = 0, e, trate = 0;
	uint32_t i, j, changed = 0, prev = 0, sent = 0, first = 0;
	uint64_t tprev = 0;
	int32_t d, worst = 0;
	uint64_t worst_dt = 0;
	enum check_rc rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < nprobes; i++) {
		sent++;
		if (!pr[i].answered)
			continue;
		if (out->n > 0) {
			d = (int32_t)(pr[i].isn - prev);
			sd += (double)d;
			sdt += (double)(pr[i].t - tprev);
			changed += d != 0;
		} else
			first = i;
		prev = pr[i].isn;
		tprev = pr[i].t;
		out->n++;
		/* The same four-tuple's earlier SYN-ACK, if any. */
		for (j = i; j-- > 0;)
			if (pr[j].answered && pr[j].port == pr[i].port)
				break;
		if (j == (uint32_t)-1 || pr[i].t <= pr[j].t)
			continue;
		d = (int32_t)(pr[i].isn - pr[j].isn);
		out->tuples++;
		trate += (double)d / (double)(pr[i].t - pr[j].t);
		if (d < 0)
			out->back++;
		else if (d == 0)
			out->still++;
		if (d <= 0 && (worst_dt == 0 || d < worst)) {
			worst = d;
			worst_dt = pr[i].t - pr[j].t;
		}
	}
	out->rate = sdt > 0 ? sd / sdt * 1e6 : 0;
	out->tuple_rate = out->tuples > 0 ? trate / out->tuples * 1e6 : 0;
	/* The farthest step from what that rate predicts for it. */
	for (i = first, j = first; ++i < nprobes;) {
		if (!pr[i].answered)
			continue;
		d = (int32_t)(pr[i].isn - pr[j].isn);
		e = (double)d - out->rate / 1e6 * (double)(pr[i].t - pr[j].t);
		if (e < 0)
			e = -e;
		if (e > out->dev)
			out->dev = e;
		j = i;
	}
	out->measured = out->n >= 3;
	if (out->n < 3)
		return check_finding(f, FIND_STATE, p, st, "measure "
		    "isn-spacing: only %u of %u connections were answered "
		    "with a SYN-ACK", out->n, sent);
	if (changed == 0) {
		rc = check_finding(f, FIND_STATE, p, st, "the target's ISN is "
		    "the same for %u connections over %.0f ms: no clock drives "
		    "it (RFC 9293 3.4.1, MUST-8)", out->n, sdt / 1000);
		f->sev = CASE_SEV_MUST;
		return rc;
	}
	if (out->back > 0 || (out->tuples > 0 && out->still == out->tuples)) {
		rc = check_finding(f, FIND_STATE, p, st, "the ISN of one "
		    "four-tuple %s over time in %u of %u four-tuples probed "
		    "twice (%+d after %.0f ms): no clock drives it (RFC 9293 "
		    "3.4.1, MUST-8; RFC 6528: M, a timer, for the same "
		    "four-tuple)", out->back > 0 ? "went back" : "stood still",
		    out->back > 0 ? out->back : out->still, out->tuples,
		    (int)worst, (double)worst_dt / 1000);
		f->sev = CASE_SEV_MUST;
		return rc;
	}
	if (out->dev < CHECK_ISN_PREDICT) {
		rc = check_finding(f, FIND_STATE, p, st, "the target's ISNs of "
		    "%u connections from different ports lie on one line in "
		    "time (%.0f per second, within %.0f): one ISN predicts the "
		    "next, so there is no keyed function of the four-tuple "
		    "(RFC 6528, SHLD-1)", out->n, out->rate, out->dev);
		f->sev = CASE_SEV_SHOULD;
		return rc;
	}
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

/*
 * RFC 5681 3.1: "If SMSS > 2190 bytes: IW = 2 * SMSS bytes and MUST NOT be
 * more than 2 segments; If (SMSS > 1095 bytes) and (SMSS <= 2190 bytes):
 * IW = 3 * SMSS bytes and MUST NOT be more than 3 segments; if SMSS <= 1095
 * bytes: IW = 4 * SMSS bytes and MUST NOT be more than 4 segments."
 */
uint64_t
check_iw_rfc5681(uint32_t smss)
{
	return (uint64_t)smss * (smss > 2190 ? 2 : smss > 1095 ? 3 : 4);
}

/* RFC 6928 2 (Experimental): "IW = min (10*MSS, max (2*MSS, 14600))". */
uint64_t
check_iw_rfc6928(uint32_t smss)
{
	uint64_t two = 2 * (uint64_t)smss, ten = 10 * (uint64_t)smss;
	uint64_t m = two > 14600 ? two : 14600;

	return ten < m ? ten : m;
}

/*
 * "measure initial-window": the target must have sent data to measure.
 * A window within RFC 5681 3.1's bound, or above it but within RFC 6928's
 * IW10 (an experiment the IETF published, which Linux and others run), is
 * info; above both, the statement's severity (RFC 5681's MUST).
 */
enum check_rc
check_initial_window(const struct case_prog *p, const struct case_stmt *st,
    uint64_t bytes, uint32_t smss, struct finding *f)
{
	if (bytes == 0)
		return check_finding(f, FIND_STATE, p, st, "measure "
		    "initial-window: the target sent no data");
	if (smss > 0 && bytes > check_iw_rfc6928(smss))
		return check_finding(f, FIND_STATE, p, st, "measure "
		    "initial-window: %llu bytes before the first ACK (SMSS "
		    "%u), above RFC 5681 3.1's bound of %llu and RFC 6928's "
		    "IW10 of %llu", (unsigned long long)bytes, smss,
		    (unsigned long long)check_iw_rfc5681(smss),
		    (unsigned long long)check_iw_rfc6928(smss));
	return CHECK_OK;
}
