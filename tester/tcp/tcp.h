/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp.h: the peer, a complete userspace TCP (RFC 9293) that plays the other
 * end of every connection with the target, does the routine work itself and
 * lets a case switch any part of that work off or bend it.
 *
 * The peer works on decoded segments (struct seg) and on a clock it is given:
 * it never touches the network and never reads a real clock.  A stack is
 * driven by three calls,
 *
 *	tcp_input(stack, seg, now)	a segment from the target arrived
 *	tcp_timers_run(stack, now)	time passed; tcp_next_timer() says when
 *					the next timer is due, for poll()
 *	tcp_connect/send/close/...	the application acts
 *
 * and answers through two callbacks given at creation: output (a segment to
 * put on the wire, addresses and ports filled in) and event (what happened:
 * every segment in and out with the TCB state before and after, state
 * changes, data to read, the end of a connection).  The peer never hides what
 * the target sent: a segment that is dropped is still reported, with the
 * reason.
 *
 * Events and outputs are queued while the stack works and delivered, in the
 * order they happened, just before the outermost call returns: the report of
 * a segment in always comes before the segments it caused.  Callbacks may call
 * back into the stack (tcp_recv from a TCP_EV_RECV event, tcp_send, ...);
 * what such a call causes is delivered after the event being handled.  A TCB
 * pointer stays valid until the TCP_EV_CLOSED event for it has returned.
 *
 * All sequence numbers are absolute 32-bit values; times are microseconds on
 * the caller's clock.  Variables named as in RFC 9293 3.3.1 (SND.UNA ...) are
 * the TCB's fields snd_una ...; everything in struct tcb may be read at any
 * time, but only the fields marked "settable" may be written.
 */
#ifndef TCPCONFORM_TCP_H
#define TCPCONFORM_TCP_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "segment.h"
#include "tcp_fsm.h"

#define TCP_NO_TIMER	UINT64_MAX	/* tcp_next_timer(): nothing pending */

struct tcb;
struct tcp_stack;

/* A connection's two sockets.  Addresses in network byte order, ports in host
 * order; IPv4 uses the first 4 bytes of an address, the rest stays zero. */
struct tcp_tuple {
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		laddr[16];	/* local: the peer's own address */
	uint8_t		raddr[16];	/* remote: the target's address */
	uint16_t	lport;
	uint16_t	rport;
};

/*
 * Stack-wide settings; tcp_config_default() fills in the defaults given in
 * brackets.  New TCBs copy what applies to them (window, options offered,
 * buffer sizes) into their own fields, where a case may change them.
 */
struct tcp_config {
	uint64_t	msl_us;		/* MSL; TIME-WAIT lasts 2*MSL [120 s] */
	uint64_t	rto_init_us;	/* RFC 6298 (2.1) initial RTO [1 s] */
	uint64_t	rto_min_us;	/* RFC 6298 (2.4) floor [1 s] */
	uint64_t	rto_max_us;	/* RFC 6298 (2.5) cap [60 s] */
	int		max_rexmits;	/* R2: give up after this many RTO
					 * expirations in a row [15] */
	int		syn_rexmits;	/* ... for a SYN or SYN-ACK [7]: with
					 * the 1 s initial RTO and the 60 s
					 * cap, given up at 183 s, beyond
					 * MUST-23's 3 minutes */
	uint64_t	r2_us;		/* R2 in time as well: give up when
					 * the segment at the front went
					 * first this long ago, however many
					 * expiries that took; 0: by count
					 * only [0] */
	uint32_t	mtu;		/* MSS offered = mtu - 40 (IPv4) or
					 * mtu - 60 (IPv6), RFC 9293 3.7.1 [1500] */
	int		wscale;		/* shift offered; -1: no WS option [7] */
	int		sack;		/* offer SACK-permitted [1] */
	int		ts;		/* offer timestamps [1] */
	uint32_t	rcvbuf;		/* receive buffer limit, bytes [256 KiB] */
	uint32_t	sndbuf;		/* send buffer limit, bytes [256 KiB] */
	uint64_t	delack_us;	/* delayed ACK; 0: ACK every segment at
					 * once [0]; must stay below 500 ms
					 * (RFC 9293 MUST-40) */
	uint64_t	keep_idle_us;	/* keep-alive after this idle time;
					 * 0: off (MUST-25) [0] */
	uint64_t	keep_intvl_us;	/* between unanswered probes [75 s] */
	int		keep_count;	/* unanswered probes before giving up [9] */
	int		no_rst;		/* never answer a segment that reaches
					 * no connection with RST [0] */
	int		rst_unread;	/* close() with unread data, or data
					 * arriving after close(), resets the
					 * connection (RFC 1122 4.2.2.13) [1] */
	int		dsack;		/* report data that came twice in a
					 * D-SACK block (RFC 2883) [0] */
	int		syn_rcvd_rst;	/* a new SYN in SYN-RECEIVED (passive)
					 * draws an RST as the connection
					 * returns to LISTEN, as RFC 793 had it
					 * and Linux does; RFC 9293 drops it
					 * silently [0] */
	uint64_t	secret;		/* key of the ISN and timestamp offsets
					 * (RFC 6528 F()); fixed in tests [0] */
};

