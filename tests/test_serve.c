/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_serve.c: the target of "tcpconform serve" without faults: its
 * services (echo, discard, HTTP, any open port) and the RFC behaviours the
 * conformance cases check, which must hold here so that every case passes
 * against serve with no fault (and fails only because of its fault).
 */
#include "config.h"

#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "serve.h"
#include "test_serve_pair.h"

#define HTTP_GET	"GET / HTTP/1.1\r\nHost: t\r\n\r\n"
#define HTTP_GET_CLOSE	"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"

static void
handshake(struct pair *p, uint16_t port)
{
	struct tcb *te = pair_connect(p, port);

	assert_non_null(te);
	assert_int_equal(te->state, TCPS_ESTABLISHED);
	assert_non_null(pair_target_tcb(p));
	assert_int_equal(pair_target_tcb(p)->state, TCPS_ESTABLISHED);
}

/* RFC 9293 3.4: the SYN-ACK acknowledges ISN+1 (the SYN takes one). */
static void
rfc9293_3_4_synack_acks_isn_plus_1(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	int i;

	(void)state;
	handshake(p, SERVE_ECHO_PORT);
	i = pair_find_out(p, 0, SEG_SYN | SEG_ACK, SEG_SYN | SEG_ACK);
	assert_int_equal(i, 0);
	assert_int_equal(p->out[i].ack, p->tcb->iss + 1);
	assert_int_equal(p->out[i].seq, p->tcb->irs);
	pair_free(p);
}

/* RFC 862: echo sends back what it gets, and closes after the peer's FIN. */
static void
rfc862_echo_returns_data_then_closes(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	uint32_t fin, iss;
	int i;

	(void)state;
	handshake(p, SERVE_ECHO_PORT);
	iss = pair_target_tcb(p)->iss;
	pair_send(p, "hello, echo");
	assert_int_equal(p->rxlen, 11);
	assert_memory_equal(p->rx, "hello, echo", 11);
	fin = p->tcb->snd_max;
	pair_shutdown(p);
	/* The tester's FIN is acknowledged with +1, then echo closes. */
	i = pair_find_out(p, 0, SEG_FIN, SEG_FIN);
	assert_true(i > 0);
	assert_int_equal(p->out[i].ack, fin + 1);
	assert_int_equal(p->out[i].seq, iss + 1 + 11);
	assert_int_equal(p->tcb->state, TCPS_TIME_WAIT);
	assert_null(pair_target_tcb(p));
	pair_free(p);
}

/* RFC 863: discard reads everything and sends nothing back. */
static void
rfc863_discard_sends_no_data(void **state)
{
	struct pair *p = pair_new(AF_INET6, -1);
	size_t i;

	(void)state;
	handshake(p, SERVE_DISCARD_PORT);
	pair_send(p, "into the void");
	assert_int_equal(p->rxlen, 0);
	for (i = 0; i < p->nout; i++)
		assert_int_equal(p->out[i].len, 0);
	assert_int_equal(tcp_readable(pair_target_tcb(p)), 0);
	pair_free(p);
}

/* Any other port accepts the connection (an "any open port" target). */
static void
serve_any_port_accepts(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);

	(void)state;
	handshake(p, 12345);
	pair_send(p, "x");
	assert_int_equal(p->tcb->snd_una, p->tcb->snd_max);
	pair_free(p);
}

/* Not the ports of active opens: a SYN there finds no listener. */
static void
serve_any_port_not_ephemeral(void **state)
{
	struct pair *p = pair_new(AF_INET, 0);
	int i;

	(void)state;
	pair_connect(p, SERVE_EPH_LO + 7);
	i = pair_find_out(p, 0, SEG_RST, SEG_RST);
	assert_int_equal(i, 0);
	assert_int_equal(p->out[i].flags, SEG_RST | SEG_ACK);
	assert_true(p->te_closed);
	assert_int_equal(p->te_reason, TCP_R_REFUSED);
	pair_free(p);
}

