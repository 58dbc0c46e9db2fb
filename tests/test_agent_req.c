/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_agent_req.c: the agent's side of the control protocol: request
 * parsing (good and hostile lines), reply formatting, the name tables,
 * and the address prefixes the agent trusts.
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

#include <cmocka.h>

#include "agent.h"

static struct agent_req req;
static struct agent_err perr;

/* Parse a NUL-terminated line; the result is in req or perr. */
static int
parse(const char *line)
{
	memset(&perr, 0, sizeof(perr));
	return agent_req_parse(line, strlen(line), &req, &perr);
}

/* Parse and expect an ERR with this errno. */
static void
expect_error(const char *line, int code)
{
	int rc = parse(line);

	if (rc != -1 || perr.code != code)
		fail_msg("'%s': expected %s, got rc %d code %s (%s)", line,
		    agent_errno_name(code), rc, agent_errno_name(perr.code),
		    perr.msg);
}

static void
agent_req_hello_version(void **state)
{
	(void)state;
	assert_int_equal(parse("HELLO 1"), 0);
	assert_int_equal(req.verb, AV_HELLO);
	assert_int_equal(req.version, 1);
	/* Verbs are case-insensitive; blanks may repeat. */
	assert_int_equal(parse("  hello\t 7 "), 0);
	assert_int_equal(req.version, 7);
}

static void
agent_req_listen_family_port_and_options(void **state)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&req.addr;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(parse("LISTEN 4 8080"), 0);
	assert_int_equal(req.verb, AV_LISTEN);
	assert_int_equal(req.family, AF_INET);
	assert_int_equal(req.port, 8080);
	assert_int_equal(req.backlog, 16);
	assert_int_equal(req.rcvbuf, -1);
	assert_int_equal(req.reuse, 1);
	assert_int_equal(req.addrlen, 0);

	assert_int_equal(parse("LISTEN 6 0 backlog=5 rcvbuf=4096 "
	    "sndbuf=8192 addr=2001:db8::2 reuse=0"), 0);
	assert_int_equal(req.family, AF_INET6);
	assert_int_equal(req.port, 0);
	assert_int_equal(req.backlog, 5);
	assert_int_equal(req.rcvbuf, 4096);
	assert_int_equal(req.sndbuf, 8192);
	assert_int_equal(req.reuse, 0);
	assert_int_equal(req.addrlen, sizeof(struct sockaddr_in6));
	assert_int_equal(sin6->sin6_family, AF_INET6);
	inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::2");
}

static void
agent_req_listen_rejects_bad_family_and_mismatched_addr(void **state)
{
	(void)state;
	expect_error("LISTEN 5 80", EAFNOSUPPORT);
	expect_error("LISTEN inet 80", EAFNOSUPPORT);
	/* addr= must be of the family asked for. */
	expect_error("LISTEN 4 80 addr=::1", EINVAL);
	expect_error("LISTEN 6 80 addr=198.18.0.1", EINVAL);
	expect_error("LISTEN 4 65536", EINVAL);
	expect_error("LISTEN 4 80 backlog=0", EINVAL);
	expect_error("LISTEN 4 80 rcvbuf=268435457", EINVAL);
}

static void
agent_req_connect_address_port_options(void **state)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&req.addr;

	(void)state;
	assert_int_equal(parse("CONNECT 198.18.0.1 80 lport=40000 "
	    "timeout=250 wait=0 nodelay=1 rcvbuf=2048"), 0);
	assert_int_equal(req.verb, AV_CONNECT);
	assert_int_equal(req.family, AF_INET);
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0xc6120001);
	assert_int_equal(ntohs(sin->sin_port), 80);
	assert_int_equal(req.port, 80);
	assert_int_equal(req.lport, 40000);
	assert_int_equal(req.timeout_ms, 250);
	assert_int_equal(req.wait, 0);
	assert_int_equal(req.nodelay, 1);
	assert_int_equal(req.rcvbuf, 2048);

	assert_int_equal(parse("CONNECT ::1 7 laddr=::1"), 0);
	assert_int_equal(req.family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&req.addr)->sin6_port),
	    7);
	assert_int_equal(req.laddrlen, sizeof(struct sockaddr_in6));
	assert_int_equal(req.wait, 1);
	assert_int_equal(req.timeout_ms, AGENT_TIMEOUT_DEFAULT);
	assert_int_equal(req.nodelay, -1);
}

