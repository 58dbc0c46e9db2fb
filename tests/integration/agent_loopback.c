/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_loopback.c: tcpconform-agent driven through the runner's client on
 * loopback (127.0.0.1 and ::1, no root needed), against the host's own
 * TCP: what the application sees of FIN and RST, what the wire carries
 * when it closes with unread data or with linger {1, 0}, concurrency of
 * control connections, and the trust list.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
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

#ifndef AGENT_BIN
#define AGENT_BIN	"./tcpconform-agent"
#endif

#define TMO	3000	/* ms: generous for a loaded CI host */

static pid_t	agent_pid = -1;		/* the default agent */
static uint16_t	agent_port;
static int	have_ipv6;

static const char *
loop(int family)
{
	return family == AF_INET ? "127.0.0.1" : "::1";
}

static socklen_t
loop_sa(int family, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_addr = in6addr_loopback;
	return sizeof(*sin6);
}

static uint16_t
local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	return ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A socket of the test's own, with a receive timeout so nothing hangs. */
static int
tsock(int family)
{
	struct timeval tv = { TMO / 1000, 0 };
	int fd = socket(family, SOCK_STREAM, 0), on = 1;

	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	return fd;
}

static int
tconnect(int family, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loop_sa(family, port, &ss);
	int fd = tsock(family);

	assert_int_equal(connect(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static int
tlisten(int family, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = loop_sa(family, 0, &ss);
	int fd = tsock(family);

	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(listen(fd, 4), 0);
	*port = local_port(fd);
	return fd;
}

/* A port free on 127.0.0.1 and on ::1 (where the agent listens). */
static uint16_t
free_port(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	uint16_t port;
	int i, fd4, fd6 = -1, ok;

	for (i = 0; i < 50; i++) {
		fd4 = socket(AF_INET, SOCK_STREAM, 0);
		len = loop_sa(AF_INET, 0, &ss);
		if (bind(fd4, (struct sockaddr *)&ss, len) != 0) {
			close(fd4);
			continue;
		}
		port = local_port(fd4);
		ok = 1;
		if (have_ipv6) {
			fd6 = socket(AF_INET6, SOCK_STREAM, 0);
			len = loop_sa(AF_INET6, port, &ss);
			ok = bind(fd6, (struct sockaddr *)&ss, len) == 0;
			close(fd6);
		}
		close(fd4);
		if (ok)
			return port;
	}
	fail_msg("no free port");
	return 0;
}

static void
recv_all(int fd, unsigned char *buf, size_t n)
{
	size_t off = 0;
	ssize_t r;

	while (off < n) {
		r = recv(fd, buf + off, n - off, 0);
		if (r <= 0)
			fail_msg("recv after %zu of %zu bytes: %zd (%s)", off,
			    n, r, strerror(errno));
		off += (size_t)r;
	}
}

/* Start an agent with these extra options; wait until it answers HELLO. */
static pid_t
spawn_agent(uint16_t port, const char *a1, const char *a2)
{
	char portarg[8], *err = NULL;
	struct agent *a = NULL;
	pid_t pid;
	int i;

	snprintf(portarg, sizeof(portarg), "%u", port);
	if ((pid = fork()) == 0) {
		execl(AGENT_BIN, AGENT_BIN, "-p", portarg, a1, a2,
		    (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	for (i = 0; i < 250 && a == NULL; i++) {
		free(err);
		err = NULL;
		if ((a = agent_connect(a2 != NULL && strcmp(a2, "::1") == 0 ?
		    "::1" : "127.0.0.1", port, 500, &err)) == NULL)
			usleep(20000);
	}
	if (a == NULL)
		fail_msg("agent did not start: %s", err);
	agent_free(a);
	return pid;
}

static int
stop_agent(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
}

static struct agent *
open_agent(int family)
{
	struct agent *a;
	char *err = NULL;

	if ((a = agent_connect(loop(family), agent_port, TMO, &err)) == NULL)
		fail_msg("agent_connect: %s", err);
	return a;
}

/* A client call that must succeed; it passes &err_, declared here. */
#define OK(call) do {							\
	char *err_ = NULL;						\
	if ((call) != 0)						\
		fail_msg("%s: %s", #call, err_ ? err_ : "?");		\
} while (0)

/* Listen through the agent, connect from the test, accept: returns h. */
static int
accepted(struct agent *a, int family, int *lh, int *fd)
{
	struct agent_status st;
	struct agent_endpoints ep;
	int h;

	OK(agent_listen(a, family, 0, 4, 0, lh, &err_));
	OK(agent_status(a, *lh, &st, &err_));
	assert_int_equal(st.listening, 1);
	assert_true(st.ep.port != 0);
	*fd = tconnect(family, st.ep.port);
	OK(agent_accept(a, *lh, TMO, &h, &ep, &err_));
	assert_int_equal(ep.port, st.ep.port);
	assert_int_equal(ep.peerport, local_port(*fd));
	assert_string_equal(ep.peer, loop(family));
	return h;
}

static int
group_setup(void **state)
{
	int fd;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd >= 0) {
		struct sockaddr_storage ss;
		socklen_t len = loop_sa(AF_INET6, 0, &ss);

		have_ipv6 = bind(fd, (struct sockaddr *)&ss, len) == 0;
		close(fd);
	}
	agent_port = free_port();
	agent_pid = spawn_agent(agent_port, NULL, NULL);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (agent_pid > 0)
		stop_agent(agent_pid);
	return 0;
}

static void
need(int family)
{
	if (family == AF_INET6 && !have_ipv6)
		skip();
}

static void
basic_exchange(int family)
{
	struct agent_read_result rr;
	struct agent_write_result wr;
	struct agent_status st;
	struct agent *a;
	unsigned char buf[1000];
	size_t i;
	int lh, h, fd;

	need(family);
	a = open_agent(family);
	h = accepted(a, family, &lh, &fd);
	OK(agent_status(a, h, &st, &err_));
	assert_int_equal(st.listening, 0);
#ifdef __linux__
	assert_string_equal(st.state, "ESTABLISHED");
#endif

	/* Test -> agent: the bytes, their count and their sum. */
	assert_int_equal(send(fd, "hello, agent", 12, 0), 12);
	OK(agent_read(a, h, 12, AGENT_READ_FULL, TMO, &rr, &err_));
	assert_int_equal(rr.count, 12);
	assert_int_equal(rr.end, AGENT_END_COUNT);
	assert_int_equal(rr.datalen, 12);
	assert_memory_equal(rr.data, "hello, agent", 12);
	assert_true(rr.sum == agent_sum(AGENT_SUM_INIT, "hello, agent", 12));

	/* Agent -> test: the pattern, then given bytes, then more pattern. */
	OK(agent_write(a, h, 1000, TMO, &wr, &err_));
	assert_int_equal(wr.count, 1000);
	assert_int_equal(wr.end, AGENT_END_COUNT);
	recv_all(fd, buf, 1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf[i], agent_pattern_byte(i));
	OK(agent_write_bytes(a, h, "\x00\x01\xff", 3, TMO, &wr, &err_));
	assert_int_equal(wr.count, 3);
	recv_all(fd, buf, 3);
	assert_memory_equal(buf, "\x00\x01\xff", 3);
	OK(agent_write(a, h, 30, TMO, &wr, &err_));
	recv_all(fd, buf, 30);
	for (i = 0; i < 30; i++)
		assert_int_equal(buf[i], agent_pattern_byte(1003 + i));

	/* The test's FIN: the application reads end of file (MUST-12). */
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	OK(agent_read(a, h, 100, AGENT_READ_FULL, TMO, &rr, &err_));
	assert_int_equal(rr.count, 0);
	assert_int_equal(rr.end, AGENT_END_EOF);
	assert_int_equal(rr.error, 0);

	/* The agent's half close reaches the test as end of file. */
	OK(agent_shutdown(a, h, SHUT_WR, &err_));
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0);

	OK(agent_close(a, h, &err_));
	OK(agent_close(a, lh, &err_));
	close(fd);
	{
		char *err = NULL;

		assert_int_equal(agent_close(a, h, &err), -1);
		assert_int_equal(agent_last_error(a), EBADF);
		assert_string_equal(agent_last_errname(a), "EBADF");
		free(err);
	}
	agent_free(a);
}

static void
agent_ipv4_listen_accept_read_write_shutdown(void **state)
{
	(void)state;
	basic_exchange(AF_INET);
}

static void
agent_ipv6_listen_accept_read_write_shutdown(void **state)
{
	(void)state;
	basic_exchange(AF_INET6);
}

/*
 * RFC 9293 3.6.1 SHLD-3, RFC 1122 4.2.2.13, RFC 2525 2.17: an application
 * that closes with received data unread makes the stack send RST, which
 * the test's socket reports as ECONNRESET.
 */
static void
close_with_unread(int family)
{
	struct agent *a;
	char buf[16];
	int lh, h, fd, rev = 0;

	need(family);
	a = open_agent(family);
	h = accepted(a, family, &lh, &fd);
	assert_int_equal(send(fd, "unread", 6, 0), 6);
	OK(agent_poll(a, h, POLLIN, TMO, &rev, &err_));
	assert_true(rev & POLLIN);
	OK(agent_close(a, h, &err_));
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, ECONNRESET);
	close(fd);
	agent_free(a);
}

static void
agent_ipv4_close_with_unread_data_sends_rst(void **state)
{
	(void)state;
	close_with_unread(AF_INET);
}

static void
agent_ipv6_close_with_unread_data_sends_rst(void **state)
{
	(void)state;
	close_with_unread(AF_INET6);
}

/* Without unread data, close is a FIN: the test reads end of file. */
static void
agent_plain_close_sends_fin(void **state)
{
	(void)state;
	need(AF_INET);
	{
		struct agent *a = open_agent(AF_INET);
		char buf[16];
		int lh, h, fd;

		h = accepted(a, AF_INET, &lh, &fd);
		OK(agent_close(a, h, &err_));
		assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0);
		close(fd);
		agent_free(a);
	}
}

/* Linger {1, 0}: close aborts, the test's socket sees the RST. */
static void
linger_abort(int family)
{
	struct agent *a;
	char buf[16];
	int lh, h, fd;

	need(family);
	a = open_agent(family);
	h = accepted(a, family, &lh, &fd);
	OK(agent_linger(a, h, 1, 0, &err_));
	OK(agent_close(a, h, &err_));
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, ECONNRESET);
	close(fd);
	agent_free(a);
}

static void
agent_ipv4_linger_zero_close_sends_rst(void **state)
{
	(void)state;
	linger_abort(AF_INET);
}

static void
agent_ipv6_linger_zero_close_sends_rst(void **state)
{
	(void)state;
	linger_abort(AF_INET6);
}

/* RFC 9293 MUST-12: the application learns of the peer's RST. */
static void
agent_reports_peer_rst_as_econnreset(void **state)
{
	struct agent_read_result rr;
	struct linger l = { 1, 0 };
	struct agent *a;
	int lh, h, fd;

	(void)state;
	a = open_agent(AF_INET);
	h = accepted(a, AF_INET, &lh, &fd);
	assert_int_equal(send(fd, "xy", 2, 0), 2);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l,
	    sizeof(l)), 0);
	close(fd);
	/* The stack may drop the two queued bytes when the RST comes. */
	OK(agent_read(a, h, 100, AGENT_READ_FULL, TMO, &rr, &err_));
	assert_int_equal(rr.end, AGENT_END_ERROR);
	assert_int_equal(rr.error, ECONNRESET);
	assert_string_equal(rr.errname, "ECONNRESET");
	assert_true(rr.count <= 2);
	agent_free(a);
}