/* Without it, a closed port answers RST+ACK (RFC 9293 3.10.7.1). */
static void
rfc9293_3_10_7_1_closed_port_rst(void **state)
{
	struct serve_config cfg;
	struct pair *p;
	int i;

	(void)state;
	pair_config(&cfg, AF_INET, -1);
	cfg.any_port = 0;
	p = pair_new_cfg(&cfg);
	pair_connect(p, 12345);
	i = pair_find_out(p, 0, SEG_RST, SEG_RST);
	assert_int_equal(i, 0);
	assert_int_equal(p->out[i].flags, SEG_RST | SEG_ACK);
	assert_int_equal(p->out[i].seq, 0);
	assert_true(p->te_closed);
	assert_int_equal(p->te_reason, TCP_R_REFUSED);
	pair_free(p);
}

/* HTTP: a response per request; "Connection: close" closes (FIN). */
static void
serve_http_response_then_close(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	int i;

	(void)state;
	handshake(p, SERVE_HTTP_PORT);
	pair_send(p, HTTP_GET);
	assert_true(p->rxlen > 0);
	assert_memory_equal(p->rx, "HTTP/1.1 200 OK\r\n", 17);
	assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN), -1);
	pair_send(p, HTTP_GET_CLOSE);
	i = pair_find_out(p, 0, SEG_FIN | SEG_RST, SEG_FIN);
	assert_true(i > 0);
	assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST), -1);
	assert_int_equal(p->tcb->state, TCPS_CLOSE_WAIT);
	pair_free(p);
}

/*
 * RFC 1122 4.2.2.13: a close with a pipelined request unread sends RST,
 * not FIN, the way Linux does: RST+ACK, SEQ=SND.NXT, ACK=RCV.NXT.
 */
static void
rfc1122_4_2_2_13_unread_close_sends_rst(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	struct tcb *sv;
	uint32_t snd_nxt_te;
	int i;

	(void)state;
	handshake(p, SERVE_HTTP_PORT);
	sv = pair_target_tcb(p);
	snd_nxt_te = p->tcb->snd_max + strlen(HTTP_GET_CLOSE) + 19;
	pair_send(p, HTTP_GET_CLOSE "GET /2 HTTP/1.1\r\n\r\n");
	assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN), -1);
	i = pair_find_out(p, 0, SEG_RST, SEG_RST);
	assert_true(i > 0);
	assert_int_equal(p->out[i].flags, SEG_RST | SEG_ACK);
	assert_int_equal(p->out[i].seq, p->out[i - 1].seq + p->out[i - 1].len);
	assert_int_equal(p->out[i].ack, snd_nxt_te);
	(void)sv;
	assert_true(p->te_closed);
	assert_int_equal(p->te_reason, TCP_R_RESET);
	pair_free(p);
}

/*
 * RFC 5961 3.2: an RST in the window but not at RCV.NXT draws a challenge
 * ACK and the connection lives on; one at RCV.NXT resets it.
 */
static void
rfc5961_3_2_rst_in_window_challenge_ack(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	struct seg r;
	size_t n;
	int i;

	(void)state;
	handshake(p, SERVE_DISCARD_PORT);
	n = p->nout;
	pair_template(p, &r);
	r.flags = SEG_RST;
	r.seq += 100;
	pair_raw(p, &r);
	i = pair_find_out(p, n, 0xff, SEG_ACK);
	assert_true(i >= 0);
	assert_int_equal(p->out[i].ack, p->tcb->snd_max);
	assert_non_null(pair_target_tcb(p));
	r.seq -= 100;
	pair_raw(p, &r);
	assert_null(pair_target_tcb(p));
	pair_free(p);
}

/*
 * TIME-WAIT lasts 2 MSL, 60 s as on Linux, on the side that closed first;
 * a retransmitted FIN is acknowledged meanwhile (RFC 9293 3.10.7.4).
 */