static void
agent_req_connect_never_resolves_names(void **state)
{
	(void)state;
	expect_error("CONNECT localhost 80", EINVAL);
	expect_error("CONNECT 198.18.0.1 0", EINVAL);
	expect_error("CONNECT 198.18.0.1.5 80", EINVAL);
	expect_error("CONNECT ::1 80 laddr=127.0.0.1", EINVAL);
	expect_error("CONNECT ::1 80 timeout=600001", EINVAL);
}

static void
agent_req_read_modes_and_bg(void **state)
{
	(void)state;
	assert_int_equal(parse("READ 3 100"), 0);
	assert_int_equal(req.verb, AV_READ);
	assert_int_equal(req.handle, 3);
	assert_int_equal(req.count, 100);
	assert_int_equal(req.mode, AGENT_READ_FULL);
	assert_int_equal(req.bg, 0);
	assert_int_equal(parse("read 64 1073741824 mode=some timeout=0"), 0);
	assert_int_equal(req.handle, 64);
	assert_int_equal(req.count, AGENT_READ_MAX);
	assert_int_equal(req.mode, AGENT_READ_SOME);
	assert_int_equal(req.timeout_ms, 0);
	assert_int_equal(parse("READ 1 10 bg=1 timeout=600000"), 0);
	assert_int_equal(req.bg, 1);
	assert_int_equal(req.timeout_ms, AGENT_TIMEOUT_MAX);
	expect_error("READ 1 0", EINVAL);
	expect_error("READ 1 1073741825", EINVAL);
	expect_error("READ 1 10 mode=all", EINVAL);
	expect_error("READ 1 10 bg=1 mode=some", EINVAL);
}

static void
agent_req_write_pattern_and_hex(void **state)
{
	(void)state;
	assert_int_equal(parse("WRITE 2 1000000 bg=1"), 0);
	assert_int_equal(req.verb, AV_WRITE);
	assert_int_equal(req.count, 1000000);
	assert_int_equal(req.bg, 1);
	assert_int_equal(parse("WRITEHEX 2 00ff7Fa0"), 0);
	assert_int_equal(req.verb, AV_WRITEHEX);
	assert_int_equal(req.count, 4);
	assert_int_equal(req.data[0], 0x00);
	assert_int_equal(req.data[1], 0xff);
	assert_int_equal(req.data[2], 0x7f);
	assert_int_equal(req.data[3], 0xa0);
	expect_error("WRITEHEX 2 abc", EINVAL);
	expect_error("WRITEHEX 2 zz", EINVAL);
	expect_error("WRITEHEX 2 0g", EINVAL);
	expect_error("WRITEHEX 2 00 bg=1", EINVAL);
	expect_error("WRITE 2 0", EINVAL);
}

