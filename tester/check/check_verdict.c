/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_verdict.c: the one place where the findings of an attempt become
 * its verdict (as scamper's tbit_classify maps a test's state to one
 * result), where the verdicts of several attempts (retries, --repeat)
 * become the case's verdict, and where a case the run never reached is
 * marked skipped.  Uses the results model and the findings (check.h) only.
 *
 * The rules (DESIGN.md, "Verdicts"):
 *   - the first finding that ends the attempt decides (none: pass);
 *   - a tester failure is error; needs not met is not applicable; an RST
 *     our own host kernel sent for the peer makes any other outcome error;
 *   - a mismatch, a missing or a forbidden segment, or a wait that never
 *     ended breaks the statement's severity: MUST -> fail, SHOULD -> warn,
 *     MAY -> info;
 *   - evidence the capture may have lost (drops while the case ran) turns
 *     any of those into inconclusive; so does a timing miss (the right
 *     segment outside its window) on a noisy path;
 *   - a timing miss or an inconclusive attempt is retried (RUN_RETRIES;
 *     RUN_RETRIES_LOSSY once the run has seen signs of a lossy path);
 *     a retry that passes makes the case flaky, never pass;
 *   - where the baseline expects a failure, attempts that showed it though
 *     the path made them doubtful are it, and off loopback a pass needs
 *     two attempts (run_expected_verdict());
 *   - off loopback, a pass where a line took an ACK that the target's
 *     SACK blocks show the path's reordering, loss or copy of our
 *     segments drew is inconclusive and retried, and counts for
 *     neither side among the retries;
 *   - a pass that measured something is info (a measurement that shows
 *     the behaviour it looks for, a constant ISN, fails its statement);
 *   - a passive check's finding (a rule every segment keeps, broken by a
 *     segment no line judged) turns what would pass into the severity of
 *     its requirement, the strongest first; its requirement joins the
 *     case's, and its text the reason, whatever the verdict (where the
 *     path copied or reordered datagrams in the attempt, inconclusive and
 *     retried instead).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static enum verdict by_sev(enum case_sev);
static int	same_way(const struct run_att *, const struct run_att *);
static enum verdict att_clean(const struct run_att *);
static enum verdict verdict_of(const struct check_att *, int, int, int *,
		    const char **);

static enum verdict
by_sev(enum case_sev sev)
{
	switch (sev) {
	case CASE_SEV_MUST:
		return VERDICT_FAIL;
	case CASE_SEV_SHOULD:
		return VERDICT_WARN;
	case CASE_SEV_MAY:
		return VERDICT_INFO;
	}
	return VERDICT_FAIL;
}

/*
 * The verdict of one attempt from its findings.  *retry says whether
 * another attempt may change it (timing misses and lost evidence);
 * *reason is the text of the finding that decided, or NULL.  path: count
 * the path's trouble (0: the verdict the attempt would have on a clean
 * path, which the retries' verdict compares).
 */
static enum verdict
verdict_of(const struct check_att *a, int noisy, int path, int *retry,
    const char **reason)
{
	const struct finding *d = NULL, *host = NULL, *gone = NULL, *pv = NULL;
	const struct finding *drawn = NULL;
	uint64_t drops = 0;
	unsigned trouble = 0;
	int measured = 0;
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct finding *f = &a->v[i];

		if (check_finding_ends(f) && d == NULL)
			d = f;
		else if (f->kind == FIND_HOSTRST && host == NULL)
			host = f;
		else if (f->kind == FIND_AGENTGONE && gone == NULL)
			gone = f;
		else if (f->kind == FIND_CAPLOSS)
			drops += f->count;
		else if (f->kind == FIND_MEASURED)
			measured = 1;
		else if (f->kind == FIND_PASSIVE && (pv == NULL ||
		    f->sev < pv->sev))
			pv = f;
		if (path)
			trouble |= f->trouble;	/* FIND_PATH, a middlebox */
		if (f->kind == FIND_PATH &&
		    (f->trouble & (RUN_TR_DRAWN | RUN_TR_ONCE)))
			drawn = f;
	}
	*retry = 0;
	*reason = d != NULL ? d->text : NULL;
	if (d != NULL && d->kind == FIND_NA)
		return VERDICT_NA;
	if (host != NULL) {
		/* Our own kernel answered for the peer: no evidence. */
		*reason = host->text;
		return VERDICT_ERROR;
	}
	if (d == NULL && pv != NULL) {
		*reason = pv->text;
		/*
		 * Where the path copied or reordered datagrams in this very
		 * attempt, the segment may be a late copy from an earlier
		 * connection on the same ports: tried again.
		 */
		if (trouble & (RUN_TR_DUP | RUN_TR_REORDER | RUN_TR_ECHO)) {
			*retry = 1;
			return VERDICT_INCONCLUSIVE;
		}
		return by_sev(pv->sev);
	}
	/*
	 * A line took an ACK that the path's reordering, loss or copy of
	 * our segments drew at once (RUN_TR_DRAWN): the pass shows nothing
	 * of the target's rule, so the attempt is tried again.  So is a
	 * pass that one lost segment fakes (RUN_TR_ONCE: one back-off
	 * step, one segment not sent again), until a second confirms it.
	 */
	if (d == NULL && (trouble & (RUN_TR_DRAWN | RUN_TR_ONCE))) {
		*reason = drawn->text;
		*retry = 1;
		return VERDICT_INCONCLUSIVE;
	}
	if (d == NULL)
		return measured ? VERDICT_INFO : VERDICT_PASS;
	if (gone != NULL && check_finding_fails(d)) {
		/* The target's kernel resets a dead agent's connections:
		 * what failed says nothing about the target. */
		*reason = gone->text;
		return VERDICT_ERROR;
	}
	switch (d->kind) {
	case FIND_ERROR:
		/* An agent's late answer may be the path's: tried again. */
		if (trouble & RUN_TR_AGENT) {
			*retry = 1;
			return VERDICT_INCONCLUSIVE;
		}
		return VERDICT_ERROR;
	case FIND_TIMING:
		*retry = 1;
		if (noisy || drops > 0 || trouble != 0)
			return VERDICT_INCONCLUSIVE;
		return by_sev(d->sev);
	default:
		/* Lost in the capture, or on the path (FIND_PATH): the
		 * evidence may be incomplete. */
		if (drops > 0 || trouble != 0) {
			*retry = 1;
			return VERDICT_INCONCLUSIVE;
		}
		return by_sev(d->sev);
	}
}

