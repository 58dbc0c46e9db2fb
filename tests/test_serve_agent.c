/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_serve_agent.c: the built-in agent of "tcpconform serve": the control
 * protocol of tcpconform-agent (agent_proto.h) acting on the target's own
 * connections, so that the runner drives the fault target exactly as it
 * drives Linux with the real agent.  Also the fault-free behaviours that
 * only the agent can provoke: half-close, simultaneous close, SO_LINGER.
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

#include "serve.h"
#include "test_serve_pair.h"

#define LPORT	5000		/* the target application's port */

static void	 expect_reply(struct pair *, const char *);
static int	 agent_conn(struct pair *);

/* The oldest reply starts with prefix. */
static void
expect_reply(struct pair *p, const char *prefix)
{
	const char *r = pair_reply(p);

	if (r == NULL || strncmp(r, prefix, strlen(prefix)) != 0)
		fail_msg("reply \"%s\", expected \"%s...\"", r != NULL ? r :
		    "(none)", prefix);
}

/* LISTEN, the tester connects, ACCEPT: the accepted handle (2). */
static int
agent_conn(struct pair *p)
{
	const char *r;

	pair_ctl_open(p);
	expect_reply(p, "OK version=1 agent=tcpconform-serve/");
	pair_ctl(p, "LISTEN 4 5000");
	expect_reply(p, "OK handle=1 addr=198.18.0.2 port=5000");
	pair_connect(p, LPORT);
	assert_int_equal(p->tcb->state, TCPS_ESTABLISHED);
	pair_ctl(p, "ACCEPT 1");
	r = pair_reply(p);
	assert_non_null(r);
	assert_string_equal(r, "OK handle=2 addr=198.18.0.2 port=5000 "
	    "peer=198.18.0.1 peerport=18000");
	return 2;
}

static void
agent_hello_first(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);

	(void)state;
	pair_ctl_new(p);
	pair_ctl(p, "STATUS 1");
	expect_reply(p, "ERR EPROTO");
	pair_ctl(p, "HELLO 2");
	expect_reply(p, "ERR EPROTONOSUPPORT");
	pair_ctl(p, "HELLO 1");
	expect_reply(p, "OK version=1 agent=tcpconform-serve/");
	pair_ctl(p, "HELLO 2");
	expect_reply(p, "ERR EPROTONOSUPPORT");
	pair_ctl(p, "FROB 1");
	expect_reply(p, "ERR ENOSYS");
	pair_ctl(p, "QUIT");
	expect_reply(p, "OK bye");
	assert_true(serve_ctl_done(p->ctl));
	pair_free(p);
}

static void
agent_accept_read_write(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	int h;

	(void)state;
	h = agent_conn(p);
	assert_int_equal(h, 2);
	pair_send(p, "abc");
	pair_ctl(p, "READ 2 3");
	expect_reply(p, "OK n=3 end=count");
	pair_ctl(p, "WRITE 2 5");
	expect_reply(p, "OK n=5 end=count");
	assert_int_equal(p->rxlen, 5);
	assert_memory_equal(p->rx, "abcde", 5);
	pair_ctl(p, "WRITEHEX 2 7a7a");
	expect_reply(p, "OK n=2 end=count");
	assert_memory_equal(p->rx + 5, "zz", 2);
	pair_ctl(p, "STATUS 2");
	expect_reply(p, "OK handle=2 kind=stream addr=198.18.0.2 port=5000 "
	    "peer=198.18.0.1 peerport=18000 rcvbuf=262144 sndbuf=262144 "
	    "unread=0 state=ESTABLISHED bgread=none bgwrite=none");
	pair_free(p);
}