static void
agent_req_socket_options(void **state)
{
	(void)state;
	assert_int_equal(parse("SHUTDOWN 1 wr"), 0);
	assert_int_equal(req.how, SHUT_WR);
	assert_int_equal(parse("SHUTDOWN 1 RD"), 0);
	assert_int_equal(req.how, SHUT_RD);
	assert_int_equal(parse("SHUTDOWN 1 rdwr"), 0);
	assert_int_equal(req.how, SHUT_RDWR);
	expect_error("SHUTDOWN 1 both", EINVAL);

	/* {1, 0}: the abortive close. */
	assert_int_equal(parse("LINGER 5 on 0"), 0);
	assert_int_equal(req.verb, AV_LINGER);
	assert_int_equal(req.on, 1);
	assert_int_equal(req.seconds, 0);
	assert_int_equal(parse("LINGER 5 off"), 0);
	assert_int_equal(req.on, 0);
	expect_error("LINGER 5 on", EINVAL);
	expect_error("LINGER 5 on 3601", EINVAL);
	expect_error("LINGER 5 maybe 1", EINVAL);

	assert_int_equal(parse("RCVBUF 1 65536"), 0);
	assert_int_equal(req.verb, AV_RCVBUF);
	assert_int_equal(req.size, 65536);
	assert_int_equal(parse("SNDBUF 1 1"), 0);
	assert_int_equal(req.verb, AV_SNDBUF);
	expect_error("RCVBUF 1 0", EINVAL);
	assert_int_equal(parse("NODELAY 1 1"), 0);
	assert_int_equal(req.on, 1);
	expect_error("NODELAY 1 2", EINVAL);
	assert_int_equal(parse("KEEPALIVE 2 5"), 0);
	assert_int_equal(req.verb, AV_KEEPALIVE);
	assert_int_equal(req.on, 1);
	assert_int_equal(req.seconds, 5);
	assert_int_equal(parse("KEEPALIVE 2 off"), 0);
	assert_int_equal(req.on, 0);
	expect_error("KEEPALIVE 2 0", EINVAL);
	expect_error("KEEPALIVE 2", EINVAL);
	assert_int_equal(parse("URGENT 3 3"), 0);
	assert_int_equal(req.verb, AV_URGENT);
	assert_int_equal(req.count, 3);
	expect_error("URGENT 3 0", EINVAL);
	expect_error("URGENT 3 1025", EINVAL);
}

static void
agent_req_poll_status_close_quit(void **state)
{
	(void)state;
	assert_int_equal(parse("POLL 4"), 0);
	assert_int_equal(req.events, POLLIN);
	assert_int_equal(parse("POLL 4 events=in,out timeout=10"), 0);
	assert_int_equal(req.events, POLLIN | POLLOUT);
	assert_int_equal(req.timeout_ms, 10);
	assert_int_equal(parse("POLL 4 events=out"), 0);
	assert_int_equal(req.events, POLLOUT);
	expect_error("POLL 4 events=pri", EINVAL);
	assert_int_equal(parse("STATUS 9"), 0);
	assert_int_equal(req.verb, AV_STATUS);
	assert_int_equal(parse("CLOSE 9"), 0);
	assert_int_equal(req.verb, AV_CLOSE);
	assert_int_equal(req.handle, 9);
	assert_int_equal(parse("QUIT"), 0);
	assert_int_equal(req.verb, AV_QUIT);
	expect_error("QUIT now", EINVAL);
}

/* Hostile lines: each gets one ERR, none crashes or reads too far. */
static void
agent_req_hostile_overlong_line(void **state)
{
	char *line = malloc(AGENT_LINE_MAX + 10);

	(void)state;
	assert_non_null(line);
	memset(line, 'A', AGENT_LINE_MAX + 9);
	line[AGENT_LINE_MAX + 9] = '\0';
	expect_error(line, E2BIG);
	/* One byte short of the limit is still a line (an unknown verb). */
	line[AGENT_LINE_MAX - 1] = '\0';
	expect_error(line, ENOSYS);
	free(line);
}

static void
agent_req_hostile_embedded_nul_and_control_bytes(void **state)
{
	static const char withnul[] = "HELLO 1\0QUIT";

	(void)state;
	memset(&perr, 0, sizeof(perr));
	assert_int_equal(agent_req_parse(withnul, sizeof(withnul) - 1, &req,
	    &perr), -1);
	assert_int_equal(perr.code, EINVAL);
	assert_non_null(strstr(perr.msg, "NUL byte at column 8"));
	expect_error("HELLO\x01 1", EINVAL);
	expect_error("HELLO 1\x1b[2J", EINVAL);
	expect_error("HELLO \xc3\xa9", EINVAL);
	expect_error("HELLO 1\r", EINVAL);
}

static void
agent_req_hostile_bad_numbers(void **state)
{
	(void)state;
	expect_error("HELLO -1", EINVAL);
	expect_error("HELLO +1", EINVAL);
	expect_error("HELLO 1e3", EINVAL);
	expect_error("HELLO 0x1", EINVAL);
	expect_error("HELLO 99999999999999999999999999", EINVAL);
	expect_error("READ 1 18446744073709551616", EINVAL);
	expect_error("READ 1 -5", EINVAL);
	expect_error("READ 1 5 timeout=", EINVAL);
	expect_error("READ 1 5 timeout=-1", EINVAL);
	expect_error("LISTEN 4 80.5", EINVAL);
}

