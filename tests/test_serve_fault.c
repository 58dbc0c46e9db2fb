/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_serve_fault.c: every fault of "tcpconform serve", driven in process
 * against a second tcp_stack playing the tester.  Each test runs the same
 * exchange twice: without the fault the target does what the RFC says (so
 * that the conformance case passes), with it the target sends (or fails to
 * send) exactly the segment the fault names.
 */
#include "config.h"

#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "icmp.h"
#include "serve.h"
#include "serve_int.h"
#include "test_serve_pair.h"

#define HTTP_GET_CLOSE	"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
#define LPORT		5000
#define TPORT		18500	/* a tester listener, for CONNECT */

static struct pair *with(int);
static void	 expect_reply(struct pair *, const char *);
static void	 agent_conn(struct pair *);
static int	 count_acks_of(const struct pair *, size_t, uint32_t);
static int	 rst_at(struct pair *, uint32_t, int *);

/* A fresh pair with fault id on (-1: no fault), IPv4. */
static struct pair *
with(int id)
{
	return pair_new(AF_INET, id < 0 ? -1 : id);
}

static void
expect_reply(struct pair *p, const char *prefix)
{
	const char *r = pair_reply(p);

	if (r == NULL || strncmp(r, prefix, strlen(prefix)) != 0)
		fail_msg("reply \"%s\", expected \"%s...\"", r != NULL ? r :
		    "(none)", prefix);
}

/* A connection held by the agent: handle 2. */
static void
agent_conn(struct pair *p)
{
	pair_ctl_open(p);
	expect_reply(p, "OK version=1");
	pair_ctl(p, "LISTEN 4 5000");
	expect_reply(p, "OK handle=1");
	pair_connect(p, LPORT);
	pair_ctl(p, "ACCEPT 1");
	expect_reply(p, "OK handle=2");
}

/* Segments the target sent from index `from' carrying ACK = ack. */
static int
count_acks_of(const struct pair *p, size_t from, uint32_t ack)
{
	size_t i;
	int n = 0;

	for (i = from; i < p->nout; i++)
		if ((p->out[i].flags & SEG_ACK) && !(p->out[i].flags &
		    SEG_RST) && p->out[i].ack == ack)
			n++;
	return n;
}

/* --- handshake ---------------------------------------------------- */

/* RFC 9293 3.4: <SEQ=ISS><ACK=RCV.NXT> with RCV.NXT = the SYN's + 1. */
static void
fault_synack_ack_off_by_one(void **state)
{
	struct pair *p;
	uint32_t iss;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SYNACK_ACK_OFF_BY_ONE : -1);
		pair_connect(p, SERVE_ECHO_PORT);
		iss = p->in[0].seq;
		assert_int_equal(p->out[0].flags, SEG_SYN | SEG_ACK);
		assert_int_equal(p->out[0].ack, k ? iss : iss + 1);
		/* The tester refuses a SYN-ACK that acknowledges its ISN. */
		assert_int_equal(p->tcb->state, k ? TCPS_SYN_SENT :
		    TCPS_ESTABLISHED);
		pair_free(p);
	}
}

/* The ACK that completes an active open acknowledges ISN+1 of the SYN-ACK. */
static void
fault_handshake_ack_off_by_one(void **state)
{
	struct pair *p;
	uint32_t irs;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_HANDSHAKE_ACK_OFF_BY_ONE : -1);
		pair_listen(p, TPORT);
		pair_ctl_open(p);
		expect_reply(p, "OK version=1");
		pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
		expect_reply(p, "OK handle=1");
		assert_non_null(p->te_accepted);
		irs = p->te_accepted->iss;
		i = pair_find_out(p, 0, 0xff, SEG_ACK);
		assert_true(i > 0);
		assert_int_equal(p->out[i].ack, k ? irs : irs + 1);
		pair_free(p);
	}
}

/* RFC 6528: ISNs not predictable; the faults make them +1 or constant. */
static void
fault_predictable_and_constant_isn(void **state)
{
	struct pair *p;
	uint32_t isn[3];
	int k, c;

	(void)state;
	for (k = 0; k < 3; k++) {
		p = with(k == 0 ? -1 : k == 1 ? SF_PREDICTABLE_ISN :
		    SF_CONSTANT_ISN);
		for (c = 0; c < 3; c++) {
			pair_connect(p, SERVE_DISCARD_PORT);
			isn[c] = pair_target_tcb(p)->iss;
		}
		if (k == 1) {
			assert_int_equal(isn[0], 1000000);
			assert_int_equal(isn[1], isn[0] + 1);
			assert_int_equal(isn[2], isn[1] + 1);
		} else if (k == 2) {
			assert_int_equal(isn[0], 1000000);
			assert_int_equal(isn[1], isn[0]);
			assert_int_equal(isn[2], isn[0]);
		} else {
			assert_true(isn[1] - isn[0] > 1000 &&
			    isn[2] - isn[1] > 1000);
		}
		pair_free(p);
	}
}

/* A bare ACK to a listener (RFC 9293 3.10.7.2): RST <SEQ=SEG.ACK>. */
static void
fault_synack_to_wrong_ack_no_rst_listen(void **state)
{
	struct pair *p;
	struct seg a;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SYNACK_TO_WRONG_ACK_NO_RST : -1);
		seg_init(&a, AF_INET);
		memcpy(a.src, p->te_addr, 16);
		memcpy(a.dst, p->sv_addr, 16);
		a.sport = 18000;
		a.dport = SERVE_ECHO_PORT;
		a.seq = 1000;
		a.ack = 4242;
		a.flags = SEG_ACK;
		a.win = 1000;
		pair_raw_stack(p, &a);
		if (k)
			assert_int_equal(p->nout, 0);
		else {
			assert_int_equal(p->nout, 1);
			assert_int_equal(p->out[0].flags, SEG_RST);
			assert_int_equal(p->out[0].seq, 4242);
		}
		pair_free(p);
	}
}

/* A SYN-ACK with a wrong ACK in SYN-SENT (RFC 9293 3.10.7.3): RST. */
static void
fault_synack_to_wrong_ack_no_rst_syn_sent(void **state)
{
	struct pair *p;
	struct seg sa;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SYNACK_TO_WRONG_ACK_NO_RST : -1);
		pair_ctl_open(p);
		expect_reply(p, "OK version=1");
		p->drop_to_te = 1;	/* the SYN never reaches the tester */
		pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
		expect_reply(p, "OK handle=1");
		assert_int_equal(p->out[0].flags, SEG_SYN);
		seg_init(&sa, AF_INET);
		memcpy(sa.src, p->te_addr, 16);
		memcpy(sa.dst, p->sv_addr, 16);
		sa.sport = p->out[0].dport;
		sa.dport = p->out[0].sport;
		sa.seq = 777;
		sa.ack = p->out[0].seq + 100;	/* not ISS+1 */
		sa.flags = SEG_SYN | SEG_ACK;
		sa.win = 1000;
		pair_raw_stack(p, &sa);
		if (k)
			assert_int_equal(p->nout, 1);
		else {
			assert_int_equal(p->nout, 2);
			assert_int_equal(p->out[1].flags, SEG_RST);
			assert_int_equal(p->out[1].seq, sa.ack);
		}
		pair_free(p);
	}
}

/* RFC 9293 3.5 figure 8: a SYN in SYN-SENT makes a simultaneous open. */
static void
fault_no_simultaneous_open(void **state)
{
	struct pair *p;
	struct seg syn;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_SIMULTANEOUS_OPEN : -1);
		pair_ctl_open(p);
		expect_reply(p, "OK version=1");
		p->drop_to_te = 1;
		pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
		expect_reply(p, "OK handle=1");
		seg_init(&syn, AF_INET);
		memcpy(syn.src, p->te_addr, 16);
		memcpy(syn.dst, p->sv_addr, 16);
		syn.sport = p->out[0].dport;
		syn.dport = p->out[0].sport;
		syn.seq = 5000;
		syn.flags = SEG_SYN;
		syn.win = 1000;
		pair_raw_stack(p, &syn);
		assert_int_equal(p->nout, 2);
		if (k) {
			assert_int_equal(p->out[1].flags, SEG_RST | SEG_ACK);
			assert_int_equal(p->out[1].seq, 0);
			assert_int_equal(p->out[1].ack, 5001);
			pair_ctl(p, "STATUS 1");
			expect_reply(p, "OK handle=1 kind=stream addr="
			    "198.18.0.2 port=40000 peer=198.18.0.1 "
			    "peerport=18500 rcvbuf=0 sndbuf=0 unread=0 "
			    "state=CLOSED");
		} else {
			assert_int_equal(p->out[1].flags, SEG_SYN | SEG_ACK);
			assert_int_equal(p->out[1].seq, p->out[0].seq);
			assert_int_equal(p->out[1].ack, 5001);
		}
		pair_free(p);
	}
}

/*
 * RFC 9293 3.10.4: close() in SYN-SENT deletes the TCB, so a later
 * SYN-ACK gets <SEQ=SEG.ACK><CTL=RST>; the fault completes the handshake
 * and sends a FIN.
 */
static void
fault_close_in_syn_sent_held(void **state)
{
	struct pair *p;
	struct seg sa;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_CLOSE_IN_SYN_SENT_HELD : -1);
		pair_ctl_open(p);
		expect_reply(p, "OK version=1");
		p->drop_to_te = 1;
		pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
		expect_reply(p, "OK handle=1");
		assert_int_equal(p->out[0].flags, SEG_SYN);
		pair_ctl(p, "CLOSE 1");
		expect_reply(p, "OK");
		assert_int_equal(p->nout, 1);	/* nothing sent by close() */
		seg_init(&sa, AF_INET);
		memcpy(sa.src, p->te_addr, 16);
		memcpy(sa.dst, p->sv_addr, 16);
		sa.sport = p->out[0].dport;
		sa.dport = p->out[0].sport;
		sa.seq = 777;
		sa.ack = p->out[0].seq + 1;
		sa.flags = SEG_SYN | SEG_ACK;
		sa.win = 1000;
		pair_raw_stack(p, &sa);
		assert_true(p->nout >= 2);
		if (k) {
			assert_int_equal(p->out[1].flags & SEG_RST, 0);
			assert_true(pair_find_out(p, 1, SEG_FIN, SEG_FIN) >= 0);
		} else {
			assert_int_equal(p->nout, 2);
			assert_int_equal(p->out[1].flags & SEG_RST, SEG_RST);
			assert_int_equal(p->out[1].seq, sa.ack);
		}
		pair_free(p);
	}
}

/* --- close ---------------------------------------------------------- */

/*
 * RFC 9293 3.4: a FIN takes one sequence number.  Passive close: the ACK
 * of the tester's FIN is FIN+1.  Active close (HTTP "Connection: close"):
 * the target's last ACK starts after its FIN.
 */
static void
fault_fin_no_seq(void **state)
{
	struct pair *p;
	uint32_t tefin, svfin;
	size_t n;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_FIN_NO_SEQ : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		tefin = p->tcb->snd_max;
		n = p->nout;
		pair_shutdown(p);
		i = pair_find_out(p, n, SEG_ACK, SEG_ACK);
		assert_true(i >= 0);
		assert_int_equal(p->out[i].ack, k ? tefin : tefin + 1);
		pair_free(p);

		p = with(k ? SF_FIN_NO_SEQ : -1);
		pair_connect(p, SERVE_HTTP_PORT);
		pair_send(p, HTTP_GET_CLOSE);
		i = pair_find_out(p, 0, SEG_FIN, SEG_FIN);
		assert_true(i > 0);
		svfin = p->out[i].seq + (uint32_t)p->out[i].len;
		n = p->nout;
		pair_shutdown(p);
		i = pair_find_out(p, n, 0xff, SEG_ACK);
		assert_true(i >= 0);
		assert_int_equal(p->out[i].seq, k ? svfin : svfin + 1);
		pair_free(p);
	}
}

/* RFC 9293 3.10.7.4 eighth: "send an acknowledgment for the FIN". */
static void
fault_no_fin_ack(void **state)
{
	struct pair *p;
	uint32_t tefin;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_FIN_ACK : -1);
		agent_conn(p);
		tefin = p->tcb->snd_max;
		pair_shutdown(p);
		assert_int_equal(count_acks_of(p, 0, tefin + 1), k ? 0 : 1);
		/* Its FIN later still does not acknowledge the tester's. */
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		i = pair_find_out(p, 0, SEG_FIN, SEG_FIN);
		assert_true(i > 0);
		assert_int_equal(p->out[i].ack, k ? tefin : tefin + 1);
		assert_int_equal(count_acks_of(p, 0, tefin + 1), k ? 0 : 2);
		pair_free(p);
	}
}

