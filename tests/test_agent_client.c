/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_agent_client.c: the runner's decoding of the agent's replies, and
 * round trips from the agent's formatter (agent_req.c) to the client, so
 * that the two ends of the protocol cannot drift apart.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent_client.h"
#include "agent_req.h"

static struct agent_reply r;

static void
parse_ok(const char *line)
{
	char *err = NULL;

	if (agent_reply_parse(line, &r, &err) == -1)
		fail_msg("'%s': %s", line, err);
}

static void
parse_bad(const char *line)
{
	char *err = NULL;

	assert_int_equal(agent_reply_parse(line, &r, &err), -1);
	assert_non_null(err);
	free(err);
}

static void
agent_reply_ok_and_err_lines(void **state)
{
	(void)state;
	parse_ok("OK");
	assert_int_equal(r.ok, 1);
	assert_string_equal(r.text, "");
	parse_ok("OK handle=3 addr=127.0.0.1 port=80\n");
	assert_int_equal(r.ok, 1);
	assert_string_equal(r.text, "handle=3 addr=127.0.0.1 port=80");
	parse_ok("ERR ECONNREFUSED connect: Connection refused\r\n");
	assert_int_equal(r.ok, 0);
	assert_string_equal(r.errname, "ECONNREFUSED");
	assert_int_equal(r.error, ECONNREFUSED);
	assert_string_equal(r.text, "connect: Connection refused");
	/* A name this host does not know: kept, with errno 0. */
	parse_ok("ERR EFUTURE something new");
	assert_int_equal(r.error, 0);
	assert_string_equal(r.errname, "EFUTURE");
	parse_ok("ERR EIO");
	assert_string_equal(r.text, "");
}

static void
agent_reply_malformed_lines(void **state)
{
	char long_line[AGENT_REPLY_MAX + 10];

	(void)state;
	parse_bad("");
	parse_bad("OKAY");
	parse_bad("ok");
	parse_bad("ERR");
	parse_bad("ERR ");
	parse_bad("ERR lowercase message");
	parse_bad("ERR EWAYTOOLONGFORANERRNONAME x");
	parse_bad("ERR E-X message");
	parse_bad("HELLO 1");
	memset(long_line, 'x', sizeof(long_line) - 1);
	memcpy(long_line, "OK ", 3);
	long_line[sizeof(long_line) - 1] = '\0';
	parse_bad(long_line);
}

