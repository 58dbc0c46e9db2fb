/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check.h: the checks module.  It holds everything that judges what the
 * target did: matching a captured segment against a case line, timing
 * windows, the passive per-connection record, the checks of statement
 * results (wait, read, send, agent replies, measurements), the verdict of
 * an attempt and of a case, and the expected-failure baselines.
 *
 * It may use the case program (case.h), the decoded segment (segment.h,
 * seq.h), the results model (result.h) and lib/.  It never sees a TCB, a
 * socket, the wire, the agent client or the runner: the runner hands it
 * plain observations.
 *
 * The call order:
 *
 *	runner (run/) observes: a segment, a state, an agent reply, a time
 *	  -> check_conn_seg()		feeds the per-connection record
 *	  -> check_*()			judges one observation; returns
 *					CHECK_OK, CHECK_WAIT or CHECK_FOUND
 *					with a struct finding filled in
 *	  -> rcase_record() (run/)	the ONE place the runner records a
 *					finding (result diffs, the segment it
 *					names, the end of the attempt)
 *	  -> check_judge_attempt()	the ONE place an attempt's findings
 *					become its verdict
 *	  -> check_judge_case()		the verdict of a case from its
 *					attempts, then check_baseline()
 *
 * Only this module assigns a verdict (tests/test_verdict_owner.sh fails
 * when code elsewhere does).
 */
#ifndef TCPCONFORM_CHECK_H
#define TCPCONFORM_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "result.h"
#include "segment.h"

/* Waits and tolerances, microseconds (tcpconform(1), HOW CASES RUN). */
#define RUN_WAIT_DEFAULT_US	3000000	/* '>' line with no time given */
#define RUN_WAIT_ANY_US		10000000	/* '>' line with '*' */
#define RUN_TOL_ABS_US		4000	/* packetdrill's tolerance_usecs */
#define RUN_TOL_PCT		0.125	/* packetdrill's tolerance_percent */
#define RUN_ABOUT_ABS_US	20000	/* "~T": the loose tolerance */
#define RUN_ABOUT_PCT		0.5
#define RUN_LATE_GRACE_US	200000	/* a late segment is a timing miss,
					 * not a missing one, within this */
#define RUN_NOISY_JITTER_US	1000	/* jitter above this: a noisy path */
#define RUN_DIFF_MAX		8	/* field diffs kept per mismatch */
#define RUN_RETRIES		2	/* extra attempts after a doubtful one */

/* The path to the target, as measured before the cases. */
struct run_path {
	int64_t		 rtt_us;	/* median; -1 not measured */
	int64_t		 jitter_us;	/* mean deviation from the median */
	int		 sent;
	int		 answered;
};

struct run_tol {
	int64_t		 abs_us;	/* max(abs, pct * gap) */
	double		 pct;
	int64_t		 about_abs_us;
	double		 about_pct;
	int64_t		 late_us;	/* added to the late side: RTT */
};

/* The time window of a '>' line, absolute on the run clock. */
struct run_win {
	uint64_t	 lo;		/* earliest acceptable arrival */
	uint64_t	 hi;		/* latest acceptable arrival */
	uint64_t	 give_up;	/* after this, "missing" */
	uint64_t	 due_lo;	/* what the case wrote, no tolerance */
	uint64_t	 due_hi;
	int		 judged;	/* 0: no time given, any arrival is on time */
};

/* Field-by-field difference: "ack: expected 1001, observed 1000". */
struct run_diff {
	char		 field[16];
	char		 exp[160];
	char		 obs[160];
};

/* What relative numbers are relative to, for one direction. */
struct run_bases {
	uint32_t	 seq;		/* the sender's ISN */
	uint32_t	 ack;		/* the receiver's ISN */
	uint32_t	 data;		/* "data": where the target's data
					   ends, relative to its ISN */
};

/*
 * Findings.  A check that sees something other than what the case asks
 * for returns a finding; so does the runner for its own trouble (an
 * error, unmet needs), built with check_finding().  The kinds that end
 * an attempt (check_finding_ends()) are decisive: the first one decides.
 */
enum find_kind {
	FIND_MISMATCH,		/* a segment's fields differ from a '>' line */
	FIND_MISSING,		/* an expected segment never came */
	FIND_FORBIDDEN,		/* a segment a negated line forbids came */
	FIND_TIMING,		/* the right segment, outside its window */
	FIND_STATE,		/* a wait, read, send, agent result or
				 * measurement not met */
	FIND_NA,		/* needs not met */
	FIND_ERROR,		/* the tester failed */
	FIND_MEASURED,		/* a measurement was recorded: no judgement */
	FIND_CAPLOSS,		/* the capture lost datagrams meanwhile */
	FIND_HOSTRST,		/* the host kernel got past the guard */
	FIND_PATH,		/* the path's trouble (RUN_TR_*) meanwhile */
	FIND_AGENTGONE,		/* the agent went away before a failure: its
				 * text is the reason, the verdict error */
	FIND_N
};

struct finding {
	enum find_kind	 kind;
	enum case_sev	 sev;		/* keyword broken: MUST, SHOULD, MAY */
	const struct case_prog *prog;	/* its requirement ids: prog->reqs */
	const struct case_stmt *st;	/* the case line, or NULL */
	long		 seg;		/* index in the attempt's segments, -1 */
	const struct case_seg *expect;	/* FIND_MISSING: the segment that never
					 * came (recorded as missing), or NULL */
	uint64_t	 due;		/* and when it was due (run clock) */
	uint64_t	 count;		/* FIND_CAPLOSS: datagrams lost */
	unsigned	 trouble;	/* FIND_PATH: RUN_TR_* */
	int		 ndiffs;	/* expected against observed */
	struct run_diff	 diffs[RUN_DIFF_MAX];
	char		*text;		/* one line, malloc'ed: the reason */
};