/* A READ waits for the data and answers at the peer's FIN (end=eof). */
static void
agent_read_waits_for_eof(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	const char *r;

	(void)state;
	agent_conn(p);
	pair_ctl(p, "READ 2 100 timeout=5000");
	assert_null(pair_reply(p));
	pair_send(p, "xy");
	assert_null(pair_reply(p));
	pair_shutdown(p);
	r = pair_reply(p);
	assert_non_null(r);
	assert_int_equal(pair_reply_num(r, "OK n"), -1);
	assert_non_null(strstr(r, "n=2 end=eof"));
	assert_non_null(strstr(r, "data=7879"));
	pair_free(p);
}

/* The agent waits while the tester does nothing: timeouts answer. */
static void
agent_timeouts(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);

	(void)state;
	pair_ctl_open(p);
	pair_reply(p);
	pair_ctl(p, "LISTEN 4 5000");
	expect_reply(p, "OK handle=1");
	pair_ctl(p, "ACCEPT 1 timeout=1000");
	assert_null(pair_reply(p));
	/* Requests queued behind a waiting one wait too, as in the agent. */
	pair_ctl(p, "STATUS 1");
	assert_null(pair_reply(p));
	pair_advance(p, 999000);
	assert_null(pair_reply(p));
	pair_advance(p, 2000);
	expect_reply(p, "ERR ETIMEDOUT");
	expect_reply(p, "OK handle=1 kind=listen");
	pair_free(p);
}

static void
agent_connect_active_open(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	const char *r;

	(void)state;
	pair_listen(p, 18500);
	pair_ctl_open(p);
	pair_reply(p);
	pair_ctl(p, "CONNECT 198.18.0.1 18500");
	r = pair_reply(p);
	assert_non_null(r);
	assert_non_null(strstr(r, "inprogress=0"));
	assert_non_null(strstr(r, "peer=198.18.0.1 peerport=18500"));
	assert_non_null(p->te_accepted);
	assert_int_equal(p->te_accepted->state, TCPS_ESTABLISHED);
	/* Elsewhere than the tester: refused by the target itself. */
	pair_ctl(p, "CONNECT 198.18.9.9 80");
	expect_reply(p, "ERR EACCES");
	pair_ctl(p, "CONNECT 198.18.0.1 18501 timeout=500");
	assert_null(pair_reply(p));
	pair_advance(p, 600000);
	expect_reply(p, "ERR ETIMEDOUT");
	pair_free(p);
}

/* RFC 9293 3.6: after our FIN, the peer's data is still taken and read. */
static void
rfc9293_3_6_half_close_receives(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	uint32_t una;
	size_t n;
	int i;

	(void)state;
	agent_conn(p);
	pair_ctl(p, "SHUTDOWN 2 wr");
	expect_reply(p, "OK");
	assert_int_equal(p->tcb->state, TCPS_CLOSE_WAIT);
	n = p->nout;
	una = p->tcb->snd_max;
	pair_send(p, "after");
	i = pair_find_out(p, n, SEG_ACK, SEG_ACK);
	assert_true(i >= 0);
	assert_int_equal(p->out[i].ack, una + 5);
	pair_ctl(p, "READ 2 5");
	expect_reply(p, "OK n=5 end=count");
	pair_free(p);
}

/* RFC 9293 3.6: after the peer's FIN, the application still sends. */
static void
rfc9293_3_6_half_close_sends(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);

	(void)state;
	agent_conn(p);
	pair_shutdown(p);
	assert_int_equal(pair_target_tcb(p)->state, TCPS_CLOSE_WAIT);
	assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN), -1);
	pair_ctl(p, "WRITE 2 4");
	expect_reply(p, "OK n=4 end=count");
	assert_int_equal(p->rxlen, 4);
	pair_ctl(p, "READ 2 10");
	expect_reply(p, "OK n=0 end=eof");
	pair_free(p);
}

/*
 * RFC 9293 3.10.7.4, 3.6 figure 13: FINs cross; each is acknowledged and
 * the target goes CLOSING, then TIME-WAIT.
 */
