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
#define RUN_RETRIES_LOSSY	4	/* ... once the run has seen signs that
					   the path loses, copies or reorders */
#define RUN_ATT_MAX		(1 + RUN_RETRIES_LOSSY)
#define RUN_RETRIES_MORE	2	/* ... and past those, while the
					   failures wait for a third alike
					   (run_retries_more()) */
#define RUN_ATT_CAP		(RUN_ATT_MAX + RUN_RETRIES_MORE)

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
	int64_t		 rtt_us;	/* the "rtt" unit; 0: not measured */
	int64_t		 jitter_us;	/* measured; 0: not measured */
};

/* The time window of a '>' line, absolute on the run clock. */
struct run_win {
	uint64_t	 lo;		/* earliest acceptable arrival */
	uint64_t	 hi;		/* latest acceptable arrival */
	uint64_t	 give_up;	/* after this, "missing" */
	uint64_t	 due_lo;	/* what the case wrote, no tolerance */
	uint64_t	 due_hi;
	int		 judged;	/* 0: no time given, any arrival is on time */
	uint64_t	 gap_us;	/* a back-off step (lower bound in gaps):
					 * the gap; 0 otherwise */
};

/* Field-by-field difference: "ack: expected 1001, observed 1000". */
struct run_diff {
	char		 field[16];
	char		 exp[200];	/* a whole segment ("missing") fits */
	char		 obs[200];
};

/* What relative numbers are relative to, for one direction. */
struct run_bases {
	uint32_t	 seq;		/* the sender's ISN */
	uint32_t	 ack;		/* the receiver's ISN */
	uint32_t	 data;		/* "data": where the target's data
					   ends, relative to its ISN */
	uint32_t	 mss;		/* the MSS the receiver's SYN offered;
					   0: none (or no SYN seen) */
	int		 edge_known;	/* the target offered a window: */
	uint32_t	 edge;		/* "edge": its right edge (absolute) */
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
	FIND_PASSIVE,		/* a passive check (check_passive.c) found
				 * a segment of the target breaking a rule
				 * no case line names: it does not end the
				 * attempt, and fails a pass by its req */
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
	int		 drawn;		/* FIND_PATH: the first line that took
					 * an ACK the path drew (RUN_TR_DRAWN),
					 * before the line that failed; 0 none */
	int		 early;		/* FIND_TIMING: before its window (not
					 * after it) */
	int		 flat;		/* ... at a back-off step, 3/4 to 9/8
					 * of the interval before: no timer
					 * that doubles looks so, whatever the
					 * path did (check_line_seg()) */
	int		 ndiffs;	/* expected against observed */
	struct run_diff	 diffs[RUN_DIFF_MAX];
	char		*text;		/* one line, malloc'ed: the reason */
	const char	*req;		/* FIND_PASSIVE: the requirement id */
};

/* The findings of one attempt, in the order they were recorded. */
struct check_att {
	struct finding	*v;
	size_t		 n;
};

/*
 * Signs that the path lost, duplicated or reordered datagrams while an
 * attempt ran, or that the tester itself was late (a FIND_PATH finding):
 * its evidence may be incomplete.
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
#define RUN_TR_ECHO	0x100	/* the target's SYN-ACK or ACK again at once
				 * (off loopback): it seems to answer a copy
				 * of ours */
#define RUN_TR_DUPACK	0x200	/* the deciding segment is a duplicate ACK,
				 * the answer a copy of a segment of ours
				 * that the path made draws */
#define RUN_TR_HOLE	0x400	/* the deciding segment starts beyond all
				 * the target's earlier ones: the path
				 * lost what it sent between */
#define RUN_TR_RSTOUT	0x800	/* the deciding segment came after an RST
				 * of ours, or right after an ACK alone,
				 * which nothing answers: the path may
				 * have lost it */
#define RUN_TR_SHORT	0x1000	/* the deciding segment's ACK stops where
				 * data or a FIN of ours begins, which
				 * nothing else answered: the path may
				 * have lost it */
#define RUN_TR_LATE	0x2000	/* the tester's side, on any path: a
				 * statement of ours acted late (its host
				 * was busy, the rate limit held it), and a
				 * segment of the target's came between its
				 * time and then, before the answer the case
				 * meant it to be, or a resend by the
				 * target's timer came right after it */
#define RUN_TR_DRAWN	0x4000	/* a line took an ACK that the target's SACK
				 * blocks say our segments' reordering,
				 * loss or copy on the path drew at once
				 * (a pass proves nothing) */
#define RUN_TR_ONCE	0x8000	/* off loopback, a pass of a case that
				 * rests on one back-off step or one
				 * segment not sent again: the loss of one
				 * segment fakes it, so it needs a second
				 * (check_fragile()) */