/*
 * TIME-WAIT on the side that closed first (RFC 9293 3.10.7.4): the
 * tester's retransmitted FIN gets an ACK, not an RST.
 */
static void
fault_no_time_wait(void **state)
{
	struct pair *p;
	struct seg f;
	size_t n;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_TIME_WAIT : -1);
		pair_connect(p, SERVE_HTTP_PORT);
		pair_send(p, HTTP_GET_CLOSE);
		pair_template(p, &f);
		pair_shutdown(p);
		if (k)
			assert_null(pair_target_tcb(p));
		else
			assert_int_equal(pair_target_tcb(p)->state,
			    TCPS_TIME_WAIT);
		f.flags |= SEG_FIN;
		n = p->nout;
		pair_raw_stack(p, &f);
		i = pair_find_out(p, n, 0, 0);
		assert_true(i >= 0);
		if (k) {
			assert_true(p->out[i].flags & SEG_RST);
			assert_int_equal(p->out[i].seq, f.ack);
		} else {
			assert_int_equal(p->out[i].flags, SEG_ACK);
			assert_int_equal(p->out[i].ack, f.seq + 1);
		}
		pair_free(p);
	}
}

/* A new SYN in TIME-WAIT: reopen (RFC 6191) or ACK, never RST. */
static void
fault_time_wait_syn_rst(void **state)
{
	struct pair *p;
	struct seg f, syn;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_TIME_WAIT_SYN_RST : -1);
		pair_connect(p, SERVE_HTTP_PORT);
		pair_send(p, HTTP_GET_CLOSE);
		pair_template(p, &f);
		pair_shutdown(p);
		seg_init(&syn, AF_INET);
		memcpy(syn.src, f.src, 16);
		memcpy(syn.dst, f.dst, 16);
		syn.sport = f.sport;
		syn.dport = f.dport;
		syn.flags = SEG_SYN;
		syn.win = 1000;
		syn.seq = f.seq + 100000;
		n = p->nout;
		pair_raw_stack(p, &syn);
		assert_int_equal(p->nout, n + 1);
		assert_int_equal(p->out[n].flags, k ? SEG_RST | SEG_ACK :
		    SEG_SYN | SEG_ACK);
		assert_int_equal(p->out[n].ack, syn.seq + 1);
		assert_int_equal(pair_target_tcb(p)->state, k ?
		    TCPS_TIME_WAIT : TCPS_SYN_RECEIVED);
		pair_free(p);
	}
}

/* RFC 9293 3.8.1, MUST-18: an unacknowledged FIN is sent again. */
static void
fault_no_fin_retransmit(void **state)
{
	struct pair *p;
	int k, i, fins;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_FIN_RETRANSMIT : -1);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;	/* the FIN is never acked */
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		pair_advance(p, 1500000);
		for (fins = 0, i = 0; (i = pair_find_out(p, (size_t)i, SEG_FIN,
		    SEG_FIN)) >= 0; i++, fins++)
			assert_int_equal(p->out[i].seq, p->out[pair_find_out(p,
			    0, SEG_FIN, SEG_FIN)].seq);
		assert_int_equal(fins, k ? 1 : 2);
		pair_free(p);
	}
}

/*
 * RFC 6298 (2.3): the RTO exceeds the RTT.  fin-retransmit-at-once sends
 * the first FIN twice before any time passes.
 */
static void
fault_fin_retransmit_at_once(void **state)
{
	struct pair *p;
	int k, i, fins;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_FIN_RETRANSMIT_AT_ONCE : -1);
		assert_int_equal(serve_out_delay(p->sv), k ? 20000 : 0);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;	/* the FIN is never acked */
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		for (fins = 0, i = 0; (i = pair_find_out(p, (size_t)i, SEG_FIN,
		    SEG_FIN)) >= 0; i++, fins++)
			assert_int_equal(p->out[i].seq, p->out[pair_find_out(p,
			    0, SEG_FIN, SEG_FIN)].seq);
		assert_int_equal(fins, k ? 2 : 1);
		/* A new send, which a copy on the path is not: a later TSval. */
		if (k && (p->out[pair_find_out(p, 0, SEG_FIN, SEG_FIN)].has &
		    SEG_HAS_TS)) {
			i = pair_find_out(p, 0, SEG_FIN, SEG_FIN);
			assert_int_not_equal(p->out[pair_find_out(p,
			    (size_t)i + 1, SEG_FIN, SEG_FIN)].tsval,
			    p->out[i].tsval);
		}
		pair_free(p);
	}
}

/* The FINs the target sent, all with the first one's sequence number. */
static int
count_fins(const struct pair *p)
{
	int i, fins, first = pair_find_out(p, 0, SEG_FIN, SEG_FIN);

	for (fins = 0, i = 0; (i = pair_find_out(p, (size_t)i, SEG_FIN,
	    SEG_FIN)) >= 0; i++, fins++)
		assert_int_equal(p->out[i].seq, p->out[first].seq);
	return fins;
}

/*
 * RFC 6298 (5.5): the RTO doubles at each expiry: a FIN at 0, 1 and 3 s;
 * no-rto-backoff sends it every second (0, 1, 2, 3 s).
 */
static void
fault_no_rto_backoff(void **state)
{
	struct pair *p;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_RTO_BACKOFF : -1);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;	/* the FIN is never acked */
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		for (i = 0; i < 35; i++)	/* 3.5 s, a timer tick at a time */
			pair_advance(p, 100000);
		assert_int_equal(count_fins(p), k ? 4 : 3);
		pair_free(p);
	}
}

/*
 * RFC 6298 (2.1), (2.4): the initial RTO and its floor are 1 s;
 * initial-rto-200ms retransmits an unanswered SYN-ACK after 200 ms.
 */
static void
fault_initial_rto_200ms(void **state)
{
	struct pair *p;
	struct seg syn;
	size_t n;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_INITIAL_RTO_SHORT : -1);
		seg_init(&syn, AF_INET);
		memcpy(syn.src, p->te_addr, 16);
		memcpy(syn.dst, p->sv_addr, 16);
		syn.sport = 18600;
		syn.dport = SERVE_DISCARD_PORT;
		syn.flags = SEG_SYN;
		syn.seq = 1000;
		syn.win = 1000;
		n = p->nout;
		pair_raw_stack(p, &syn);
		i = pair_find_out(p, n, SEG_SYN | SEG_ACK, SEG_SYN | SEG_ACK);
		assert_true(i >= 0);
		pair_advance(p, 500000);
		assert_int_equal(pair_find_out(p, (size_t)i + 1, SEG_SYN |
		    SEG_ACK, SEG_SYN | SEG_ACK) >= 0, k);
		/* Without the fault, at 1 s. */
		pair_advance(p, 700000);
		assert_true(pair_find_out(p, (size_t)i + 1, SEG_SYN | SEG_ACK,
		    SEG_SYN | SEG_ACK) >= 0);
		pair_free(p);
	}
}

/*
 * RFC 6298 (2.3): the RTO exceeds the RTT.  data-retransmit-at-once sends
 * new data twice before any time passes, the second with a later TSval.
 */
static void
fault_data_retransmit_at_once(void **state)
{
	struct pair *p;
	size_t n;
	int k, i, j;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_DATA_RETRANSMIT_AT_ONCE : -1);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;	/* the data is never acked */
		n = p->nout;
		pair_ctl(p, "WRITE 2 4");
		expect_reply(p, "OK");
		/* Behind a 20 ms path, so that "at once" is well in 1 RTT. */
		assert_int_equal(serve_out_delay(p->sv), k ? 20000 : 0);
		i = pair_find_out(p, n, SEG_PSH, SEG_PSH);
		assert_true(i >= 0);
		j = pair_find_out(p, (size_t)i + 1, SEG_PSH, SEG_PSH);
		assert_int_equal(j >= 0, k);
		if (k) {
			assert_int_equal(p->out[j].seq, p->out[i].seq);
			assert_int_equal(p->out[j].len, p->out[i].len);
			if (p->out[i].has & SEG_HAS_TS)
				assert_int_equal(p->out[j].tsval,
				    p->out[i].tsval + 1);
		}
		pair_free(p);
	}
}

/*
 * RFC 9293 3.8.3: data given up no sooner than R2 of 100 s (SHLD-11), a
 * SYN after 3 minutes (MUST-23); r2-63s gives up at 63 s, also when the
 * RTO is 3 s (k == 2: after a SYN sent again, RFC 6298 5.7), where five
 * expiries would take 189 s.
 */
static void
fault_r2_63s(void **state)
{
	struct pair *p;
	struct tcb *tp;
	int k, i;

	(void)state;
	for (k = 0; k < 3; k++) {
		p = with(k ? SF_R2_63S : -1);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;	/* the data is never acked */
		tp = pair_target_tcb(p);
		assert_non_null(tp);
		if (k == 2)
			tp->rto = 3000000;
		pair_ctl(p, "WRITE 2 4");
		expect_reply(p, "OK");
		for (i = 0; i < 62; i++)	/* 62 s, a second at a time */
			pair_advance(p, 1000000);
		assert_ptr_equal(pair_target_tcb(p), tp);
		pair_advance(p, 2000000);
		if (k)
			assert_null(pair_target_tcb(p));
		else
			assert_ptr_equal(pair_target_tcb(p), tp);
		pair_free(p);
	}
}

/* MUST-13: TIME-WAIT lasts 2 MSL; short-time-wait ends it after 1 s. */
static void
fault_short_time_wait(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SHORT_TIME_WAIT : -1);
		pair_connect(p, SERVE_HTTP_PORT);
		pair_send(p, HTTP_GET_CLOSE);
		pair_shutdown(p);
		assert_int_equal(pair_target_tcb(p)->state, TCPS_TIME_WAIT);
		pair_advance(p, 900000);
		assert_non_null(pair_target_tcb(p));
		pair_advance(p, 200000);
		if (k)
			assert_null(pair_target_tcb(p));
		else
			assert_int_equal(pair_target_tcb(p)->state,
			    TCPS_TIME_WAIT);
		pair_free(p);
	}
}

/* --- half-close ------------------------------------------------------ */

/* RFC 9293 3.6: after the target's FIN, the tester's data is taken. */
static void
fault_refuse_data_after_fin(void **state)
{
	struct pair *p;
	uint32_t end;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_REFUSE_DATA_AFTER_FIN : -1);
		agent_conn(p);
		pair_ctl(p, "SHUTDOWN 2 wr");
		expect_reply(p, "OK");
		n = p->nout;
		end = p->tcb->snd_max + 5;
		pair_send(p, "after");
		assert_int_equal(count_acks_of(p, n, end), k ? 0 : 1);
		pair_ctl(p, "READ 2 5 timeout=0");
		expect_reply(p, k ? "OK n=0 end=timeout" : "OK n=5 end=count");
		pair_free(p);
	}
}

/* RFC 9293 3.6: after the tester's FIN, the target can still send. */
static void
fault_no_send_after_peer_fin(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_SEND_AFTER_PEER_FIN : -1);
		agent_conn(p);
		pair_shutdown(p);
		assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0, k);
		pair_ctl(p, "WRITE 2 4");
		expect_reply(p, k ? "OK n=0 end=error errno=EPIPE" :
		    "OK n=4 end=count");
		assert_int_equal(p->rxlen, k ? 0 : 4);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.10.2: SEND after the application's shutdown is refused
 * (EPIPE) and nothing is sent; write-after-shut-wr-sent sends the bytes
 * after the FIN.
 */
static void
fault_write_after_shut_wr_sent(void **state)
{
	struct pair *p;
	uint32_t fin;
	size_t n;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_WRITE_AFTER_SHUT_WR_SENT : -1);
		agent_conn(p);
		pair_ctl(p, "SHUTDOWN 2 wr");
		expect_reply(p, "OK");
		assert_true((i = pair_find_out(p, 0, SEG_FIN, SEG_FIN)) >= 0);
		fin = p->out[i].seq;
		n = p->nout;
		pair_ctl(p, "WRITE 2 4");
		expect_reply(p, k ? "OK n=4 end=count" :
		    "OK n=0 end=error errno=EPIPE");
		pair_run(p);
		i = pair_find_out(p, n, SEG_PSH, SEG_PSH);
		assert_int_equal(i >= 0, k);
		if (k) {
			assert_int_equal(p->out[i].seq, fin + 1);
			assert_int_equal(p->out[i].len, 4);
		}
		pair_free(p);
	}
}

