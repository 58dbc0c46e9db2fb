/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_timing.c: the path's round-trip time and jitter, and the time window
 * in which a '>' line's segment must arrive.
 *
 * Tolerance is data, not a constant.  As in packetdrill, a window is the
 * time the case wrote widened by max(absolute, percent of the gap since the
 * previous event) on each side (a range "a~b", whose bounds are the case's
 * own, by the absolute part only); here the absolute part grows with the
 * jitter measured before the cases (four mean deviations), and the late
 * side also gets the round-trip time, since a segment the target sends in
 * answer to ours cannot come sooner than one RTT after ours left.  "~T"
 * (about) uses a looser absolute and percent part.  A segment with the
 * right fields that comes late, but within a grace period after the
 * window, is a timing miss (which a noisy path makes inconclusive) rather
 * than a missing segment.
 *
 * Uses the case program's times only.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

static int	cmp_i64(const void *, const void *);
static int64_t	max64(int64_t, int64_t);
static int64_t	point_us(int64_t, int, const struct run_tol *, uint64_t);

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/*
 * The RTT is the median of the answered probes (robust against one probe
 * delayed by a scheduler hiccup); the jitter is the mean absolute
 * deviation from it.  No answer at all: both stay -1 (not measured).
 */
void
run_path_compute(struct run_path *p, const int64_t *rtt, int n, int sent)
{
	int64_t *v, dev = 0;
	int i;

	p->rtt_us = -1;
	p->jitter_us = -1;
	p->sent = sent;
	p->answered = n;
	if (n <= 0 || (v = calloc((size_t)n, sizeof(*v))) == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = rtt[i];
	qsort(v, (size_t)n, sizeof(*v), cmp_i64);
	p->rtt_us = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	for (i = 0; i < n; i++)
		dev += v[i] > p->rtt_us ? v[i] - p->rtt_us : p->rtt_us - v[i];
	p->jitter_us = dev / n;
	free(v);
}

/*
 * A path is noisy when its jitter is above RUN_NOISY_JITTER_US, when a
 * probe went unanswered, or when it could not be measured: there, a
 * segment outside its window may be the path's fault, not the target's.
 */
int
run_path_noisy(const struct run_path *p)
{
	return p->rtt_us < 0 || p->answered < p->sent ||
	    p->jitter_us > RUN_NOISY_JITTER_US;
}

void
run_tol_init(struct run_tol *t, const struct run_path *p)
{
	int64_t jit = p->jitter_us > 0 ? p->jitter_us : 0;

	t->abs_us = RUN_TOL_ABS_US + 4 * jit;
	t->pct = RUN_TOL_PCT;
	t->about_abs_us = RUN_ABOUT_ABS_US + 4 * jit;
	t->about_pct = RUN_ABOUT_PCT;
	t->late_us = (p->rtt_us > 0 ? p->rtt_us : 0) + 4 * jit;
	t->rtt_us = p->rtt_us > 0 ? p->rtt_us : 0;
	t->jitter_us = jit;
}

/*
 * A time of a case line in microseconds: "rtt" times scale the RTT, "gap"
 * times the time between the last two segments '>' lines matched.
 */
static int64_t
point_us(int64_t v, int unit, const struct run_tol *tol, uint64_t last_gap)
{
	switch (unit) {
	case CASE_U_RTT:
		return v * tol->rtt_us / 1000000;
	case CASE_U_GAP:
		return (int64_t)((double)v * (double)last_gap / 1e6);
	default:
		return v;
	}
}

/*
 * The window of a '>' line visited at now: relative times count from
 * tprev (the previous event), absolute ones from t0 (the case's start);
 * last_gap is the "gap" unit.
 */
void
run_window(const struct case_time *tm, uint64_t t0, uint64_t tprev,
    uint64_t last_gap, uint64_t now, const struct run_tol *tol,
    struct run_win *w)
{
	uint64_t base;
	int64_t gap, tl;

	w->judged = tm->kind == CASE_T_ABS || tm->kind == CASE_T_REL;
	w->gap_us = w->judged && tm->lo_unit == CASE_U_GAP ? last_gap : 0;
	if (!w->judged) {
		w->lo = 0;
		w->due_lo = w->due_hi = now;
		w->hi = w->give_up = now + (tm->kind == CASE_T_ANY ?
		    RUN_WAIT_ANY_US : RUN_WAIT_DEFAULT_US);
		return;
	}
	base = tm->kind == CASE_T_ABS ? t0 : tprev;
	w->due_lo = base + (uint64_t)point_us(tm->lo, tm->lo_unit, tol,
	    last_gap);
	w->due_hi = base + (uint64_t)point_us(tm->hi, tm->hi_unit, tol,
	    last_gap);
	if (w->due_hi < w->due_lo)
		w->due_hi = w->due_lo;
	gap = w->due_hi > tprev ? (int64_t)(w->due_hi - tprev) : 0;
	/*
	 * A range states both bounds itself (a delayed ACK "MUST be less than
	 * 0.5 seconds", MUST-40): it widens by the fixed part and the jitter
	 * only.  A single time gets packetdrill's percentage of the gap too.
	 */
	if (tm->about)
		tl = max64(tol->about_abs_us, (int64_t)(tol->about_pct * gap));
	else if (tm->hi != tm->lo || tm->hi_unit != tm->lo_unit)
		tl = tol->abs_us;
	else
		tl = max64(tol->abs_us, (int64_t)(tol->pct * gap));
	/*
	 * A lower bound in RTTs or gaps says a timer must have run: it widens
	 * by the measured jitter only, so that "at once" never passes for it
	 * (and a back-off that did not double is not excused by tolerance).
	 */
	if (tm->lo_unit != CASE_U_SEC)
		w->lo = w->due_lo > (uint64_t)(4 * tol->jitter_us) ?
		    w->due_lo - (uint64_t)(4 * tol->jitter_us) : 0;
	else
		w->lo = w->due_lo > (uint64_t)tl ? w->due_lo - (uint64_t)tl : 0;
	w->hi = w->due_hi + (uint64_t)tl + (uint64_t)tol->late_us;
	w->give_up = w->hi + (uint64_t)max64(RUN_LATE_GRACE_US, 2 * tl);
}

/* "+0.040 s", "-1.5 ms": a signed duration for messages. */
char *
run_usec_str(int64_t us, char *buf, size_t cap)
{
	uint64_t a = us < 0 ? (uint64_t)-us : (uint64_t)us;

	if (a >= 1000000)
		snprintf(buf, cap, "%s%llu.%03llu s", us < 0 ? "-" : "",
		    (unsigned long long)(a / 1000000),
		    (unsigned long long)(a % 1000000 / 1000));
	else if (a >= 1000)
		snprintf(buf, cap, "%s%llu.%01llu ms", us < 0 ? "-" : "",
		    (unsigned long long)(a / 1000),
		    (unsigned long long)(a % 1000 / 100));
	else
		snprintf(buf, cap, "%s%llu us", us < 0 ? "-" : "",
		    (unsigned long long)a);
	return buf;
}