/* The findings of one attempt, in the order they were recorded. */
struct check_att {
	struct finding	*v;
	size_t		 n;
};

/*
 * Signs that the path lost, duplicated or reordered datagrams while an
 * attempt ran (a FIND_PATH finding): its evidence may be incomplete.
 */
#define RUN_TR_DUP	0x01	/* a datagram of the target came twice */
#define RUN_TR_REORDER	0x02	/* the target's datagrams came out of order */
#define RUN_TR_RETRANS	0x04	/* the target sent data or a FIN again */
#define RUN_TR_OURS	0x08	/* the peer had to retransmit (RTO) */
#define RUN_TR_RESENT	0x10	/* a '<' line drew no answer: sent again */
#define RUN_TR_PATH	0x20	/* none here, but the path lost, copied or
				 * reordered datagrams earlier in the run */
#define RUN_TR_MIDDLEBOX 0x40	/* the deciding segment came with another
				 * TTL than the target's: another box on
				 * the path may have sent it */
#define RUN_TR_AGENT	0x80	/* the agent's answer did not come in time:
				 * its control connection may cross the
				 * same lossy path */
#define RUN_TR_N	8
/* What shows the path itself is impaired (runner.lossy). */
#define RUN_TR_IMPAIRED	(RUN_TR_DUP | RUN_TR_REORDER | RUN_TR_RESENT)

/* One attempt, as the retries' verdict sees it (run_aggregate_retries). */
struct run_att {
	enum verdict	 v;		/* its verdict */
	enum verdict	 clean;		/* the same with no path trouble */
	unsigned	 trouble;
	enum find_kind	 kind;		/* of the finding that decided */
	int		 line;		/* its line, 0 none */
	uint64_t	 cap_dropped;	/* the capture's losses meanwhile */
};

/* What a check says. */
enum check_rc {
	CHECK_OK,		/* the expectation is met */
	CHECK_WAIT,		/* not yet decided: look again later */
	CHECK_FOUND,		/* not met: *f holds the finding */
};

/*
 * check_finding.c: building and keeping findings.  check_finding() fills
 * f (its text "line N (LINE): MESSAGE" when st is given) and returns
 * CHECK_FOUND; sev is st's severity, or MUST without st.
 */
enum check_rc check_finding(struct finding *, enum find_kind,
	    const struct case_prog *, const struct case_stmt *,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void	check_finding_free(struct finding *);
int	check_finding_ends(const struct finding *);
int	check_finding_fails(const struct finding *);
/* Take f (its text too) into the attempt's list. */
void	check_att_add(struct check_att *, struct finding *);
void	check_att_free(struct check_att *);

/* check_verdict.c: the one place findings become verdicts. */
enum verdict check_verdict(const struct check_att *, int noisy, int *retry,
	    const char **reason);
void	check_judge_attempt(struct case_result *, const struct check_att *,
	    int noisy, int *retry, struct run_att *);
enum verdict run_aggregate(const enum verdict *, size_t n, int retried,
	    char *why, size_t cap);
enum verdict run_aggregate_retries(const struct run_att *, size_t n,
	    char *why, size_t cap);
const char *run_trouble_str(unsigned, char *, size_t);
size_t	check_judge_case(struct case_result *, struct case_result *const *,
	    size_t ntries, const enum verdict *reps, size_t nreps,
	    const char *retry_why);
void	check_skip(struct case_result *, const char *reason);

/* check_match.c: '>' lines against segments; '<' lines into segments. */
int	run_match_seg(const struct case_seg *, const struct seg *,
	    const struct run_bases *, struct run_diff *, int max);
int	run_match_pkt(const struct case_pkt *, const struct seg *,
	    const struct run_bases *, struct run_diff *, int max, int *ndiff);
int	run_match_negated(const struct case_pkt *, const struct seg *,
	    const struct run_bases *);
int	run_build_seg(const struct case_seg *, struct seg *,
	    const struct run_bases *, uint8_t *buf, size_t cap, char **err);
int	run_opts_to_seg(const struct case_optlist *, struct seg_opt *,
	    int *n, uint32_t tsval, uint32_t tsecr, uint32_t isn_ack,
	    char **err);
char	*run_optlist_str(const struct case_optlist *, char *, size_t);
void	run_fill(uint8_t *buf, size_t n, uint64_t offset);

/* check_timing.c: the path and the windows. */
void	run_path_compute(struct run_path *, const int64_t *rtt, int n,
	    int sent);
int	run_path_noisy(const struct run_path *);
void	run_tol_init(struct run_tol *, const struct run_path *);
void	run_window(const struct case_time *, uint64_t t0, uint64_t tprev,
	    uint64_t now, const struct run_tol *, struct run_win *);
char	*run_usec_str(int64_t, char *, size_t);

/* check_expect.c: the expected-failure baseline (--expect). */
struct run_expect;
int	run_expect_parse(const char *name, const char *buf, size_t len,
	    struct run_expect **, char **err);
int	run_expect_load(const char *path, struct run_expect **, char **err);
void	run_expect_free(struct run_expect *);
const char *run_expect_na(const struct run_expect *, const char *id,
	    int family);
enum verdict run_expect_apply(const struct run_expect *, const char *id,
	    int family, enum verdict, const char **why);
void	check_baseline(struct case_result *, const struct run_expect *,
	    const char *id, int family, const struct case_prog *,
	    int kind_linux);

#endif /* TCPCONFORM_CHECK_H */