/*
 * RFC 9293 3.10.7.4, seventh, CLOSE-WAIT: text after the peer's FIN is
 * ignored, so not acknowledged; beyond-fin-data-taken acknowledges it.
 */
static void
fault_beyond_fin_data_taken(void **state)
{
	struct pair *p;
	struct seg d;
	char *err = NULL;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_BEYOND_FIN_DATA_TAKEN : -1);
		agent_conn(p);
		pair_shutdown(p);
		assert_int_equal(pair_target_tcb(p)->state, TCPS_CLOSE_WAIT);
		pair_template(p, &d);
		d.seq = p->tcb->snd_max;
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		n = p->nout;
		assert_int_equal(tcp_send_raw(p->tcb, &d, 0, &err), 0);
		pair_run(p);
		pair_advance(p, 500000);
		assert_int_equal(count_acks_of(p, n, d.seq + 10), k);
		pair_ctl(p, "READ 2 10 timeout=0");
		expect_reply(p, "OK n=0 end=eof");
		pair_free(p);
	}
}

/*
 * RFC 9293 3.8.6.1, MUST-36: the zero window of a peer that has closed
 * its side is probed as any other; half-closed-no-persist stops there.
 */
static void
fault_half_closed_no_persist(void **state)
{
	struct pair *p;
	uint32_t una;
	size_t n, i;
	int k, probes;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_HALF_CLOSED_NO_PERSIST : -1);
		agent_conn(p);
		p->tcb->hooks.win_set = 1;
		p->tcb->hooks.win = 0;
		pair_shutdown(p);
		assert_int_equal(pair_target_tcb(p)->state, TCPS_CLOSE_WAIT);
		una = p->tcb->rcv_nxt;
		n = p->nout;
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		pair_advance(p, 1500000);
		probes = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].seq == una && p->out[i].len == 1)
				probes++;
		assert_int_equal(probes, k ? 0 : 1);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.6.1: FIN-WAIT-2 after shutdown(SHUT_WR) lasts as long as the
 * peer sends; fin-wait-2-timeout ends it after 2 MSL, and later data
 * gets RST.
 */
static void
fault_fin_wait_2_timeout(void **state)
{
	struct pair *p;
	uint32_t end;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_FIN_WAIT_2_TIMEOUT : -1);
		agent_conn(p);
		pair_ctl(p, "SHUTDOWN 2 wr");
		expect_reply(p, "OK");
		pair_run(p);
		assert_int_equal(pair_target_tcb(p)->state, TCPS_FIN_WAIT_2);
		/* 2 MSL of serve's default MSL, 30 s, and a little more. */
		pair_advance(p, 61000000);
		end = p->tcb->snd_max + 4;
		n = p->nout;
		pair_send(p, "late");
		assert_int_equal(pair_find_out(p, n, SEG_RST, SEG_RST) >= 0, k);
		assert_int_equal(count_acks_of(p, n, end), !k);
		pair_free(p);
	}
}

/* --- simultaneous close --------------------------------------------- */

/* FINs cross: each side acknowledges the other's (RFC 9293 figure 13). */
static void
fault_simclose_no_ack(void **state)
{
	struct pair *p;
	char *err = NULL;
	uint32_t tefin;
	size_t nin;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SIMCLOSE_NO_ACK : -1);
		agent_conn(p);
		tefin = p->tcb->snd_max;
		assert_int_equal(tcp_shutdown(p->tcb, &err), 0);
		serve_ctl_input(p->ctl, "SHUTDOWN 2 wr\n", 14, p->now);
		expect_reply(p, "OK");
		pair_run(p);
		assert_int_equal(count_acks_of(p, 0, tefin + 1), k ? 0 : 1);
		/* The tester's retransmitted FIN is not acknowledged either. */
		nin = p->nin;
		pair_advance(p, 3000000);
		assert_int_equal(count_acks_of(p, 0, tefin + 1), k ? 0 : 1);
		assert_int_equal(p->nin > nin, k);
		assert_int_equal(pair_target_tcb(p)->state, TCPS_TIME_WAIT);
		pair_free(p);
	}
}

/* --- RST versus FIN -------------------------------------------------- */

/*
 * The application closes with bytes unread: RST, or with the fault
 * (when with_fault) a FIN and no RST.  The pair is left open.
 */
static struct pair *
close_unread(int fault, int with_fault)
{
	struct pair *p = with(with_fault ? fault : -1);

	agent_conn(p);
	pair_send(p, "unread");
	pair_ctl(p, "CLOSE 2");
	expect_reply(p, "OK");
	assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0,
	    with_fault);
	assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST) >= 0,
	    !with_fault);
	return p;
}

/* RFC 1122 4.2.2.13: close with unread data sends RST, not FIN. */
static void
fault_fin_on_unread_close(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < 2; k++)
		pair_free(close_unread(SF_FIN_ON_UNREAD_CLOSE, k));
}

/* RFC 1122 4.2.2.13: data arriving after close() gets an RST. */
static void
fault_no_rst_after_close(void **state)
{
	struct pair *p;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_RST_AFTER_CLOSE : -1);
		agent_conn(p);
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		n = p->nout;
		pair_send(p, "late");
		assert_int_equal(pair_find_out(p, n, SEG_RST, SEG_RST) >= 0,
		    !k);
		assert_int_equal(p->te_closed, !k);
		pair_free(p);
	}
}

/*
 * RFC 1122 4.2.2.13, both halves: no-rst-for-lost-data closes with unread
 * data by a FIN, and data after that close draws neither RST nor ACK.
 */
static void
fault_no_rst_for_lost_data(void **state)
{
	struct pair *p;
	size_t n;

	(void)state;
	p = close_unread(SF_NO_RST_FOR_LOST_DATA, 1);
	n = p->nout;
	pair_send(p, "late");
	assert_int_equal(p->nout, n);	/* no RST, no ACK */
	assert_int_equal(p->te_closed, 0);
	pair_free(p);
}

/*
 * RFC 2525 2.16: after close() every segment of data draws an RST, and
 * the FIN is not retransmitted once the connection is reset;
 * rst-once-fin-goes-on answers only the first and keeps the connection.
 */
static void
fault_rst_once_fin_goes_on(void **state)
{
	struct pair *p;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RST_ONCE_FIN_GOES_ON : -1);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;	/* the FIN is never acked */
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		n = p->nout;
		pair_send(p, "late");
		assert_true(pair_find_out(p, n, SEG_RST, SEG_RST) >= 0);
		assert_int_equal(pair_target_tcb(p) != NULL, k);
		/* The FIN is sent again only where the connection lives on. */
		n = p->nout;
		pair_advance(p, 3000000);
		assert_int_equal(pair_find_out(p, n, SEG_FIN, SEG_FIN) >= 0, k);
		pair_free(p);
	}
}

/* RFC 2525 2.17: close after everything was read sends FIN, not RST. */
static void
fault_rst_on_clean_close(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RST_ON_CLEAN_CLOSE : -1);
		agent_conn(p);
		pair_send(p, "read");
		pair_ctl(p, "READ 2 4");
		expect_reply(p, "OK n=4 end=count");
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST) >= 0, k);
		assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0,
		    !k);
		pair_free(p);
	}
}

/* SO_LINGER {1, 0}: close() is ABORT (RFC 9293 3.10.5): RST. */
static void
fault_linger_ignored(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_LINGER_IGNORED : -1);
		agent_conn(p);
		pair_ctl(p, "LINGER 2 on 0");
		expect_reply(p, "OK");
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST) >= 0,
		    !k);
		assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0, k);
		pair_free(p);
	}
}

/* --- RST ------------------------------------------------------------- */

/* An RST with seq delta from RCV.NXT; 1 if the connection survived. */
static int
rst_at(struct pair *p, uint32_t delta, int *acked)
{
	struct seg r;
	size_t n = p->nout;

	pair_template(p, &r);
	r.flags = SEG_RST;
	r.seq += delta;
	pair_raw(p, &r);
	*acked = pair_find_out(p, n, 0xff, SEG_ACK) >= 0;
	return pair_target_tcb(p) != NULL;
}

/* RFC 5961 3.2 (RFC 9293 3.10.7.4): only an RST at RCV.NXT resets. */
static void
fault_rst_accept_out_of_window(void **state)
{
	struct pair *p;
	int k, acked;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RST_ACCEPT_OUT_OF_WINDOW : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		assert_int_equal(rst_at(p, 0x40000000u, &acked), !k);
		assert_false(acked);
		pair_free(p);
	}
}

/* RFC 5961 3.2, 4.2: in-window RST and any SYN draw a challenge ACK. */
static void
fault_no_challenge_ack(void **state)
{
	struct pair *p;
	struct seg syn;
	size_t n;
	int k, acked;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_CHALLENGE_ACK : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		assert_int_equal(rst_at(p, 10, &acked), !k);
		assert_int_equal(acked, !k);
		pair_free(p);

		p = with(k ? SF_NO_CHALLENGE_ACK : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &syn);
		syn.flags = SEG_SYN;
		syn.seq += 10;
		n = p->nout;
		pair_raw(p, &syn);
		if (k) {
			assert_int_equal(p->out[n].flags, SEG_RST);
			assert_null(pair_target_tcb(p));
		} else {
			assert_int_equal(p->out[n].flags, SEG_ACK);
			assert_int_equal(p->out[n].ack, syn.seq - 10);
			assert_non_null(pair_target_tcb(p));
		}
		pair_free(p);
	}
	/*
	 * An old SYN (the first one again) is outside the window: RFC 793
	 * answers it with the first step's ACK, so no-challenge-ack does too;
	 * syn-resets resets even then.
	 */
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SYN_RESETS : SF_NO_CHALLENGE_ACK);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &syn);
		syn.flags = SEG_SYN;
		syn.seq--;
		n = p->nout;
		pair_raw(p, &syn);
		if (k) {
			assert_int_equal(p->out[n].flags, SEG_RST);
			assert_null(pair_target_tcb(p));
		} else {
			assert_int_equal(p->out[n].flags, SEG_ACK);
			assert_int_equal(p->out[n].ack, syn.seq + 1);
			assert_non_null(pair_target_tcb(p));
		}
		pair_free(p);
	}
}

/* RFC 9293 3.10.7.4 second: an RST at RCV.NXT resets the connection. */
static void
fault_rst_ignored(void **state)
{
	struct pair *p;
	int k, acked;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RST_IGNORED : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		assert_int_equal(rst_at(p, 0, &acked), k);
		pair_free(p);
	}
}

/* RFC 9293 3.10.7.4 fifth, RFC 5961 5.2: an ACK of unsent data is dropped. */
static void
fault_ack_beyond_snd_nxt_accepted(void **state)
{
	struct pair *p;
	struct seg d;
	char *err = NULL;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_ACK_BEYOND_SND_NXT_ACCEPTED : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &d);
		d.flags = SEG_ACK | SEG_PSH;
		d.ack += 100000;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		n = p->nout;
		/* The tester owns the bytes (no ACK war over them). */
		assert_int_equal(tcp_send_raw(p->tcb, &d, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		assert_int_equal(p->nout, n + 1);
		assert_int_equal(p->out[n].flags, SEG_ACK);
		assert_int_equal(p->out[n].ack, k ? d.seq + 10 : d.seq);
		pair_free(p);
	}
}

/*
 * shutdown(SHUT_RD) sends nothing, and data that arrives afterwards is
 * acknowledged; the fault makes it SHUT_RDWR, which sends a FIN.  SHUT_RDWR: data afterwards gets
 * an RST, as after close() (RFC 1122 4.2.2.13).
 */
static void
fault_shut_rd_sends_fin(void **state)
{
	struct pair *p;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SHUT_RD_SENDS_FIN : -1);
		agent_conn(p);
		n = p->nout;
		pair_ctl(p, "SHUTDOWN 2 rd");
		expect_reply(p, "OK");
		assert_int_equal(pair_find_out(p, n, SEG_FIN, SEG_FIN) >= 0, k);
		n = p->nout;
		pair_send(p, "late");
		/* With the fault SHUT_RD was SHUT_RDWR: an RST, below. */
		assert_int_equal(pair_find_out(p, n, SEG_RST, SEG_RST) >= 0, k);
		pair_free(p);
	}
	p = with(-1);
	agent_conn(p);
	pair_ctl(p, "SHUTDOWN 2 rdwr");
	expect_reply(p, "OK");
	assert_true(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0);
	n = p->nout;
	pair_send(p, "late");
	assert_true(pair_find_out(p, n, SEG_RST, SEG_RST) >= 0);
	pair_free(p);
}

