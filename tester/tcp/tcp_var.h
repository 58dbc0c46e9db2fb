/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_var.h: what the files of the peer (tcp_*.c) share and nobody else
 * sees: private TCB flags, timer names, the stack structure, the queue of
 * events and outputs, and the functions one file calls in another.
 *
 * Call order of one segment: tcp_input() -> tcp_input_<state>() ->
 * (steps of RFC 9293 3.10.7.4: tcp_ack_input(), tcp_reass_*(), ...) ->
 * tcp_output() -> tcp_emit() -> event queue -> tcp_leave() flushes it to
 * the event and output callbacks.
 */
#ifndef TCPCONFORM_TCP_VAR_H
#define TCPCONFORM_TCP_VAR_H

#include "tcp.h"

/* Private bits of tcb->flags (the public TCPF_* use 0x00ff). */
#define TF_ACKNOW	0x00000100	/* send an ACK when this input ends */
#define TF_DELACK	0x00000200	/* an ACK is being delayed */
#define TF_FIN_QUEUED	0x00000400	/* FIN follows the send buffer */
#define TF_FIN_SENT	0x00000800	/* FIN sent at least once */
#define TF_FIN_HELD	0x00001000	/* FIN waits (no_auto_fin, or for
					 * ESTABLISHED) */
#define TF_RECOVERY	0x00002000	/* in fast recovery */
#define TF_FORCE	0x00004000	/* send one byte into a zero window */
#define TF_DEAD		0x00008000	/* deleted; freed when the call ends */
#define TF_SYN_REXMT	0x00010000	/* SYN retransmitted (RFC 6298 5.7) */
#define TF_INTABLE	0x00020000	/* in the hash table or listener list */
#define TF_SENT_WS	0x00040000	/* what our SYN carried */
#define TF_SENT_TS	0x00080000
#define TF_SENT_SACK	0x00100000
#define TF_RCVD_WS	0x00200000	/* what theirs carried */
#define TF_RCVD_TS	0x00400000
#define TF_RCVD_SACK	0x00800000
#define TF_URG_SEEN	0x01000000	/* user told of the current urgent run */
#define TF_RECV_PEND	0x02000000	/* report TCP_EV_RECV when input ends */
#define TF_ACKFORCE	0x04000000	/* tcp_ack_now(): ACK despite no_auto_ack */
#define TF_RTT_VALID	0x08000000	/* srtt/rttvar hold a measurement */
#define TF_TIMING	0x10000000	/* rtt_seq/rtt_start time a segment */
#define TF_LISTENQ	0x20000000	/* on the listener list, not the table */
#define TF_SND_URG	0x40000000	/* snd_up holds urgent data's end */
#define TF_ACK_SENT	0x80000000u	/* an ACK without SYN or RST went out */

/* Timers, indexes of tcb->timer[]. */
#define TT_REXMT	0	/* retransmission (RFC 6298) */
#define TT_PERSIST	1	/* zero-window probe (RFC 9293 3.8.6.1) */
#define TT_DELACK	2	/* delayed ACK */
#define TT_KEEP		3	/* keep-alive */
#define TT_2MSL		4	/* TIME-WAIT */

/* RFC 6298 (2.4) G, the clock granularity; ours is a microsecond clock. */
#define TCP_CLOCK_G_US	1

/* TSval ticks once a millisecond (RFC 7323 5.4: between 1 ms and 1 s). */
#define TCP_TS_HZ	1000

/* PAWS: TS.Recent older than 24 days is no longer trusted (RFC 7323 5.5). */
#define TCP_PAWS_IDLE_US	(24ULL * 24 * 3600 * 1000000)

/* One queued event (and, for SEG_OUT, one segment for the output callback),
 * with a private copy of the segment and its payload. */
struct tcp_evnode {
	struct tcp_evnode *next;
	struct tcp_event ev;
	int		output;		/* call the output callback too */
	struct seg	seg;
	uint8_t		data[];
};

struct tcp_stack {
	struct tcp_config cfg;
	tcp_output_fn	*output;
	tcp_event_fn	*event;
	void		*arg;
	uint64_t	now;
	uint64_t	hseed;

	/* Connections by 4-tuple: chained hash, doubled when full. */
	struct tcb	**htab;
	size_t		hsize;		/* a power of two */
	size_t		hcount;
	struct tcb	*listeners;	/* LISTEN TCBs, chained by hnext */
	size_t		ntcb;		/* every TCB not yet deleted */

	/* Timers: a binary min-heap of TCBs on tcb->deadline. */
	struct tcb	**heap;
	size_t		nheap;
	size_t		heapcap;

	/* Work in progress: nested calls, queued events, TCBs to free. */
	int		depth;
	struct tcp_evnode *evq;
	struct tcp_evnode **evq_tail;
	struct tcb	*dead;
	struct tcb	*in_tcb;	/* the TCB that took the input */
	const char	*in_what;	/* what is being done with the input */
	const char	*out_what;	/* why segments now sent are sent */
	struct tcb	*all;		/* every TCB, by anext/aprev */
};