enum verdict
check_verdict(const struct check_att *a, int noisy, int *retry,
    const char **reason)
{
	return verdict_of(a, noisy, 1, retry, reason);
}

/*
 * The passive checks' findings of an attempt: their requirements join the
 * case's (the requirement view lists the case under each), their texts
 * the reason.
 */
static void
passive_note(struct case_result *res, const struct check_att *a)
{
	const struct case_req *q;
	char sect[64], *r;
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct finding *f = &a->v[i];

		if (f->kind != FIND_PASSIVE || f->req == NULL)
			continue;
		if ((q = case_req_find(f->req)) != NULL &&
		    !check_has_req(res, f->req)) {
			snprintf(sect, sizeof(sect), "%s%s%s", q->rfc,
			    q->section[0] ? " " : "", q->section);
			result_req_add(res, q->id, sect, q->keyword, q->text);
		}
		if (f->text == NULL || (res->reason != NULL &&
		    strstr(res->reason, f->text) != NULL))
			continue;
		if (asprintf(&r, "%s%s%s", res->reason != NULL ? res->reason :
		    "", res->reason != NULL ? "; " : "", f->text) < 0)
			abort();
		free(res->reason);
		res->reason = r;
	}
}

/* Whether the case names requirement id already. */
int
check_has_req(const struct case_result *res, const char *id)
{
	size_t i;

	for (i = 0; i < res->nreqs; i++)
		if (res->reqs[i].id != NULL && strcmp(res->reqs[i].id, id) == 0)
			return 1;
	return 0;
}

/* A '>' line timed from the interval before it ("+1.6gap~+3gap"). */
static int
gap_step(const struct case_stmt *st)
{
	return st->kind == CASE_S_PACKET && st->u.pkt.dir == CASE_DIR_OUT &&
	    !st->u.pkt.negate && (st->time.lo_unit == CASE_U_GAP ||
	    st->time.hi_unit == CASE_U_GAP);
}

/*
 * The first of the back-off steps that a failure's line is one of: a run
 * of '>' lines each timed from the interval before it, "set" lines
 * between them (retransmission/data-backoff's third and fourth resend).
 * A resend the path lost lets the next one pass its step (an interval
 * that does not grow looks doubled), so an attempt that failed at a
 * later step did not show that the target met the earlier ones.
 */
static int
step_from(const struct finding *f)
{
	const struct case_stmt *st = f->st, *s, *first;

	if (st == NULL)
		return 0;
	if (f->prog == NULL || !gap_step(st) || st < f->prog->stmts ||
	    st >= f->prog->stmts + f->prog->nstmts)
		return st->loc.line;
	for (first = s = st; s > f->prog->stmts; ) {
		s--;
		if (gap_step(s))
			first = s;
		else if (s->kind != CASE_S_SET)
			break;
	}
	return first->loc.line;
}

/* Judge an attempt: its verdict and reason go into its record. */
void
check_judge_attempt(struct case_result *res, const struct check_att *a,
    int noisy, int *retry, struct run_att *out)
{
	const char *reason;
	size_t i;
	int cretry;

	res->verdict = check_verdict(a, noisy, retry, &reason);
	result_set(&res->reason, reason);
	passive_note(res, a);
	if (out == NULL)
		return;
	memset(out, 0, sizeof(*out));
	out->v = res->verdict;
	out->kind = FIND_N;
	out->clean = verdict_of(a, noisy, 0, &cretry, &reason);
	out->raw = verdict_of(a, 0, 0, &cretry, &reason);
	for (i = 0; i < a->n; i++) {
		out->trouble |= a->v[i].trouble;
		if (a->v[i].kind == FIND_PATH && a->v[i].drawn != 0)
			out->drawn = a->v[i].drawn;
		if (a->v[i].kind == FIND_CAPLOSS)
			out->cap_dropped += a->v[i].count;
		if (check_finding_ends(&a->v[i]) && out->line == 0) {
			out->kind = a->v[i].kind;
			out->early = a->v[i].early;
			out->flat = a->v[i].flat;
			out->line = a->v[i].st != NULL ? a->v[i].st->loc.line :
			    0;
			out->from = step_from(&a->v[i]);
			out->step = a->v[i].st != NULL &&
			    gap_step(a->v[i].st);
		}
	}
}

/*
 * The verdict of a case from its attempt and the retries of it.  The last
 * attempt decides, except that:
 *   - a pass after attempts that were only doubtful because the path lost,
 *     duplicated or reordered segments during them is a pass: their
 *     evidence was spoiled, the pass's was not (a pass after a timing miss
 *     or a capture loss stays flaky);
 *   - attempts that all failed (under path trouble, or outright on a
 *     timing miss that was retried), two of them the
 *     same way (the same statement, the same kind of miss), are that
 *     failure: the path does not hit the same exchange every time, a fault
 *     does (another attempt may have failed sooner, on a lost segment of
 *     the handshake); with five attempts, two the same way at the last
 *     line any of them failed at.
 */