static void
agent_reply_get_finds_whole_keys(void **state)
{
	char buf[16];
	unsigned long long v;

	(void)state;
	parse_ok("OK peerport=40000 peer=::1 port=7 n=0 x=");
	assert_int_equal(agent_reply_get(&r, "peer", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "::1");
	assert_int_equal(agent_reply_num(&r, "port", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(agent_reply_num(&r, "peerport", &v), 0);
	assert_int_equal(v, 40000);
	assert_int_equal(agent_reply_num(&r, "n", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(agent_reply_get(&r, "x", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(agent_reply_get(&r, "pe", buf, sizeof(buf)), -1);
	assert_int_equal(agent_reply_get(&r, "addr", buf, sizeof(buf)), -1);
	/* Too long for the buffer: not found rather than cut. */
	assert_int_equal(agent_reply_get(&r, "peer", buf, 3), -1);
	parse_ok("OK n=-1 m=12x k=99999999999999999999999");
	assert_int_equal(agent_reply_num(&r, "n", &v), -1);
	assert_int_equal(agent_reply_num(&r, "m", &v), -1);
	assert_int_equal(agent_reply_num(&r, "k", &v), -1);
}

static void
agent_reply_endpoints_of_accept_and_connect(void **state)
{
	struct agent_endpoints ep;
	char *err = NULL;
	int h = 0;

	(void)state;
	parse_ok("OK handle=2 addr=198.18.0.2 port=8080 peer=198.18.0.1 "
	    "peerport=40001");
	assert_int_equal(agent_reply_endpoints(&r, &h, &ep, &err), 0);
	assert_int_equal(h, 2);
	assert_string_equal(ep.addr, "198.18.0.2");
	assert_int_equal(ep.port, 8080);
	assert_string_equal(ep.peer, "198.18.0.1");
	assert_int_equal(ep.peerport, 40001);
	assert_int_equal(ep.inprogress, 0);

	parse_ok("OK handle=64 addr=2001:db8::2 port=1 inprogress=1");
	assert_int_equal(agent_reply_endpoints(&r, &h, &ep, &err), 0);
	assert_int_equal(h, 64);
	assert_string_equal(ep.peer, "");
	assert_int_equal(ep.inprogress, 1);

	parse_ok("OK handle=65 addr=::1 port=1");
	assert_int_equal(agent_reply_endpoints(&r, &h, &ep, &err), -1);
	free(err);
	err = NULL;
	parse_ok("OK handle=1 addr=::1 port=65536");
	assert_int_equal(agent_reply_endpoints(&r, &h, &ep, &err), -1);
	free(err);
	err = NULL;
	parse_ok("ERR EADDRINUSE bind: Address already in use");
	assert_int_equal(agent_reply_endpoints(&r, &h, &ep, &err), -1);
	assert_string_equal(err, "agent: EADDRINUSE bind: Address already "
	    "in use");
	free(err);
}

/* The agent's formatter and the client's decoder agree: MUST-12 data. */
static void
agent_reply_read_round_trip_from_agent_formatter(void **state)
{
	struct agent_io_report io;
	struct agent_read_result res;
	char line[AGENT_REPLY_MAX], *err = NULL;
	unsigned char big[3000];
	size_t i;

	(void)state;
	memset(&io, 0, sizeof(io));
	io.is_read = 1;
	io.n = 5;
	io.end = AGENT_END_ERROR;
	io.error = ECONNRESET;
	io.sum = agent_sum(AGENT_SUM_INIT, "hello", 5);
	io.data = (const unsigned char *)"hello";
	io.datalen = 5;
	agent_fmt_io(line, sizeof(line), &io);
	parse_ok(line);
	assert_int_equal(agent_reply_read(&r, &res, &err), 0);
	assert_int_equal(res.count, 5);
	assert_int_equal(res.end, AGENT_END_ERROR);
	assert_int_equal(res.error, ECONNRESET);
	assert_string_equal(res.errname, "ECONNRESET");
	assert_true(res.sum == agent_sum(AGENT_SUM_INIT, "hello", 5));
	assert_int_equal(res.datalen, 5);
	assert_memory_equal(res.data, "hello", 5);

	for (i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)i;
	io.n = sizeof(big);
	io.end = AGENT_END_EOF;
	io.error = 0;
	io.sum = agent_sum(AGENT_SUM_INIT, big, sizeof(big));
	io.data = big;
	io.datalen = AGENT_HEX_MAX;
	agent_fmt_io(line, sizeof(line), &io);
	parse_ok(line);
	assert_int_equal(agent_reply_read(&r, &res, &err), 0);
	assert_int_equal(res.count, sizeof(big));
	assert_int_equal(res.end, AGENT_END_EOF);
	assert_int_equal(res.error, 0);
	assert_string_equal(res.errname, "");
	assert_int_equal(res.datalen, AGENT_HEX_MAX);
	assert_memory_equal(res.data, big, AGENT_HEX_MAX);
	assert_true(res.sum == agent_sum(AGENT_SUM_INIT, big, sizeof(big)));
}

static void
agent_reply_read_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"OK n=1 end=count sum=af63dc4c8601ec8c data=6",
		"OK n=1 end=count sum=af63dc4c8601ec8c data=zz",
		"OK n=1 end=count sum=af63dc4c86 data=61",
		"OK n=1 end=count sum=af63dc4c8601ec8g data=61",
		"OK n=1 end=finished sum=af63dc4c8601ec8c data=61",
		"OK n=0 end=count sum=af63dc4c8601ec8c data=61",
		"OK end=count sum=af63dc4c8601ec8c data=61",
		"OK n=1 end=count data=61",
		"OK n=1 end=count sum=af63dc4c8601ec8c",
	};
	struct agent_read_result res;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse_ok(bad[i]);
		err = NULL;
		if (agent_reply_read(&r, &res, &err) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_non_null(err);
		free(err);
	}
	parse_ok("OK n=1 end=count sum=af63dc4c8601ec8c data=61");
	err = NULL;
	assert_int_equal(agent_reply_read(&r, &res, &err), 0);
	assert_int_equal(res.data[0], 'a');
}

static void
agent_reply_write_round_trip(void **state)
{
	struct agent_io_report io;
	struct agent_write_result res;
	char line[AGENT_REPLY_MAX], *err = NULL;

	(void)state;
	memset(&io, 0, sizeof(io));
	io.n = 131072;
	io.end = AGENT_END_ERROR;
	io.error = EPIPE;
	agent_fmt_io(line, sizeof(line), &io);
	parse_ok(line);
	assert_int_equal(agent_reply_write(&r, &res, &err), 0);
	assert_int_equal(res.count, 131072);
	assert_int_equal(res.end, AGENT_END_ERROR);
	assert_int_equal(res.error, EPIPE);
	io.end = AGENT_END_TIMEOUT;
	agent_fmt_io(line, sizeof(line), &io);
	parse_ok(line);
	assert_int_equal(agent_reply_write(&r, &res, &err), 0);
	assert_int_equal(res.end, AGENT_END_TIMEOUT);
	assert_int_equal(res.error, 0);
}

static void
agent_reply_status_with_background_io(void **state)
{
	struct agent_status st;
	char *err = NULL;

	(void)state;
	parse_ok("OK handle=2 kind=stream addr=127.0.0.1 port=8080 "
	    "peer=127.0.0.1 peerport=5000 rcvbuf=131072 sndbuf=16384 "
	    "unread=12 state=CLOSE-WAIT bgread=eof bgread_n=100 "
	    "bgread_sum=00000000000000ff bgwrite=error bgwrite_n=7 "
	    "bgwrite_errno=ECONNRESET");
	assert_int_equal(agent_reply_status(&r, &st, &err), 0);
	assert_int_equal(st.listening, 0);
	assert_int_equal(st.ep.port, 8080);
	assert_int_equal(st.ep.peerport, 5000);
	assert_int_equal(st.rcvbuf, 131072);
	assert_int_equal(st.sndbuf, 16384);
	assert_int_equal(st.unread, 12);
	assert_string_equal(st.state, "CLOSE-WAIT");
	assert_int_equal(st.bgread.running, 0);
	assert_int_equal(st.bgread.end, AGENT_END_EOF);
	assert_int_equal(st.bgread.count, 100);
	assert_true(st.bgread.sum == 0xff);
	assert_int_equal(st.bgwrite.end, AGENT_END_ERROR);
	assert_int_equal(st.bgwrite.count, 7);
	assert_int_equal(st.bgwrite.error, ECONNRESET);

	parse_ok("OK handle=1 kind=listen addr=0.0.0.0 port=80 rcvbuf=1 "
	    "sndbuf=2 unread=0 bgread=running bgread_n=5 bgwrite=none");
	assert_int_equal(agent_reply_status(&r, &st, &err), 0);
	assert_int_equal(st.listening, 1);
	assert_string_equal(st.state, "");
	assert_int_equal(st.bgread.running, 1);
	assert_int_equal(st.bgread.count, 5);
	assert_int_equal(st.bgwrite.running, 0);
	assert_int_equal(st.bgwrite.end, AGENT_END_NONE);

	parse_ok("OK handle=1 kind=listen addr=0.0.0.0 port=80");
	assert_int_equal(agent_reply_status(&r, &st, &err), -1);
	free(err);
}

static void
agent_reply_revents_list(void **state)
{
	char *err = NULL;
	int rev = -1;

	(void)state;
	parse_ok("OK revents=in,hup,err");
	assert_int_equal(agent_reply_revents(&r, &rev, &err), 0);
	assert_int_equal(rev, POLLIN | POLLHUP | POLLERR);
	parse_ok("OK revents=none");
	assert_int_equal(agent_reply_revents(&r, &rev, &err), 0);
	assert_int_equal(rev, 0);
	parse_ok("OK revents=out");
	assert_int_equal(agent_reply_revents(&r, &rev, &err), 0);
	assert_int_equal(rev, POLLOUT);
	parse_ok("OK");
	assert_int_equal(agent_reply_revents(&r, &rev, &err), -1);
	free(err);
}

static void
agent_connect_refuses_names_and_bad_addresses(void **state)
{
	char *err = NULL;

	(void)state;
	/* Names are never looked up (no resolver in the runner's loop). */
	assert_null(agent_connect("agent.example", 7447, 100, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "agent at agent.example port 7447"));
	free(err);
	err = NULL;
	assert_null(agent_connect("300.1.1.1", 7447, 100, &err));
	assert_non_null(err);
	free(err);
}

/* A listener on loopback, port in *port; -1 when the host has none. */
static int
local_listener(uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 4) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/*
 * agent_connect_start() and agent_connect_poll() never block: while the
 * agent has not greeted, poll says 0 at once; after the greeting, 1 and
 * the greeting's text; an agent that never greets ends the wait after
 * timeout_ms with "no reply", which the runner tries again.
 */
static void
agent_connect_poll_does_not_block(void **state)
{
	struct agent *a;
	struct timespec t0, t1;
	char *err = NULL, line[64];
	uint16_t port = 0;
	ssize_t n;
	int l, s;

	(void)state;
	if ((l = local_listener(&port)) == -1)
		skip();
	a = agent_connect_start("127.0.0.1", port, 100, &err);
	assert_non_null(a);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(agent_connect_poll(a, &err), 0);
	assert_int_equal(agent_connect_poll(a, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000000000L +
	    (t1.tv_nsec - t0.tv_nsec) < 20000000L);
	assert_true((s = accept(l, NULL, NULL)) >= 0);
	n = read(s, line, sizeof(line) - 1);
	assert_true(n > 0);
	line[n] = '\0';
	assert_int_equal(strncmp(line, "HELLO ", 6), 0);
	assert_int_equal(agent_connect_poll(a, &err), 0);
	assert_true(write(s, "OK version=1 os=test\n", 21) == 21);
	while ((n = agent_connect_poll(a, &err)) == 0)
		;
	assert_int_equal(n, 1);
	assert_string_equal(agent_hello(a), "version=1 os=test");
	agent_free(a);
	close(s);

	/* No greeting: "no reply" after 100 ms, not before. */
	a = agent_connect_start("127.0.0.1", port, 100, &err);
	assert_non_null(a);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((n = agent_connect_poll(a, &err)) == 0)
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(n, -1);
	assert_non_null(strstr(err, "no reply in 100 ms"));
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 99);
	free(err);
	agent_free(a);
	close(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agent_reply_ok_and_err_lines),
		cmocka_unit_test(agent_reply_malformed_lines),
		cmocka_unit_test(agent_reply_get_finds_whole_keys),
		cmocka_unit_test(agent_reply_endpoints_of_accept_and_connect),
		cmocka_unit_test(
		    agent_reply_read_round_trip_from_agent_formatter),
		cmocka_unit_test(agent_reply_read_rejects_malformed),
		cmocka_unit_test(agent_reply_write_round_trip),
		cmocka_unit_test(agent_reply_status_with_background_io),
		cmocka_unit_test(agent_reply_revents_list),
		cmocka_unit_test(agent_connect_refuses_names_and_bad_addresses),
		cmocka_unit_test(agent_connect_poll_does_not_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