/* The segment being processed, trimmed to the window (RFC 9293 3.10.7.4:
 * "the idealized segment that begins at RCV.NXT"). */
struct tcp_in {
	const struct seg *s;
	uint32_t	seq;
	uint32_t	ack;
	uint16_t	flags;
	uint32_t	wnd;		/* SEG.WND, scaled unless SYN */
	const uint8_t	*data;
	uint32_t	len;		/* payload bytes */
};

/* tcp_table.c */
void		 tcp_enter(struct tcp_stack *, uint64_t now);
void		 tcp_leave(struct tcp_stack *);
struct tcb	*tcp_tcb_alloc(struct tcp_stack *, const struct tcp_tuple *);
int		 tcp_table_insert(struct tcb *, char **err);
struct tcb	*tcp_listener_lookup(struct tcp_stack *, const struct tcp_tuple *);
void		 tcp_set_state(struct tcb *, enum tcps);
void		 tcp_delete(struct tcb *, enum tcp_reason);
void		 tcp_tuple_of_seg(const struct seg *, struct tcp_tuple *);
uint32_t	 tcp_hash32(const struct tcp_stack *, const struct tcp_tuple *,
		    uint32_t salt);

/* tcp_event.c */
struct tcp_evnode *tcp_ev_push(struct tcp_stack *, enum tcp_ev, struct tcb *,
		    const struct seg *, const char *what);
void		 tcp_ev_flush(struct tcp_stack *);
void		 tcp_ev_free_all(struct tcp_stack *);

/* tcp_output.c */
void		 tcp_emit(struct tcb *, struct seg *, const char *what);
void		 tcp_seg_init(struct tcb *, struct seg *);
void		 tcp_send_ctl(struct tcb *, uint32_t seq, uint32_t ack,
		    uint16_t flags, const char *what);
void		 tcp_send_rst_for(struct tcp_stack *, struct tcb *,
		    const struct seg *, const char *what);
void		 tcp_send_challenge_ack(struct tcb *, const char *what);
void		 tcp_rexmit_syn(struct tcb *, const char *what);
uint32_t	 tcp_rexmit_one(struct tcb *, uint32_t seq, const char *what);
void		 tcp_do_output(struct tcb *);
uint16_t	 tcp_win_field(const struct tcb *, int syn);
uint32_t	 tcp_rcv_wnd(const struct tcb *);
uint32_t	 tcp_data_base(const struct tcb *);
uint32_t	 tcp_fin_seq(const struct tcb *);
void		 tcp_fin_release(struct tcb *);

/* tcp_opt.c */
void		 tcp_opt_syn(struct tcb *, struct seg *);
void		 tcp_opt_rcvd_syn(struct tcb *, const struct seg *);
void		 tcp_opt_negotiate(struct tcb *);
void		 tcp_opt_data(struct tcb *, struct seg *);
uint32_t	 tcp_ts_now(const struct tcb *);
int		 tcp_paws_reject(struct tcb *, const struct seg *);
void		 tcp_ts_update(struct tcb *, const struct tcp_in *);
size_t		 tcp_opt_len_data(const struct tcb *);

/* tcp_reass.c */
void		 tcp_reass_insert(struct tcb *, uint32_t seq,
		    const uint8_t *data, uint32_t len, int fin);
int		 tcp_reass_pull(struct tcb *);
void		 tcp_reass_free(struct tcb *);
void		 tcp_deliver(struct tcb *, const uint8_t *, uint32_t);
void		 tcp_sack_rcv_update(struct tcb *, uint32_t seq, uint32_t end);
void		 tcp_sack_rcv_trim(struct tcb *);

/* tcp_ack.c */
int		 tcp_ack_input(struct tcb *, const struct tcp_in *);
uint32_t	 tcp_sack_board_update(struct tcb *, const struct seg *);
int		 tcp_sacked(const struct tcb *, uint32_t seq, uint32_t *end);
int		 tcp_sack_next(const struct tcb *, uint32_t seq, uint32_t *start);
void		 tcp_ack_advance(struct tcb *, uint32_t ack);
void		 tcp_cc_rto(struct tcb *);

/* tcp_timer.c */
void		 tcp_timer_set(struct tcb *, int which, uint64_t delay_us);
void		 tcp_timer_clear(struct tcb *, int which);
void		 tcp_timer_clear_all(struct tcb *);
uint64_t	 tcp_rto_cur(const struct tcb *);
void		 tcp_rtt_sample(struct tcb *, uint64_t rtt_us);
void		 tcp_persist_set(struct tcb *);
void		 tcp_heap_remove(struct tcb *);

/* tcp_buf.c */
int		 tcp_buf_append(struct tcp_buf *, const void *, size_t);
void		 tcp_buf_consume(struct tcp_buf *, size_t);
void		 tcp_buf_free(struct tcp_buf *);

/* tcp_input.c */
void		 tcp_fin_in(struct tcb *);
void		 tcp_established(struct tcb *);
uint32_t	 tcp_choose_iss(struct tcb *);

#endif /* TCPCONFORM_TCP_VAR_H */