#define RUN_TR_N	16
/* The tester's own side made the attempt late: a statement of ours, or
 * the agent's answer (its control connection lost a request). */
#define RUN_TR_OWN	(RUN_TR_LATE | RUN_TR_AGENT)
/* What shows the path itself is impaired (runner.lossy). */
#define RUN_TR_IMPAIRED	(RUN_TR_DUP | RUN_TR_REORDER | RUN_TR_RESENT)

/* One attempt, as the retries' verdict sees it (run_aggregate_retries). */
struct run_att {
	enum verdict	 v;		/* its verdict */
	enum verdict	 clean;		/* the same with no path trouble */
	enum verdict	 raw;		/* the same on a quiet path too */
	unsigned	 trouble;
	enum find_kind	 kind;		/* of the finding that decided */
	int		 early;		/* it: a segment before its window */
	int		 flat;		/* ... about the interval before */
	int		 step;		/* its line is a back-off step (timed
					 * in gap units) */
	int		 line;		/* its line, 0 none */
	int		 from;		/* the first of the back-off steps
					 * (lines timed in gaps, one after
					 * another) its line is one of, else
					 * its line; 0 none */
	int		 drawn;		/* a line before it that passed on an
					 * ACK the path drew; 0 none */
	uint64_t	 cap_dropped;	/* the capture's losses meanwhile */
};