/*
 * Two attempts that failed the same way: findings of one kind; a segment
 * that came late and one that did not come in time are one miss (an ACK
 * on a periodic timer lands in the grace after its window in one attempt
 * and beyond it in the next), but one that came early is another.  At a
 * back-off step the path makes both: a resend it lost makes the next
 * interval look short (4/3 of the one before, from a timer that doubles)
 * and the one after look long; a timer that does not back off comes early
 * every time.
 */
static int
same_way(const struct run_att *x, const struct run_att *y)
{
	if (x->kind == y->kind)
		return x->kind != FIND_TIMING || x->early == y->early;
	return (x->kind == FIND_TIMING || x->kind == FIND_MISSING) &&
	    (y->kind == FIND_TIMING || y->kind == FIND_MISSING) &&
	    !x->early && !y->early;
}

/*
 * An attempt's failure with the path's trouble aside.  A timing miss that
 * only a noisy path made doubtful counts as the miss it is here, where
 * every attempt repeats it: the window's tolerance holds the path's
 * jitter four times over, and jitter does not put one line's segment
 * outside it in every attempt (a target with no RTO back-off, 1 s where
 * 2 s are due, was inconclusive on the lossy lab's 4 ms-jitter bridge).
 */
static enum verdict
att_clean(const struct run_att *a)
{
	if (a->clean == VERDICT_INCONCLUSIVE && a->kind == FIND_TIMING &&
	    a->cap_dropped == 0 && (a->trouble & RUN_TR_MIDDLEBOX) == 0 &&
	    a->raw != VERDICT_PASS)
		return a->raw;
	return a->clean;
}

/*
 * A negated '>' line right after a positive one (a "set" between them
 * aside) that forbids that segment's flags again: "not again at once"
 * (close/retransmitted-fin's "+0~+2rtt > !F" after the FIN).
 */
static int
not_again(const struct case_stmt *prev, const struct case_stmt *st)
{
	const struct case_seg *p, *n;

	if (prev == NULL || prev->kind != CASE_S_PACKET ||
	    prev->u.pkt.dir != CASE_DIR_OUT || prev->u.pkt.negate ||
	    st->kind != CASE_S_PACKET || st->u.pkt.dir != CASE_DIR_OUT ||
	    !st->u.pkt.negate)
		return 0;
	p = &prev->u.pkt.alt[0];
	n = &st->u.pkt.alt[0];
	return n->flags != 0 && (n->flags & ~p->flags) == 0;
}

/*
 * A negated '>' line that forbids an RST right after a '<' SYN (a "set"
 * between them aside): the reset a target at fault sends for that SYN,
 * which it sends once (an RST is neither answered nor sent again, RFC
 * 9293 3.10.7), as close/old-syn-in-last-ack's "+0~+0.3 > !R" after the
 * old SYN.
 */
static int
rst_once(const struct case_stmt *prev, const struct case_stmt *st)
{
	return prev != NULL && prev->kind == CASE_S_PACKET &&
	    prev->u.pkt.dir == CASE_DIR_IN &&
	    (prev->u.pkt.alt[0].flags & SEG_SYN) != 0 &&
	    st->kind == CASE_S_PACKET &&
	    st->u.pkt.dir == CASE_DIR_OUT && st->u.pkt.negate &&
	    (st->u.pkt.alt[0].flags & SEG_RST) != 0;
}

/*
 * A negated '>' line that forbids every segment ("!*"): a span in which
 * the target must stay quiet (keepalive/keepalive-probe's idle time,
 * MUST-26; window/persist-timer-floor's first RTO).  A target at fault
 * sends one segment there, an early probe; lost, the next comes one
 * interval later, after the span, where the case waits for the probe on
 * time (under 5 % loss keepalive-probe against keepalive-early passed in
 * 3 of 10 runs so, persist-timer-floor against persist-at-once in 2).
 */
static int
quiet_span(const struct case_stmt *st)
{
	return st->kind == CASE_S_PACKET && st->u.pkt.dir == CASE_DIR_OUT &&
	    st->u.pkt.negate && st->u.pkt.nalt == 1 &&
	    !(st->u.pkt.alt[0].given & CASE_G_FLAGS);
}

/*
 * A negated '>' line that forbids one data segment: new data that a
 * target at fault sends at once, where the case holds it back
 * (nagle/nagle-holds-small-segment's "> !. past 101", window/
 * peer-shrinks-window's "> !. past 502").  Lost, it comes again
 * only by the target's timer, after the line's span and perhaps cut
 * otherwise, and the lines after it pass on that retransmission
 * (peer-shrinks-window against window-shrink-ignored passed in 2 of 10
 * runs under 5 % loss so).
 */
static int
data_held(const struct case_stmt *st)
{
	const struct case_seg *a;

	if (st->kind != CASE_S_PACKET || st->u.pkt.dir != CASE_DIR_OUT ||
	    !st->u.pkt.negate || st->u.pkt.nalt != 1)
		return 0;
	a = &st->u.pkt.alt[0];
	return ((a->given & CASE_G_SEQ) &&
	    (a->len > 0 || (a->given & CASE_G_LEN_MAX))) ||
	    (a->given & CASE_G_PAST);
}

