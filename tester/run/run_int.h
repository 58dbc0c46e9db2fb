/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_int.h: the runner's insides, shared by its files (run_*.c) and its
 * unit tests: the network and agent back ends it is driven through, the
 * event loop's state, one executing case and its connections, matching,
 * timing windows, verdicts and baselines.
 *
 * The runner never calls the wire or the agent client directly: it talks to
 * a struct run_net and a struct run_agent_ops.  run_net.c and run_agent.c
 * bind them to wire.h and agent_client.h; the unit tests bind them to an
 * in-process target (a second peer stack) on a fake clock.
 */
#ifndef TCPCONFORM_RUN_INT_H
#define TCPCONFORM_RUN_INT_H

#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "agent_client.h"
#include "case.h"
#include "check.h"
#include "result.h"
#include "run.h"
#include "segment.h"
#include "tcp.h"

/* Waits and tolerances, microseconds (tcpconform(1), HOW CASES RUN). */
#define RUN_WAIT_STMT_US	5000000	/* wait, read, agent: no timeout */
#define RUN_PROBES		10	/* RTT probes (SYN -> SYN-ACK) */
#define RUN_AGENT_TIMEOUT_MS	3000	/* control connection and slack */
#define RUN_AGENT_POLL_US	1000	/* a control connection under way
					 * is looked at this often */
#define RUN_AGENT_BUSY_US	10000000	/* wait for a free control slot */
#define RUN_AGENT_GONE_US	20000	/* a failure waits for the agent's end
					 * (rcase_settle()) */
#define RUN_AGENT_SLOW_US	50000	/* an answer later than this (and two
					 * RTTs): the request took a while to
					 * reach the agent */
#define RUN_SANITY_TRIES	3	/* the set-up check, on a lossy path */
#define RUN_WAITS		16	/* rate-limit waits a case keeps */
#define RUN_POLL_FDS		1024	/* fds one wait polls: agent connections
					 * of both families (-j 256 each) and
					 * the captures */

/*
 * The network as the runner sees it.  Times are on the run clock:
 * microseconds that never go back (the wire back end: CLOCK_REALTIME, the
 * capture's clock; the tests: a fake clock).
 */
struct run_pkt {
	const uint8_t	*data;		/* an IP datagram */
	size_t		 len;
	uint64_t	 t;		/* capture time */
	int		 from_host;	/* the host kernel, not the peer, sent
					 * it from the peer's address/port */
	uint16_t	 gso_size;	/* an offload aggregate of segments of
					 * this size (0: one segment) */
};

struct run_net_ops {
	uint64_t (*now)(void *arg);
	int	 (*send)(void *arg, const uint8_t *dgram, size_t len,
		    char **err);
	/* Block until deadline, a datagram, or one of fds is readable. */
	int	 (*wait)(void *arg, uint64_t deadline, struct pollfd *fds,
		    int nfds, char **err);
	/* 1 with *pkt, 0 when nothing is pending, -1 on error. */
	int	 (*recv)(void *arg, struct run_pkt *pkt, char **err);
	/* Datagrams captured and lost by the capture so far. */
	int	 (*stats)(void *arg, uint64_t *received, uint64_t *dropped);
	/*
	 * The capture's fd, so that another runner's wait can poll it too
	 * (runner_loop_many()); NULL when there is none.
	 */
	int	 (*fd)(void *arg);
};

struct run_net {
	const struct run_net_ops *ops;
	void		*arg;
};

/* An agent control connection, one per case (agent_client.h, or a fake). */
struct run_agent_ops {
	void	*(*open)(void *arg, char **err);	/* blocks until ready */
	/* Without blocking: start, then ready() until 1 (0: not yet, -1:
	 * failed; close it either way). */
	void	*(*start)(void *arg, char **err);
	int	 (*ready)(void *conn, char **err);
	void	 (*close)(void *conn);
	int	 (*send)(void *conn, const char *line, char **err);
	int	 (*fd)(void *conn);		/* -1: none to poll */
	int	 (*recv)(void *conn, struct agent_reply *, char **err);
};