static void
rfc9293_3_6_simultaneous_close(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	char *err = NULL;
	uint32_t tefin;
	int i;

	(void)state;
	agent_conn(p);
	tefin = p->tcb->snd_max;
	assert_int_equal(tcp_shutdown(p->tcb, &err), 0);	/* in flight */
	serve_ctl_input(p->ctl, "SHUTDOWN 2 wr\n", 14, p->now);
	expect_reply(p, "OK");
	pair_run(p);
	i = pair_find_out(p, 0, 0xff, SEG_ACK);
	assert_true(i >= 0);
	assert_int_equal(p->out[i].ack, tefin + 1);
	assert_int_equal(pair_target_tcb(p)->state, TCPS_TIME_WAIT);
	assert_int_equal(p->tcb->state, TCPS_TIME_WAIT);
	pair_free(p);
}

/* SO_LINGER {1, 0}: close() aborts with RST+ACK (as Linux). */
static void
rfc9293_3_10_5_linger_zero_rst(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	uint32_t rcv;
	int i;

	(void)state;
	agent_conn(p);
	rcv = p->tcb->snd_max;
	pair_ctl(p, "LINGER 2 on 0");
	expect_reply(p, "OK");
	pair_ctl(p, "CLOSE 2");
	expect_reply(p, "OK");
	i = pair_find_out(p, 0, SEG_RST | SEG_FIN, SEG_RST);
	assert_true(i >= 0);
	assert_int_equal(p->out[i].flags, SEG_RST | SEG_ACK);
	assert_int_equal(p->out[i].ack, rcv);
	assert_int_equal(pair_find_out(p, 0, SEG_FIN, SEG_FIN), -1);
	assert_int_equal(p->te_reason, TCP_R_RESET);
	pair_free(p);
}

/* Close after all was read: FIN (RFC 2525 2.17), not RST. */
static void
rfc2525_2_17_close_after_read_fin(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);

	(void)state;
	agent_conn(p);
	pair_send(p, "data");
	pair_ctl(p, "READ 2 4");
	expect_reply(p, "OK n=4 end=count");
	pair_ctl(p, "CLOSE 2");
	expect_reply(p, "OK");
	assert_true(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0);
	assert_int_equal(pair_find_out(p, 0, SEG_RST, SEG_RST), -1);
	assert_int_equal(p->tcb->state, TCPS_CLOSE_WAIT);
	pair_free(p);
}

/* RFC 1122 4.2.2.13: data after close() is answered with RST. */
static void
rfc1122_4_2_2_13_data_after_close_rst(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	size_t n;
	int i;

	(void)state;
	agent_conn(p);
	pair_ctl(p, "CLOSE 2");
	expect_reply(p, "OK");
	n = p->nout;
	pair_send(p, "late");
	i = pair_find_out(p, n, SEG_RST, SEG_RST);
	assert_true(i >= 0);
	assert_true(p->te_closed);
	pair_free(p);
}

/* A reset connection: READ ends with end=error errno=ECONNRESET. */
static void
agent_read_after_reset(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);

	(void)state;
	agent_conn(p);
	tcp_abort(p->tcb);
	pair_run(p);
	pair_ctl(p, "READ 2 10");
	expect_reply(p, "OK n=0 end=error errno=ECONNRESET");
	pair_ctl(p, "POLL 2 events=in");
	expect_reply(p, "OK revents=in,hup,err");
	pair_free(p);
}

/*
 * An RST at exactly RCV.NXT resets the connection (RFC 9293 3.10.7.4, RFC
 * 5961 3.2) and "users should also receive an unsolicited general
 * "connection reset" signal" (MUST-12): a READ that waits when the RST
 * arrives, and one that starts after it, both end with ECONNRESET, as
 * read(2) on a kernel socket does.
 */