/*
 * A case whose pass rests on one exchange that the path's loss of one
 * segment fakes: one back-off step (an interval of a timer that does
 * not back off looks doubled when a resend is lost), one line that
 * forbids a segment again at once (a target's two copies, one lost), or
 * one that forbids the RST a SYN of ours would draw (that reset lost,
 * a segment the target sent for another reason can stand in for the
 * answer the case waits for next: close/old-syn-in-last-ack against
 * syn-resets passed so, on the target's FIN sent again), one span in
 * which nothing may come (quiet_span()), one data segment held back
 * (data_held()), or one ICMP error of ours: lost, it is ignored as
 * surely as by a target that must ignore it (icmp/out-of-window-ignored
 * against icmp-no-seq-check passed so, in 1 of 10 runs under 5 % loss);
 * where the target must act on it, a pass shows it arrived anyway.
 * With two, one loss does not fake both (the step after a lost resend
 * comes short; data-backoff's second write).
 */
int
check_fragile(const struct case_prog *p)
{
	const struct case_stmt *prev = NULL;
	int i, steps = 0, again = 0, rsts = 0, quiet = 0, held = 0, icmps = 0;

	for (i = 0; i < p->nstmts; i++) {
		const struct case_stmt *st = &p->stmts[i];

		if (gap_step(st))
			steps++;
		if (not_again(prev, st))
			again++;
		if (rst_once(prev, st))
			rsts++;
		if (quiet_span(st))
			quiet++;
		if (data_held(st))
			held++;
		if (st->kind == CASE_S_ICMP)
			icmps++;
		if (st->kind != CASE_S_SET)
			prev = st;
	}
	return steps == 1 || again == 1 || rsts == 1 || quiet == 1 ||
	    held == 1 || icmps == 1;
}

/* A pass of such a case (check_fragile()) not yet confirmed. */
static int
fragile_pass(const struct run_att *a)
{
	return a->v == VERDICT_INCONCLUSIVE && (a->trouble & RUN_TR_ONCE) &&
	    a->kind == FIND_N;
}

/* How many of the first n attempts were such passes. */
static size_t
fragile_passes(const struct run_att *a, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && i < RUN_ATT_CAP; i++)
		if (fragile_pass(&a[i]))
			k++;
	return k;
}

int
run_fragile_confirmed(const struct run_att *a, size_t n)
{
	return fragile_passes(a, n) >= 2;
}

/* How many of the attempts failed as x did: the same way, at its line. */
static size_t
alike(const struct run_att *a, size_t k, const struct run_att *x)
{
	size_t i, n = 0;

	for (i = 0; i < k; i++)
		if (!fragile_pass(&a[i]) && att_clean(&a[i]) ==
		    att_clean(x) && same_way(&a[i], x) &&
		    a[i].line == x->line)
			n++;
	return n;
}

/* "two", "three": how many attempts failed alike (2 to RUN_ATT_CAP). */
static const char *
count_word(size_t n)
{
	static const char *const w[] = { "two", "three", "four", "five",
	    "six", "seven" };

	return n >= 2 && n - 2 < sizeof(w) / sizeof(w[0]) ? w[n - 2] :
	    "several";
}

/* An attempt that failed for a segment that did not come in time. */
static int
missed(const struct run_att *a)
{
	return a->kind == FIND_MISSING || (a->kind == FIND_TIMING &&
	    !a->early);
}

/* The line an attempt failed at, a back-off step's as its first step's. */
static int
att_from(const struct run_att *a)
{
	return a->from != 0 ? a->from : a->line;
}

/*
 * The last line an attempt shows the target got to: the line it failed
 * at (att_from()), or an earlier one that passed only on an ACK the path
 * drew (RUN_TR_DRAWN), which shows nothing of the target's own doing.
 */
static int
att_reach(const struct run_att *a)
{
	int from = att_from(a);

	return a->drawn != 0 && a->drawn < from ? a->drawn : from;
}

/*
 * Whether twins like x need a third alike to be a failure, and lack it.
 * A pass that one lost segment fakes (RUN_TR_ONCE) still tells for
 * the target: with one among five attempts (a path seen to lose), a
 * failure needs three alike, not two.  After such a pass the retries
 * go on to the last attempt, and a conformant target whose path
 * spoils the other four would otherwise fail on two of them alike; a
 * target at fault fails every attempt the path leaves alone at its
 * own line.  (With three attempts, two are all there can be.)  So
 * does a failure at a back-off step: a resend the path lost makes
 * the next interval of a timer that doubles look short (4/3 of the
 * one before), as early as a timer that does not back off, and a
 * timer with many resends to lose meets that in two of five
 * attempts now and then (window/persist-backoff on Linux under 5 %
 * loss); a timer at fault is early at its step in every attempt.
 * And so does a segment that never came (or came after its window,
 * the same miss): the path's loss alone makes it, the target's
 * segment or the one of ours it answers, and a case whose exchanges
 * each wait for one segment meets two such misses at its last line
 * in five spoiled attempts now and then (ack/reassembly-acked-once
 * and close/segment-after-last-ack on Linux under 5 % loss, one run
 * in forty each); a target that withholds the segment misses it in
 * every attempt the path does not spoil sooner.  None of this holds
 * for twins both at about the interval before (run_att.flat, flat
 * here): no loss makes a timer that doubles look so, nor a copy.
 */
static int
three(const struct run_att *a, size_t k, size_t nmax, size_t nf,
    const struct run_att *x, int flat)
{
	return !flat && (nf > 0 || x->step || missed(x)) &&
	    nmax > 1 + RUN_RETRIES && alike(a, k, x) < 3;
}

