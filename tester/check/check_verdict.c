/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_verdict.c: the one place where what happened in a case becomes a
 * verdict (as scamper's tbit_classify maps a test's state to one result),
 * and where the verdicts of several attempts (retries, --repeat) become the
 * case's verdict.
 *
 * The rules (DESIGN.md, "Verdicts"):
 *   - a tester failure is error; needs not met is not applicable;
 *   - a mismatch, a missing or a forbidden segment, or a wait that never
 *     ended breaks the statement's severity: MUST -> fail, SHOULD -> warn,
 *     MAY -> info;
 *   - evidence the capture may have lost (drops while the case ran) turns
 *     any of those into inconclusive; so does a timing miss (the right
 *     segment outside its window) on a noisy path;
 *   - a timing miss or an inconclusive attempt is retried (RUN_RETRIES);
 *     a retry that passes makes the case flaky, never pass;
 *   - a pass that measured something is info (a measurement that shows
 *     the behaviour it looks for, a constant ISN, fails its statement).
 */
#include <stdio.h>
#include <string.h>

#include "run_int.h"

static enum verdict by_sev(enum case_sev);

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
 * The verdict of one attempt.  *retry says whether another attempt may
 * change it (timing misses and lost evidence).
 */
enum verdict
run_classify(const struct run_outcome *oc, int noisy, int *retry)
{
	*retry = 0;
	switch (oc->kind) {
	case RUN_OC_ERROR:
		/* An agent's late answer may be the path's: tried again. */
		if (oc->trouble & RUN_TR_AGENT) {
			*retry = 1;
			return VERDICT_INCONCLUSIVE;
		}
		return VERDICT_ERROR;
	case RUN_OC_NA:
		return VERDICT_NA;
	case RUN_OC_PASS:
		return oc->measured ? VERDICT_INFO : VERDICT_PASS;
	case RUN_OC_TIMING:
		*retry = 1;
		if (noisy || oc->cap_dropped > 0 || oc->trouble != 0)
			return VERDICT_INCONCLUSIVE;
		return by_sev(oc->sev);
	case RUN_OC_MISMATCH:
	case RUN_OC_MISSING:
	case RUN_OC_FORBIDDEN:
	case RUN_OC_STATE:
		/* Lost in the capture, or on the path (run_outcome.trouble):
		 * the evidence may be incomplete. */
		if (oc->cap_dropped > 0 || oc->trouble != 0) {
			*retry = 1;
			return VERDICT_INCONCLUSIVE;
		}
		return by_sev(oc->sev);
	}
	return VERDICT_ERROR;
}

/*
 * The verdict of a case from its attempt and the retries of it.  The last
 * attempt decides, except that:
 *   - a pass after attempts that were only doubtful because the path lost,
 *     duplicated or reordered segments during them is a pass: their
 *     evidence was spoiled, the pass's was not (a pass after a timing miss
 *     or a capture loss stays flaky);
 *   - attempts that all met path trouble but all failed, two of them the
 *     same way (the same statement, the same kind of miss), are that
 *     failure: the path does not hit the same exchange every time, a fault
 *     does (another attempt may have failed sooner, on a lost segment of
 *     the handshake).
 */
enum verdict
run_aggregate_retries(const struct run_att *a, size_t n, char *why,
    size_t cap)
{
	enum verdict v[1 + RUN_RETRIES];
	char tr[160];
	size_t i, j, k = n < 1 + RUN_RETRIES ? n : 1 + RUN_RETRIES;
	const struct run_att *twin = NULL;
	int path = 1, same = 1, mbox = 0;

	why[0] = '\0';
	if (k == 0)
		return VERDICT_SKIP;
	for (i = 0; i < k; i++)
		if (a[i].trouble & RUN_TR_MIDDLEBOX)
			mbox = 1;
	/* Not the target's doing, however often it happens. */
	if (mbox && a[k - 1].v != VERDICT_PASS) {
		snprintf(why, cap, "a middlebox on the path may have answered "
		    "for the target (a segment with another TTL)");
		return VERDICT_INCONCLUSIVE;
	}
	for (i = 0; i < k; i++) {
		v[i] = a[i].v;
		/* Only trouble seen in the attempt itself spoils it. */
		if (i + 1 < k && (a[i].v != VERDICT_INCONCLUSIVE ||
		    (a[i].trouble & ~RUN_TR_PATH) == 0 ||
		    a[i].clean == VERDICT_INCONCLUSIVE))
			path = 0;
		/* Every attempt failed, two of them alike. */
		if (a[i].v != VERDICT_INCONCLUSIVE || a[i].trouble == 0 ||
		    (a[i].clean != VERDICT_FAIL && a[i].clean != VERDICT_WARN))
			same = 0;
		for (j = i + 1; j < k && twin == NULL; j++)
			if (a[i].clean == a[j].clean && a[i].kind == a[j].kind &&
			    a[i].line == a[j].line && a[i].line != 0)
				twin = &a[j];
	}
	if (twin == NULL)
		same = 0;
	if (k > 1 && path && a[k - 1].v == VERDICT_PASS) {
		snprintf(why, cap, "passed on attempt %zu of %zu; the path "
		    "spoiled the earlier ones (%s)", k, k,
		    run_trouble_str(a[0].trouble & ~RUN_TR_PATH, tr,
		    sizeof(tr)));
		return VERDICT_PASS;
	}
	/*
	 * The capture (our side) lost datagrams in the last attempt too:
	 * the tester could not see what the target did.
	 */
	if (k == 1 + RUN_RETRIES && a[k - 1].v == VERDICT_INCONCLUSIVE &&
	    a[k - 1].cap_dropped > 0) {
		snprintf(why, cap, "error of the tester: its capture lost %llu "
		    "datagram%s in the last attempt, so what the target did "
		    "is not known", (unsigned long long)a[k - 1].cap_dropped,
		    a[k - 1].cap_dropped == 1 ? "" : "s");
		return VERDICT_ERROR;
	}
	/* Still no answer from the agent: the tester's side failed. */
	if (k == 1 + RUN_RETRIES && a[k - 1].v == VERDICT_INCONCLUSIVE &&
	    a[k - 1].clean == VERDICT_ERROR) {
		snprintf(why, cap, "error of the tester in all %zu attempts",
		    k);
		return VERDICT_ERROR;
	}
	if (k == 1 + RUN_RETRIES && same) {
		snprintf(why, cap, "%s in all %zu attempts, two the same way "
		    "(line %d), despite path trouble (%s)", twin->clean ==
		    VERDICT_FAIL ? "failed" : "warned", k, twin->line,
		    run_trouble_str(twin->trouble, tr, sizeof(tr)));
		return twin->clean;
	}
	return run_aggregate(v, k, 1, why, cap);
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