/*
 * Per-connection hooks: every automatic behaviour a case may switch off or
 * bend.  Settable at any time (tcp_new() copies the defaults from the stack's
 * configuration, and a TCB born from a listener copies its listener's); each
 * takes effect from the next segment concerned.
 */
struct tcp_hooks {
	/* ISS of the next SYN or SYN-ACK, instead of the RFC 6528 generator. */
	int		iss_set;
	uint32_t	iss;

	/* Write this value into the Window field of every segment, as is (not
	 * scaled), instead of the free receive buffer.  The acceptability test
	 * then uses the window so advertised. */
	int		win_set;
	uint16_t	win;

	/* MSS offered in the SYN; 0: from the stack's MTU. */
	uint16_t	mss;
	/* Options offered in the SYN: WS shift (-1: none), SACK-permitted, TS.
	 * Ignored when syn_opts_set (tcp_set_syn_opts()) gives the list. */
	int		wscale;
	int		sack;
	int		ts;

	/* No ACK is sent on its own: received data, FIN, duplicates and
	 * out-of-window segments are not acknowledged until tcp_ack_now(),
	 * tcp_send_raw() or data going out carries the acknowledgment. */
	int		no_auto_ack;
	/* Nothing is retransmitted: no RTO, no fast retransmit; the TCB never
	 * gives up either. */
	int		no_retransmit;
	/* tcp_shutdown() and tcp_close() send no FIN (and change no state)
	 * until tcp_send_fin() is called. */
	int		no_auto_fin;
	/* This connection never sends RST: not for a bad ACK, not on abort. */
	int		no_rst;
	/* The Nagle algorithm (RFC 9293 3.7.4): a short segment waits while
	 * data is in flight.  Off by default (MUST-17 lets the application
	 * switch it off; a tester wants its segments out as it writes them). */
	int		nagle;
	/* TIME-WAIT lasts this long instead of 2*MSL (0: 2*MSL). */
	uint64_t	time_wait_us;
	/* For the fault target: the RTO is not doubled after an expiry (RFC
	 * 6298 (5.5)). */
	int		no_backoff;
	/* For the fault target: the zero-window probes are not backed off
	 * (RFC 9293 3.8.6.1, SHLD-30): each comes one RTO after the last. */
	int		no_persist_backoff;
	/* ACK generation bent for the fault target (0: RFC 5681 4.2).  The
	 * delayed-ACK timer of this TCB instead of the stack's (delack_us),
	 * and TCP_AF_* bits, each an immediate ACK left out or the
	 * out-of-order queue misused. */
	uint64_t	delack_us;
	int		ack_faults;
	/* The initial window in full-sized segments instead of RFC 5681
	 * 3.1's (0: RFC 5681), for the fault target. */
	int		iw_segs;

	/* Called with every segment this TCB is about to send (not raw ones):
	 * it may change any field; return non-zero to drop the segment (no
	 * TCP_EV_SEG_OUT is reported then).  The TCB goes on as if the segment
	 * had been sent unchanged. */
	int		(*out_filter)(struct tcb *, struct seg *, void *arg);
	void		*out_arg;