static enum verdict
aggregate(const struct run_att *a, size_t n, size_t nmax, char *why,
    size_t cap, int *more)
{
	enum verdict v[RUN_ATT_CAP];
	char tr[512];
	size_t i, j, k, nf;
	const struct run_att *twin = NULL, *weak = NULL;
	enum verdict c;
	unsigned t;
	int path = 1, same = 1, mbox = 0, last = 0, flat;

	if (nmax > RUN_ATT_CAP)
		nmax = RUN_ATT_CAP;
	k = n < nmax ? n : nmax;
	why[0] = '\0';
	*more = 0;
	if (k == 0)
		return VERDICT_SKIP;
	for (i = 0; i < k; i++) {
		if (a[i].trouble & RUN_TR_MIDDLEBOX)
			mbox = 1;
		if (att_reach(&a[i]) > last)
			last = att_reach(&a[i]);
	}
	/*
	 * On a path seen to lose (five attempts), the twins must be at the
	 * last line any attempt failed at: an attempt that failed later got
	 * past theirs, so the target does what it asks, and misses the path
	 * made, spread over a case's many timed exchanges, would otherwise
	 * often put two of five at one line.  A fault fails at its own line
	 * or, spoiled, sooner.  (With three attempts, a periodic-timer ACK
	 * that hit its window once by chance still counts.)  Back-off steps
	 * count as their first: an attempt that failed at a later step got
	 * past the earlier ones on a lost resend as readily as on a timer
	 * that doubles (a timer that does not back off fails the first step
	 * unless the path lost that resend, then the next).  An attempt got
	 * past a line only by the target's doing: not on an ACK the path
	 * drew (att_reach()), which a target that withholds the line's ACK
	 * sends too (ack/ooo-dup-ack-then-fill against hole-fill-ack-delayed,
	 * the filling segment copied: four alike at its first fill, one at
	 * the next).
	 */
	if (nmax <= 1 + RUN_RETRIES)
		last = 0;
	/* Not the target's doing, however often it happens. */
	if (mbox && a[k - 1].v != VERDICT_PASS) {
		snprintf(why, cap, "a middlebox on the path may have answered "
		    "for the target (a segment with another TTL)");
		return VERDICT_INCONCLUSIVE;
	}
	/*
	 * A pass that one lost segment fakes (check_fragile()) came twice:
	 * a target at fault passes only when the path lost the very segment
	 * that shows it, which it does not do twice but rarely.  Not where
	 * an attempt failed at a back-off step in a way no loss makes (flat:
	 * retransmission/syn-backoff against no-rto-backoff passed in 2 of
	 * 10 runs, two attempts at 1.0 s where 1.6 to 3 were due, two
	 * passes on a lost SYN).
	 */
	nf = fragile_passes(a, k);
	for (i = 0, flat = 0; i < k; i++)
		if (a[i].flat && a[i].kind == FIND_TIMING &&
		    att_clean(&a[i]) != VERDICT_PASS)
			flat = 1;
	if (fragile_pass(&a[k - 1]) && nf >= 2 && !flat) {
		snprintf(why, cap, "passed in %zu of %zu attempts%s; one pass "
		    "was not taken alone", nf, k, nf < k ?
		    ", the path spoiling the others" : "");
		return VERDICT_PASS;
	}
	for (i = 0; i < k; i++) {
		v[i] = a[i].v;
		/*
		 * Only trouble seen in the attempt itself spoils it (a timing
		 * miss on a noisy path is doubtful anyway, unless the segment
		 * that decided seems to answer a copy of ours).
		 */
		if (i + 1 < k && (a[i].v != VERDICT_INCONCLUSIVE ||
		    (a[i].trouble & ~RUN_TR_PATH) == 0 ||
		    (a[i].clean == VERDICT_INCONCLUSIVE &&
		    (a[i].trouble & RUN_TR_ECHO) == 0)))
			path = 0;
		/*
		 * Every attempt failed, two of them alike (info too: a claim
		 * case that found its mechanism absent).  An attempt retried
		 * for a timing miss on a quiet path failed outright: an ACK
		 * on a periodic timer lands within the grace after the window
		 * in one attempt (late) and beyond it in the next (missing,
		 * our data still unacknowledged).
		 */
		/*
		 * A pass that an ACK the path drew made (RUN_TR_DRAWN) is
		 * no evidence either way: the others decide whether every
		 * attempt failed.
		 */
		if (a[i].v == VERDICT_INCONCLUSIVE &&
		    (a[i].trouble & (RUN_TR_DRAWN | RUN_TR_ONCE)) &&
		    a[i].kind == FIND_N)
			continue;
		c = att_clean(&a[i]);
		if (!(c == VERDICT_FAIL || c == VERDICT_WARN ||
		    c == VERDICT_INFO) ||
		    (a[i].v == VERDICT_INCONCLUSIVE ? a[i].trouble == 0 &&
		    c == a[i].clean : a[i].v != a[i].clean))
			same = 0;
		/*
		 * Two attempts that both acted late prove nothing: the
		 * tester's lateness, the rate limit's say, may repeat.  Nor
		 * do two whose agent answered late, or one of each
		 * (RUN_TR_OWN): a request that the control connection lost
		 * reaches the agent one RTO of the tester's kernel later
		 * (200 ms or more), so the target's application acts that
		 * late, and the line after it misses the same way every
		 * time (retransmission/data-backoff's second write under
		 * 5 % loss).
		 */
		for (j = i + 1; j < k && twin == NULL; j++) {
			if (!(c == att_clean(&a[j]) && !((a[i].trouble &
			    RUN_TR_OWN) && (a[j].trouble & RUN_TR_OWN)) &&
			    same_way(&a[i], &a[j]) &&
			    a[i].line == a[j].line && a[i].line != 0 &&
			    (last == 0 || att_from(&a[i]) == last)))
				continue;
			if (three(a, k, nmax, nf, &a[j], a[i].flat &&
			    a[j].flat))
				weak = &a[j];
			else
				twin = &a[j];
		}
	}
	/*
	 * Twins that need a third alike and lack it (three()) do not make
	 * the failure, but another pair may: the first pair found does not
	 * hide it (close/time-wait-rst under 5 % loss: two attempts missed
	 * the last line's ACK, five got the same RST there).
	 */
	if (twin == NULL && weak != NULL)
		*more = same;
	if (twin == NULL)
		same = 0;
	if (k > 1 && path && a[k - 1].v == VERDICT_PASS) {
		t = a[0].trouble & ~RUN_TR_PATH;
		snprintf(why, cap, "passed on attempt %zu of %zu; the %s "
		    "spoiled the earlier ones (%s)", k, k, t == RUN_TR_LATE ?
		    "tester" : (t & RUN_TR_LATE) ? "path and the tester" :
		    "path", run_trouble_str(t, tr, sizeof(tr)));
		return VERDICT_PASS;
	}
	/*
	 * The capture (our side) lost datagrams in the last attempt too:
	 * the tester could not see what the target did.
	 */
	if (k == nmax && a[k - 1].v == VERDICT_INCONCLUSIVE &&
	    a[k - 1].cap_dropped > 0) {
		snprintf(why, cap, "error of the tester: its capture lost %llu "
		    "datagram%s in the last attempt, so what the target did "
		    "is not known", (unsigned long long)a[k - 1].cap_dropped,
		    a[k - 1].cap_dropped == 1 ? "" : "s");
		return VERDICT_ERROR;
	}
	/*
	 * Every attempt failed after a line of ours that acted late: the
	 * tester's side, every time (a rate limit far below what -j sends
	 * holds every case's segments back).
	 */
	for (i = 0, t = 1; i < k; i++)
		if (a[i].v != VERDICT_INCONCLUSIVE ||
		    !(a[i].trouble & RUN_TR_LATE))
			t = 0;
	if (k == nmax && t) {
		snprintf(why, cap, "in all %zu attempts a line of ours acted "
		    "late, after a segment of the target's it was to precede "
		    "or just before a resend it was to forestall (a busy "
		    "host, or a --rate too low for -j)", k);
		return VERDICT_INCONCLUSIVE;
	}
	/* Still no answer from the agent: the tester's side failed. */
	if (k == nmax && a[k - 1].v == VERDICT_INCONCLUSIVE &&
	    a[k - 1].clean == VERDICT_ERROR) {
		snprintf(why, cap, "error of the tester in all %zu attempts",
		    k);
		return VERDICT_ERROR;
	}
	if (k == nmax && same) {
		snprintf(why, cap, "%s in all %zu attempts, %s the same way "
		    "(line %d), despite path trouble (%s)", att_clean(twin) ==
		    VERDICT_FAIL ? "failed" : att_clean(twin) == VERDICT_WARN ?
		    "warned" : "departed (info)", k, count_word(alike(a, k,
		    twin)), twin->line,
		    twin->trouble != 0 ? run_trouble_str(twin->trouble, tr,
		    sizeof(tr)) : "a noisy path");
		return att_clean(twin);
	}
	return run_aggregate(v, k, 1, why, cap);
}