static void
connect_out(int family)
{
	struct agent_endpoints ep;
	struct agent_write_result wr;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct agent *a;
	unsigned char buf[10];
	uint16_t port, lport;
	int lfd, fd, h;

	need(family);
	a = open_agent(family);
	lfd = tlisten(family, &port);
	lport = free_port();
	OK(agent_connect_to(a, loop(family), port, lport, TMO, &h, &ep,
	    &err_));
	assert_int_equal(ep.port, lport);
	assert_int_equal(ep.peerport, port);
	assert_string_equal(ep.peer, loop(family));
	assert_int_equal(ep.inprogress, 0);
	fd = accept(lfd, (struct sockaddr *)&ss, &len);
	assert_true(fd >= 0);
	assert_int_equal(ntohs(family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port), lport);
	OK(agent_write(a, h, 10, TMO, &wr, &err_));
	recv_all(fd, buf, 10);
	assert_memory_equal(buf, "abcdefghij", 10);
	OK(agent_close(a, h, &err_));
	close(fd);
	close(lfd);
	agent_free(a);
}

static void
agent_ipv4_connect_with_local_port(void **state)
{
	(void)state;
	connect_out(AF_INET);
}

static void
agent_ipv6_connect_with_local_port(void **state)
{
	(void)state;
	connect_out(AF_INET6);
}