/*
 * RFC 9293 MUST-3: data whose checksum failed (the decoder's SEG_W_CSUM)
 * is thrown away, neither acknowledged nor delivered; no-checksum-check
 * takes it.
 */
static void
fault_no_checksum_check(void **state)
{
	struct pair *p;
	struct seg d;
	char *err = NULL;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_CHECKSUM_CHECK : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &d);
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		d.warn = SEG_W_CSUM;
		n = p->nout;
		/* The tester owns the bytes (no ACK war over them). */
		assert_int_equal(tcp_send_raw(p->tcb, &d, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		p->now += 1000000;
		serve_timers_run(p->sv, p->now);
		pair_run(p);
		assert_int_equal(count_acks_of(p, n, d.seq + 10), k);
		assert_int_equal(serve_get_stats(p->sv)->bad_csum, k ? 0 : 1);
		/* The same bytes with a good checksum are taken. */
		d.warn = 0;
		n = p->nout;
		pair_raw(p, &d);
		p->now += 1000000;
		serve_timers_run(p->sv, p->now);
		pair_run(p);
		assert_true(count_acks_of(p, n, d.seq + 10) >= 1);
		pair_free(p);
	}
}

/*
 * The passive checks' faults (check_passive.c): an echo connection, data
 * both ways, and among the target's segments without SYN one bent as the
 * fault says (what the passive check must see; suite.sh shows the check
 * firing on the wire).
 */
static int
has_opt(const struct seg *s, uint8_t kind)
{
	int i;

	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].kind == kind)
			return i;
	return -1;
}

static int
passive_bent(int fault, const struct pair *p, const struct seg *s)
{
	int i;

	switch (fault) {
	case SF_BAD_CHECKSUM_OUT:
		return s->csum_bad;
	case SF_OPTION_BAD_LENGTH:
		return (s->warn & SEG_W_OPT_LEN) && (i = has_opt(s,
		    TCPOPT_MD5)) >= 0 && s->opts[i].len == 4;
	case SF_EOL_PADDING_NONZERO:
		return (i = has_opt(s, TCPOPT_EOL)) >= 0 && i + 1 < s->nopts &&
		    s->opts[i + 1].kind == TCPOPT_NOP;
	case SF_MSS_ON_ACK:
		return (s->has & SEG_HAS_MSS) != 0;
	case SF_WSCALE_ON_ACK:
		return (s->has & SEG_HAS_WSCALE) != 0;
	case SF_SACKOK_ON_ACK:
		return (s->has & SEG_HAS_SACKOK) != 0;
	case SF_TIMESTAMPS_DROPPED:
		return !(s->flags & SEG_RST) && !(s->has & SEG_HAS_TS) &&
		    has_opt(s, TCPOPT_TIMESTAMP) < 0;
	case SF_RESERVED_BITS:
		return s->rsvd == 0x4;
	case SF_ACK_UNSENT_DATA:
		return (s->flags & SEG_ACK) && s->ack == p->tcb->snd_max + 1000;
	case SF_SEND_BEYOND_WINDOW:
		return s->len > 0 && (int32_t)(s->seq - p->tcb->rcv_nxt) > 1000;
	case SF_WINDOW_SHRINK:
		return (s->flags & SEG_ACK) && s->win == 0;
	case SF_URGENT_POINTER_BEYOND:
		return (s->flags & (SEG_URG | SEG_FIN)) == (SEG_URG |
		    SEG_FIN) && s->urp == s->len + 1000;
	}
	return 0;
}

static void
fault_passive_checks(void **state)
{
	static const int faults[] = { SF_BAD_CHECKSUM_OUT,
	    SF_OPTION_BAD_LENGTH, SF_EOL_PADDING_NONZERO, SF_MSS_ON_ACK,
	    SF_WSCALE_ON_ACK, SF_SACKOK_ON_ACK, SF_TIMESTAMPS_DROPPED,
	    SF_RESERVED_BITS, SF_ACK_UNSENT_DATA, SF_SEND_BEYOND_WINDOW,
	    SF_WINDOW_SHRINK, SF_URGENT_POINTER_BEYOND };
	struct pair *p;
	size_t i, j, k, bent;

	(void)state;
	for (k = 0; k < sizeof(faults) / sizeof(faults[0]); k++) {
		/* Without the fault: no segment is bent so. */
		for (i = 0; i < 2; i++) {
			p = pair_new(AF_INET, i ? faults[k] : -1);
			assert_non_null(pair_connect(p, SERVE_ECHO_PORT));
			pair_send(p, "hello, passive checks");
			pair_send(p, "and once more");
			pair_shutdown(p);	/* echo's FIN follows */
			for (bent = 0, j = 0; j < p->nout; j++)
				if (!(p->out[j].flags & SEG_SYN) &&
				    passive_bent(faults[k], p, &p->out[j]))
					bent++;
			if ((bent > 0) != (i == 1))
				fail_msg("fault %s: %zu segments bent %s it",
				    serve_faults[faults[k]].name, bent,
				    i ? "with" : "without");
			pair_free(p);
		}
	}
}

/* --- window and ECN --------------------------------------------------- */

/*
 * RFC 9293 3.8.6.1: the target's application writes into our zero window.
 * Without a fault nothing leaves at once and a one-octet probe follows one
 * RTO later; persist-at-once sends an empty probe below SND.UNA at once;
 * no-persist sends no probe at all.
 */
static void
fault_persist(void **state)
{
	struct pair *p;
	uint32_t una;
	size_t n, i;
	int k, early, probes;

	(void)state;
	for (k = 0; k < 3; k++) {
		p = with(k == 0 ? -1 : k == 1 ? SF_PERSIST_AT_ONCE :
		    SF_NO_PERSIST);
		agent_conn(p);
		p->tcb->hooks.win_set = 1;
		p->tcb->hooks.win = 0;
		tcp_ack_now(p->tcb);
		pair_run(p);
		una = p->tcb->rcv_nxt;
		n = p->nout;
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		early = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].seq == una - 1 && p->out[i].len == 0)
				early++;
		assert_int_equal(early, k == 1);
		n = p->nout;
		pair_advance(p, 1500000);
		probes = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].seq == una && p->out[i].len == 1)
				probes++;
		assert_int_equal(probes, k == 2 ? 0 : 1);
		pair_free(p);
	}
}

/*
 * RFC 3168 6.1.1: serve does no ECN, so a SYN that does not ask for it
 * gets a plain SYN-ACK; the faults add ECE, or ECE and CWR.
 */
static void
fault_ecn_synack(void **state)
{
	static const uint16_t want[3] = { 0, SEG_ECE, SEG_ECE | SEG_CWR };
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 3; k++) {
		p = with(k == 0 ? -1 : k == 1 ? SF_ECN_SYNACK_UNASKED :
		    SF_ECN_SYNACK_REFLECT);
		pair_connect(p, SERVE_ECHO_PORT);
		assert_int_equal(p->in[0].flags & (SEG_ECE | SEG_CWR), 0);
		assert_int_equal(p->out[0].flags, SEG_SYN | SEG_ACK | want[k]);
		pair_free(p);
	}
}

/* A raw segment from the tester to port, from 18000. */
static void
raw_to(struct pair *p, struct seg *a, uint16_t port, uint16_t flags)
{
	seg_init(a, AF_INET);
	memcpy(a->src, p->te_addr, 16);
	memcpy(a->dst, p->sv_addr, 16);
	a->sport = 18000;
	a->dport = port;
	a->seq = 1000;
	a->ack = (flags & SEG_ACK) ? 4242 : 0;
	a->flags = flags;
	a->win = 1000;
}

/*
 * RFC 9293 3.10.7.1: a segment to a closed port draws an RST, an RST
 * draws nothing.  A port of the ephemeral range is closed unless the
 * application listens there, even to a SYN ("any open port" stays out).
 */
static void
fault_closed_port(void **state)
{
	static const uint16_t flags[] = { SEG_ACK, SEG_SYN, 0, SEG_RST,
	    SEG_RST | SEG_ACK };
	struct pair *p;
	struct seg a;
	size_t i;
	int k;

	(void)state;
	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
			p = with(k == 0 ? -1 : k == 1 ? SF_CLOSED_PORT_SILENT :
			    SF_CLOSED_PORT_ANSWERS_RST);
			raw_to(p, &a, 45000, flags[i]);
			if (flags[i] == 0)
				a.len = 0;
			pair_raw_stack(p, &a);
			if (flags[i] & SEG_RST) {
				assert_int_equal(p->nout, k == 2);
			} else if (k == 1)
				assert_int_equal(p->nout, 0);
			else {
				assert_int_equal(p->nout, 1);
				assert_true(p->out[0].flags & SEG_RST);
				assert_int_equal(p->out[0].seq, (flags[i] &
				    SEG_ACK) ? 4242 : 0);
				if (!(flags[i] & SEG_ACK))
					assert_int_equal(p->out[0].ack, 1000 +
					    seg_seqlen(&a));
			}
			pair_free(p);
		}
}

/* The agent's connect, its SYN held back from the tester: SYN-SENT. */
static void
syn_sent(struct pair *p, struct seg *a)
{
	pair_ctl_open(p);
	expect_reply(p, "OK version=1");
	p->drop_to_te = 1;
	pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
	expect_reply(p, "OK handle=1");
	assert_int_equal(p->out[0].flags, SEG_SYN);
	seg_init(a, AF_INET);
	memcpy(a->src, p->te_addr, 16);
	memcpy(a->dst, p->sv_addr, 16);
	a->sport = p->out[0].dport;
	a->dport = p->out[0].sport;
	a->seq = 777;
	a->ack = p->out[0].seq + 1;
	a->win = 1000;
}

/*
 * RFC 9293 3.10.7.3: in SYN-SENT an RST without ACK, or with a bad one, is
 * dropped (our SYN-ACK then gets its ACK); the fault resets (it gets RST).
 */
static void
fault_syn_sent_rst_unchecked(void **state)
{
	struct pair *p;
	struct seg r, sa;
	int k, bad;

	(void)state;
	for (k = 0; k < 2; k++)
		for (bad = 0; bad < 2; bad++) {
			p = with(k ? SF_SYN_SENT_RST_UNCHECKED : -1);
			syn_sent(p, &r);
			sa = r;
			r.flags = bad ? SEG_RST | SEG_ACK : SEG_RST;
			if (bad)
				r.ack += 100000;
			else
				r.ack = 0;
			pair_raw_stack(p, &r);
			assert_int_equal(p->nout, 1);
			sa.flags = SEG_SYN | SEG_ACK;
			pair_raw_stack(p, &sa);
			assert_int_equal(p->nout, 2);
			assert_int_equal(p->out[1].flags, k ? SEG_RST :
			    SEG_ACK);
			pair_free(p);
		}
}

/* RFC 9293 3.10.7.3 fifth: neither SYN nor RST in SYN-SENT: dropped. */
static void
fault_syn_sent_takes_any(void **state)
{
	struct pair *p;
	struct seg f;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SYN_SENT_TAKES_ANY : -1);
		syn_sent(p, &f);
		f.flags = SEG_FIN | SEG_ACK;
		pair_raw_stack(p, &f);
		if (k) {
			assert_int_equal(p->nout, 2);
			assert_int_equal(p->out[1].flags, SEG_ACK);
			assert_int_equal(p->out[1].ack, 779);	/* SYN, FIN */
		} else
			assert_int_equal(p->nout, 1);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.10.7.4 first: old data and data beyond the window draw an
 * ACK of RCV.NXT; the fault drops them without one.
 */
static void
fault_unacceptable_not_acked(void **state)
{
	struct pair *p;
	struct seg d;
	uint32_t nxt;
	size_t n;
	int k, beyond;

	(void)state;
	for (k = 0; k < 2; k++)
		for (beyond = 0; beyond < 2; beyond++) {
			p = with(k ? SF_UNACCEPTABLE_NOT_ACKED : -1);
			pair_connect(p, SERVE_DISCARD_PORT);
			pair_template(p, &d);
			d.flags = SEG_ACK | SEG_PSH;
			nxt = d.seq;
			d.seq += beyond ? 1000000000u : (uint32_t)-10;
			d.data = (const uint8_t *)"0123456789";
			d.len = 10;
			n = p->nout;
			pair_raw(p, &d);
			if (k)
				assert_int_equal(p->nout, n);
			else {
				assert_int_equal(p->nout, n + 1);
				assert_int_equal(p->out[n].ack, nxt);
			}
			pair_free(p);
		}
}