#define RUN_RESENDS	3	/* times a '<' line is sent again */
#define RUN_RESEND_WAIT_US 500000 /* and no sooner after the copy before
				 * (plus the path's RTT): an answer may be a
				 * delayed ACK, "less than 0.5 seconds" */
#define RUN_RETRY_GAP_US 500000	/* off loopback, between attempts */
#define RUN_SYNACK_ECHO_US 100000 /* a SYN-ACK again sooner: no timer's */
#define RUN_OURS_MAX	64	/* data segments of ours a connection keeps
				 * for ours_drawn() */

/* A segment the target sent, kept until the case ends. */
struct rseg {
	struct seg	 seg;
	uint8_t		*data;		/* seg.data points here */
	uint64_t	 t;
	long		 rec;		/* index in the attempt's segs */
	int		 used;		/* the '>' line that took it (its line
					 * number, INT_MAX unknown), 0 none */
	int		 dup;		/* a copy of an earlier one (the path
					 * duplicated it): no line judges it */
	int		 answer;	/* a SYN-ACK or bare ACK that acknowledged
					 * all we had sent */
	int		 echo;		/* such a one again at once: it seems to
					 * answer a copy of ours */
	int		 drawn;		/* an ACK that, by the SACK blocks, our
					 * segments drew out of order or twice
					 * (ours_drawn()) */
	uint32_t	 data_end;	/* the connection's data_end with
					   this segment's bytes */
	struct rseg	*next;
};

struct rcase;

/* One connection of a case ("@name"; index 0 is the default one). */
struct rconn {
	struct rcase	*rc;
	int		 idx;
	struct tcp_tuple tuple;		/* laddr/lport: the peer */
	struct tcb	*tcb;		/* the connection, once it exists */
	struct tcb	*listener;	/* "listen": the peer's listener */
	int		 rport_set;	/* the target's port is known */

	struct check_conn obs;		/* check/'s record of it: ISNs,
					 * sequence space, windows, options */
	uint32_t	 last_snd_max;	/* for "set isn +N" */

	/* Switches ("set"), applied to every TCB of the connection. */
	int		 no_auto_ack;
	int		 nagle;		/* "set nagle on" */
	int		 no_retransmit;
	int		 no_resend;	/* "set resend off" */
	int		 syn_no_open;	/* "set syn-opens off" */
	uint16_t	 mss;
	int		 window_set;
	uint32_t	 window;	/* bytes */
	int		 isn_set;
	int		 isn_rel;	/* "set isn +N": -1, 0, +1 */
	uint32_t	 isn;
	int		 nsynopts;	/* -1: none set */
	struct seg_opt	 synopts[SEG_OPT_MAX];
	int		 auto_read;
	int		 auto_fin;
	int		 match_any;
	int		 fin_done;	/* auto-fin closed already */
	int		 opened;	/* connect, listen or a '<' SYN was run */
	uint64_t	 st_time[TCPS_N]; /* when each state was last entered */
	uint64_t	 sent_total;	/* bytes "send" queued, for the filler */

	/* What the peer's application received and has claimed ("read"). */
	uint64_t	 rcvd;		/* in-order bytes delivered */
	uint64_t	 autoread;	/* auto-read, not yet claimed */
	int		 eof;		/* the target's FIN reached the app */
	int		 closed;	/* the TCB is gone */
	enum tcp_reason	 close_reason;

	/*
	 * A '<' SYN or SYN-ACK line that wrote "TS val V": the peer's later
	 * timestamps continue from V (V + milliseconds since), not from its
	 * TCB's own clock, so that the target's PAWS check keeps passing.
	 */
	int		 ts_map;
	uint32_t	 ts_base;
	uint64_t	 ts_t0;

	/* Scripted handshake: the case writes the peer's SYN-ACK itself. */
	int		 script_synack;
	int		 synack_sent;
	const struct case_seg *syn_line; /* '<' S line that opened it */

	uint32_t	 ts_max;	/* the target's highest TSval */
	int		 ts_seen;
	uint32_t	 seq_hi;	/* its highest sequence number sent */
	int		 seq_seen;
	uint32_t	 ack_hi;	/* the highest ACK we sent it */
	int		 ack_seen;
	uint32_t	 our_end;	/* the end of our highest SYN, data or
					 * FIN sent */
	int		 our_seen;
	int		 our_fin;	/* we sent a FIN, */
	uint32_t	 our_fin_end;	/* its sequence number + 1 */
	uint64_t	 our_t;		/* when we last sent any segment */
	uint32_t	 their_ack;	/* the highest ACK the target sent */
	int		 their_ack_seen;
	/* Our data segments as sent, in order (ours_drawn()), and whether
	 * each was new data: none of its bytes sent before, none below the
	 * target's highest ACK then. */
	struct seg_sack	 ours[RUN_OURS_MAX];
	uint8_t		 ours_fresh[RUN_OURS_MAX];
	int		 nours;
	int		 hole_set;	/* the target reported a hole in data
					 * we had sent in order, from */
	uint32_t	 hole_left;	/* here */
	struct rseg	*segs;		/* from the target, arrival order */
	struct rseg	**segs_tail;

	int		 ag_listen;	/* agent handles, 0 = none */
	int		 ag_sock;
	uint32_t	 ag_rcvbuf;	/* "agent rcvbuf" before a socket */
};

/* Blocking statement kinds (rcase.wait_for). */
enum rwait {
	RW_NONE,
	RW_DUE,		/* the statement's time */
	RW_SEG,		/* a '>' line's segment */
	RW_NEG,		/* a negated line's window */
	RW_STATE,	/* wait STATE / connect timeout */
	RW_RECV,	/* wait received / read */
	RW_AGENT,	/* an agent reply */
	RW_MEASURE,	/* a measurement in progress */
	RW_SEND,	/* bytes the send buffer has not taken yet */
	RW_SLEEP,
};

/* rcase.pre: what happens before the first statement. */
#define RC_PRE_LISTEN	1	/* the agent opens an any-port listener */
#define RC_PRE_AGENT	2	/* waiting for a control connection */
#define RC_PRE_GAP	4	/* a retry waiting for its time */

/* What running a statement did (run_stmt.c). */
#define RS_DONE		0	/* go on with the next statement */
#define RS_BLOCK	1	/* wait; rcase.wake says until when */
#define RS_END		2	/* the attempt is over (rcase_end) */

struct runner;

/* One attempt of one case. */
struct rcase {
	struct runner	*rn;
	const struct run_case *rcs;
	const struct case_prog *prog;
	struct case_result *res;	/* this attempt's record */
	struct wire_dump *dump;		/* pcap of this attempt, or NULL */
	char		*pcap_path;
	int		 attempt;
	uint64_t	 not_before;	/* a retry: start no sooner */
	const char	*na_why;	/* the baseline says this kind of
					 * target cannot show the case */

	uint64_t	 t0;		/* when the case started */
	uint64_t	 tprev;		/* the previous event, for "+T" */
	uint64_t	 tmatch[2];	/* the segments the last two '>' lines
					 * matched, latest first ("gap") */
	uint64_t	 act_prev;	/* when the previous statement acted */
	uint64_t	 act_cur;	/* when this one did */
	uint64_t	 scope;		/* '>' lines look at segments since */
	uint64_t	 wake;		/* step again at this time (0: at once) */
	int		 pc;
	int		 begun;		/* stmts[pc] has been started */
	int		 acted;		/* stmts[pc] passed its due time */
	enum rwait	 wait_for;
	uint64_t	 deadline;	/* of the blocking statement */
	struct run_win	 win;
	int		 dirty;		/* something happened: step again */
	int		 done;
	uint64_t	 gone_by;	/* done, a failure: waits until then for
					 * the agent's end (0: no wait) */

	int		 nconns;
	struct rconn	 conns[CASE_CONN_MAX];

	void		*agent;		/* control connection, or NULL */
	int		 ag_busy;
	int		 ag_have;
	struct agent_reply ag_reply;
	uint64_t	 ag_t;		/* when the reply came */
	uint64_t	 ag_sent;	/* when the request left */
	int		 anyport_handle; /* agent listener for any-port */

	/* A "send" or "http" whose bytes the send buffer has not all taken. */
	const uint8_t	*send_bytes;	/* NULL: the filler */
	uint32_t	 send_len;
	uint32_t	 send_done;
	/* A '>' line in "match any": the closest segment seen so far. */
	struct check_best best;
	const struct case_stmt *sending; /* the '<' line being sent */
	int		 pre;		/* before the first statement: RC_PRE_* */

	struct rmeasure	*meas;		/* a measurement in progress */
	uint64_t	 serial;	/* unique in its runner */
	/* The last '<' line's datagram, sent again if it draws no answer. */
	uint8_t		*rs_dgram;
	size_t		 rs_len;
	int		 rs_pc;		/* that line's index */
	int		 rst_out;	/* a '<' line sent an RST: nothing
					 * answers one, so its loss shows
					 * only in what the target does next */
	int		 rst_syn;	/* a '<' line sent a SYN with RST, */
	uint32_t	 rst_syn_ack;	/* which an ACK of this acknowledges */
	struct seg	 rs_seg;	/* rs_dgram decoded (its data points
					 * into rs_dgram), when rs_ok */
	int		 rs_ok;
	int		 resends;
	/*
	 * The last statement that acted later than its time by more than
	 * the timing tolerance (the tester's host was busy): its time and
	 * when it acted.  A segment of the target's that came between
	 * the two came before what the case meant it to answer or follow
	 * (RUN_TR_LATE, late_seen); a resend by the target's timer right
	 * after it would have come after it by the lateness more
	 * (late_resend()).
	 */
	uint64_t	 late_due;
	uint64_t	 late_act;
	int		 late_seen;
	/* The timed statement that acted last (its index), its time,
	 * and whether its first datagram has left. */
	int		 due_pc;
	uint64_t	 due_t;
	int		 due_sent;
	uint64_t	 win_base;	/* the tprev rc->win was made from */
	uint64_t	 win_lo0;	/* rc->win.lo before any resend */
	uint64_t	 tr_t[RUN_TR_N]; /* when each RUN_TR_* last happened */
	int		 nqueued;	/* its datagrams behind the rate limit */
	uint64_t	 tprev_tq;	/* rcase_sent() moved tprev from here */
	uint64_t	 tprev_ts;	/* to here */
	struct rwaited {
		uint64_t tq;		/* queued */
		uint64_t t;		/* left */
	}		 waits[RUN_WAITS];	/* the last datagrams that
					 * waited for the rate limit */
	int		 nwaits;
	struct check_att fnd;		/* what the checks found (rcase_record) */
	unsigned	 pv_fired;	/* passive checks that fired (1 << PV_*) */
	uint64_t	 cap_drop0;	/* capture losses when it started */
};

/* A running measurement (run_probe.c). */
struct rmeasure;

/* A probe connection: a bare SYN from its own port (RTT, ISN spacing). */
struct rprobe {
	uint16_t	 port;
	uint64_t	 sent;
	uint64_t	 answered;	/* 0: no SYN-ACK yet */
	uint32_t	 isn;		/* the target's ISN */
	uint32_t	 seq;		/* our SYN's */
	int		 strict;	/* only an answer that acks seq + 1 */
	int		 rst;		/* answered with RST */
};

/* What "run" works against, for one address family. */
struct run_target {
	int		 family;
	uint8_t		 peer[16];	/* the peer's address */
	uint8_t		 addr[16];	/* the target's address */
	uint16_t	 port;		/* any-port cases: --port, else a
					   service's port; 0 none */
	uint16_t	 svc_port[RUN_SVC_N]; /* each service's port; 0 none */
	int		 has_agent;
	int		 same_link;
	int		 loopback;
};

struct runner {
	const struct run_opts *opts;
	struct run_target tgt;
	struct run_net	 net;
	const struct run_agent_ops *agops;
	void		*agarg;
	struct tcp_stack *stack;
	struct seg_encoder *enc;
	uint64_t	 now;

	uint16_t	 port_lo;
	uint16_t	 port_hi;
	uint16_t	 port_next;
	struct rconn	**port_conn;	/* [port - port_lo] */
	uint16_t	*port_tcbs;	/* live TCBs per port */
	struct rprobe	**port_probe;	/* [port - port_lo] */
	uint64_t	*port_free;	/* reusable from this time on */

	struct rcase	**active;
	int		 nactive;
	int		 jobs;

	struct run_path	 path;
	struct run_tol	 tol;
	int		 noisy;

	/* Rate limit (remote targets): a token bucket of datagrams. */
	double		 rate;
	double		 tokens;
	uint64_t	 tokens_t;
	struct rqueued	*outq;
	struct rqueued	**outq_tail;
	uint64_t	 serial_next;	/* of the next rcase */
	uint64_t	 outq_max_us;	/* longest wait in the queue (-vv) */

	char		*fatal;		/* the net failed: stop the run */
	volatile int	*stop;		/* set (by a signal): stop the run */
	uint64_t	 host_rsts;	/* from_host datagrams seen */
	int		 quiet_rst;	/* drop the next output: an automatic
					 * RST on a connection never opened */
	int		 dup_in;	/* the segment being input is a copy the
					 * path made, or comes to a port whose
					 * case ended: never answer it with RST */
	int		 ttl;		/* the target's TTL (hop limit) as it
					 * reaches us, from its first segment;
					 * -1 not seen yet */
	uint64_t	 lossy;		/* signs that the path loses, copies or
					 * reorders (RUN_TR_IMPAIRED, lost RTT
					 * probes) */
	FILE		*log;		/* -v: a line per segment, or NULL */
};

/*
 * A datagram of the peer waiting behind the rate limit.  It is recorded in
 * its case (and pcap) when it leaves, not when it was queued: rc and serial
 * say whose it is (the case may have ended meanwhile), line which '<' line
 * sent it, tq when it was queued.
 */
struct rqueued {
	uint8_t		*dgram;
	size_t		 len;
	struct rcase	*rc;		/* NULL: no case, or it is gone */
	uint64_t	 serial;
	const struct case_stmt *line;
	uint64_t	 tq;
	struct rqueued	*next;
};

/* run_loop.c: the runner and its event loop. */
struct run_sched {
	struct rcase	*(*next)(void *arg, struct runner *);
	void		 (*done)(void *arg, struct rcase *);
	/* Each turn of the loop (at least once a second), or NULL. */
	void		 (*tick)(void *arg, struct runner *);
	void		*arg;
};

int	runner_init(struct runner *, const struct run_opts *,
	    const struct run_target *, const struct run_net *,
	    const struct run_agent_ops *, void *agarg,
	    const struct tcp_config *, char **err);
void	runner_free(struct runner *);
uint64_t runner_now(struct runner *);
void	runner_sync(struct runner *);
int	runner_poll(struct runner *, uint64_t deadline);
void	runner_input(struct runner *, const struct run_pkt *);
int	runner_port_alloc(struct runner *, uint16_t *);
uint64_t runner_out_next(const struct runner *);
void	runner_forget(struct runner *, struct rcase *);
void	runner_resend(struct runner *, struct rcase *,
	    const struct case_stmt *, const uint8_t *, size_t);
void	runner_port_bind(struct runner *, uint16_t, struct rconn *);
void	runner_port_probe(struct runner *, uint16_t, struct rprobe *);
int	runner_loop(struct runner *, const struct run_sched *);
int	runner_loop_many(struct runner **, const struct run_sched **, int n);

/* run_sched.c: the cases of one family against one runner. */
struct jcase {
	const struct run_case *rcs;
	struct case_result *cr;		/* its entry in the results */
	enum verdict	*reps;		/* verdict of each --repeat run */
	int		 rep;
	struct run_att	 att[RUN_ATT_CAP];	/* attempts of this run */
	int		 natt;
	struct case_result **tries;	/* every attempt, in the scratch run */
	size_t		 ntries;
	char		*why;		/* why retries disagreed */
	char		*slug;		/* its pcap's name (report_slugs()) */
	uint64_t	 since;		/* when its current attempt started */
	uint64_t	 retry_at;	/* a retry starts no sooner */
	int		 running;
	int		 finished;
};

struct run_batch {
	const struct run_opts *o;
	const struct run_caselist *cl;
	struct target	*t;		/* the results of this family */
	struct run	*scratch;	/* attempts, until their case is final */
	struct target	*st;
	struct jcase	*jc;
	size_t		*order;		/* jc's indices, in the order they start */
	size_t		 n;
	size_t		 nfinished;
	size_t		 counts[VERDICT_N];
	const struct run_expect *expect;
	const char	*outdir;	/* NULL: no pcaps */
	const char	*famtag;	/* "v4", "v6" */
	int		 family;
	int		 progress;	/* the progress line on stderr */
	int		 dumb;		/* TERM=dumb: no escape sequence */
	int		 color;
	uint64_t	 t0;		/* when its cases started */
	uint64_t	 drawn;		/* when the progress line was drawn */
	size_t		 drawn_len;	/* and how long it was */
	FILE		*out;		/* a line per case (-v), or NULL */
	FILE		*log;
	const struct run_batch *sib;	/* the other family's batch, running
					 * at the same time: one progress line
					 * counts both */
	uint64_t	 ended;		/* when its last case finished, 0 */
};

void	run_batch_init(struct run_batch *, const struct run_opts *,
	    const struct run_caselist *, struct target *, int family);
int	run_batch_run(struct run_batch *, struct runner *);
int	run_batch_run_many(struct run_batch **, struct runner **, int n);
void	run_batch_free(struct run_batch *);
const char *run_verdict_color(enum verdict);
int	run_needs_look(enum verdict);
void	run_where(FILE *, const struct case_result *);
const char *run_reason(const struct case_result *);
void	run_about(FILE *, const char *);

/* run_exec.c: the statement interpreter. */
struct rcase *rcase_new(struct runner *, const struct run_case *,
	    struct case_result *, int attempt);
void	rcase_free(struct rcase *);
int	rcase_start(struct rcase *);
void	rcase_step(struct rcase *);
void	rcase_seg_in(struct rconn *, const struct seg *, uint64_t t,
	    const uint8_t *dgram, size_t len);
void	rcase_seg_out(struct rconn *, const struct seg *, uint64_t t,
	    const uint8_t *dgram, size_t len);
void	rcase_sent(struct rcase *, const struct case_stmt *, uint64_t tq,
	    uint64_t t, const uint8_t *dgram, size_t len);
uint64_t rcase_wait_adj(const struct rcase *, uint64_t upto);
void	rcase_keep_line(struct rcase *, const uint8_t *, size_t);
void	rcase_trouble(struct rcase *, unsigned);
void	rcase_late(struct rcase *, uint64_t act);
void	rcase_event(struct rconn *, const struct tcp_event *);
void	rcase_record(struct rcase *, struct finding *);
void	rcase_end(struct rcase *);
int	rcase_settle(struct rcase *);
void	rcase_finish(struct rcase *, enum find_kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	rcase_host_rst(struct rcase *);
void	rcase_measured(struct rcase *);
int	rcase_found(const struct rcase *, enum find_kind);
const struct finding *rcase_decided(const struct rcase *);
void	rcase_agent_poll(struct rcase *);
int	rcase_agent_open(struct rcase *);
void	run_target_services(const struct run_opts *, struct run_target *);
uint16_t run_target_port(const struct run_target *, unsigned needs);
int	rcase_needs_met(const struct runner *, const struct case_prog *,
	    char *why, size_t cap);
long	rcase_rec(struct rcase *, struct rconn *, int dir, const struct seg *,
	    uint64_t t);
void	rcase_rec_line(struct rcase *, long, const struct case_stmt *);
void	rconn_bases(const struct rconn *, int dir, struct run_bases *);

/* run_stmt.c: the statements, packet lines; run_direct.c: directives. */
int	rstmt_run(struct rcase *, const struct case_stmt *);
int	rcase_block(struct rcase *, enum rwait, uint64_t wake);
struct rconn *rcase_conn(struct rcase *, const struct case_stmt *);
int	rconn_open(struct rcase *, struct rconn *, const struct case_stmt *,
	    const struct case_seg *);
void	rconn_forget(struct rconn *);
int	rdir_begin(struct rcase *, const struct case_stmt *);
int	rdir_cont(struct rcase *, const struct case_stmt *);
int	rcase_uses_agent(const struct rcase *);
int	rcase_pre_start(struct rcase *);
int	rcase_pre_step(struct rcase *);
void	rcase_vfail(struct rcase *, const struct case_stmt *, enum find_kind,
	    int sev, const char *, va_list);
void	rcase_fail(struct rcase *, const struct case_stmt *, enum find_kind,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	rcase_fail_sev(struct rcase *, const struct case_stmt *,
	    enum find_kind, enum case_sev, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	rconn_adopt(struct rconn *, struct tcb *);
void	rconn_apply_window(struct rconn *);
void	rconn_recv(struct rconn *);
void	rconn_hooks(struct rconn *, struct tcb *);
void	rconn_ts_start(struct rconn *, const struct case_seg *, uint64_t);
void	rconn_ts_apply(const struct rconn *, struct seg *, uint64_t);
int	rconn_out_filter(struct tcb *, struct seg *, void *);

/* run_agentst.c: agent statements. */
int	ragent_begin(struct rcase *, const struct case_stmt *);
int	ragent_check(struct rcase *, const struct case_stmt *);
int	ragent_request(struct rcase *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* run_probe.c: RTT probes and measurements. */
int	run_measure_path(struct runner *, char **err);
int	rmeasure_start(struct rcase *, struct rconn *,
	    const struct case_measure *, int64_t timeout, char **err);
int	rmeasure_step(struct rcase *);
void	rmeasure_free(struct rmeasure *);
int	rmeasure_input(struct rcase *, struct rconn *, const struct seg *,
	    uint64_t);
void	rprobe_input(struct runner *, struct rprobe *, const struct seg *,
	    uint64_t);

/* run_agent.c: the agent back end over agent_client.h. */
struct run_agent_target {
	char		 host[256];	/* numeric */
	uint16_t	 port;
};
extern const struct run_agent_ops run_agent_client_ops;
int	run_agent_addr(const char *spec, char *host, size_t cap,
	    uint16_t *port);
int	run_agent_identity(const struct run_agent_target *, struct target *,
	    char **err);
void	run_identity_words(struct target *, const char *words);

/* run_net.c: the wire back end (host-address or phantom mode). */
struct run_wire;
int	run_wire_open(const struct run_opts *, struct run_target *,
	    struct run_wire **, struct run_net *, char **err);
void	run_wire_close(struct run_wire *);

/*
 * Privileges, in stages (run_priv.c): RUN_PRIV_USER once the guard exists
 * (become the sudo user, or stay uid 0, keeping only CAP_NET_RAW and
 * CAP_NET_ADMIN), RUN_PRIV_WIRE once every wire is open (CAP_NET_ADMIN
 * alone, for the guard's removal), RUN_PRIV_NONE at the end.  Nothing
 * happens unless the runner started as root.
 */
/* In the output folder while a run has not finished (run_main.c). */
#define RUN_PARTIAL	"PARTIAL"

#define RUN_PRIV_USER	0
#define RUN_PRIV_WIRE	1
#define RUN_PRIV_NONE	2
int	run_priv_drop(int stage, char **err);

#endif /* TCPCONFORM_RUN_INT_H */