static void
agent_req_hostile_handle_out_of_range(void **state)
{
	(void)state;
	expect_error("CLOSE 0", EBADF);
	expect_error("CLOSE 65", EBADF);
	expect_error("CLOSE 4294967297", EBADF);
	expect_error("CLOSE 99999999999999999999999999999", EBADF);
	expect_error("CLOSE 0000000000000000000001", EBADF);
	expect_error("CLOSE -1", EINVAL);
	expect_error("CLOSE h1", EINVAL);
	assert_int_equal(parse("CLOSE 064"), 0);
	assert_int_equal(req.handle, 64);
}

static void
agent_req_hostile_unknown_verbs_and_words(void **state)
{
	(void)state;
	expect_error("FROB 1", ENOSYS);
	expect_error("EXEC /bin/sh", ENOSYS);
	expect_error("HELLO", EINVAL);
	expect_error("HELLO 1 2", EINVAL);
	expect_error("", EINVAL);
	expect_error("   \t ", EINVAL);
	expect_error("=", ENOSYS);
	expect_error("READ 1 5 timeout=1 timeout=2", EINVAL);
	expect_error("READ 1 5 bogus=1", EINVAL);
	/* A real option, but not one READ takes. */
	expect_error("READ 1 5 backlog=1", EINVAL);
	expect_error("READ 1 5 timeout", EINVAL);
	expect_error("READ 1 timeout=5", EINVAL);
	expect_error("A B C D E F G H I J K L M N O P Q R S T U V W X Y",
	    EINVAL);
}

static void
agent_fmt_ok_and_err_lines(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(agent_fmt_ok(buf, sizeof(buf), "%s", ""), 3);
	assert_string_equal(buf, "OK\n");
	assert_int_equal(agent_fmt_ok(buf, sizeof(buf), "handle=%d", 3), 12);
	assert_string_equal(buf, "OK handle=3\n");
	agent_fmt_err(buf, sizeof(buf), ECONNREFUSED, "connect: %s",
	    "refused");
	assert_string_equal(buf, "ERR ECONNREFUSED connect: refused\n");
	/* A message never breaks the line, whatever it quotes. */
	agent_fmt_err(buf, sizeof(buf), EINVAL, "bad '%s'", "a\nOK b");
	assert_string_equal(buf, "ERR EINVAL bad 'a?OK b'\n");
}

static void
agent_fmt_truncation_keeps_the_lf(void **state)
{
	char buf[16];
	size_t n;

	(void)state;
	n = agent_fmt_err(buf, sizeof(buf), EINVAL, "%s",
	    "a very long message indeed");
	assert_int_equal(n, sizeof(buf) - 1);
	assert_int_equal(buf[n - 1], '\n');
	assert_int_equal(buf[n], '\0');
	assert_memory_equal(buf, "ERR EINVAL a v", 14);
}

static void
agent_fmt_io_read_and_write_replies(void **state)
{
	struct agent_io_report io;
	unsigned char big[AGENT_HEX_MAX + 10];
	char buf[AGENT_REPLY_MAX];

	(void)state;
	memset(&io, 0, sizeof(io));
	io.is_read = 1;
	io.n = 5;
	io.end = AGENT_END_COUNT;
	io.sum = agent_sum(AGENT_SUM_INIT, "hello", 5);
	io.data = (const unsigned char *)"hello";
	io.datalen = 5;
	agent_fmt_io(buf, sizeof(buf), &io);
	assert_string_equal(buf, "OK n=5 end=count sum=a430d84680aabd0b "
	    "data=68656c6c6f\n");

	/* The RST the application saw: MUST-12. */
	io.n = 0;
	io.end = AGENT_END_ERROR;
	io.error = ECONNRESET;
	io.sum = AGENT_SUM_INIT;
	io.datalen = 0;
	agent_fmt_io(buf, sizeof(buf), &io);
	assert_string_equal(buf, "OK n=0 end=error errno=ECONNRESET "
	    "sum=cbf29ce484222325 data=\n");

	/* Data beyond AGENT_HEX_MAX is summed, not shown. */
	memset(big, 0xab, sizeof(big));
	io.end = AGENT_END_EOF;
	io.n = sizeof(big);
	io.data = big;
	io.datalen = sizeof(big);
	assert_int_equal(agent_fmt_io(buf, sizeof(buf), &io),
	    strlen("OK n=1034 end=eof sum=cbf29ce484222325 data=") +
	    2 * AGENT_HEX_MAX + 1);

	memset(&io, 0, sizeof(io));
	io.n = 1000;
	io.end = AGENT_END_ERROR;
	io.error = EPIPE;
	agent_fmt_io(buf, sizeof(buf), &io);
	assert_string_equal(buf, "OK n=1000 end=error errno=EPIPE\n");
	io.end = AGENT_END_TIMEOUT;
	agent_fmt_io(buf, sizeof(buf), &io);
	assert_string_equal(buf, "OK n=1000 end=timeout\n");
}