/* RFC 9293 3.10.7.4 fifth: "if the ACK bit is off, drop the segment". */
static void
fault_no_ack_bit_taken(void **state)
{
	struct pair *p;
	struct seg d;
	char *err = NULL;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_ACK_BIT_TAKEN : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &d);
		d.flags = 0;
		d.ack = 0;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		n = p->nout;
		/* The tester owns the bytes (no ACK war over them). */
		assert_int_equal(tcp_send_raw(p->tcb, &d, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		pair_advance(p, 500000);	/* a delayed ACK too */
		assert_int_equal(count_acks_of(p, n, d.seq + 10), k);
		pair_free(p);
	}
}

/*
 * RFC 5961 5.2 (MAY-12): an ACK below SND.UNA - MAX.SND.WND is dropped with
 * an ACK; the fault takes it as a duplicate, which draws nothing.
 */
static void
fault_no_old_ack_check(void **state)
{
	struct pair *p;
	struct seg a;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_OLD_ACK_CHECK : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &a);
		a.flags = SEG_ACK;
		a.ack -= 1000000000u;
		n = p->nout;
		pair_raw(p, &a);
		assert_int_equal(p->nout, n + !k);
		if (!k)
			assert_int_equal(p->out[n].ack, a.seq);
		pair_free(p);
	}
}

/*
 * Nagle (RFC 9293 3.7.4): the application writes twice, the tester holds
 * its ACK.  The second short write waits (SHLD-7) unless TCP_NODELAY
 * (MUST-17); no-nagle sends it at once, nodelay-ignored holds it anyway.
 * k: 0 clean, 1 clean with NODELAY, 2 no-nagle, 3 nodelay-ignored with
 * NODELAY.
 */
static void
fault_nagle(void **state)
{
	static const int held[4] = { 1, 0, 0, 1 };
	struct pair *p;
	size_t n, i;
	int k, second;

	(void)state;
	for (k = 0; k < 4; k++) {
		p = with(k < 2 ? -1 : k == 2 ? SF_NO_NAGLE : SF_NODELAY_IGNORED);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;
		if (k == 1 || k == 3) {
			pair_ctl(p, "NODELAY 2 1");
			expect_reply(p, "OK");
		}
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		n = p->nout;
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		second = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].len == 100)
				second++;
		assert_int_equal(second, !held[k]);
		pair_free(p);
	}
}

/*
 * Keep-alive (RFC 9293 3.8.4), 1 s idle, probes unanswered: the first
 * probe at SND.NXT-1 after 1 s, a second one 1 s later.  keepalive-
 * ignored sends none, keepalive-early the first after 0.25 s, keepalive-
 * one-miss-fatal an RST instead of the second.
 */
static void
fault_keepalive(void **state)
{
	static const int ids[4] = { -1, SF_KEEPALIVE_IGNORED,
	    SF_KEEPALIVE_EARLY, SF_KEEPALIVE_ONE_MISS_FATAL };
	struct pair *p;
	uint32_t una;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 4; k++) {
		p = with(ids[k]);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;
		una = p->tcb->rcv_nxt;
		pair_ctl(p, "KEEPALIVE 2 1");
		expect_reply(p, "OK");
		n = p->nout;
		pair_advance(p, 300000);
		assert_int_equal(p->nout - n, k == 2 ? 1 : 0);
		pair_advance(p, 800000);
		if (k == 1) {
			assert_int_equal(p->nout, n);
			pair_free(p);
			continue;
		}
		assert_true(p->nout > n);
		assert_int_equal(p->out[n].seq, una - 1);
		assert_int_equal(p->out[n].len, 0);
		assert_int_equal(p->out[n].flags, SEG_ACK);
		n = p->nout;
		pair_advance(p, 1100000);
		assert_true(p->nout > n);
		assert_int_equal(p->out[n].flags, k == 3 ? SEG_RST | SEG_ACK :
		    SEG_ACK);
		pair_free(p);
	}
}

/*
 * Urgent data (RFC 9293 3.8.5): three octets sent with MSG_OOB go out
 * with URG and the urgent pointer just past the last (MUST-62);
 * urgent-pointer-at-byte points at the last one.
 */
static void
fault_urgent_pointer(void **state)
{
	struct pair *p;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_URGENT_POINTER_AT_BYTE : -1);
		agent_conn(p);
		n = p->nout;
		pair_ctl(p, "URGENT 2 3");
		expect_reply(p, "OK n=3");
		assert_true(p->nout > n);
		assert_int_equal(p->out[n].len, 3);
		assert_true(p->out[n].flags & SEG_URG);
		assert_int_equal(p->out[n].urp, k ? 2 : 3);
		pair_free(p);
	}
}

/* --- seed variations (issue 14) -------------------------------------- */

/* A raw segment from the tester's port 18000 to the target's port. */
static void
raw_seg(struct pair *p, uint16_t sport, uint16_t dport, uint32_t seq,
    uint32_t ack, uint16_t flags)
{
	struct seg s;

	seg_init(&s, AF_INET);
	memcpy(s.src, p->te_addr, 16);
	memcpy(s.dst, p->sv_addr, 16);
	s.sport = sport;
	s.dport = dport;
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	s.win = 1000;
	pair_raw_stack(p, &s);
}

/* Segments the target sent from `from' with exactly these flags and ack. */
static int
count_sent(const struct pair *p, size_t from, uint16_t flags, uint32_t ack)
{
	size_t i;
	int n = 0;

	for (i = from; i < p->nout; i++)
		if (p->out[i].flags == flags && p->out[i].ack == ack)
			n++;
	return n;
}

/*
 * RFC 9293 3.10.7.4 fifth: an unacceptable ACK in SYN-RECEIVED draws
 * <SEQ=SEG.ACK><CTL=RST> and nothing else; the fault deletes the
 * half-open connection too, so the right ACK and data find none.
 */
static void
fault_bad_ack_aborts_syn_received(void **state)
{
	struct pair *p;
	struct seg d;
	uint32_t iss;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_BAD_ACK_ABORTS_SYN_RECEIVED : -1);
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 1000, 0, SEG_SYN);
		assert_int_equal(p->out[0].flags, SEG_SYN | SEG_ACK);
		iss = p->out[0].seq;
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 1001, iss + 100, SEG_ACK);
		assert_int_equal(p->nout, 2);
		assert_int_equal(p->out[1].flags & SEG_RST, SEG_RST);
		assert_int_equal(p->out[1].seq, iss + 100);
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 1001, iss + 1, SEG_ACK);
		seg_init(&d, AF_INET);
		memcpy(d.src, p->te_addr, 16);
		memcpy(d.dst, p->sv_addr, 16);
		d.sport = 18000;
		d.dport = SERVE_DISCARD_PORT;
		d.seq = 1001;
		d.ack = iss + 1;
		d.flags = SEG_ACK | SEG_PSH;
		d.win = 1000;
		d.data = (const uint8_t *)"data";
		d.len = 4;
		pair_raw_stack(p, &d);
		assert_int_equal(count_acks_of(p, 2, 1005) >= 1, !k);
		assert_int_equal(pair_find_out(p, 2, SEG_RST, SEG_RST) >= 0, k);
		pair_free(p);
	}
}

/* RFC 9293 3.10.7.4 fourth: a new SYN in SYN-RECEIVED (passive): LISTEN. */
static void
fault_syn_received_syn_ignored(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SYN_RECEIVED_SYN_IGNORED : -1);
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 1000, 0, SEG_SYN);
		assert_int_equal(p->nout, 1);
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 5000, 0, SEG_SYN);
		assert_int_equal(p->nout, 1);	/* nothing either way */
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 5000, 0, SEG_SYN);
		assert_int_equal(count_sent(p, 1, SEG_SYN | SEG_ACK, 5001), !k);
		pair_free(p);
	}
}

/* MUST-11: an RST in SYN-RECEIVED of an active open refuses; no LISTEN. */
static void
fault_rst_active_syn_received_listens(void **state)
{
	struct pair *p;
	uint16_t port;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RST_ACTIVE_SYN_RECEIVED_LISTENS : -1);
		pair_ctl_open(p);
		expect_reply(p, "OK version=1");
		p->drop_to_te = 1;
		pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
		expect_reply(p, "OK handle=1");
		port = p->out[0].sport;
		raw_seg(p, 18500, port, 5000, 0, SEG_SYN);
		assert_int_equal(p->out[1].flags, SEG_SYN | SEG_ACK);
		raw_seg(p, 18500, port, 5001, 0, SEG_RST);
		raw_seg(p, 18500, port, 9000, 0, SEG_SYN);
		assert_int_equal(count_sent(p, 2, SEG_SYN | SEG_ACK, 9001), k);
		assert_int_equal(count_sent(p, 2, SEG_RST | SEG_ACK, 9001), !k);
		pair_free(p);
	}
}

/* RFC 9293 3.4: modulo 2^32; a SYN at 2^32 - 1 is acknowledged with 0. */
static void
fault_no_seq_wrap(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_SEQ_WRAP : -1);
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 0xffffffffu, 0, SEG_SYN);
		assert_int_equal(count_sent(p, 0, SEG_SYN | SEG_ACK, 0), !k);
		assert_int_equal(p->nout, !k);
		pair_free(p);
	}
}

/* RFC 9293 3.10.7.2: a SYN with FIN gets no RST; one with RST is ignored. */
static void
fault_syn_fin_reset_and_syn_rst_opens(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SYN_FIN_RESET : -1);
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 1000, 0, SEG_SYN | SEG_FIN);
		assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST) >= 0, k);
		assert_int_equal(pair_find_out(p, 0, SEG_SYN, SEG_SYN) >= 0, !k);
		pair_free(p);
		p = with(k ? SF_SYN_RST_OPENS : -1);
		raw_seg(p, 18000, SERVE_DISCARD_PORT, 1000, 0, SEG_SYN | SEG_RST);
		assert_int_equal(count_sent(p, 0, SEG_SYN | SEG_ACK, 1001), k);
		assert_int_equal(p->nout, k);
		pair_free(p);
	}
}

/*
 * RFC 1122 4.2.2.13: close() resets only when data is lost.  Only the FIN
 * unread, or a copy of data already read: a FIN; the faults reset.
 */
static void
fault_rst_on_unread_fin_and_duplicate(void **state)
{
	struct pair *p;
	struct seg d;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RST_ON_UNREAD_FIN : -1);
		agent_conn(p);
		pair_send(p, "data");
		pair_ctl(p, "READ 2 4");
		expect_reply(p, "OK");
		pair_shutdown(p);
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST) >= 0, k);
		assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0, !k);
		pair_free(p);

		p = with(k ? SF_DUPLICATE_COUNTED_UNREAD : -1);
		agent_conn(p);
		pair_send(p, "data");
		pair_ctl(p, "READ 2 4");
		expect_reply(p, "OK");
		pair_template(p, &d);
		d.seq -= 4;
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"data";
		d.len = 4;
		pair_raw(p, &d);
		pair_ctl(p, "CLOSE 2");
		expect_reply(p, "OK");
		assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST) >= 0, k);
		assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0, !k);
		pair_free(p);
	}
}

/* RFC 9293 3.10.7.4: a FIN beyond a hole waits for the hole to fill. */
static void
fault_fin_out_of_order_taken(void **state)
{
	struct pair *p;
	struct seg d;
	size_t n;
	uint32_t nxt;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_FIN_OUT_OF_ORDER_TAKEN : -1);
		agent_conn(p);
		pair_template(p, &d);
		nxt = d.seq;
		d.seq += 4;
		d.flags = SEG_ACK | SEG_PSH | SEG_FIN;
		d.data = (const uint8_t *)"tail";
		d.len = 4;
		n = p->nout;
		/* The tester's TCB stays quiet (no ACK war over the FIN). */
		p->tcb->hooks.no_auto_ack = 1;
		pair_raw(p, &d);
		assert_int_equal(count_acks_of(p, n, nxt + 1) >= 1, k);
		assert_int_equal(count_acks_of(p, n, nxt + 9), 0);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.10.4: close() in SYN-RECEIVED (a simultaneous open) sends a
 * FIN at once, after the SYN; the fault holds it back.
 */
static void
fault_close_in_syn_received_held(void **state)
{
	struct pair *p;
	uint16_t port;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_CLOSE_IN_SYN_RECEIVED_HELD : -1);
		pair_ctl_open(p);
		expect_reply(p, "OK version=1");
		p->drop_to_te = 1;
		pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
		expect_reply(p, "OK handle=1");
		port = p->out[0].sport;
		raw_seg(p, 18500, port, 5000, 0, SEG_SYN);
		assert_int_equal(p->out[1].flags, SEG_SYN | SEG_ACK);
		pair_ctl(p, "CLOSE 1");
		expect_reply(p, "OK");
		assert_int_equal(p->nout, k ? 2 : 3);
		if (!k) {
			assert_int_equal(p->out[2].flags, SEG_FIN | SEG_ACK);
			assert_int_equal(p->out[2].seq, p->out[0].seq + 1);
			assert_int_equal(p->out[2].ack, 5001);
		}
		pair_free(p);
	}
}