static void
agent_connect_refused_gives_econnrefused(void **state)
{
	struct agent *a;
	char *err = NULL;
	int h = 0, lh;

	(void)state;
	a = open_agent(AF_INET);
	assert_int_equal(agent_connect_to(a, "127.0.0.1", free_port(), 0, TMO,
	    &h, NULL, &err), -1);
	assert_int_equal(agent_last_error(a), ECONNREFUSED);
	assert_non_null(strstr(err, "ECONNREFUSED"));
	free(err);
	/* The agent is still usable; the failed handle was freed. */
	OK(agent_listen(a, AF_INET, 0, 0, 0, &lh, &err_));
	assert_int_equal(lh, 1);
	agent_free(a);
}

/* Port limits: never below -P (default 1024), never the control port. */
static void
agent_refuses_privileged_and_control_ports(void **state)
{
	struct agent *a;
	char *err = NULL;
	int h;

	(void)state;
	a = open_agent(AF_INET);
	assert_int_equal(agent_listen(a, AF_INET, 80, 0, 0, &h, &err), -1);
	assert_int_equal(agent_last_error(a), EACCES);
	free(err);
	err = NULL;
	assert_int_equal(agent_listen(a, AF_INET, agent_port, 0, 0, &h, &err),
	    -1);
	assert_int_equal(agent_last_error(a), EACCES);
	free(err);
	err = NULL;
	assert_int_equal(agent_connect_to(a, "127.0.0.1", agent_port, 0, TMO,
	    &h, NULL, &err), -1);
	assert_int_equal(agent_last_error(a), EACCES);
	free(err);
	agent_free(a);
}