static void
agent_fmt_sockaddr_v4_v6(void **state)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	char buf[128] = "handle=1";

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(8080);
	inet_pton(AF_INET, "198.18.0.2", &sin.sin_addr);
	assert_int_equal(agent_fmt_sockaddr(buf, sizeof(buf), "addr", "port",
	    (struct sockaddr *)&sin), 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(40000);
	inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
	assert_int_equal(agent_fmt_sockaddr(buf, sizeof(buf), "peer",
	    "peerport", (struct sockaddr *)&sin6), 0);
	assert_string_equal(buf, "handle=1 addr=198.18.0.2 port=8080 "
	    "peer=2001:db8::1 peerport=40000");
}

static void
agent_proto_names_round_trip(void **state)
{
	int e;

	(void)state;
	assert_string_equal(agent_errno_name(ECONNRESET), "ECONNRESET");
	assert_int_equal(agent_errno_value("ECONNRESET"), ECONNRESET);
	assert_int_equal(agent_errno_value("ETIMEDOUT"), ETIMEDOUT);
	assert_string_equal(agent_errno_name(-12345), "EUNKNOWN");
	assert_int_equal(agent_errno_value("EUNKNOWN"), 0);
	assert_int_equal(agent_errno_value("econnreset"), 0);
	for (e = AGENT_END_NONE; e <= AGENT_END_DRAINED; e++)
		assert_int_equal(agent_end_value(agent_end_name(e)), e);
	assert_string_equal(agent_end_name(AGENT_END_EOF), "eof");
	assert_int_equal(agent_end_value("EOF"), -1);
	assert_string_equal(agent_end_name(99), "none");
}

static void
agent_proto_pattern_and_sum(void **state)
{
	(void)state;
	assert_int_equal(agent_pattern_byte(0), 'a');
	assert_int_equal(agent_pattern_byte(25), 'z');
	assert_int_equal(agent_pattern_byte(26), 'a');
	assert_int_equal(agent_pattern_byte(UINT64_C(1) << 40),
	    'a' + (int)((UINT64_C(1) << 40) % 26));
	/* FNV-1a 64 test vectors. */
	assert_true(agent_sum(AGENT_SUM_INIT, "", 0) ==
	    UINT64_C(0xcbf29ce484222325));
	assert_true(agent_sum(AGENT_SUM_INIT, "a", 1) ==
	    UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(agent_sum(AGENT_SUM_INIT, "foobar", 6) ==
	    UINT64_C(0x85944171f73967e8));
	/* Fed in pieces, the same. */
	assert_true(agent_sum(agent_sum(AGENT_SUM_INIT, "foo", 3), "bar",
	    3) == UINT64_C(0x85944171f73967e8));
}

static struct sockaddr_storage ss;

static const struct sockaddr *
sa(const char *addr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1)
		sin6->sin6_family = AF_INET6;
	else
		fail_msg("bad test address %s", addr);
	return (const struct sockaddr *)&ss;
}