/*
 * RFC 9293 3.4.1 (MUST-8): the ISN of one four-tuple follows a clock; the
 * fault draws each at random, so that one goes back.
 */
static void
fault_random_isn(void **state)
{
	struct pair *p;
	uint32_t isn[8];
	int k, c, back;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RANDOM_ISN : -1);
		back = 0;
		for (c = 0; c < 8; c++) {
			raw_seg(p, 18000, SERVE_DISCARD_PORT, 1000, 0, SEG_SYN);
			isn[c] = p->out[p->nout - 1].seq;
			raw_seg(p, 18000, SERVE_DISCARD_PORT, 1001,
			    isn[c] + 1 + 0x40000000u, SEG_RST | SEG_ACK);
			p->now += 1000;
			if (c > 0 && (int32_t)(isn[c] - isn[c - 1]) <= 0)
				back++;
		}
		assert_int_equal(back > 0, k);
		pair_free(p);
	}
}

/* --- options ------------------------------------------------------ */

/* The tester opens with a SYN that offers the MSS only. */
static struct tcb *
connect_mss_only(struct pair *p, uint16_t port)
{
	struct tcp_tuple t;
	char *err = NULL;

	p->te_port = p->next_port++;
	p->sv_port = port;
	memset(&t, 0, sizeof(t));
	t.family = p->family;
	memcpy(t.laddr, p->te_addr, 16);
	memcpy(t.raddr, p->sv_addr, 16);
	t.lport = p->te_port;
	t.rport = port;
	assert_non_null(p->tcb = tcp_new(p->te, &t, &err));
	p->tcb->hooks.wscale = -1;
	p->tcb->hooks.ts = 0;
	p->tcb->hooks.sack = 0;
	assert_int_equal(tcp_connect(p->tcb, &err), 0);
	pair_run(p);
	return p->tcb;
}

/*
 * RFC 7323 2.2, 3.2: no WS or TS in a SYN-ACK to a SYN without them;
 * RFC 9293 SHLD-5: an MSS option in the SYN-ACK.
 */
static void
fault_synack_options(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 3; k++) {
		p = with(k == 0 ? -1 : k == 1 ? SF_SYNACK_OPTIONS_UNOFFERED :
		    SF_SYNACK_NO_MSS);
		connect_mss_only(p, SERVE_ECHO_PORT);
		assert_int_equal(p->out[0].flags, SEG_SYN | SEG_ACK);
		assert_int_equal((p->out[0].has & SEG_HAS_WSCALE) != 0, k == 1);
		assert_int_equal((p->out[0].has & SEG_HAS_TS) != 0, k == 1);
		assert_int_equal((p->out[0].has & SEG_HAS_MSS) != 0, k != 2);
		/* Both sides still agree: the connection opens. */
		assert_int_equal(p->tcb->state, TCPS_ESTABLISHED);
		pair_free(p);
	}
}

/* The tester opens with a SYN that carries exactly opts[0..n). */
static void
connect_opts(struct pair *p, const struct seg_opt *opts, int n)
{
	struct tcp_tuple t;
	char *err = NULL;

	p->te_port = p->next_port++;
	p->sv_port = SERVE_ECHO_PORT;
	memset(&t, 0, sizeof(t));
	t.family = p->family;
	memcpy(t.laddr, p->te_addr, 16);
	memcpy(t.raddr, p->sv_addr, 16);
	t.lport = p->te_port;
	t.rport = SERVE_ECHO_PORT;
	assert_non_null(p->tcb = tcp_new(p->te, &t, &err));
	assert_int_equal(tcp_set_syn_opts(p->tcb, opts, n, &err), 0);
	assert_int_equal(tcp_connect(p->tcb, &err), 0);
	pair_run(p);
	assert_int_equal(p->tcb->state, TCPS_ESTABLISHED);
}

/*
 * RFC 9293 3.7.1: the target's full segment is the MSS our SYN offered
 * (MUST-16), 536 or 1220 without one (MUST-15); 3.1: an MSS at an odd
 * offset is read like any other (MUST-64).  Each fault breaks one.
 */
static void
fault_mss(void **state)
{
	struct seg_opt o[5];
	struct pair *p;
	int k, fam;

	(void)state;
	memset(o, 0, sizeof(o));
	o[0].kind = TCPOPT_NOP;
	o[0].len = 1;
	o[1].kind = TCPOPT_MSS;
	o[1].len = 4;
	o[1].data[0] = 500 >> 8;
	o[1].data[1] = 500 & 0xff;
	o[2] = o[3] = o[4] = o[0];
	for (k = 0; k < 2; k++) {
		/* <mss 500>: 500, or the target's own with mss-ignored. */
		p = with(k ? SF_MSS_IGNORED : -1);
		connect_opts(p, o + 1, 1);
		if (k)
			assert_true(pair_target_tcb(p)->t_maxseg > 1000);
		else
			assert_int_equal(pair_target_tcb(p)->t_maxseg, 500);
		pair_free(p);
		/* No options: 536 and 1220, or 1460 (IPv6: its own 1440). */
		for (fam = 0; fam < 2; fam++) {
			p = pair_new(fam ? AF_INET6 : AF_INET, k ?
			    SF_MSS_DEFAULT_LARGE : -1);
			connect_opts(p, o, 0);
			if (k)
				assert_true(pair_target_tcb(p)->t_maxseg >
				    1220);
			else
				assert_int_equal(pair_target_tcb(p)->t_maxseg,
				    fam ? 1220 : 536);
			pair_free(p);
		}
		/* <nop,mss 500,nop,nop,nop>: 500, or 536 with the fault. */
		p = with(k ? SF_UNALIGNED_OPTIONS_SKIPPED : -1);
		connect_opts(p, o, 5);
		assert_int_equal(pair_target_tcb(p)->t_maxseg, k ? 536 : 500);
		pair_free(p);
		/* The fault reads an MSS that begins the options. */
		p = with(k ? SF_UNALIGNED_OPTIONS_SKIPPED : -1);
		connect_opts(p, o + 1, 1);
		assert_int_equal(pair_target_tcb(p)->t_maxseg, 500);
		pair_free(p);
	}
}

/* RFC 9293 MUST-5, MUST-6: an unknown option is skipped, SYN or data. */
static void
fault_unknown_option_drops(void **state)
{
	static const uint8_t v[4] = { 1, 2, 3, 4 };
	struct seg_opt o[2];
	struct pair *p;
	struct tcp_tuple t;
	struct seg d;
	char *err = NULL;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_UNKNOWN_OPTION_DROPS : -1);
		/* A SYN with an unknown option. */
		memset(o, 0, sizeof(o));
		o[0].kind = TCPOPT_MSS;
		o[0].len = 4;
		o[0].data[0] = 0x05;
		o[0].data[1] = 0xb4;
		o[1].kind = 99;
		o[1].len = 6;
		memcpy(o[1].data, v, 4);
		memset(&t, 0, sizeof(t));
		t.family = p->family;
		memcpy(t.laddr, p->te_addr, 16);
		memcpy(t.raddr, p->sv_addr, 16);
		t.lport = p->next_port++;
		t.rport = SERVE_DISCARD_PORT;
		assert_non_null(p->tcb = tcp_new(p->te, &t, &err));
		assert_int_equal(tcp_set_syn_opts(p->tcb, o, 2, &err), 0);
		assert_int_equal(tcp_connect(p->tcb, &err), 0);
		pair_run(p);
		assert_int_equal(pair_find_out(p, 0, SEG_SYN | SEG_ACK,
		    SEG_SYN | SEG_ACK) == 0, !k);
		pair_free(p);
		/* Data with an unknown option. */
		p = with(k ? SF_UNKNOWN_OPTION_DROPS : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &d);
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		assert_int_equal(seg_add_opt(&d, 99, v, 4), 0);
		assert_true(d.has & SEG_HAS_UNKNOWN);
		n = p->nout;
		assert_int_equal(tcp_send_raw(p->tcb, &d, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		assert_int_equal(count_acks_of(p, n, d.seq + 10), !k);
		pair_free(p);
	}
}

/*
 * RFC 9293 MUST-7: an illegal option length is handled (the decoder stops
 * at it and the TCP takes the segment); the fault hangs the stack 2 s.
 */
static void
fault_bad_option_length_wedges(void **state)
{
	struct pair *p;
	struct seg d;
	char *err = NULL;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_BAD_OPTION_WEDGES : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &d);
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		d.warn = SEG_W_OPT_TRUNC;	/* as decoded: kind 99 len 0 */
		n = p->nout;
		assert_int_equal(tcp_send_raw(p->tcb, &d, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		assert_int_equal(count_acks_of(p, n, d.seq + 10), !k);
		/* Hung: nothing answers for 2 s, a new SYN neither. */
		pair_advance(p, 1000000);
		n = p->nout;
		pair_connect(p, SERVE_ECHO_PORT);
		assert_int_equal(pair_find_out(p, n, SEG_SYN, SEG_SYN) >= 0,
		    !k);
		/* Then it answers again: the SYN's retransmission opens. */
		pair_advance(p, 2000000);
		assert_int_equal(p->tcb->state, TCPS_ESTABLISHED);
		pair_free(p);
	}
}

/* d's options: only a TSopt with this TSval (the echo kept). */
static void
set_tsval(struct seg *d, uint32_t val)
{
	uint32_t ecr = d->tsecr;

	d->nopts = 0;
	d->doff = 5;
	d->has = 0;
	assert_int_equal(seg_add_nop(d), 0);
	assert_int_equal(seg_add_nop(d), 0);
	assert_int_equal(seg_add_ts(d, val, ecr), 0);
}

/*
 * RFC 7323 4.3: the ACK echoes the newest in-order TSval; 5.3: a TSval
 * below TS.Recent is an old duplicate, dropped.  ts-recent-frozen echoes
 * the SYN's TSval for ever (and so takes any segment); no-paws takes the
 * old one.
 */
static void
fault_ts_recent_frozen_and_no_paws(void **state)
{
	struct pair *p;
	struct seg d;
	char *err = NULL;
	uint32_t syn_ts, now_ts;
	size_t n;
	int k, i;

	(void)state;
	for (k = 0; k < 3; k++) {
		p = with(k == 0 ? -1 : k == 1 ? SF_TS_RECENT_FROZEN :
		    SF_NO_PAWS);
		pair_connect(p, SERVE_DISCARD_PORT);
		assert_true(p->in[0].has & SEG_HAS_TS);
		syn_ts = p->in[0].tsval;
		pair_advance(p, 500000);
		/* In-order data, stamped later: the ACK echoes its TSval. */
		pair_template(p, &d);
		now_ts = d.tsval;
		assert_true(now_ts != syn_ts);
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		n = p->nout;
		assert_int_equal(tcp_send_raw(p->tcb, &d, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		i = pair_find_out(p, n, SEG_ACK, SEG_ACK);
		assert_true(i >= 0);
		assert_int_equal(p->out[i].ack, d.seq + 10);
		assert_int_equal(p->out[i].tsecr, k == 1 ? syn_ts : now_ts);
		/* New data with an older TSval: PAWS drops it. */
		pair_template(p, &d);
		set_tsval(&d, now_ts - 100);
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"abcdefghij";
		d.len = 10;
		n = p->nout;
		assert_int_equal(tcp_send_raw(p->tcb, &d, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		assert_int_equal(count_acks_of(p, n, d.seq + 10), k != 0);
		assert_int_equal(count_acks_of(p, n, d.seq) >= 1, k == 0);
		pair_free(p);
	}
}

/* RFC 2018 4: the first SACK block is the newest. */
static void
fault_sack_oldest_first(void **state)
{
	struct pair *p;
	struct seg d;
	uint32_t nxt, first;
	size_t n;
	int k, i, j;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_SACK_OLDEST_FIRST : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &d);
		nxt = d.seq;
		d.flags = SEG_ACK | SEG_PSH;
		d.data = (const uint8_t *)"0123456789";
		d.len = 10;
		d.seq = nxt + 10;	/* [nxt, nxt + 10) is missing */
		pair_raw(p, &d);
		d.seq = nxt + 30;	/* and [nxt + 20, nxt + 30) */
		n = p->nout;
		pair_raw(p, &d);
		i = pair_find_out(p, n, SEG_ACK, SEG_ACK);
		assert_true(i >= 0);
		assert_int_equal(p->out[i].ack, nxt);
		for (j = 0; j < p->out[i].nopts; j++)
			if (p->out[i].opts[j].kind == TCPOPT_SACK)
				break;
		assert_true(j < p->out[i].nopts);
		assert_int_equal(p->out[i].opts[j].len, 2 + 16);
		first = (uint32_t)p->out[i].opts[j].data[0] << 24 |
		    (uint32_t)p->out[i].opts[j].data[1] << 16 |
		    (uint32_t)p->out[i].opts[j].data[2] << 8 |
		    p->out[i].opts[j].data[3];
		assert_int_equal(first, k ? nxt + 10 : nxt + 30);
		pair_free(p);
	}
}

/* --- ACK generation -------------------------------------------------- */

/*
 * len bytes from the tester at offset off past its SND.NXT, not its own
 * (the tester neither retransmits them nor answers the ACKs they draw).
 */
static void
data_at(struct pair *p, uint32_t off, uint32_t len)
{
	static const uint8_t buf[2000];
	struct seg d;
	char *err = NULL;

	pair_template(p, &d);
	d.flags = SEG_ACK | SEG_PSH;
	d.seq += off;
	d.data = buf;
	d.len = len;
	assert_int_equal(tcp_send_raw(p->tcb, &d, 0, &err), 0);
	pair_run(p);
}

/*
 * A connection to a port with no service (any-port: nothing reads, so no
 * window update ACKs for the application), whose tester ACKs nothing.
 */
static uint32_t
ack_conn(struct pair *p)
{
	pair_connect(p, 5555);
	p->tcb->hooks.no_auto_ack = 1;
	return p->tcb->snd_nxt;
}

/* MUST-40: the ACK of data comes within 0.5 s; late-ack takes 0.6 s. */
static void
fault_late_ack(void **state)
{
	struct pair *p;
	uint32_t base;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_LATE_ACK : -1);
		base = ack_conn(p);
		n = p->nout;
		data_at(p, 0, 100);
		assert_int_equal(count_acks_of(p, n, base + 100), !k);
		pair_advance(p, 490000);
		assert_int_equal(count_acks_of(p, n, base + 100), !k);
		pair_advance(p, 120000);
		assert_int_equal(count_acks_of(p, n, base + 100), 1);
		pair_free(p);
	}
}