	/* Private: set with tcp_set_syn_opts(). */
	int		syn_opts_set;
	int		syn_nopts;
	struct seg_opt	*syn_opts;
};

/* tcp_hooks.ack_faults: what RFC 5681 4.2 and RFC 9293 3.10.7.4 ask, left out. */
#define TCP_AF_NO_SECOND 0x01	/* every ACK of in-order data waits for the
				 * timer: none for every second segment */
#define TCP_AF_OOO_DELAY 0x02	/* a segment above a hole is queued but its
				 * duplicate ACK waits for the timer */
#define TCP_AF_FILL_DELAY 0x04	/* the ACK of a segment that fills a hole
				 * waits for the timer */
#define TCP_AF_OOO_DROP	0x08	/* a segment above a hole is acknowledged
				 * (a duplicate ACK) and thrown away */
#define TCP_AF_PIECEWISE 0x10	/* a segment that fills a hole is ACKed
				 * before the held segments are processed */
#define TCP_AF_NO_WINUPD 0x20	/* reading sends no window update: the
				 * data's ACK waits for the timer */

/* Bits of tcb->flags that say how the connection was set up. */
#define TCPF_PASSIVE	0x0001	/* born from a listener (passive OPEN) */
#define TCPF_WS		0x0002	/* window scaling in use (both SYNs had WS) */
#define TCPF_TS		0x0004	/* timestamps in use */
#define TCPF_SACK	0x0008	/* SACK in use */
#define TCPF_SIMOPEN	0x0010	/* a SYN arrived in SYN-SENT */
#define TCPF_RCVD_FIN	0x0020	/* the peer's FIN is in sequence space */
#define TCPF_APPCLOSED	0x0040	/* tcp_close() called: no more reading */
#define TCPF_SHUT_WR	0x0080	/* tcp_shutdown()/tcp_close() called */
/* Bits 0x0100 and up are the stack's private state (tcp_var.h). */

/* A growable byte queue: data is p[off .. off+len). */
struct tcp_buf {
	uint8_t		*p;
	size_t		off;
	size_t		len;
	size_t		cap;
};

/* Counters per connection, for reports and benchmarks. */
struct tcp_stats {
	uint64_t	segs_in;
	uint64_t	segs_out;
	uint64_t	bytes_in;	/* in-order payload delivered */
	uint64_t	bytes_out;	/* payload sent, retransmissions included */
	uint64_t	rexmits;	/* segments retransmitted */
	uint64_t	rto_expiries;
	uint64_t	fast_rexmits;
	uint64_t	ooo_segs;	/* segments queued out of order */
	uint64_t	dropped;	/* segments dropped (not acceptable) */
};

#define TCP_SACKBOARD	8	/* SACKed ranges the sender remembers */
#define TCP_T_N		5	/* timers per TCB (tcp_var.h names them) */

struct tcp_rseg;		/* an out-of-order segment (tcp_reass.c) */

/*
 * The transmission control block.  Read-only for users except `user', the
 * hooks and the two buffer limits.
 */
struct tcb {
	struct tcp_stack *stack;
	struct tcp_tuple tuple;
	enum tcps	state;
	unsigned	flags;		/* TCPF_*, plus private bits */
	void		*user;		/* settable: the application's pointer */
	struct tcp_hooks hooks;		/* settable */
	uint32_t	rcvbuf_max;	/* settable: receive buffer limit */
	uint32_t	sndbuf_max;	/* settable: send buffer limit */

	/* Send sequence variables (RFC 9293 3.3.1).  SND.NXT of the RFC is
	 * snd_max, the highest sequence number sent; snd_nxt is where the
	 * next segment starts, which retransmission moves back. */
	uint32_t	iss;
	uint32_t	snd_una;
	uint32_t	snd_nxt;
	uint32_t	snd_max;
	uint32_t	snd_wnd;	/* in bytes, scaling applied */
	uint32_t	snd_wl1;
	uint32_t	snd_wl2;
	uint32_t	snd_up;
	uint32_t	max_snd_wnd;	/* RFC 5961 MAX.SND.WND */