enum verdict
run_aggregate_retries(const struct run_att *a, size_t n, size_t nmax,
    char *why, size_t cap)
{
	int more;

	return aggregate(a, n, nmax, why, cap, &more);
}

/*
 * Every one of the n attempts a lossy path allows failed, two of them
 * alike, where three must be (a segment that never came, a back-off
 * step, a fragile pass among them): rather than leave the case
 * inconclusive, try it again, up to RUN_RETRIES_MORE times.  A target
 * at fault fails the extra attempts at its line too, unless the path
 * spoils them sooner; a conformant one that the path spoiled five times
 * passes one, or fails elsewhere.  nmax: the most attempts allowed so
 * far; more are wanted only when n reached it.
 */
int
run_retries_more(const struct run_att *a, size_t n, size_t nmax)
{
	char why[768];
	int more;

	if (nmax <= 1 + RUN_RETRIES || n < nmax || n >= RUN_ATT_CAP)
		return 0;
	return aggregate(a, n, n, why, sizeof(why), &more) ==
	    VERDICT_INCONCLUSIVE && more;
}

/*
 * An attempt that showed a failure the baseline expects (expect: bits
 * 1U << v) with segments that came (wrong, forbidden, or outside the
 * line's time), and that only the path's doing or a noisy path made
 * doubtful.  Loss takes segments away: it hides such a deviation (a lost
 * retransmission makes an interval look doubled) far more often than it
 * makes one.
 */
static int
showed_expected(const struct run_att *a, unsigned expect)
{
	return a->v == VERDICT_INCONCLUSIVE && a->raw < VERDICT_N &&
	    (expect & (1U << a->raw)) != 0 && a->raw != VERDICT_PASS &&
	    (a->kind == FIND_MISMATCH || a->kind == FIND_FORBIDDEN ||
	    a->kind == FIND_TIMING) && a->cap_dropped == 0 &&
	    (a->trouble & RUN_TR_MIDDLEBOX) == 0;
}

/* The same, but a segment that never came (FIND_MISSING). */
static int
missed_expected(const struct run_att *a, unsigned expect)
{
	return a->v == VERDICT_INCONCLUSIVE && a->raw < VERDICT_N &&
	    (expect & (1U << a->raw)) != 0 && a->raw != VERDICT_PASS &&
	    a->kind == FIND_MISSING && a->cap_dropped == 0 &&
	    (a->trouble & RUN_TR_MIDDLEBOX) == 0;
}