/*
 * A request that waits (ACCEPT) neither blocks the runner (agent_send,
 * then agent_recv when the fd is readable) nor the agent's other control
 * connections; handles are per connection.
 */
static void
agent_async_accept_and_concurrent_control_connections(void **state)
{
	struct agent_endpoints ep;
	struct agent_status st;
	struct agent_reply r;
	struct agent *a1, *a2;
	struct pollfd p;
	struct timespec t0, t1;
	char *err = NULL;
	int lh1, lh2, h, fd;

	(void)state;
	a1 = open_agent(AF_INET);
	a2 = open_agent(AF_INET);
	OK(agent_listen(a1, AF_INET, 0, 4, 0, &lh1, &err_));
	OK(agent_status(a1, lh1, &st, &err_));
	assert_int_equal(agent_send(a1, &err, "ACCEPT %d timeout=%d", lh1,
	    TMO), 0);
	assert_int_equal(agent_busy(a1), 1);
	assert_int_equal(agent_recv(a1, 0, &r, &err), 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	OK(agent_listen(a2, AF_INET, 0, 4, 0, &lh2, &err_));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(lh2, 1);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000 < 500);
	/* a2 cannot touch a1's handles: its own handle 1 is its listener. */
	{
		struct agent_status st2;

		OK(agent_status(a2, 1, &st2, &err_));
		assert_int_not_equal(st2.ep.port, st.ep.port);
	}

	/* The runner sees the reply only once the handshake happened. */
	p.fd = agent_fd(a1);
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 100), 0);
	fd = tconnect(AF_INET, st.ep.port);
	assert_int_equal(poll(&p, 1, TMO), 1);
	assert_int_equal(agent_recv(a1, TMO, &r, &err), 1);
	assert_int_equal(agent_busy(a1), 0);
	assert_int_equal(agent_reply_endpoints(&r, &h, &ep, &err), 0);
	assert_int_equal(ep.peerport, local_port(fd));
	close(fd);
	agent_free(a1);
	agent_free(a2);
}