static void
rfc9293_3_10_7_4_time_wait_60s(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	struct tcb *sv;
	struct seg f;
	size_t n;
	int i;

	(void)state;
	handshake(p, SERVE_HTTP_PORT);
	sv = pair_target_tcb(p);
	pair_send(p, HTTP_GET_CLOSE);
	pair_template(p, &f);
	pair_shutdown(p);
	assert_int_equal(sv->state, TCPS_TIME_WAIT);
	/* The tester's FIN again (its TCB is gone: LAST-ACK was ACKed). */
	f.flags |= SEG_FIN;
	n = p->nout;
	pair_raw_stack(p, &f);
	i = pair_find_out(p, n, 0xff, SEG_ACK);
	assert_true(i >= 0);
	assert_int_equal(p->out[i].ack, f.seq + 1);
	pair_advance(p, 59ULL * 1000000);
	assert_non_null(pair_target_tcb(p));
	pair_advance(p, 2ULL * 1000000);
	assert_null(pair_target_tcb(p));
	pair_free(p);
}

/*
 * RFC 1122 4.2.2.13 / RFC 6191: a new SYN above RCV.NXT reopens a
 * connection in TIME-WAIT, with an ISN above the old SND.NXT (Linux:
 * SND.NXT + 65537); an old one gets an ACK (RFC 9293 3.10.7.4).
 */
static void
rfc6191_time_wait_new_syn_reopens(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	struct seg f, syn;
	uint32_t sndmax;
	size_t n;

	(void)state;
	pair_connect(p, SERVE_HTTP_PORT);
	pair_send(p, HTTP_GET_CLOSE);
	pair_template(p, &f);
	pair_shutdown(p);
	assert_int_equal(pair_target_tcb(p)->state, TCPS_TIME_WAIT);
	sndmax = pair_target_tcb(p)->snd_max;
	seg_init(&syn, AF_INET);
	memcpy(syn.src, f.src, 16);
	memcpy(syn.dst, f.dst, 16);
	syn.sport = f.sport;
	syn.dport = f.dport;
	syn.flags = SEG_SYN;
	syn.win = 1000;
	syn.seq = f.seq - 1000;		/* old: ACK, still TIME-WAIT */
	n = p->nout;
	pair_raw_stack(p, &syn);
	assert_int_equal(p->out[n].flags, SEG_ACK);
	assert_int_equal(pair_target_tcb(p)->state, TCPS_TIME_WAIT);
	syn.seq = f.seq + 100000;	/* new: SYN-ACK */
	n = p->nout;
	pair_raw_stack(p, &syn);
	assert_int_equal(p->out[n].flags, SEG_SYN | SEG_ACK);
	assert_int_equal(p->out[n].seq, sndmax + 65537);
	assert_int_equal(p->out[n].ack, syn.seq + 1);
	assert_int_equal(pair_target_tcb(p)->state, TCPS_SYN_RECEIVED);
	pair_free(p);
}

/* The fault table: names unique and found, every family present. */
static void
serve_fault_table_complete(void **state)
{
	const char *fams[] = { "handshake", "close", "half-close",
	    "simultaneous-close", "rst-vs-fin", "rst" };
	size_t f;
	int i, j, found;

	(void)state;
	for (i = 0; i < SF_N; i++) {
		assert_non_null(serve_faults[i].name);
		assert_int_equal(serve_fault_lookup(serve_faults[i].name), i);
		for (j = 0; j < i; j++)
			assert_string_not_equal(serve_faults[i].name,
			    serve_faults[j].name);
	}
	for (f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		found = 0;
		for (i = 0; i < SF_N; i++)
			found |= strcmp(serve_faults[i].family, fams[f]) == 0;
		assert_true(found);
	}
	assert_int_equal(serve_fault_lookup("no-such-fault"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc9293_3_4_synack_acks_isn_plus_1),
		cmocka_unit_test(rfc862_echo_returns_data_then_closes),
		cmocka_unit_test(rfc863_discard_sends_no_data),
		cmocka_unit_test(serve_any_port_accepts),
		cmocka_unit_test(serve_any_port_not_ephemeral),
		cmocka_unit_test(rfc9293_3_10_7_1_closed_port_rst),
		cmocka_unit_test(serve_http_response_then_close),
		cmocka_unit_test(rfc1122_4_2_2_13_unread_close_sends_rst),
		cmocka_unit_test(rfc5961_3_2_rst_in_window_challenge_ack),
		cmocka_unit_test(rfc9293_3_10_7_4_time_wait_60s),
		cmocka_unit_test(rfc6191_time_wait_new_syn_reopens),
		cmocka_unit_test(serve_fault_table_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