/*
 * The retries of a case whose baseline (or "linux" line) expects a
 * failure (expect: bits 1U << v of the verdicts it expects, and
 * 1U << VERDICT_XPASS when it would make a pass xpass), n attempts so far
 * of at most nmax.  Returns 1 when they settle it (the verdict in *out,
 * why says how), 0 when another attempt is wanted, -1 when this rule has
 * nothing to say (run_aggregate_retries() decides).
 *   - two attempts that showed the expected failure at one line, though
 *     the path (or a noisy one) made them doubtful, are that failure; at
 *     the last attempt, one is, unless more attempts passed;
 *   - where a path may lose segments unseen (lossy: off loopback), a pass
 *     where a failure is expected is not taken from one attempt: the loss
 *     of one segment can hide the deviation.  Three passes and no attempt
 *     that showed the failure are a pass (xpass).  A pass that one lost
 *     segment fakes (fragile_pass()) counts as one of the three, and for
 *     nothing else: two of them, which settle the retries of a case
 *     expected to pass, are not yet an xpass (retransmission/syn-backoff
 *     against Linux, whose 1 s SYN retries look doubled when the path
 *     loses one, came out xpass from two such passes in bench_path part
 *     2), nor outweigh an attempt that showed the failure.
 */
int
run_expected_verdict(const struct run_att *a, size_t n, size_t nmax,
    unsigned expect, int lossy, enum verdict *out, char *why, size_t cap)
{
	const struct run_att *e1 = NULL, *e2 = NULL, *m1 = NULL;
	size_t i, ne = 0, np = 0, nm = 0, nfp = 0;

	why[0] = '\0';
	if ((expect & ~(1U << VERDICT_XPASS)) == 0 || n == 0)
		return -1;
	if (nmax > RUN_ATT_CAP)
		nmax = RUN_ATT_CAP;
	if (n > nmax)
		n = nmax;
	/* An attempt that failed outright (not as expected) decides. */
	if (a[n - 1].v != VERDICT_PASS && a[n - 1].v != VERDICT_INCONCLUSIVE)
		return -1;
	for (i = 0; i < n; i++) {
		if (showed_expected(&a[i], expect)) {
			ne++;
			if (e1 == NULL)
				e1 = &a[i];
			else if (e2 == NULL && a[i].raw == e1->raw &&
			    a[i].line == e1->line)
				e2 = &a[i];
		} else if (missed_expected(&a[i], expect)) {
			if (nm++ == 0)
				m1 = &a[i];
		} else if (a[i].v == VERDICT_PASS)
			np++;
		else if (fragile_pass(&a[i]))
			nfp++;
	}
	/*
	 * Every attempt, to the last, showed the expected failure or missed
	 * a segment with it (which off loopback is put down to the path),
	 * and none passed: a path does not take the answer away in every
	 * attempt, a stack that sends it late does (lwIP's ACK of a filled
	 * hole on its 250 ms tick, beyond ack/ooo-dup-ack-then-fill's window
	 * and grace in one attempt, within them in the next: the misses
	 * spread over its three fills, no two alike at its last line).
	 */
	if (n == nmax && np == 0 && nm > 0 && nm + ne == n) {
		*out = m1->raw;
		snprintf(why, cap, "%s as expected in all %zu attempts (line "
		    "%d), %zu of them missing a segment the path may have "
		    "lost, which it does not do every time", m1->raw ==
		    VERDICT_FAIL ? "failed" : m1->raw == VERDICT_WARN ?
		    "warned" : "departed (info)", n, m1->line, nm);
		return 1;
	}
	if (e2 != NULL || (n == nmax && ne > 0 && ne >= np)) {
		*out = e1->raw;
		snprintf(why, cap, "%s as expected in %zu of %zu attempts "
		    "(line %d) despite the path's trouble, which hides such "
		    "a deviation more often than it makes one%s",
		    e1->raw == VERDICT_FAIL ? "failed" : e1->raw ==
		    VERDICT_WARN ? "warned" : "departed (info)", ne, n,
		    e1->line, np > 0 ? "; passed in the others" : "");
		return 1;
	}
	if (np > 0 && (!lossy || (expect & (1U << VERDICT_XPASS)) == 0))
		return -1;
	/*
	 * Three passes: one lost segment fakes a pass often enough that two
	 * in a row are no rarity (at 5 % loss about one attempt in ten of
	 * retransmission/syn-backoff passes against Linux, whose 1 s SYN
	 * retries look doubled when one is lost: bench_path's 40 runs of it
	 * saw one xpass from two).
	 */
	if (ne == 0 && np + nfp >= 3) {
		*out = VERDICT_PASS;
		snprintf(why, cap, "passed in %zu of %zu attempts (a failure "
		    "is expected, and one lost segment can hide it)", np + nfp,
		    n);
		return 1;
	}
	if (ne == 0 && np + nfp == 0)
		return -1;
	if (n < nmax)
		return 0;
	if (np > ne) {
		*out = VERDICT_PASS;
		snprintf(why, cap, "passed in %zu of %zu attempts, showed the "
		    "expected failure in %zu", np, n, ne);
		return 1;
	}
	return -1;
}

/*
 * The verdict of a case from its attempts, in order.  retried: the later
 * attempts were retries of a doubtful first one (not --repeat).  Writes a
 * short explanation to why when the attempts disagree.
 *
 * Retries: the last attempt decides, except that a pass after a doubtful
 * attempt is flaky.  Repeats: any error is error, any fail is fail ("failed
 * 2 of 10"), a mix of pass with anything else is flaky, and otherwise the
 * worst verdict stands.
 */