/* SHLD-19: two full-sized segments draw an ACK at once; not with the fault. */
static void
fault_ack_timer_only(void **state)
{
	struct pair *p;
	uint32_t base, mss;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_ACK_TIMER_ONLY : -1);
		base = ack_conn(p);
		mss = p->tcb->t_maxseg - 12;	/* timestamps */
		n = p->nout;
		data_at(p, 0, mss);
		data_at(p, mss, mss);
		assert_int_equal(count_acks_of(p, n, base + 2 * mss), !k);
		pair_advance(p, 310000);
		assert_int_equal(count_acks_of(p, n, base + 2 * mss), 1);
		pair_free(p);
	}
}

/* RFC 5681 4.2: a segment above a hole draws a duplicate ACK at once. */
static void
fault_no_dup_ack(void **state)
{
	struct pair *p;
	uint32_t base;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_NO_DUP_ACK : -1);
		base = ack_conn(p);
		n = p->nout;
		data_at(p, 1000, 1000);
		assert_int_equal(count_acks_of(p, n, base), !k);
		pair_advance(p, 310000);
		assert_int_equal(count_acks_of(p, n, base), 1);
		/* Held all the same: the hole's bytes complete it. */
		data_at(p, 0, 1000);
		assert_true(count_acks_of(p, n, base + 2000) >= !k);
		pair_free(p);
	}
}

/* RFC 5681 4.2: the segment that fills a hole draws an ACK at once. */
static void
fault_hole_fill_ack_delayed(void **state)
{
	struct pair *p;
	uint32_t base;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_HOLE_FILL_ACK_DELAYED : -1);
		base = ack_conn(p);
		data_at(p, 1000, 1000);
		n = p->nout;
		data_at(p, 0, 1000);
		assert_int_equal(count_acks_of(p, n, base + 2000), !k);
		pair_advance(p, 310000);
		assert_int_equal(count_acks_of(p, n, base + 2000), 1);
		pair_free(p);
	}
}

/* SHLD-31: a segment above a hole is held; ooo-dropped throws it away. */
static void
fault_ooo_dropped(void **state)
{
	struct pair *p;
	uint32_t base;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_OOO_DROPPED : -1);
		base = ack_conn(p);
		n = p->nout;
		data_at(p, 1000, 1000);
		assert_int_equal(count_acks_of(p, n, base), 1);
		n = p->nout;
		data_at(p, 0, 1000);
		assert_int_equal(count_acks_of(p, n, base + 2000), !k);
		assert_int_equal(count_acks_of(p, n, base + 1000), k);
		pair_free(p);
	}
}

/* MUST-59: a filled hole is acknowledged once, past the held segments. */
static void
fault_reass_ack_piecewise(void **state)
{
	struct pair *p;
	uint32_t base;
	size_t n;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_REASS_ACK_PIECEWISE : -1);
		base = ack_conn(p);
		data_at(p, 1000, 1000);
		data_at(p, 2000, 1000);
		n = p->nout;
		data_at(p, 0, 1000);
		assert_int_equal(count_acks_of(p, n, base + 1000), k);
		assert_true(p->nout > n);
		assert_int_equal(p->out[n].ack, base + (k ? 1000 : 3000));
		assert_true(count_acks_of(p, n, base + 3000) >= 1);
		pair_free(p);
	}
}

/* --- congestion control ---------------------------------------------- */

/* RFC 5681 3.1: IW of three segments of 1448 bytes; the fault, twenty. */
static void
fault_iw_too_large(void **state)
{
	struct pair *p;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_IW_TOO_LARGE : -1);
		pair_connect(p, SERVE_ECHO_PORT);
		/* SMSS 1448: an MSS of 1460 less the timestamps. */
		assert_int_equal(pair_target_tcb(p)->cwnd, (k ? 20 : 3) * 1448);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.10.7.4 fifth: in FIN-WAIT-2 a FIN whose ACK is older than
 * SND.UNA (a duplicate, "it can be ignored") is still taken: TIME-WAIT and
 * an ACK of the FIN.  The fault drops it.
 */
static void
fault_fin_old_ack_dropped(void **state)
{
	char *err = NULL;
	struct pair *p;
	struct seg f;
	size_t n;
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_FIN_OLD_ACK_DROPPED : -1);
		agent_conn(p);
		pair_ctl(p, "SHUTDOWN 2 wr");
		expect_reply(p, "OK");
		pair_run(p);
		assert_int_equal(pair_target_tcb(p)->state, TCPS_FIN_WAIT_2);
		pair_template(p, &f);
		f.flags = SEG_FIN | SEG_ACK;
		f.ack -= 1;		/* below SND.UNA: not our FIN's ACK */
		n = p->nout;
		/* The tester's own FIN (LAST-ACK), so that the target's
		 * ACK of it draws nothing more. */
		assert_int_equal(tcp_send_raw(p->tcb, &f, TCP_RAW_ADVANCE,
		    &err), 0);
		pair_run(p);
		i = pair_find_out(p, n, SEG_ACK, SEG_ACK);
		assert_int_equal(i >= 0, !k);
		if (!k)
			assert_int_equal(p->out[i].ack, f.seq + 1);
		if (k)
			assert_int_equal(pair_target_tcb(p)->state,
			    TCPS_FIN_WAIT_2);
		else
			assert_int_equal(pair_target_tcb(p)->state,
			    TCPS_TIME_WAIT);
		pair_free(p);
	}
}

/*
 * An ICMP error about the target's connection p->out[i] (a router's, from
 * 198.18.0.9), quoting its IPv4 and TCP headers with seq + off, to serve.
 */
static void
icmp_about_mtu(struct pair *p, size_t i, uint8_t type, uint8_t code,
    uint32_t off, uint32_t word)
{
	const struct seg *o = &p->out[i];
	struct icmp_err e;
	uint8_t q[28], d[128];
	uint32_t seq = o->seq + off;
	int n;

	memset(q, 0, sizeof(q));
	q[0] = 0x45;
	q[3] = sizeof(q);
	q[8] = 64;
	q[9] = 6;
	memcpy(q + 12, o->src, 4);
	memcpy(q + 16, o->dst, 4);
	q[20] = (uint8_t)(o->sport >> 8);
	q[21] = (uint8_t)o->sport;
	q[22] = (uint8_t)(o->dport >> 8);
	q[23] = (uint8_t)o->dport;
	q[24] = (uint8_t)(seq >> 24);
	q[25] = (uint8_t)(seq >> 16);
	q[26] = (uint8_t)(seq >> 8);
	q[27] = (uint8_t)seq;
	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	e.src[0] = 198, e.src[1] = 18, e.src[3] = 9;
	memcpy(e.dst, o->src, 4);
	e.type = type;
	e.code = code;
	e.word = word;
	e.quote = q;
	e.quotelen = sizeof(q);
	assert_true((n = icmp_err_encode(&e, d, sizeof(d))) > 0);
	serve_icmp_input(p->sv, d, (size_t)n, p->now);
	pair_run(p);
}

static void
icmp_about(struct pair *p, size_t i, uint8_t type, uint8_t code,
    uint32_t off)
{
	icmp_about_mtu(p, i, type, code, off, 0);
}

/* The agent's connect() number h, in SYN-SENT: is it still there? */
static int
icmp_syn_sent(struct pair *p, int h)
{
	char line[32];
	const char *r;

	snprintf(line, sizeof(line), "STATUS %d", h);
	pair_ctl(p, line);
	r = pair_reply(p);
	assert_non_null(r);
	return strstr(r, "state=SYN-SENT") != NULL;
}

/*
 * ICMP errors about a connect() in SYN-SENT (RFC 9293 3.9.2.2, RFC 5927):
 * a port unreachable quoting the SYN aborts it, one quoting a sequence
 * number not in flight does not, nor do host unreachable (soft) and
 * Source Quench; each fault turns one of these around, and icmp-any-conn
 * takes an error about one connection as about another too.
 */
static void
fault_icmp(void **state)
{
	static const struct {
		int	 fault;
		uint8_t	 type, code;
		uint32_t off;
		int	 live;		/* SYN-SENT after it */
		int	 live2;		/* the second connection after it */
	} t[] = {
		{ -1, 3, 3, 0, 0, 1 },
		{ -1, 3, 3, 1000, 1, 1 },
		{ -1, 3, 1, 0, 1, 1 },
		{ -1, 11, 0, 0, 1, 1 },
		{ -1, 12, 0, 0, 1, 1 },
		{ -1, 4, 0, 0, 1, 1 },
		{ -1, 3, 4, 0, 1, 1 },
		{ SF_ICMP_HARD_IGNORED, 3, 3, 0, 1, 1 },
		{ SF_ICMP_NO_SEQ_CHECK, 3, 3, 1000, 0, 1 },
		{ SF_ICMP_SOFT_ABORTS, 3, 1, 0, 0, 1 },
		{ SF_ICMP_SOFT_ABORTS, 11, 0, 0, 0, 1 },
		{ SF_ICMP_SOFT_ABORTS, 4, 0, 0, 1, 1 },
		{ SF_ICMP_QUENCH_ABORTS, 4, 0, 0, 0, 1 },
		{ SF_ICMP_QUENCH_ABORTS, 3, 1, 0, 1, 1 },
		{ SF_ICMP_ANY_CONN, 3, 3, 0, 0, 0 },
		{ SF_ICMP_ANY_CONN, 3, 1, 0, 1, 1 },
	};
	struct pair *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		p = with(t[i].fault);
		pair_ctl_open(p);
		expect_reply(p, "OK version=1");
		p->drop_to_te = 2;
		pair_ctl(p, "CONNECT 198.18.0.1 18500 wait=0");
		expect_reply(p, "OK handle=1");
		pair_ctl(p, "CONNECT 198.18.0.1 18501 wait=0");
		expect_reply(p, "OK handle=2");
		assert_int_equal(p->nout, 2);
		assert_int_equal(p->out[0].flags, SEG_SYN);
		icmp_about(p, 0, t[i].type, t[i].code, t[i].off);
		if (icmp_syn_sent(p, 1) != t[i].live ||
		    icmp_syn_sent(p, 2) != t[i].live2)
			fail_msg("case %zu: after type %u code %u, connection 1 "
			    "%s, connection 2 %s", i, t[i].type, t[i].code,
			    icmp_syn_sent(p, 1) ? "lives" : "is gone",
			    icmp_syn_sent(p, 2) ? "lives" : "is gone");
		/* Gone without a word on the wire: SYN-SENT sends no RST. */
		assert_int_equal(p->nout, 2);
		pair_free(p);
	}
}

