/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_helper.h: fixtures for the peer's unit tests: a stack on a fake clock
 * whose output and events are captured, segment templates to start from
 * (smoltcp's "..SEND_TEMPL" habit: take the template, change one field),
 * fixtures that put a connection in each state by driving real segments,
 * and a back-to-back link between two stacks with loss and reordering.
 *
 * Addresses: the peer is 198.18.0.1 port 40000, the "target" (the test
 * itself) 198.18.0.2 port 80.  Our ISS is TH_ISS, the target's TH_IRS.
 */
#ifndef TCPCONFORM_TCP_HELPER_H
#define TCPCONFORM_TCP_HELPER_H

#include <stddef.h>
#include <stdint.h>

#include "tcp.h"

#define TH_ISS		1000u		/* the peer's ISS (hooks.iss) */
#define TH_IRS		5000u		/* the target's ISN */
#define TH_LPORT	40000
#define TH_RPORT	80
#define TH_WIN		8192		/* the target's window */
#define TH_MSS		1000		/* the target's MSS option */
#define TH_MAXOUT	4096
#define TH_MAXEV	8192
#define TH_SEC		1000000ULL

/* One captured event, flattened. */
struct th_ev {
	enum tcp_ev	 type;
	struct tcb	*tcb;
	enum tcps	 before;
	enum tcps	 after;
	enum tcp_reason	 reason;
	size_t		 n;
	const char	*what;
	uint64_t	 now;
};

struct th {
	struct tcp_config cfg;
	struct tcp_stack *st;
	uint64_t	 now;
	struct tcp_tuple tuple;		/* the connection under test */
	struct tcb	*tp;		/* ... its TCB (NULL once deleted) */
	struct tcb	*lp;		/* a listener, if any */

	struct seg	 out[TH_MAXOUT];	/* segments sent, in order */
	uint64_t	 out_at[TH_MAXOUT];
	int		 nout;
	struct th_ev	 ev[TH_MAXEV];
	int		 nev;

	uint32_t	 r_nxt;		/* the target's next sequence number */
	int		 auto_read;	/* tcp_recv() everything on RECV */
	uint8_t		*rdata;		/* what auto_read read */
	size_t		 rlen;
};

/* A harness with the test configuration: no options offered, MSL 1 s,
 * ISS TH_ISS.  th_new_cfg() lets a test change the configuration first. */
struct th	*th_new(void);
struct th	*th_new_cfg(const struct tcp_config *);
void		 th_free(struct th *);
void		 th_test_config(struct tcp_config *);

/* Time. */
void		 th_advance(struct th *, uint64_t us);	/* and run timers */
void		 th_run_until(struct th *, uint64_t at);

/* Captured output. */
const struct seg *th_out(const struct th *, int i);	/* NULL if none */
const struct seg *th_last(const struct th *);
void		 th_clear(struct th *);
int		 th_count_ev(const struct th *, enum tcp_ev);
const struct th_ev *th_find_ev(const struct th *, enum tcp_ev, int nth);

/* Templates: a segment from the target on the connection under test,
 * flags ACK, seq r_nxt, ack = the peer's SND.NXT, window TH_WIN. */
struct seg	 th_tmpl(const struct th *);
struct seg	 th_tmpl_syn(const struct th *);	/* SYN, seq TH_IRS */
int		 th_in(struct th *, const struct seg *);	/* tcp_input */
int		 th_in_data(struct th *, const char *text);	/* at r_nxt */

/* State fixtures: each leaves h->tp in the state named, output cleared. */
struct th	*th_listen(void);
struct th	*th_syn_sent(void);
struct th	*th_syn_received(void);		/* passive */
struct th	*th_syn_received_active(void);	/* simultaneous open */
struct th	*th_established(void);		/* active open */
struct th	*th_established_passive(void);
struct th	*th_fin_wait_1(void);		/* by tcp_shutdown() */
struct th	*th_fin_wait_2(void);
struct th	*th_close_wait(void);
struct th	*th_closing(void);
struct th	*th_last_ack(void);
struct th	*th_time_wait(void);
struct th	*th_state(enum tcps);		/* any of the above by state */

/* The same fixtures on a harness made beforehand (configured). */
void		 th_do_listen(struct th *);
void		 th_do_syn_sent(struct th *);
void		 th_do_established(struct th *, const struct seg *synack);

/* Back-to-back: two stacks wired through a lossy, reordering link. */
struct th_link;
struct th_link	*th_link_new(const struct tcp_config *, const struct tcp_config *);
void		 th_link_free(struct th_link *);
struct tcp_stack *th_link_stack(struct th_link *, int side);
void		 th_link_set_loss(struct th_link *, int loss_pct, int reorder_pct,
		    uint64_t delay_us, uint32_t seed);
uint64_t	 th_link_now(const struct th_link *);
/* Run until cond(arg) is true or `limit' µs of fake time passed; returns
 * 0 when cond became true. */
int		 th_link_run(struct th_link *, int (*cond)(void *), void *arg,
		    uint64_t limit);
struct tcb	*th_link_accepted(struct th_link *, int side);
uint64_t	 th_link_delivered(const struct th_link *);
uint64_t	 th_link_dropped(const struct th_link *);
int		 th_link_closed(const struct th_link *, int side);
const struct th_ev *th_link_events(const struct th_link *, int side, int *n);
/* Side sends data on tp, refilling the send buffer as ACKs free it, and
 * shuts down when all of it is queued if shut.  Every side reads all it
 * receives; th_link_rx() is what it read, in order. */
void		 th_link_source(struct th_link *, int side, struct tcb *,
		    const uint8_t *data, size_t len, int shut);
const uint8_t	*th_link_rx(const struct th_link *, int side, size_t *len);
int		 th_link_eof(const struct th_link *, int side);
/* Side closes each connection whose peer's FIN it has read. */
void		 th_link_autoclose(struct th_link *, int side);

/*
 * Assert output segment i: flags, seq, ack (include cmocka.h first).  The
 * flags compare as packetdrill letters, so a failure reads "S." vs "R".
 */
#define TH_EXPECT(h, i, fl, sq, ak) do {				\
	const struct seg *_s = th_out((h), (i));			\
	char _a[16], _b[16];						\
	assert_non_null(_s);						\
	assert_string_equal(seg_flags_str(_s->flags, _a, sizeof(_a)),	\
	    seg_flags_str((fl), _b, sizeof(_b)));			\
	assert_int_equal(_s->seq, (uint32_t)(sq));			\
	assert_int_equal(_s->ack, (uint32_t)(ak));			\
} while (0)

/* Tuple helpers. */
void		 th_tuple(struct tcp_tuple *, int family, uint16_t lport,
		    uint16_t rport);

#endif /* TCPCONFORM_TCP_HELPER_H */