	/* Receive sequence variables. */
	uint32_t	irs;
	uint32_t	rcv_nxt;
	uint32_t	rcv_adv;	/* RCV.NXT + RCV.WND as last advertised */
	uint32_t	rcv_up;

	/* Options.  t_maxseg is the payload of a full segment without
	 * options: the smaller of the peer's MSS (536 or 1220 when it sent
	 * none, RFC 9293 MUST-15) and ours. */
	uint16_t	mss_offered;	/* MSS option in our SYN (0: none) */
	uint16_t	mss_peer;	/* MSS option in theirs (0: none) */
	uint16_t	t_maxseg;
	uint8_t		snd_scale;	/* shift applied to their window */
	uint8_t		rcv_scale;	/* shift applied to ours */
	uint8_t		req_scale;	/* shift we offered */
	uint32_t	ts_recent;	/* RFC 7323 TS.Recent */
	uint32_t	last_ack_sent;	/* RFC 7323 Last.ACK.sent */
	uint32_t	ts_offset;	/* added to our TSval clock */
	uint64_t	ts_recent_at;	/* when ts_recent was set */

	/* Retransmission timer (RFC 6298), microseconds. */
	uint32_t	srtt;		/* 0: no sample yet */
	uint32_t	rttvar;
	uint32_t	rto;		/* without back-off */
	int		rxtshift;	/* RTO expirations in a row */
	uint64_t	rxt_first;	/* when the segment the first of them
					 * timed out went (r2_us) */
	uint32_t	rtt_seq;	/* segment being timed ends here */
	uint64_t	rtt_start;	/* when it was sent; 0: none timed */

	/* Congestion control (RFC 5681, NewReno RFC 6582 with SACK). */
	uint32_t	cwnd;
	uint32_t	ssthresh;
	uint32_t	recover;	/* SND.NXT when recovery began */
	uint32_t	rexmit_hi;	/* end of the last hole retransmitted */
	uint32_t	rexmit_mark;	/* SND.NXT when SND.UNA was last resent */
	int		dupacks;
	int		pshift;		/* persist back-off */
	int		keep_probes;	/* unanswered keep-alives */
	/* Keep-alive of this connection (tcp_set_keepalive()): the idle
	 * time before the first probe (0: off) and between probes; the
	 * stack's keep_idle_us and keep_intvl_us to start with. */
	uint64_t	keep_idle_us;
	uint64_t	keep_intvl_us;

	/* SACK: ranges the peer reported (sender) and blocks to report,
	 * most recent first (receiver, RFC 2018 section 4). */
	int		nsacked;
	struct seg_sack	sacked[TCP_SACKBOARD];
	int		nsackblk;
	struct seg_sack	sackblk[SEG_SACK_MAX];
	int		dsack_set;	/* the next ACK reports dsack first */
	struct seg_sack	dsack;		/* RFC 2883: data that came twice */

	/* Data.  snd holds what is not yet acknowledged, from the first data
	 * byte not acknowledged; rcv holds what the application has not read
	 * yet; reass holds what arrived out of order.  Buffers grow on demand
	 * and are freed when they empty. */
	struct tcp_buf	snd;
	struct tcp_buf	rcv;
	struct tcp_rseg	*reass;
	uint32_t	reass_bytes;

	/* Timers: absolute times, 0 when off. */
	uint64_t	timer[TCP_T_N];
	uint64_t	rcvtime;	/* last segment received */
	uint64_t	deadline;	/* earliest of timer[] */
	size_t		heap_idx;

	struct tcp_stats stats;

	/* Private links. */
	uint32_t	fin_seq;	/* sequence number of our FIN, once sent */
	struct tcb	*hnext;		/* hash chain, then the dead list */
	struct tcb	*anext;		/* every TCB of the stack */
	struct tcb	*aprev;
	struct tcb	*parent;	/* listener that made it, while alive */
};