/* ICMP errors about an established connection: a hard one is taken as
 * soft (RFC 5927 7.2); a soft one aborts with icmp-soft-aborts (RST). */
static void
fault_icmp_established(void **state)
{
	struct pair *p;
	size_t n;

	(void)state;
	p = with(-1);
	agent_conn(p);
	p->drop_to_te = 1;	/* the data stays in flight */
	pair_ctl(p, "WRITE 2 100");
	expect_reply(p, "OK");
	n = p->nout;
	assert_true(n >= 1);
	assert_int_equal(p->out[n - 1].len, 100);
	icmp_about(p, n - 1, 3, 3, 0);
	assert_int_equal(p->nout, n);
	assert_int_equal(p->tcb->state, TCPS_ESTABLISHED);
	pair_ctl(p, "STATUS 2");
	assert_non_null(strstr(pair_reply(p), "state=ESTABLISHED"));
	pair_free(p);
	p = with(SF_ICMP_SOFT_ABORTS);
	agent_conn(p);
	p->drop_to_te = 1;
	pair_ctl(p, "WRITE 2 100");
	expect_reply(p, "OK");
	n = p->nout;
	icmp_about(p, n - 1, 11, 0, 0);
	assert_true(p->nout > n);
	assert_true(p->out[p->nout - 1].flags & SEG_RST);
	pair_free(p);
}

/* RFC 9293 3.5.3 (SHLD-2): an RST that carries data still resets. */
static void
fault_rst_with_data_ignored(void **state)
{
	static const uint8_t text[10] = "diagnostic";
	struct pair *p;
	struct seg r;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_RST_WITH_DATA_IGNORED : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		pair_template(p, &r);
		r.flags = SEG_RST | SEG_ACK;
		r.data = text;
		r.len = sizeof(text);
		pair_raw(p, &r);
		if (k)
			assert_non_null(pair_target_tcb(p));
		else
			assert_null(pair_target_tcb(p));
		pair_free(p);
	}
}

/*
 * RFC 9293 3.1 (MUST-1): a window field of 0x8000 or more is a large
 * window; window-signed takes it as none, and the data waits.
 */
static void
fault_window_signed(void **state)
{
	struct pair *p;
	uint32_t una;
	size_t n, i;
	int k, sent;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_WINDOW_SIGNED : -1);
		agent_conn(p);
		p->tcb->hooks.win_set = 1;
		p->tcb->hooks.win = 0x9000;
		tcp_ack_now(p->tcb);
		pair_run(p);
		assert_int_equal(pair_target_tcb(p)->snd_wnd == 0, k);
		una = p->tcb->rcv_nxt;
		n = p->nout;
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		sent = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].seq == una && p->out[i].len == 100)
				sent++;
		assert_int_equal(sent, !k);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.8.4 (MUST-25, MUST-28): no keep-alive unless asked;
 * keepalive-default-on probes an idle connection every second.
 */
static void
fault_keepalive_default_on(void **state)
{
	struct pair *p;
	uint32_t una;
	size_t n, i;
	int k, probes;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_KEEPALIVE_DEFAULT_ON : -1);
		pair_connect(p, SERVE_DISCARD_PORT);
		una = p->tcb->rcv_nxt;
		n = p->nout;
		pair_advance(p, 2500000);
		probes = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].seq == una - 1 && p->out[i].len == 0 &&
			    p->out[i].flags == SEG_ACK)
				probes++;
		assert_int_equal(probes > 0, k);
		assert_int_equal(p->nout - n, (size_t)probes);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.8.6.1 (SHLD-30): the zero-window probes back off, one RTO
 * after the zero window, then two; persist-no-backoff probes every RTO.
 */
static void
fault_persist_no_backoff(void **state)
{
	struct pair *p;
	uint64_t rto, t;
	uint32_t una;
	size_t n, i;
	int k, probes;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_PERSIST_NO_BACKOFF : -1);
		agent_conn(p);
		p->tcb->hooks.win_set = 1;
		p->tcb->hooks.win = 0;
		tcp_ack_now(p->tcb);
		pair_run(p);
		una = p->tcb->rcv_nxt;
		n = p->nout;
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		/* One RTO, then two (at 3 RTOs); or every RTO. */
		rto = pair_target_tcb(p)->rto;
		for (t = 0; t < rto * 5 / 2; t += 100000)
			pair_advance(p, 100000);
		probes = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].seq == una && p->out[i].len == 1)
				probes++;
		assert_int_equal(probes, k ? 2 : 1);
		pair_free(p);
	}
}

/*
 * RFC 9293 3.8.6 (MUST-34, SHLD-15): an ACK of half the data with a zero
 * window moves the right edge back; no new data may go beyond it.
 * window-shrink-ignored keeps the old edge and sends the next write.
 */
static void
fault_window_shrink_ignored(void **state)
{
	struct pair *p;
	struct seg a;
	uint32_t una;
	size_t n, i;
	int k, sent;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_WINDOW_SHRINK_IGNORED : -1);
		agent_conn(p);
		p->tcb->hooks.no_auto_ack = 1;
		pair_ctl(p, "NODELAY 2 1");
		expect_reply(p, "OK");
		una = p->tcb->rcv_nxt;
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		assert_int_equal(pair_target_tcb(p)->snd_max, una + 100);
		pair_template(p, &a);
		a.flags = SEG_ACK;
		a.ack = una + 50;
		a.win = 0;
		pair_raw(p, &a);
		n = p->nout;
		pair_ctl(p, "WRITE 2 100");
		expect_reply(p, "OK n=100");
		sent = 0;
		for (i = n; i < p->nout; i++)
			if (p->out[i].seq == una + 100 && p->out[i].len > 0)
				sent++;
		assert_int_equal(sent, k);
		pair_free(p);
	}
}

/*
 * Fragmentation needed with a next-hop MTU 100 octets below what the
 * segments need (RFC 1191) about data in flight: the data goes again at
 * once in segments that fit; with icmp-ptb-ignored nothing is sent.  An
 * MTU no smaller than the segments changes nothing.
 */
static void
fault_icmp_ptb(void **state)
{
	struct pair *p;
	size_t n, i;
	uint32_t ms, mtu;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		p = with(k ? SF_ICMP_PTB_IGNORED : -1);
		agent_conn(p);
		ms = pair_target_tcb(p)->t_maxseg;
		mtu = ms + 40 - 100;
		p->drop_to_te = 1;
		pair_ctl(p, "WRITE 2 1448");
		expect_reply(p, "OK");
		n = p->nout;
		assert_true(n >= 1);
		assert_true(p->out[n - 1].len > ms - 100);
		icmp_about_mtu(p, n - 1, 3, 4, 0, 9000);
		assert_int_equal(p->nout, n);
		icmp_about_mtu(p, n - 1, 3, 4, 0, mtu);
		if (k) {
			assert_int_equal(p->nout, n);
			assert_int_equal(pair_target_tcb(p)->t_maxseg, ms);
		} else {
			assert_int_equal(pair_target_tcb(p)->t_maxseg,
			    ms - 100);
			assert_true(p->nout > n);
			assert_int_equal(p->out[n].seq, p->out[n - 1].seq);
			for (i = n; i < p->nout; i++)
				assert_true(p->out[i].len <= ms - 100);
		}
		pair_free(p);
	}
}

/* Every fault in the table is tested above (keep this list in step). */
static void
fault_every_one_tested(void **state)
{
	(void)state;
	assert_int_equal(SF_N, 107);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fault_synack_ack_off_by_one),
		cmocka_unit_test(fault_handshake_ack_off_by_one),
		cmocka_unit_test(fault_predictable_and_constant_isn),
		cmocka_unit_test(fault_synack_to_wrong_ack_no_rst_listen),
		cmocka_unit_test(fault_synack_to_wrong_ack_no_rst_syn_sent),
		cmocka_unit_test(fault_no_simultaneous_open),
		cmocka_unit_test(fault_fin_no_seq),
		cmocka_unit_test(fault_no_fin_ack),
		cmocka_unit_test(fault_no_time_wait),
		cmocka_unit_test(fault_time_wait_syn_rst),
		cmocka_unit_test(fault_no_fin_retransmit),
		cmocka_unit_test(fault_fin_retransmit_at_once),
		cmocka_unit_test(fault_no_rto_backoff),
		cmocka_unit_test(fault_initial_rto_200ms),
		cmocka_unit_test(fault_data_retransmit_at_once),
		cmocka_unit_test(fault_r2_63s),
		cmocka_unit_test(fault_short_time_wait),
		cmocka_unit_test(fault_refuse_data_after_fin),
		cmocka_unit_test(fault_no_send_after_peer_fin),
		cmocka_unit_test(fault_simclose_no_ack),
		cmocka_unit_test(fault_fin_on_unread_close),
		cmocka_unit_test(fault_no_rst_for_lost_data),
		cmocka_unit_test(fault_no_rst_after_close),
		cmocka_unit_test(fault_rst_on_clean_close),
		cmocka_unit_test(fault_linger_ignored),
		cmocka_unit_test(fault_rst_accept_out_of_window),
		cmocka_unit_test(fault_no_challenge_ack),
		cmocka_unit_test(fault_rst_ignored),
		cmocka_unit_test(fault_ack_beyond_snd_nxt_accepted),
		cmocka_unit_test(fault_close_in_syn_sent_held),
		cmocka_unit_test(fault_shut_rd_sends_fin),
		cmocka_unit_test(fault_no_checksum_check),
		cmocka_unit_test(fault_passive_checks),
		cmocka_unit_test(fault_write_after_shut_wr_sent),
		cmocka_unit_test(fault_beyond_fin_data_taken),
		cmocka_unit_test(fault_rst_once_fin_goes_on),
		cmocka_unit_test(fault_persist),
		cmocka_unit_test(fault_ecn_synack),
		cmocka_unit_test(fault_closed_port),
		cmocka_unit_test(fault_syn_sent_rst_unchecked),
		cmocka_unit_test(fault_syn_sent_takes_any),
		cmocka_unit_test(fault_unacceptable_not_acked),
		cmocka_unit_test(fault_no_ack_bit_taken),
		cmocka_unit_test(fault_no_old_ack_check),
		cmocka_unit_test(fault_half_closed_no_persist),
		cmocka_unit_test(fault_fin_wait_2_timeout),
		cmocka_unit_test(fault_nagle),
		cmocka_unit_test(fault_keepalive),
		cmocka_unit_test(fault_urgent_pointer),
		cmocka_unit_test(fault_bad_ack_aborts_syn_received),
		cmocka_unit_test(fault_syn_received_syn_ignored),
		cmocka_unit_test(fault_rst_active_syn_received_listens),
		cmocka_unit_test(fault_no_seq_wrap),
		cmocka_unit_test(fault_syn_fin_reset_and_syn_rst_opens),
		cmocka_unit_test(fault_rst_on_unread_fin_and_duplicate),
		cmocka_unit_test(fault_fin_out_of_order_taken),
		cmocka_unit_test(fault_close_in_syn_received_held),
		cmocka_unit_test(fault_random_isn),
		cmocka_unit_test(fault_synack_options),
		cmocka_unit_test(fault_unknown_option_drops),
		cmocka_unit_test(fault_bad_option_length_wedges),
		cmocka_unit_test(fault_ts_recent_frozen_and_no_paws),
		cmocka_unit_test(fault_sack_oldest_first),
		cmocka_unit_test(fault_fin_old_ack_dropped),
		cmocka_unit_test(fault_late_ack),
		cmocka_unit_test(fault_ack_timer_only),
		cmocka_unit_test(fault_no_dup_ack),
		cmocka_unit_test(fault_hole_fill_ack_delayed),
		cmocka_unit_test(fault_ooo_dropped),
		cmocka_unit_test(fault_reass_ack_piecewise),
		cmocka_unit_test(fault_iw_too_large),
		cmocka_unit_test(fault_mss),
		cmocka_unit_test(fault_icmp),
		cmocka_unit_test(fault_icmp_established),
		cmocka_unit_test(fault_icmp_ptb),
		cmocka_unit_test(fault_rst_with_data_ignored),
		cmocka_unit_test(fault_window_signed),
		cmocka_unit_test(fault_keepalive_default_on),
		cmocka_unit_test(fault_persist_no_backoff),
		cmocka_unit_test(fault_window_shrink_ignored),
		cmocka_unit_test(fault_every_one_tested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
