/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * result.h: the results of a run (run -> targets -> cases -> attempts and
 * segments), the one structure the runner fills and every writer reads.
 *
 * The model holds plain values and strings only: it knows nothing of the
 * peer's TCB, of sockets or of the codec, so the report writers and the JSON
 * reader (which loads a results.json back for "tcpconform report") depend on
 * this file alone.  Every string in it may come from a hostile place (a case
 * file, a target's payload, a results file edited by hand); the writers
 * escape all of it and never trust its length, its bytes or its UTF-8.
 *
 * How the runner fills it:
 *
 *	struct run *r = result_run_new();
 *	result_set(&r->tester_version, PACKAGE_VERSION);
 *	result_set(&r->command_line, "tcpconform run --loopback cases/");
 *	r->started_us = now_us();
 *	result_known_req_add(r, "MUST-10", "RFC 9293 3.5", "MUST",
 *	    "Handle simultaneous open");			(the catalogue)
 *	struct target *t = result_target_add(r);
 *	result_set(&t->name, "linux"); result_set(&t->address, "127.0.0.1");
 *	t->family = 4; t->mode = TARGET_LOOPBACK; t->rtt_us = 48; ...
 *	struct case_result *c = result_case_add(t);
 *	result_set(&c->id, "handshake/passive-open-numbering"); ...
 *	result_req_add(c, "MUST-10", "RFC 9293 3.5", "MUST", "...");
 *	struct seg_rec *s = result_seg_add(c);
 *	s->t_us = 1200; s->dir = SEGDIR_FROM_TARGET; s->flags = SEGF_SYN | ...;
 *	result_seg_payload(s, data, len);
 *	c->verdict = VERDICT_FAIL; c->mismatch_seg = 2;
 *	result_diff_add(c, "ack", "1001", "1000");
 *	...
 *	r->ended_us = now_us();
 *	report_write_all(r, "out", REPORT_DEFAULT, &err);	(report.h)
 *	result_run_free(r);
 *
 * The *_add functions return a zeroed element owned by its parent (targets,
 * cases and segments are stored by pointer, so a pointer stays valid while
 * more are added).  Strings are owned by the model: set them with
 * result_set(), which copies, or assign a malloc'ed string.  Functions that
 * allocate abort the program when memory runs out (like xmalloc), so the
 * runner need not check each call.
 */
#ifndef TCPCONFORM_RESULT_H
#define TCPCONFORM_RESULT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Verdicts (DESIGN.md "Verdicts").  The order is the order of the legend and
 * of the counts in every report; keep verdict_names[] in step.
 */
enum verdict {
	VERDICT_PASS,		/* every expectation met */
	VERDICT_FAIL,		/* a MUST broken */
	VERDICT_WARN,		/* a SHOULD not met: still conformant */
	VERDICT_INFO,		/* a measurement, no judgement */
	VERDICT_INCONCLUSIVE,	/* evidence not enough (timing, capture loss) */
	VERDICT_FLAKY,		/* passed only on retry: never shown as pass */
	VERDICT_NA,		/* the case's needs are not met by the target */
	VERDICT_XFAIL,		/* failed, as the baseline expected */
	VERDICT_XPASS,		/* passed, the baseline expected a failure */
	VERDICT_ERROR,		/* the tester itself failed */
	VERDICT_SKIP,		/* not run (excluded, or the run was stopped) */
	VERDICT_N
};

/* "pass", "fail", ..., "not-applicable": the names in JSON, TAP and CSS. */
const char	*verdict_name(enum verdict);
/* "PASS", "FAIL", ..., "N/A": the short label shown in reports. */
const char	*verdict_label(enum verdict);
/* One plain sentence defining the verdict, for the legend of every report. */
const char	*verdict_legend(enum verdict);
/* Parse a name from verdict_name(); -1 when unknown. */
int		 verdict_from_name(const char *);

/*
 * Exit status (DESIGN.md; the table of tcpconform(1), EXIT STATUS, and of
 * the reports' legend); the highest-ranking wins, in the order 2, 1, 3, 4:
 *   2  an error verdict: the tester or its set-up failed, or the run
 *      stopped before every case ran (struct run's stopped);
 *   1  a fail or an xpass;
 *   3  with RESULT_STRICT only: a warn (a SHOULD not met), flaky or
 *      inconclusive;
 *   4  with RESULT_COMPLETE only: a case that gave no verdict on the
 *      target (not applicable, inconclusive, skipped);
 *   0  everything else: pass, xfail, info, not-applicable, skip.
 * The values are EXIT_* below; flags is RESULT_* (--strict, --complete).
 */
#define EXIT_PASS	0	/* every case passed (or xfail, info, n/a) */
#define EXIT_MUSTFAIL	1	/* a MUST failed, or an xpass */
#define EXIT_SETUP	2	/* usage error, or the tester's set-up failed */
#define EXIT_SHOULD	3	/* only SHOULDs failed and --strict was given */
#define EXIT_INCOMPLETE	4	/* --complete: not every case gave a verdict */
#define RESULT_STRICT	0x1	/* --strict */
#define RESULT_COMPLETE	0x2	/* --complete */
int		 verdict_exit_status(enum verdict, int flags);

/*
 * What a CI system is told of a verdict (the JUnit and TAP columns of the
 * table above), so that its page agrees with the exit status: a status of
 * 2 is an error, 1 and 3 a failure (with RESULT_STRICT: warn, flaky and
 * inconclusive fail as the status 3 says); of the rest, pass, info, warn
 * and flaky are passed tests and xfail, not-applicable, skipped and
 * inconclusive skipped ones.  RESULT_COMPLETE changes the exit status
 * only.  JUnit and TAP both follow it (report_junit.c, report_tap.c).
 */
enum ci_outcome {
	CI_PASS,		/* JUnit: no element; TAP: ok */
	CI_SKIP,		/* JUnit: <skipped>; TAP: ok # SKIP
				   (xfail: not ok # TODO) */
	CI_FAIL,		/* JUnit: <failure>; TAP: not ok */
	CI_ERROR		/* JUnit: <error>; TAP: not ok */
};
enum ci_outcome	 verdict_ci(enum verdict, int flags);
/* "passed", "<skipped>", "<failure>", "<error>": for the legend. */
const char	*verdict_junit_text(enum verdict, int flags);
/* "ok", "ok # SKIP", "not ok # TODO", "not ok": for the legend. */
const char	*verdict_tap_text(enum verdict, int flags);

/* Keyword of a requirement, from its "MUST"/"SHOULD"/"MAY" string. */
enum req_level {
	REQ_OTHER,
	REQ_MUST,
	REQ_SHOULD,
	REQ_MAY
};
enum req_level	 req_level(const char *keyword);

/*
 * A requirement a case checks, as the runner was given it by the case file
 * and the catalogue: id "MUST-10" (or "RFC5961-3.2", ...), section
 * "RFC 9293 3.5", keyword "MUST"/"SHOULD"/"MAY", text a short paraphrase.
 * Any field may be NULL.
 */
struct req_ref {
	char		*id;
	char		*section;
	char		*keyword;
	char		*text;
};

/* TCP flags of a segment record; the same bits as SEG_* in segment.h. */
#define SEGF_FIN	0x001
#define SEGF_SYN	0x002
#define SEGF_RST	0x004
#define SEGF_PSH	0x008
#define SEGF_ACK	0x010
#define SEGF_URG	0x020
#define SEGF_ECE	0x040
#define SEGF_CWR	0x080
#define SEGF_AE		0x100

/* At most this many payload bytes are kept per segment (and shown). */
#define RESULT_PAYLOAD_MAX	64

enum seg_dir {
	SEGDIR_TO_TARGET,	/* the peer (tester) sent it: "<" in a case */
	SEGDIR_FROM_TARGET	/* the target sent it: ">" in a case */
};

enum seg_kind {
	SEGK_OBSERVED,		/* on the wire (sent, or captured) */
	SEGK_MISSING,		/* expected by the case, never seen */
	SEGK_UNEXPECTED		/* seen, but no expectation allowed it */
};

/*
 * One segment of a case, observed or expected.  For SEGK_MISSING the fields
 * hold what was expected and t_us when it was due.  Sequence numbers are
 * given twice: relative to the sender's ISN (as the case writes them) and as
 * on the wire.  The ack fields mean something only when SEGF_ACK is set.
 */
struct seg_rec {
	int64_t		 t_us;		/* µs since the case started */
	enum seg_dir	 dir;
	enum seg_kind	 kind;
	unsigned	 flags;		/* SEGF_* */
	uint32_t	 seq_rel;
	uint32_t	 ack_rel;
	uint32_t	 seq_abs;
	uint32_t	 ack_abs;
	uint32_t	 len;		/* payload length on the wire */
	uint32_t	 win;		/* window field as sent, unscaled */
	char		*options;	/* "mss 1460,sackOK,wscale 7", NULL */
	uint8_t		*payload;	/* the first payload bytes, untrusted */
	size_t		 payload_len;	/* <= RESULT_PAYLOAD_MAX and <= len */
	char		*expect;	/* the case line it matched, or NULL */
	char		*expect_file;	/* where that line is, or NULL */
	int		 expect_line;	/* 0 when unknown */
};

/* One field where the first diverging segment differs from the case. */
struct field_diff {
	char		*field;		/* "ack", "flags", "win", ... */
	char		*expected;
	char		*observed;
};

/* A value an info case measured (TIME-WAIT length, initial window, ...). */
struct measurement {
	char		*name;
	double		 value;
	char		*unit;		/* "ms", "bytes", "segments", or NULL */
};

/* One run of a case (--repeat N, or a retry after an inconclusive run). */
struct attempt {
	enum verdict	 verdict;
	int64_t		 duration_us;
	char		*reason;
};

struct case_result {
	char		*id;		/* "handshake/passive-open-numbering" */
	char		*title;
	char		*topic;		/* NULL: the id up to its '/' */
	char		*file;		/* the case file, for the re-run line */
	char		*about;		/* the case's own comment on the rule
					   it checks, or NULL */
	int		 line;		/* the line of file the verdict rests
					   on (the statement that failed), 0 */
	char		**tags;
	size_t		 ntags;
	struct req_ref	*reqs;
	size_t		 nreqs;

	enum verdict	 verdict;
	char		*reason;	/* one line: why this verdict */
	/*
	 * A case that tests an optional mechanism (case "claim"): its name,
	 * and "implemented" (pass), "absent" (the mechanism's first
	 * expected segment did not come) or "half-done" (it came, a later
	 * one did not).  NULL for other cases or when it could not run.
	 */
	char		*claim;
	char		*claim_status;

	/* The first divergence: an index into segs (-1: none), its fields. */
	long		 mismatch_seg;
	struct field_diff *diffs;
	size_t		 ndiffs;

	struct measurement *meas;
	size_t		 nmeas;
	struct attempt	*attempts;	/* empty: one attempt, this verdict */
	size_t		 nattempts;

	int64_t		 duration_us;
	char		*pcap;		/* relative to results.json */
	struct seg_rec	**segs;		/* in time order */
	size_t		 nsegs;
};

enum target_mode {
	TARGET_LOOPBACK,	/* the tester's host, over lo */
	TARGET_HOST,		/* host-address mode (raw IP socket) */
	TARGET_PHANTOM,		/* phantom-address mode (link layer) */
	TARGET_SELF		/* tcpconform serve: the peer as a target */
};
const char	*target_mode_name(enum target_mode);
int		 target_mode_from_name(const char *);

/* A name=value: an option the run was given (--repeat 3, -j 4, ...), or a
 * word of a target's identity (os=Linux). */
struct run_option {
	char		*name;
	char		*value;
};

struct target {
	char		*name;		/* "linux", "fault:fin-no-seq", ... */
	char		*address;	/* "127.0.0.1", "2001:db8::2" */
	int		 family;	/* 4 or 6 */
	int		 port;		/* 0 when cases choose their ports */
	enum target_mode mode;
	char		*kind;		/* "linux", "freebsd", "lwip", ... */
	struct run_option *identity;	/* what the target said it is: the
					 * agent's INFO (os, release, the
					 * settings that change verdicts) */
	size_t		 nidentity;
	int64_t		 rtt_us;	/* path RTT measured; -1 not measured */
	int64_t		 jitter_us;	/* its jitter; -1 not measured */
	uint64_t	 cap_received;	/* capture statistics of the run */
	uint64_t	 cap_dropped;
	int64_t		 started_us;	/* Unix time in µs; 0 unknown */
	int64_t		 ended_us;

	/* Not in results.json: set by the loader, used by the HTML writer. */
	char		*pcap_dir;	/* pcap paths relative to this folder as
					   seen from the report; NULL: "." */

	struct case_result **cases;
	size_t		 ncases;
};

struct run {
	char		*tester_version;
	char		*command_line;
	int64_t		 started_us;	/* Unix time in µs */
	int64_t		 ended_us;
	int		 strict;	/* --strict: SHOULD failures count */
	int		 complete;	/* --complete: every case must run */
	char		*stopped;	/* why the run stopped before every
					 * case ran (an interrupt, the network
					 * failed), or NULL */
	struct run_option *options;
	size_t		 noptions;
	struct req_ref	*known_reqs;	/* the catalogue, for "not covered" */
	size_t		 nknown;
	struct target	**targets;
	size_t		 ntargets;
};

struct run	*result_run_new(void);
void		 result_run_free(struct run *);

struct target	*result_target_add(struct run *);
struct case_result *result_case_add(struct target *);
struct seg_rec	*result_seg_add(struct case_result *);

/* Free *dst and store a copy of src (NULL allowed). */
void		 result_set(char **dst, const char *src);
/* Copy min(len, RESULT_PAYLOAD_MAX) bytes; s->len is not touched. */
void		 result_seg_payload(struct seg_rec *, const uint8_t *, size_t);

void		 result_target_identity_add(struct target *, const char *name,
		    const char *value);
void		 result_option_add(struct run *, const char *name,
		    const char *value);
void		 result_known_req_add(struct run *, const char *id,
		    const char *section, const char *keyword, const char *text);
void		 result_req_add(struct case_result *, const char *id,
		    const char *section, const char *keyword, const char *text);
void		 result_tag_add(struct case_result *, const char *tag);
void		 result_diff_add(struct case_result *, const char *field,
		    const char *expected, const char *observed);
void		 result_meas_add(struct case_result *, const char *name,
		    double value, const char *unit);
void		 result_attempt_add(struct case_result *, enum verdict,
		    int64_t duration_us, const char *reason);

/*
 * Move every target of src to the end of dst's list and merge src's
 * catalogue into dst's (by id); src is left empty, free it as usual.
 * "tcpconform report a.json b.json" builds its matrix this way.
 */
void		 result_run_merge(struct run *dst, struct run *src);

/*
 * The one text form of a mismatch, written to buf (at most cap bytes, always
 * NUL-terminated): "ack: expected 1001, observed 1000".
 */
char		*result_diff_str(const struct field_diff *, char *buf,
		    size_t cap);

/* packetdrill's flag letters: "S", "S.", "F.", "R.", "P.", "." (ACK only). */
char		*result_flags_str(unsigned flags, char *buf, size_t cap);

/* The topic of a case: c->topic, else the id up to its first '/'. */
size_t		 result_case_topic(const struct case_result *, const char **);

/* Share of attempts that did not pass (0 with no attempts recorded). */
double		 result_flake_rate(const struct case_result *);

/*
 * Claims (optional mechanisms, case "claim"): the i-th distinct claim
 * named by t's cases (NULL past the last), and its status over them:
 * "implemented" when each of its cases found it, "absent" when none did,
 * "half-done" otherwise; NULL when no case of it could tell.
 */
const char	*result_claim_name(const struct target *t, size_t i);
const char	*result_claim_status(const struct target *t, const char *claim);

/*
 * How a deviation's severity is read from the RFC text (the legend of
 * every report, and tcpconform-case(5)).
 */
extern const char result_severity_rule[];

/* Counts per verdict over one target, or over the whole run. */
void		 result_count_target(const struct target *,
		    size_t counts[VERDICT_N]);
void		 result_count_run(const struct run *, size_t counts[VERDICT_N]);

/*
 * The exit status of a run: the highest verdict_exit_status() of its cases
 * under flags, and 2 when the run stopped (r->stopped).
 */
int		 result_exit_status(const struct run *, int flags);
/* The RESULT_* flags a run was given (its strict and complete). */
int		 result_flags(const struct run *);

/*
 * What a run covered, for the first line of the summary and the report's
 * banner: results (a case on a target) in all, those that gave a verdict
 * on the target (not not-applicable, skipped or error), why the others did
 * not (by the reason's kind), and the requirement IDs checked by results
 * that ran, and by none that ran.
 */
enum cover_why {
	COVER_INTRUSIVE,	/* intrusive, remote, no --intrusive */
	COVER_AGENT,		/* needs the agent */
	COVER_PORT,		/* needs an open port */
	COVER_SERVICE,		/* needs a service (HTTP, echo, ...) */
	COVER_FAMILY,		/* for the other address family */
	COVER_LINK,		/* needs the tester on the target's link */
	COVER_BASELINE,		/* the baseline says it cannot show */
	COVER_NOTRUN,		/* not run (stopped, excluded) */
	COVER_ERROR,		/* the tester failed */
	COVER_OTHER,
	COVER_N
};
struct cover {
	size_t		 total;
	size_t		 ran;
	size_t		 why[COVER_N];
	size_t		 reqs_ran;	/* requirement IDs some result checked */
	size_t		 reqs_not;	/* only in results that did not run */
};
void		 result_cover(const struct run *, struct cover *);
/* "8 of 29 cases ran; 21 need the agent"; returns buf. */
char		*result_cover_str(const struct cover *, char *, size_t);

#endif /* TCPCONFORM_RESULT_H */