/* Background WRITE and READ run while the control connection is free. */
static void
agent_background_write_and_read(void **state)
{
	static unsigned char buf[1000000];
	struct agent_status st;
	struct agent_reply r;
	struct agent *a;
	size_t i;
	int lh, h, fd, tries;

	(void)state;
	a = open_agent(AF_INET);
	h = accepted(a, AF_INET, &lh, &fd);
	OK(agent_request(a, 0, &r, &err_, "WRITE %d %zu bg=1 timeout=%d", h,
	    sizeof(buf), 4 * TMO));
	assert_int_equal(r.ok, 1);
	OK(agent_status(a, h, &st, &err_));
	assert_true(st.bgwrite.running || st.bgwrite.end == AGENT_END_COUNT);
	recv_all(fd, buf, sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		if (buf[i] != agent_pattern_byte(i))
			fail_msg("byte %zu: %02x", i, buf[i]);
	for (tries = 0; tries < 100; tries++) {
		OK(agent_status(a, h, &st, &err_));
		if (!st.bgwrite.running)
			break;
		usleep(10000);
	}
	assert_int_equal(st.bgwrite.end, AGENT_END_COUNT);
	assert_int_equal(st.bgwrite.count, sizeof(buf));

	OK(agent_request(a, 0, &r, &err_, "READ %d %zu bg=1 timeout=%d", h,
	    sizeof(buf), 4 * TMO));
	assert_int_equal(r.ok, 1);
	/* A second reader on the same handle is refused. */
	{
		struct agent_read_result rr;
		char *err = NULL;

		assert_int_equal(agent_read(a, h, 1, AGENT_READ_FULL, 0, &rr,
		    &err), -1);
		assert_int_equal(agent_last_error(a), EBUSY);
		free(err);
	}
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7);
	assert_int_equal(send(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	for (tries = 0; tries < 300; tries++) {
		OK(agent_status(a, h, &st, &err_));
		if (!st.bgread.running)
			break;
		usleep(10000);
	}
	assert_int_equal(st.bgread.end, AGENT_END_COUNT);
	assert_int_equal(st.bgread.count, sizeof(buf));
	assert_true(st.bgread.sum == agent_sum(AGENT_SUM_INIT, buf,
	    sizeof(buf)));
	close(fd);
	agent_free(a);
}

static void
agent_poll_buffers_nodelay(void **state)
{
	struct agent_read_result rr;
	struct agent *a;
	int lh, h, fd, rev = -1, actual = 0;

	(void)state;
	a = open_agent(AF_INET);
	h = accepted(a, AF_INET, &lh, &fd);
	OK(agent_poll(a, h, POLLIN, 50, &rev, &err_));
	assert_int_equal(rev, 0);
	OK(agent_poll(a, h, POLLOUT, 50, &rev, &err_));
	assert_int_equal(rev, POLLOUT);
	assert_int_equal(send(fd, "z", 1, 0), 1);
	OK(agent_poll(a, h, POLLIN, TMO, &rev, &err_));
	assert_true(rev & POLLIN);
	OK(agent_read(a, h, 10, AGENT_READ_SOME, TMO, &rr, &err_));
	assert_int_equal(rr.count, 1);
	assert_int_equal(rr.end, AGENT_END_DRAINED);
	/* Nothing queued, time out: timeout with no bytes. */
	OK(agent_read(a, h, 10, AGENT_READ_SOME, 50, &rr, &err_));
	assert_int_equal(rr.count, 0);
	assert_int_equal(rr.end, AGENT_END_TIMEOUT);
	OK(agent_rcvbuf(a, h, 4096, &actual, &err_));
	assert_true(actual >= 4096);
	OK(agent_sndbuf(a, h, 8192, &actual, &err_));
	assert_true(actual >= 8192);
	OK(agent_nodelay(a, h, 1, &err_));
	close(fd);
	agent_free(a);
}

/* Read one line (up to LF) from a raw socket. */
static void
read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n < size - 1) {
		r = recv(fd, buf + n, 1, 0);
		if (r != 1)
			fail_msg("line cut after %zu bytes: %zd", n, r);
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
}

/* Hostile input over a real control connection: one ERR per line. */
static void
agent_survives_hostile_control_input(void **state)
{
	static const char *const expect[] = {
		"ERR EPROTO ", "OK version=1 ", "ERR EINVAL ", "ERR E2BIG ",
		"ERR EINVAL ", "ERR EBADF ", "ERR EINVAL ", "ERR ENOSYS ",
		"ERR EBADF ", "ERR EINVAL ", "OK version=1 ",
	};
	static const char head[] = "LISTEN 4 0\nHELLO 1\n\0\1\2junk\n";
	static const char tail[] = "LISTEN 4 99999\nCLOSE 65\n\xff\xfe\n"
	    "FROB\nSTATUS 1\nREAD 1\r\nHELLO 1\r\n";
	char line[AGENT_REPLY_MAX], *big;
	struct agent *a;
	size_t i, bigsize = 3 * AGENT_LINE_MAX;
	int fd;

	(void)state;
	fd = tconnect(AF_INET, agent_port);
	big = malloc(bigsize + 1);
	assert_non_null(big);
	memset(big, 'A', bigsize);
	big[bigsize] = '\n';
	assert_int_equal(send(fd, head, sizeof(head) - 1, 0),
	    (ssize_t)sizeof(head) - 1);
	assert_int_equal(send(fd, big, bigsize + 1, 0), (ssize_t)bigsize + 1);
	assert_int_equal(send(fd, tail, sizeof(tail) - 1, 0),
	    (ssize_t)sizeof(tail) - 1);
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		read_line(fd, line, sizeof(line));
		if (strncmp(line, expect[i], strlen(expect[i])) != 0)
			fail_msg("reply %zu: expected '%s...', got '%s'", i,
			    expect[i], line);
	}
	close(fd);
	free(big);
	/* And it still serves others. */
	a = open_agent(AF_INET);
	agent_free(a);
}