static void
rfc9293_3_10_7_4_rst_at_rcv_nxt_resets_read(void **state)
{
	struct pair *p;
	struct seg rst;
	int waiting;

	(void)state;
	for (waiting = 0; waiting <= 1; waiting++) {
		p = pair_new(AF_INET, -1);
		agent_conn(p);
		if (waiting) {
			pair_ctl(p, "READ 2 100 timeout=1000");
			assert_null(pair_reply(p));
		}
		pair_template(p, &rst);
		rst.flags = SEG_RST | SEG_ACK;
		pair_raw(p, &rst);
		assert_null(pair_target_tcb(p));
		if (!waiting)
			pair_ctl(p, "READ 2 100 timeout=1000");
		expect_reply(p, "OK n=0 end=error errno=ECONNRESET");
		pair_free(p);
	}
}

/* POLL waits for the data; a background READ keeps reading. */
static void
agent_poll_and_background_read(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);
	const char *r;

	(void)state;
	agent_conn(p);
	pair_ctl(p, "POLL 2 events=in timeout=1000");
	assert_null(pair_reply(p));
	pair_send(p, "q");
	expect_reply(p, "OK revents=in");
	pair_ctl(p, "READ 2 1000 bg=1");
	expect_reply(p, "OK n=1 end=");
	pair_send(p, "rest");
	pair_ctl(p, "STATUS 2");
	r = pair_reply(p);
	assert_non_null(r);
	assert_non_null(strstr(r, "bgread=running bgread_n=5"));
	pair_free(p);
}

/* The runner's control connection ends: its connections are closed. */
static void
agent_ctl_end_closes_handles(void **state)
{
	struct pair *p = pair_new(AF_INET, -1);

	(void)state;
	agent_conn(p);
	serve_ctl_free(p->ctl);
	p->ctl = NULL;
	pair_run(p);
	assert_true(pair_find_out(p, 0, SEG_FIN, SEG_FIN) >= 0);
	assert_int_equal(p->tcb->state, TCPS_CLOSE_WAIT);
	pair_free(p);
}

/* LISTEN on a service port is refused; on "any" ports it takes over. */
static void
agent_listen_ports(void **state)
{
	struct pair *p = pair_new(AF_INET6, -1);

	(void)state;
	pair_ctl_open(p);
	pair_reply(p);
	pair_ctl(p, "LISTEN 6 7");
	expect_reply(p, "ERR EADDRINUSE");
	pair_ctl(p, "LISTEN 4 5000");
	expect_reply(p, "ERR EAFNOSUPPORT");
	pair_ctl(p, "LISTEN 6 7447");
	expect_reply(p, "ERR EACCES");
	pair_connect(p, 6000);		/* makes an "any port" listener */
	pair_ctl(p, "LISTEN 6 6000");
	expect_reply(p, "OK handle=1 addr=2001:db8::2 port=6000");
	pair_ctl(p, "LISTEN 6 0");
	expect_reply(p, "OK handle=2 addr=2001:db8::2 port=40000");
	pair_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agent_hello_first),
		cmocka_unit_test(agent_accept_read_write),
		cmocka_unit_test(agent_read_waits_for_eof),
		cmocka_unit_test(agent_timeouts),
		cmocka_unit_test(agent_connect_active_open),
		cmocka_unit_test(rfc9293_3_6_half_close_receives),
		cmocka_unit_test(rfc9293_3_6_half_close_sends),
		cmocka_unit_test(rfc9293_3_6_simultaneous_close),
		cmocka_unit_test(rfc9293_3_10_5_linger_zero_rst),
		cmocka_unit_test(rfc2525_2_17_close_after_read_fin),
		cmocka_unit_test(rfc1122_4_2_2_13_data_after_close_rst),
		cmocka_unit_test(agent_read_after_reset),
		cmocka_unit_test(rfc9293_3_10_7_4_rst_at_rcv_nxt_resets_read),
		cmocka_unit_test(agent_poll_and_background_read),
		cmocka_unit_test(agent_ctl_end_closes_handles),
		cmocka_unit_test(agent_listen_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