static void
agent_acl_prefix_match(void **state)
{
	struct acl acl;

	(void)state;
	memset(&acl, 0, sizeof(acl));
	assert_int_equal(acl_parse(&acl, "198.18.0.0/15"), 0);
	assert_int_equal(acl_parse(&acl, "::1"), 0);
	assert_int_equal(acl_parse(&acl, "2001:db8::/32"), 0);
	assert_int_equal(acl.e[1].plen, 128);
	assert_true(acl_match(&acl, sa("198.18.0.1")));
	assert_true(acl_match(&acl, sa("198.19.255.255")));
	assert_false(acl_match(&acl, sa("198.20.0.0")));
	assert_false(acl_match(&acl, sa("198.17.255.255")));
	assert_false(acl_match(&acl, sa("127.0.0.1")));
	assert_true(acl_match(&acl, sa("::1")));
	assert_false(acl_match(&acl, sa("::2")));
	assert_true(acl_match(&acl, sa("2001:db8:ffff::1")));
	assert_false(acl_match(&acl, sa("2001:db9::1")));
	/* An IPv4-mapped address is the IPv4 address it carries. */
	assert_true(acl_match(&acl, sa("::ffff:198.18.3.4")));
	assert_false(acl_match(&acl, sa("::ffff:127.0.0.1")));
}

static void
agent_acl_edges_and_bad_prefixes(void **state)
{
	struct acl acl;
	int i;

	(void)state;
	memset(&acl, 0, sizeof(acl));
	assert_int_equal(acl_parse(&acl, "127.0.0.1/33"), -1);
	assert_int_equal(acl_parse(&acl, "::1/129"), -1);
	assert_int_equal(acl_parse(&acl, "127.0.0.1/"), -1);
	assert_int_equal(acl_parse(&acl, "127.0.0.1/-1"), -1);
	assert_int_equal(acl_parse(&acl, "127.0.0.1/8x"), -1);
	assert_int_equal(acl_parse(&acl, "localhost"), -1);
	assert_int_equal(acl_parse(&acl, ""), -1);
	assert_int_equal(acl.n, 0);
	/* Nothing listed trusts nobody. */
	assert_false(acl_match(&acl, sa("127.0.0.1")));
	assert_int_equal(acl_parse(&acl, "0.0.0.0/0"), 0);
	assert_true(acl_match(&acl, sa("203.0.113.9")));
	assert_false(acl_match(&acl, sa("2001:db8::1")));
	assert_int_equal(acl_parse(&acl, "198.18.0.7/31"), 0);
	for (i = acl.n; i < ACL_MAX; i++)
		assert_int_equal(acl_parse(&acl, "::1"), 0);
	assert_int_equal(acl_parse(&acl, "::1"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agent_req_hello_version),
		cmocka_unit_test(agent_req_listen_family_port_and_options),
		cmocka_unit_test(
		    agent_req_listen_rejects_bad_family_and_mismatched_addr),
		cmocka_unit_test(agent_req_connect_address_port_options),
		cmocka_unit_test(agent_req_connect_never_resolves_names),
		cmocka_unit_test(agent_req_read_modes_and_bg),
		cmocka_unit_test(agent_req_write_pattern_and_hex),
		cmocka_unit_test(agent_req_socket_options),
		cmocka_unit_test(agent_req_poll_status_close_quit),
		cmocka_unit_test(agent_req_hostile_overlong_line),
		cmocka_unit_test(
		    agent_req_hostile_embedded_nul_and_control_bytes),
		cmocka_unit_test(agent_req_hostile_bad_numbers),
		cmocka_unit_test(agent_req_hostile_handle_out_of_range),
		cmocka_unit_test(agent_req_hostile_unknown_verbs_and_words),
		cmocka_unit_test(agent_fmt_ok_and_err_lines),
		cmocka_unit_test(agent_fmt_truncation_keeps_the_lf),
		cmocka_unit_test(agent_fmt_io_read_and_write_replies),
		cmocka_unit_test(agent_fmt_sockaddr_v4_v6),
		cmocka_unit_test(agent_proto_names_round_trip),
		cmocka_unit_test(agent_proto_pattern_and_sum),
		cmocka_unit_test(agent_acl_prefix_match),
		cmocka_unit_test(agent_acl_edges_and_bad_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