/*
 * An agent told to trust only ::1 refuses 127.0.0.1: one ERR EACCES line,
 * then end of file; it accepts ::1, and CONNECT may go only there (-C
 * defaults to the trusted list).
 */
static void
agent_refuses_untrusted_control_connection(void **state)
{
	struct agent *a;
	char line[AGENT_REPLY_MAX], *err = NULL;
	uint16_t port;
	pid_t pid;
	int fd, h;

	(void)state;
	need(AF_INET6);
	port = free_port();
	pid = spawn_agent(port, "-a", "::1");

	assert_null(agent_connect("127.0.0.1", port, TMO, &err));
	assert_non_null(err);
	free(err);
	err = NULL;

	fd = tconnect(AF_INET, port);
	read_line(fd, line, sizeof(line));
	assert_true(strncmp(line, "ERR EACCES ", 11) == 0);
	assert_non_null(strstr(line, "not trusted"));
	assert_int_equal(recv(fd, line, sizeof(line), 0), 0);
	close(fd);

	if ((a = agent_connect("::1", port, TMO, &err)) == NULL)
		fail_msg("::1 refused: %s", err);
	assert_int_equal(agent_connect_to(a, "127.0.0.1", 9, 0, TMO, &h,
	    NULL, &err), -1);
	assert_int_equal(agent_last_error(a), EACCES);
	free(err);
	agent_free(a);
	assert_int_equal(stop_agent(pid), 0);
}

static void
agent_stops_with_status_0_on_sigterm(void **state)
{
	(void)state;
	assert_int_equal(stop_agent(agent_pid), 0);
	agent_pid = -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agent_ipv4_listen_accept_read_write_shutdown),
		cmocka_unit_test(agent_ipv6_listen_accept_read_write_shutdown),
		cmocka_unit_test(agent_ipv4_close_with_unread_data_sends_rst),
		cmocka_unit_test(agent_ipv6_close_with_unread_data_sends_rst),
		cmocka_unit_test(agent_plain_close_sends_fin),
		cmocka_unit_test(agent_ipv4_linger_zero_close_sends_rst),
		cmocka_unit_test(agent_ipv6_linger_zero_close_sends_rst),
		cmocka_unit_test(agent_reports_peer_rst_as_econnreset),
		cmocka_unit_test(agent_ipv4_connect_with_local_port),
		cmocka_unit_test(agent_ipv6_connect_with_local_port),
		cmocka_unit_test(agent_connect_refused_gives_econnrefused),
		cmocka_unit_test(agent_refuses_privileged_and_control_ports),
		cmocka_unit_test(
		    agent_async_accept_and_concurrent_control_connections),
		cmocka_unit_test(agent_background_write_and_read),
		cmocka_unit_test(agent_poll_buffers_nodelay),
		cmocka_unit_test(agent_survives_hostile_control_input),
		cmocka_unit_test(agent_refuses_untrusted_control_connection),
		cmocka_unit_test(agent_stops_with_status_0_on_sigterm),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