enum verdict
run_aggregate(const enum verdict *v, size_t n, int retried, char *why,
    size_t cap)
{
	size_t i, k[VERDICT_N] = { 0 };
	static const enum verdict order[] = { VERDICT_ERROR, VERDICT_FAIL,
	    VERDICT_INCONCLUSIVE, VERDICT_WARN, VERDICT_INFO, VERDICT_NA,
	    VERDICT_PASS };

	why[0] = '\0';
	if (n == 0)
		return VERDICT_SKIP;
	for (i = 0; i < n; i++)
		k[v[i]]++;
	if (n == 1)
		return v[0];
	if (retried) {
		if (v[n - 1] == VERDICT_PASS) {
			snprintf(why, cap, "passed on attempt %zu of %zu, after "
			    "%s", n, n, verdict_name(v[0]));
			return VERDICT_FLAKY;
		}
		return v[n - 1];
	}
	if (k[VERDICT_ERROR] > 0 || k[VERDICT_FAIL] > 0) {
		enum verdict w = k[VERDICT_ERROR] ? VERDICT_ERROR :
		    VERDICT_FAIL;

		snprintf(why, cap, "%s in %zu of %zu runs", verdict_name(w),
		    k[w], n);
		return w;
	}
	if (k[VERDICT_PASS] > 0 && k[VERDICT_PASS] < n) {
		snprintf(why, cap, "passed %zu of %zu runs", k[VERDICT_PASS],
		    n);
		return VERDICT_FLAKY;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (k[order[i]] > 0)
			return order[i];
	return v[n - 1];
}

/*
 * The verdict of a case from its --repeat runs (reps, each already the
 * aggregate of its retries; retry_why says why those disagreed), written
 * into cr with its reason.  Returns the index of the attempt in tries
 * whose evidence (segments, diffs, pcap) stands for the verdict: the last
 * with that verdict (for flaky, the last that did not pass).
 */
size_t
check_judge_case(struct case_result *cr, struct case_result *const *tries,
    size_t ntries, const enum verdict *reps, size_t nreps,
    const char *retry_why)
{
	const struct case_result *pick = NULL;
	enum verdict v;
	char why[320], *r;
	size_t i, k = 0;

	v = run_aggregate(reps, nreps, 0, why, sizeof(why));
	for (i = 0; i < ntries; i++)
		if (tries[i]->verdict == v ||
		    (v == VERDICT_FLAKY && tries[i]->verdict != VERDICT_PASS))
			k = i, pick = tries[i];
	/* A failure no attempt had alone (retries under path trouble):
	 * the last attempt that did not pass shows it. */
	for (i = 0; pick == NULL && v != VERDICT_PASS && i < ntries; i++)
		if (tries[ntries - 1 - i]->verdict != VERDICT_PASS)
			pick = tries[k = ntries - 1 - i];
	if (pick == NULL)
		pick = tries[k = ntries - 1];
	cr->verdict = v;
	/* The passive checks' requirements of the attempt that stands. */
	for (i = 0; i < pick->nreqs; i++)
		if (pick->reqs[i].id != NULL &&
		    !check_has_req(cr, pick->reqs[i].id))
			result_req_add(cr, pick->reqs[i].id,
			    pick->reqs[i].section, pick->reqs[i].keyword,
			    pick->reqs[i].text);
	if (asprintf(&r, "%s%s%s", why[0] ? why : retry_why != NULL ?
	    retry_why : "", (why[0] || retry_why != NULL) && pick->reason ?
	    ": " : "", pick->reason != NULL ? pick->reason : "") < 0)
		abort();
	free(cr->reason);
	cr->reason = r[0] != '\0' ? r : (free(r), NULL);
	return k;
}

/* A case the run never got to. */
void
check_skip(struct case_result *cr, const char *reason)
{
	cr->verdict = VERDICT_SKIP;
	result_set(&cr->reason, reason);
}

/* "duplicates, reordering": the RUN_TR_* bits in words. */
const char *
run_trouble_str(unsigned tr, char *buf, size_t cap)
{
	static const struct {
		unsigned	 bit;
		const char	*what;
	} w[] = {
		{ RUN_TR_DUP, "a duplicated segment" },
		{ RUN_TR_REORDER, "segments out of order" },
		{ RUN_TR_RETRANS, "a retransmission by the target" },
		{ RUN_TR_OURS, "a retransmission by the peer" },
		{ RUN_TR_RESENT, "a segment of ours that drew no answer" },
		{ RUN_TR_PATH, "losses on the path earlier in the run" },
		{ RUN_TR_AGENT, "an answer of the agent that came too late" },
		{ RUN_TR_MIDDLEBOX, "a segment with another TTL than the "
		    "target's" },
		{ RUN_TR_ECHO, "the target's SYN-ACK or ACK again at once, "
		    "likely its answer to a copy of ours" },
		{ RUN_TR_DUPACK, "a duplicate ACK, which a copy of a segment "
		    "of ours draws" },
		{ RUN_TR_HOLE, "a segment of the target's beyond a hole in "
		    "what it sent: the path lost the part between" },
		{ RUN_TR_RSTOUT, "an RST or an ACK alone of ours before it, "
		    "which nothing answers, so the path may have lost it "
		    "unseen" },
		{ RUN_TR_SHORT, "an ACK that stops where data or a FIN of "
		    "ours begins, which the path may have lost" },
		{ RUN_TR_LATE, "a line of ours that acted late (the tester's "
		    "host was busy, or the rate limit held it), after a "
		    "segment of the target's it was to precede, or just "
		    "before a resend by the target's timer that it was to "
		    "forestall" },
		{ RUN_TR_DRAWN, "an ACK that the target's SACK blocks show "
		    "our segments drew out of order or twice: the path "
		    "reordered, lost or copied them" },
		{ RUN_TR_ONCE, "a pass that rests on one back-off step or "
		    "one segment not sent again, which the loss of one "
		    "segment fakes: it needs a second" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (tr & w[i].bit)
			n += (size_t)snprintf(buf + (n < cap ? n : cap),
			    n < cap ? cap - n : 0, "%s%s", n ? ", " : "",
			    w[i].what);
	return buf;
}
