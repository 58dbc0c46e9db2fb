/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_line.c: a '>' line judged against the segments the target sent:
 * the first segment in scope must match it within its window ("match
 * next"), or the first that matches is taken and the closest miss is kept
 * for the report ("match any"); nothing by the time the window gives up
 * is a missing segment; a negated line ("> !R") forbids any segment like
 * it within its window.  The runner says which segments are in scope and
 * records what these functions find (rcase_record()).
 *
 * Uses the case program, the decoded segment and the windows of
 * check_timing.c only.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

static enum check_rc diffs_found(struct finding *, enum find_kind,
		    const struct check_line *, long, int,
		    const struct run_diff *, int);

void
check_best_init(struct check_best *b)
{
	b->rec = -1;
	b->n = 0;
}

/*
 * A finding whose reason is the differences, in the one format:
 * "ack: expected 1001, observed 1000; win: expected ...".  The segment
 * that decides (recorded as rec, with TTL ttl) came with another TTL (hop
 * limit) than the target's other segments: the same host sends all its
 * segments with one initial TTL over one path, so another box on the path
 * (a firewall that resets connections, a proxy answering for the target)
 * may have sent it.  Say so, and mark it as the path's trouble so that the
 * target's stack is not blamed for it.  Not when the tester is on the
 * target's own link (phantom mode, loopback): no router lies between
 * them, and a stack that gives its resets a TTL of their own is the
 * likelier cause (libslirp: RSTs with TTL 255, the rest with 64).
 */
static enum check_rc
diffs_found(struct finding *f, enum find_kind kind,
    const struct check_line *x, long rec, int ttl, const struct run_diff *d,
    int n)
{
	char text[400];
	size_t len = 0;
	int i, mbox;

	text[0] = '\0';
	for (i = 0; i < n && i < RUN_DIFF_MAX; i++)
		len += (size_t)snprintf(text + len, len < sizeof(text) ?
		    sizeof(text) - len : 0, "%s%s: expected %s, observed %s",
		    i ? "; " : "", d[i].field, d[i].exp, d[i].obs);
	mbox = x->routed && x->ttl >= 0 && rec >= 0 && ttl != x->ttl;
	if (mbox) {
		len = strlen(text);
		snprintf(text + len, len < sizeof(text) ? sizeof(text) - len :
		    0, " (this segment came with TTL %d, the target's others "
		    "with %d: a middlebox on the path may have sent it)", ttl,
		    x->ttl);
	}
	check_finding(f, kind, x->prog, x->st, "%s", text);
	f->seg = rec;
	f->ndiffs = n < RUN_DIFF_MAX ? n : RUN_DIFF_MAX;
	memcpy(f->diffs, d, sizeof(*d) * (size_t)f->ndiffs);
	if (mbox)
		f->trouble |= RUN_TR_MIDDLEBOX;
	return CHECK_FOUND;
}

/*
 * One segment in scope (recorded as rec, arrived at t; adj of that is our
 * own rate limit's delay of what it answers, taken out of its time before
 * the window judges it; repeat: it repeats an earlier segment of the
 * connection, a retransmission or a copy the path made).  CHECK_OK: it is
 * the line's (the runner marks it used); CHECK_PASSBY: not the line's but
 * a repeat, which a line passes by; CHECK_WAIT: not this one, look at the
 * next ("match any"; the closest so far is kept in best); CHECK_FOUND: a
 * mismatch, or the right segment outside its window.
 */
enum check_rc
check_line_seg(const struct check_line *x, const struct seg *s, uint64_t t,
    uint64_t adj, int repeat, long rec, struct check_best *best,
    struct finding *f)
{
	const struct run_win *w = x->win;
	struct run_diff d[RUN_DIFF_MAX];
	char e[64], o[64];
	int nd;

	t -= adj;
	if (run_match_pkt(&x->st->u.pkt, s, x->bases, d, RUN_DIFF_MAX, &nd)) {
		/* After a resend, the answer to either send is on time:
		 * from the first window's start on. */
		if (!w->judged || (t >= (x->resent ? x->first_lo : w->lo) &&
		    t <= w->hi))
			return CHECK_OK;
		snprintf(d[0].field, sizeof(d[0].field), "time");
		snprintf(d[0].exp, sizeof(d[0].exp), "%s to %s",
		    run_usec_str((int64_t)(w->lo - x->tprev), e, sizeof(e)),
		    run_usec_str((int64_t)(w->hi - x->tprev), o, sizeof(o)));
		run_usec_str((int64_t)(t - x->tprev), d[0].obs,
		    sizeof(d[0].obs));
		diffs_found(f, FIND_TIMING, x, rec, s->ttl, d, 1);
		f->early = t < w->hi;
		/*
		 * At a back-off step, an interval within 1/8 of the one
		 * before, no shorter than 3/4 of it: a timer that doubles
		 * shows at least 4/3 of it when the path lost one resend,
		 * 8/7 when it lost two in a row, and a path copy comes at
		 * once, so this is no path's doing (a timer that does not
		 * back off: 1.0).
		 */
		f->flat = f->early && w->gap_us != 0 && t > x->tprev &&
		    8 * (t - x->tprev) < 9 * w->gap_us &&
		    4 * (t - x->tprev) >= 3 * w->gap_us;
		return CHECK_FOUND;
	}
	if (repeat)
		return CHECK_PASSBY;
	if (!x->match_any)
		return diffs_found(f, FIND_MISMATCH, x, rec, s->ttl, d, nd);
	if (best->rec < 0 || nd < best->n) {
		best->rec = rec;
		best->ttl = s->ttl;
		best->n = nd;
		memcpy(best->d, d, sizeof(d));
	}
	return CHECK_WAIT;
}

/*
 * No segment was the line's yet.  CHECK_WAIT until the window gives up
 * (later by adj, what our rate limit delayed meanwhile); then it is
 * missing: the finding names the closest segment
 * ("match any") or none, and the line's segment, recorded as missing.
 */
enum check_rc
check_line_end(const struct check_line *x, uint64_t now, uint64_t adj,
    const struct check_best *best, struct finding *f)
{
	const struct case_seg *cs = &x->st->u.pkt.alt[0];
	struct run_diff d;
	char exp[200], t[32];

	if (now < x->win->give_up + adj)
		return CHECK_WAIT;
	if (best->rec >= 0 && best->n > 0)
		diffs_found(f, FIND_MISSING, x, best->rec, best->ttl, best->d,
		    best->n);
	else {
		case_seg_fmt(cs, exp, sizeof(exp));
		/*
		 * Sent RUN_RESENDS + 1 times and never answered, where every
		 * stack must answer: the target's fault, or a firewall in
		 * front of it that drops such segments (connection tracking's
		 * "invalid") before the stack sees them.  The wire cannot
		 * tell them apart; the report says both.
		 */
		check_finding(f, FIND_MISSING, x->prog, x->st, "segment: "
		    "expected %s, observed none within %s%s", exp,
		    run_usec_str((int64_t)(x->win->give_up - x->act_cur), t,
		    sizeof(t)), x->unanswered ? " (our segment was sent 4 "
		    "times and never answered: a firewall that drops it "
		    "before the target's stack sees it would look the same)" :
		    "");
		snprintf(d.field, sizeof(d.field), "segment");
		snprintf(d.exp, sizeof(d.exp), "%s", exp);
		snprintf(d.obs, sizeof(d.obs), "none");
		f->diffs[0] = d;
		f->ndiffs = 1;
	}
	f->expect = cs;
	f->due = x->win->due_lo;
	return CHECK_FOUND;
}

/*
 * The span of a negated line: its window as written, without tolerance;
 * with no time given, from when it acted to the default wait.
 */
void
check_negated_span(const struct check_line *x, uint64_t *lo, uint64_t *hi)
{
	*lo = x->win->judged ? x->win->due_lo : x->act_cur;
	*hi = x->win->judged ? x->win->due_hi : x->win->hi;
}

/*
 * A segment within the span (its arrival less adj, our rate limit's
 * delay): CHECK_FOUND when the line forbids it.
 */
enum check_rc
check_negated_seg(const struct check_line *x, const struct seg *s,
    uint64_t t, uint64_t adj, long rec, struct finding *f)
{
	const struct run_bases *b = x->bases;
	struct run_diff d;
	char fl[16], tm[32];
	uint64_t lo, hi;

	check_negated_span(x, &lo, &hi);
	if (t - adj < lo || t - adj > hi ||
	    !run_match_negated(&x->st->u.pkt, s, b))
		return CHECK_OK;
	snprintf(d.field, sizeof(d.field), "segment");
	snprintf(d.exp, sizeof(d.exp), "none like this line");
	snprintf(d.obs, sizeof(d.obs), "%s %u:%u(%zu) ack %u at %s",
	    seg_flags_str(s->flags, fl, sizeof(fl)), s->seq - b->seq,
	    s->seq - b->seq + (uint32_t)s->len, s->len, s->ack - b->ack,
	    run_usec_str((int64_t)(t - x->tprev), tm, sizeof(tm)));
	return diffs_found(f, FIND_FORBIDDEN, x, rec, s->ttl, &d, 1);
}