/* What a check says. */
enum check_rc {
	CHECK_OK,		/* the expectation is met */
	CHECK_WAIT,		/* not yet decided: look again later */
	CHECK_FOUND,		/* not met: *f holds the finding */
	CHECK_PASSBY,		/* a repeat of an earlier segment: not the
				 * line's, not a miss either */
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
/* A case whose pass one lost segment fakes (one back-off step, one
 * segment forbidden again at once). */
int	check_fragile(const struct case_prog *);
/* Two passes of such a case among the attempts (RUN_TR_ONCE). */
int	run_fragile_confirmed(const struct run_att *, size_t n);
enum verdict run_aggregate_retries(const struct run_att *, size_t n,
	    size_t nmax, char *why, size_t cap);
/* Whether n attempts, the most a lossy path allows, failed two alike
 * where the rule wants three: another attempt may settle it. */
int	run_retries_more(const struct run_att *, size_t n, size_t nmax);
int	run_expected_verdict(const struct run_att *, size_t n, size_t nmax,
	    unsigned expect, int lossy, enum verdict *, char *why,
	    size_t cap);
const char *run_trouble_str(unsigned, char *, size_t);
size_t	check_judge_case(struct case_result *, struct case_result *const *,
	    size_t ntries, const enum verdict *reps, size_t nreps,
	    const char *retry_why);
void	check_skip(struct case_result *, const char *reason);
int	check_has_req(const struct case_result *, const char *id);

/* check_match.c: '>' lines against segments; '<' lines into segments. */
uint32_t run_eff_mss(const struct seg *, const struct run_bases *);
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

/*
 * check_conn.c: the record of one connection as seen on the wire, fed by
 * the runner; side[SEGDIR_TO_TARGET] is the peer, side[SEGDIR_FROM_TARGET]
 * the target.
 */
struct check_side {
	int		 isn_known;
	uint32_t	 isn;
	int		 seen;		/* it sent a segment */
	uint32_t	 snd_max;	/* highest sequence number sent, + 1 */
	uint32_t	 data_end;	/* after its last data byte, relative to
					 * its ISN ("data" in case lines) */
	int		 ack_seen;
	uint32_t	 ack_max;	/* highest acknowledgment sent */
	uint32_t	 win;		/* its last window field, unscaled */
	int		 edge_known;	/* it sent an ACK (not an RST) since its
					 * last SYN: */
	uint32_t	 edge;		/* the right edge of the window it last
					 * offered, ack + scaled window */
	uint32_t	 edge_max;	/* the furthest it offered */
	int		 shift;		/* its window scale in force since the
					 * last SYN-ACK (0: none agreed) */
	int		 ts_agreed;	/* both SYNs of that handshake had TS */
	int		 synack;	/* it sent a SYN-ACK: the last one's */
	uint32_t	 synack_seq;	/* sequence number */
	uint32_t	 synack_ack;	/* and acknowledgment */
	int		 urg_seen;	/* it sent URG: */
	uint32_t	 urg_max;	/* the furthest urgent pointer, SEG.SEQ
					 * + SEG.UP */
	int		 syn;		/* it sent a SYN: the offers below */
	uint16_t	 mss;		/* 0: none offered */
	int		 wscale;	/* -1: none offered */
	int		 sack_ok;
	int		 sack_ever;	/* some SYN of this incarnation had
					 * SACK-permitted (a later SYN into
					 * the synchronized connection does
					 * not take it back) */
	int		 ts;
	uint32_t	 opts_seen;	/* 1 << kind of every option it used */
	int		 fin;
	int		 rst;
	uint64_t	 nsegs;
	uint64_t	 bytes;		/* payload, retransmissions included */
	uint64_t	 last_t;	/* when it last sent */
};

struct check_conn {
	struct check_side side[2];
};

void	check_conn_init(struct check_conn *);
void	check_conn_isn(struct check_conn *, int dir, uint32_t isn);
void	check_conn_forget(struct check_conn *, int dir);
void	check_conn_bases(const struct check_conn *, int dir,
	    struct run_bases *);
void	check_conn_seg(struct check_conn *, int dir, const struct seg *,
	    uint64_t t);
uint32_t check_conn_edge(const struct check_conn *, int dir,
	    const struct seg *);
int	check_conn_shift(const struct check_conn *, int dir);

/*
 * check_passive.c: the passive checks, run on every segment the target
 * sends in every case (tcpconform(1), PASSIVE CHECKS).  Each is an entry
 * of the catalogue with its requirement and the fault of "tcpconform
 * serve" that makes it fire.
 */
enum check_pv {
	PV_CSUM,		/* MUST-2 */
	PV_OPT_LEN,		/* MUST-68 */
	PV_EOL_PAD,		/* MUST-69 */
	PV_MSS_SYN,		/* MUST-65 */
	PV_WSCALE,		/* RFC 7323 2.2 */
	PV_SACK,		/* RFC 2018 2 */
	PV_TS,			/* RFC 7323 3.2 */
	PV_RSVD,		/* RFC 9293 3.1 */
	PV_ACK,			/* RFC 9293 3.4 */
	PV_SEQ_WIN,		/* RFC 9293 3.8.6 */
	PV_WIN_EDGE,		/* SHLD-14 */
	PV_URG,			/* MUST-62 */
	PV_N
};

struct check_passive_def {
	const char	*id;		/* "passive/checksum" */
	const char	*req;		/* "MUST-2" */
	const char	*title;
	const char	*fault;		/* of "tcpconform serve" */
};

extern const struct check_passive_def check_passive_defs[PV_N];

/*
 * Judge one of the target's segments against the record of its connection
 * before check_conn_seg() takes it in.  fired: the checks (1 << PV_*) that
 * already fired in this attempt, which do not fire again (one finding per
 * requirement per case); the ones that fire now are added.  Fills out[]
 * (FIND_PASSIVE, f->seg = rec) and returns how many.
 */
int	check_passive_seg(const struct check_conn *, const struct seg *,
	    long rec, unsigned *fired, struct finding out[PV_N]);

/* check_line.c: a '>' line against the target's segments. */
struct check_line {
	const struct case_prog *prog;
	const struct case_stmt *st;	/* the '>' line */
	const struct run_bases *bases;	/* of the target's direction */
	const struct run_win *win;	/* its window (run_window()) */
	uint64_t	 tprev;		/* the previous event: times in the
					 * findings count from it */
	uint64_t	 act_cur;	/* when the line began to wait */
	int		 match_any;	/* "set match any" */
	int		 ttl;		/* the target's TTL (hop limit) as it
					 * reaches us; -1 not known */
	int		 routed;	/* a router may lie between us and the
					 * target (not its own link) */
	int		 unanswered;	/* the '<' line before was sent
					 * RUN_RESENDS + 1 times, unanswered */
	int		 resent;	/* it was sent again: an answer to the
					 * first send is on time too */
	uint64_t	 first_lo;	/* the first window's start */
};

/* Under "match any": the closest segment so far, for the report. */
struct check_best {
	long		 rec;		/* -1: none */
	int		 ttl;		/* its TTL */
	int		 n;
	struct run_diff	 d[RUN_DIFF_MAX];
};

void	check_best_init(struct check_best *);
enum check_rc check_line_seg(const struct check_line *, const struct seg *,
	    uint64_t t, uint64_t adj, int repeat, long rec, struct check_best *,
	    struct finding *);
enum check_rc check_line_end(const struct check_line *, uint64_t now,
	    uint64_t adj, const struct check_best *, struct finding *);
void	check_negated_span(const struct check_line *, uint64_t *lo,
	    uint64_t *hi);
enum check_rc check_negated_seg(const struct check_line *,
	    const struct seg *, uint64_t t, uint64_t adj, long rec,
	    struct finding *);

/*
 * check_stmt.c: statement results, from what the runner observed.
 */
struct check_send {			/* "send", "http" */
	int		 begun;		/* bytes were queued before */
	int		 open;		/* the connection is there */
	int		 closed;	/* it was, and closed */
	const char	*why_closed;	/* how it ended */
	const char	*err;		/* the last send failed: why, or NULL */
	uint32_t	 done;		/* bytes the target's window took */
	uint32_t	 len;
	int		 expired;	/* the wait for its window is over */
};

struct check_recv {			/* "read", "wait received" */
	uint64_t	 want;
	uint64_t	 have;
	int		 want_eof;	/* "read eof" */
	int		 eof;		/* the target's FIN reached the app */
	int		 expired;
	uint64_t	 waited_us;
};

struct check_state {			/* "wait STATE", "connect" */
	int		 connect;	/* ESTABLISHED or beyond will do */
	enum case_state	 want;
	enum case_state	 cur;		/* the peer's side now */
	uint64_t	 entered;	/* when it last entered want (0: never) */
	uint64_t	 since;		/* entered at or after this counts */
	int		 gone;		/* the connection ended */
	const char	*why_gone;
	int		 expired;
	uint64_t	 waited_us;
};

struct check_agent {			/* an agent action's reply */
	int		 ok;		/* OK, not ERR */
	const char	*errname;	/* ERR: "ECONNREFUSED" */
	const char	*text;		/* ERR: its text */
	int		 rw;		/* a read or write result follows */
	size_t		 n;		/* bytes read or written */
	const char	*end_name;	/* how it ended: "eof", "error", ... */
	int		 end_eof;
	int		 end_error;
	const char	*end_errname;	/* end_error: the errno's name */
};

/*
 * "measure isn-spacing": ISNs within this of the line that the time of each
 * SYN predicts, across four-tuples, are predictable (RFC 6528).
 */
#define CHECK_ISN_PREDICT	(1 << 20)

/* One probe of "measure isn-spacing": a bare SYN from port, sent at t. */
struct check_isn_probe {
	uint16_t	 port;
	uint64_t	 t;		/* when it left, us */
	int		 answered;	/* with a SYN-ACK */
	uint32_t	 isn;		/* that SYN-ACK's sequence number */
};

struct check_isn {			/* "measure isn-spacing" */
	int		 measured;	/* enough SYN-ACKs to record */
	uint32_t	 n;		/* SYN-ACKs */
	double		 rate;		/* ISN advance per second, all */
	double		 dev;		/* farthest ISN from that line */
	uint32_t	 tuples;	/* four-tuples answered twice */
	uint32_t	 back;		/* ... whose second ISN went back */
	uint32_t	 still;		/* ... or stood still */
	double		 tuple_rate;	/* mean advance per second of one
					 * four-tuple */
};

enum check_rc check_send(const struct case_prog *, const struct case_stmt *,
	    const struct check_send *, struct finding *);
enum check_rc check_recv(const struct case_prog *, const struct case_stmt *,
	    const struct check_recv *, struct finding *);
enum check_rc check_state(const struct case_prog *, const struct case_stmt *,
	    const struct check_state *, struct finding *);
enum check_rc check_agent_reply(const struct case_prog *,
	    const struct case_stmt *, const struct check_agent *,
	    struct finding *);
enum check_rc check_isn_spacing(const struct case_prog *,
	    const struct case_stmt *, const struct check_isn_probe *,
	    uint32_t nprobes, struct check_isn *, struct finding *);
enum check_rc check_time_wait(const struct case_prog *,
	    const struct case_stmt *, int ended, uint32_t probes,
	    struct finding *);
uint64_t check_iw_rfc5681(uint32_t smss);
uint64_t check_iw_rfc6928(uint32_t smss);
enum check_rc check_initial_window(const struct case_prog *,
	    const struct case_stmt *, uint64_t bytes, uint32_t smss,
	    struct finding *);

/* check_timing.c: the path and the windows. */
void	run_path_compute(struct run_path *, const int64_t *rtt, int n,
	    int sent);
int	run_path_noisy(const struct run_path *);
void	run_tol_init(struct run_tol *, const struct run_path *);
void	run_window(const struct case_time *, uint64_t t0, uint64_t tprev,
	    uint64_t last_gap, uint64_t now, const struct run_tol *,
	    struct run_win *);
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
int	check_baseline_expects(const struct run_expect *, const char *, int,
	    const struct case_prog *, int, enum verdict);
unsigned check_baseline_mask(const struct run_expect *, const char *, int,
	    const struct case_prog *, int);
void	check_baseline(struct case_result *, const struct run_expect *,
	    const char *id, int family, const struct case_prog *,
	    int kind_linux);

#endif /* TCPCONFORM_CHECK_H */