/* Why a TCB was deleted (TCP_EV_CLOSED). */
enum tcp_reason {
	TCP_R_DONE,		/* normal end: TIME-WAIT over, LAST-ACK acked,
				 * or closed before it was synchronized */
	TCP_R_RESET,		/* the peer sent RST ("connection reset") */
	TCP_R_REFUSED,		/* RST in SYN-SENT or active SYN-RECEIVED */
	TCP_R_TIMEOUT,		/* retransmission or keep-alive gave up */
	TCP_R_ABORTED,		/* tcp_abort(), or we sent RST ourselves */
	TCP_R_LISTEN,		/* passive SYN-RECEIVED went back to LISTEN */
	TCP_R_FREED,		/* tcp_stack_free() */
};

enum tcp_ev {
	TCP_EV_SEG_IN,		/* a segment arrived; tcb NULL when it reached
				 * no connection; before/after states; what:
				 * what the peer did with it */
	TCP_EV_SEG_OUT,		/* the peer sends seg; what: why (NULL for an
				 * ordinary segment) */
	TCP_EV_STATE,		/* tcb changed state from before to after */
	TCP_EV_NEW,		/* a listener made tcb (tcb->parent) */
	TCP_EV_RECV,		/* n bytes are ready for tcp_recv(), or the
				 * peer's FIN was reached (tcp_eof()) */
	TCP_EV_ACKED,		/* n bytes of our data were acknowledged */
	TCP_EV_URG,		/* the urgent pointer advanced to tcb->rcv_up */
	TCP_EV_CLOSED,		/* tcb is deleted once this returns; reason */
};

struct tcp_event {
	enum tcp_ev	type;
	struct tcb	*tcb;
	uint64_t	now_us;
	enum tcps	before;
	enum tcps	after;
	const struct seg *seg;	/* SEG_IN, SEG_OUT: valid during the call */
	const char	*what;	/* a short phrase, or NULL */
	enum tcp_reason	reason;	/* CLOSED */
	size_t		n;	/* RECV, ACKED */
};

typedef void	tcp_output_fn(void *arg, const struct seg *);
typedef void	tcp_event_fn(void *arg, const struct tcp_event *);

/* Stack. */
void		 tcp_config_default(struct tcp_config *);
struct tcp_stack *tcp_stack_new(const struct tcp_config *, tcp_output_fn *,
		    tcp_event_fn *, void *arg, char **err);
void		 tcp_stack_free(struct tcp_stack *);
const struct tcp_config *tcp_stack_config(const struct tcp_stack *);
size_t		 tcp_stack_count(const struct tcp_stack *);	/* live TCBs */
uint64_t	 tcp_stack_now(const struct tcp_stack *);

/*
 * A segment from the target.  s->dst/dport is the peer's side.  Returns 1
 * when a connection or a listener took it, 0 when it reached none (it was
 * answered per RFC 9293 3.10.7.1).  now_us never goes back; user calls made
 * later act at the latest time given here or to tcp_timers_run().
 */
int		 tcp_input(struct tcp_stack *, const struct seg *, uint64_t now_us);
void		 tcp_timers_run(struct tcp_stack *, uint64_t now_us);
uint64_t	 tcp_next_timer(const struct tcp_stack *);
/* Set the stack's clock without running timers.  Call it (or
 * tcp_timers_run()) before tcp_connect() and the other application calls
 * when time has passed since the last call: they act "now", and a SYN sent
 * at a stale time would yield a wrong RTT. */
void		 tcp_stack_clock(struct tcp_stack *, uint64_t now_us);

/* Find the connection of a 4-tuple (not listeners). */
struct tcb	*tcp_lookup(struct tcp_stack *, const struct tcp_tuple *);

/*
 * Connections.  tcp_new() makes a CLOSED TCB (not yet in the table) whose
 * hooks may be set before tcp_connect() (active OPEN: SYN-SENT) or
 * tcp_listen() (passive OPEN: LISTEN; raddr all zero and rport 0 accept any
 * remote socket).  A TCB never opened is released with tcp_abort().
 */
struct tcb	*tcp_new(struct tcp_stack *, const struct tcp_tuple *, char **err);
int		 tcp_connect(struct tcb *, char **err);
int		 tcp_listen(struct tcb *, char **err);

/* Queue up to len bytes; returns how many were taken (the send buffer is
 * bounded by sndbuf_max), or -1 when the state allows no SEND. */
ssize_t		 tcp_send(struct tcb *, const void *, size_t, char **err);
/* Read up to len bytes of in-order data; may send a window update. */
size_t		 tcp_recv(struct tcb *, void *, size_t);
size_t		 tcp_readable(const struct tcb *);
int		 tcp_eof(const struct tcb *);	/* FIN reached, all read */

/* CLOSE of the sending side only: FIN after the queued data. */
int		 tcp_shutdown(struct tcb *, char **err);
/* CLOSE: FIN after the queued data, and the application reads no more.
 * With rst_unread, unread data (now or later) resets the connection. */
int		 tcp_close(struct tcb *, char **err);
/* ABORT: RST <SEQ=SND.NXT> in synchronized states, then delete. */
void		 tcp_abort(struct tcb *);
/*
 * The path's MTU is mtu (an ICMP Packet Too Big or fragmentation needed
 * about this connection): full segments shrink to what fits, and what is
 * in flight goes again at once at the new size (RFC 8201 4, RFC 1191 3).
 * Returns 1 when the segment size fell, 0 when mtu changes nothing.
 */
int		 tcp_pmtu(struct tcb *, uint32_t mtu);

/*
 * Hooks that act.  tcp_send_fin(): with no_auto_fin, the FIN that shutdown or
 * close held back.  tcp_ack_now(): an ACK <SEQ=SND.NXT><ACK=RCV.NXT> now,
 * whatever no_auto_ack says.  tcp_output(): send what the windows allow.
 * tcp_set_syn_opts(): the SYN carries exactly opts[0..n) (n = 0: none);
 * n = -1 restores the options built from the hooks.
 */
int		 tcp_send_fin(struct tcb *, char **err);
/*
 * The application's per-connection switches of RFC 9293: keep-alives on
 * (idle_us before the first probe, intvl_us between unanswered ones) or
 * off (idle_us 0), MUST-24 and MUST-27; and urgent data (3.8.5): queue
 * len bytes whose last one is urgent, the urgent pointer then pointing
 * just past it (MUST-62, RFC 6093).  tcp_send_urgent() returns as
 * tcp_send() does.
 */
void		 tcp_set_keepalive(struct tcb *, uint64_t idle_us,
		    uint64_t intvl_us);
ssize_t		 tcp_send_urgent(struct tcb *, const void *, size_t,
		    char **err);
void		 tcp_ack_now(struct tcb *);
void		 tcp_output(struct tcb *);
int		 tcp_set_syn_opts(struct tcb *, const struct seg_opt *, int n,
		    char **err);

/*
 * Raw segments.  tcp_seg_template() fills s with what the TCB would send now
 * as a pure ACK (addresses, ports, seq SND.NXT, ack RCV.NXT, window,
 * timestamps): a starting point to bend.  tcp_send_raw() sends s on the
 * TCB's 4-tuple (addresses and ports are overwritten) and leaves the TCB
 * alone, unless TCP_RAW_ADVANCE: then s must start at snd_max and the TCB
 * takes its payload, SYN and FIN as sent (the payload joins the send buffer,
 * so it is retransmitted like any data).  tcp_stack_send_raw() sends any
 * segment, reported as a SEG_OUT event without a TCB.
 */
#define TCP_RAW_ADVANCE	0x1
void		 tcp_seg_template(struct tcb *, struct seg *);
int		 tcp_send_raw(struct tcb *, const struct seg *, unsigned how,
		    char **err);
void		 tcp_stack_send_raw(struct tcp_stack *, const struct seg *);
/*
 * The reset RFC 9293 3.10.7.1 answers s with (from a port with no
 * connection): addresses and ports swapped, <SEQ=SEG.ACK><CTL=RST> if s
 * has ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
void		 tcp_reset_for(struct seg *r, const struct seg *s);

/* Text helpers. */
const char	*tcp_reason_name(enum tcp_reason);
const char	*tcp_ev_name(enum tcp_ev);

#endif /* TCPCONFORM_TCP_H */
