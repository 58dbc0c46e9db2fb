/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_agent_engine.c: the agent's protocol engine (agent_engine.h) over
 * a fake back end: request lines go in, and the tests check the reply
 * lines and which operations the engine called, with which arguments.
 * The fake's sockets are numbers (union agent_sock.fd) into a table whose
 * queues, errors and room the tests set; its clock is a variable.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent_engine.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"
#endif

#define FAKE_SOCKS	80
#define FAKE_REPLIES	16

struct fsock {
	int		 used;
	int		 listening;
	uint16_t	 port;
	unsigned char	 rx[64];	/* bytes the application may read */
	size_t		 rxlen;
	int		 eof;		/* after rx: end of file */
	int		 rerr;		/* after rx: this error */
	int		 queued;	/* listener: connections to accept */
	int		 conn;		/* connected(): 0, EINPROGRESS, errno */
	size_t		 room;		/* write(): bytes it takes now */
	unsigned char	 tx[64];
	size_t		 txlen;
	int		 events;	/* poll(): AGENT_EV_* that hold */
};

struct fake {
	uint64_t	 now;
	char		 reply[FAKE_REPLIES][AGENT_REPLY_MAX];
	int		 nreply;
	int		 nread;
	char		 log[2048];	/* the operations called, in order */
	struct fsock	 s[FAKE_SOCKS];
	int		 blocked;	/* can_reply() says no */
	int		 poke_on_close;	/* close() pokes the engine */
	struct agent_ctl *ctl;
};

static void
note(struct fake *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct fake *f, const char *fmt, ...)
{
	size_t len = strlen(f->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->log + len, sizeof(f->log) - len, fmt, ap);
	va_end(ap);
	len = strlen(f->log);
	snprintf(f->log + len, sizeof(f->log) - len, ";");
}

static int
fnew(struct fake *f)
{
	int i;

	for (i = 1; i < FAKE_SOCKS; i++)
		if (!f->s[i].used) {
			memset(&f->s[i], 0, sizeof(f->s[i]));
			f->s[i].used = 1;
			f->s[i].room = sizeof(f->s[i].tx);
			return i;
		}
	fail_msg("the fake ran out of sockets");
	return -1;
}

static uint64_t
f_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void
f_reply(void *ctx, const char *line, size_t len)
{
	struct fake *f = ctx;

	if (f->nread == f->nreply)
		f->nread = f->nreply = 0;	/* all read: start over */
	assert_true(f->nreply < FAKE_REPLIES);
	assert_true(len > 0 && line[len - 1] == '\n');
	snprintf(f->reply[f->nreply++], AGENT_REPLY_MAX, "%.*s",
	    (int)len - 1, line);
}

static int
f_can_reply(void *ctx)
{
	return !((struct fake *)ctx)->blocked;
}

static void
f_os(void *ctx, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "Fake OS=1");
}

/* Words as a hostile or broken back end might give them. */
static void
f_info(void *ctx, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "release=6.1.0-1 noeq =nokey k=v=w\tx=<b>\x01 "
	    "net.ipv4.tcp_rmem=4096,131072");
}

static int
f_listen(void *ctx, const struct agent_req *r, union agent_sock *s,
    struct agent_err *e)
{
	struct fake *f = ctx;
	int i;

	note(f, "listen %d %u backlog=%d", r->family == AF_INET ? 4 : 6,
	    r->port, r->backlog);
	if (r->port == 7)
		return agent_err_set(e, EADDRINUSE, "port %u is in use",
		    r->port);
	i = fnew(f);
	f->s[i].listening = 1;
	f->s[i].port = r->port;
	s->fd = i;
	return 0;
}

static int
f_accept(void *ctx, union agent_sock l, union agent_sock *s,
    struct agent_err *e)
{
	struct fake *f = ctx;
	int i;

	(void)e;
	note(f, "accept %d", l.fd);
	if (f->s[l.fd].queued == 0)
		return 0;
	f->s[l.fd].queued--;
	i = fnew(f);
	f->s[i].port = f->s[l.fd].port;
	s->fd = i;
	return 1;
}

static int
f_connect(void *ctx, const struct agent_req *r, union agent_sock *s,
    int *inprogress, struct agent_err *e)
{
	struct fake *f = ctx;
	int i;

	(void)e;
	note(f, "connect %u wait=%d", r->port, r->wait);
	i = fnew(f);
	f->s[i].port = r->port;
	f->s[i].conn = EINPROGRESS;
	s->fd = i;
	*inprogress = 1;
	return 0;
}

static int
f_connected(void *ctx, union agent_sock s)
{
	struct fake *f = ctx;

	note(f, "connected %d", s.fd);
	return f->s[s.fd].conn;
}

static ssize_t
f_read(void *ctx, union agent_sock s, void *buf, size_t len, int *err)
{
	struct fake *f = ctx;
	struct fsock *fs = &f->s[s.fd];
	size_t n = fs->rxlen < len ? fs->rxlen : len;

	if (n > 0) {
		memcpy(buf, fs->rx, n);
		memmove(fs->rx, fs->rx + n, fs->rxlen - n);
		fs->rxlen -= n;
		return (ssize_t)n;
	}
	if (fs->eof)
		return 0;
	*err = fs->rerr != 0 ? fs->rerr : EAGAIN;
	return -1;
}

static ssize_t
f_write(void *ctx, union agent_sock s, const void *buf, size_t len,
    int *err)
{
	struct fake *f = ctx;
	struct fsock *fs = &f->s[s.fd];
	size_t n = len < fs->room ? len : fs->room;

	if (n == 0) {
		*err = EAGAIN;
		return -1;
	}
	assert_true(fs->txlen + n <= sizeof(fs->tx));
	memcpy(fs->tx + fs->txlen, buf, n);
	fs->txlen += n;
	fs->room -= n;
	return (ssize_t)n;
}

static int
f_setopt(void *ctx, union agent_sock s, const struct agent_req *r,
    int *value, struct agent_err *e)
{
	struct fake *f = ctx;

	note(f, "setopt %d %s", s.fd, agent_verb_name(r->verb));
	if (r->verb == AV_SHUTDOWN)
		return agent_err_set(e, ENOTCONN, "shutdown: not connected");
	*value = 2 * r->size;
	return 0;
}

static int
f_names(void *ctx, union agent_sock s, struct sockaddr_storage *local,
    struct sockaddr_storage *peer)
{
	struct fake *f = ctx;
	struct sockaddr_in *sin;

	sin = (struct sockaddr_in *)local;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(f->s[s.fd].port);
	inet_pton(AF_INET, "198.18.0.2", &sin->sin_addr);
	if (peer == NULL)
		return AGENT_NAME_LOCAL;
	sin = (struct sockaddr_in *)peer;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	inet_pton(AF_INET, "198.18.0.1", &sin->sin_addr);
	return AGENT_NAME_LOCAL | AGENT_NAME_PEER;
}

static void
f_status(void *ctx, union agent_sock s, int listening,
    struct agent_sockinfo *si)
{
	struct fake *f = ctx;

	si->rcvbuf = 1000;
	si->sndbuf = 2000;
	si->unread = f->s[s.fd].rxlen;
	si->state = listening ? "LISTEN" : NULL;
}

static int
f_poll(void *ctx, union agent_sock s, int events)
{
	struct fake *f = ctx;

	note(f, "poll %d %d", s.fd, events);
	return f->s[s.fd].events & (events | AGENT_EV_HUP | AGENT_EV_ERR);
}

static void
f_close(void *ctx, union agent_sock s)
{
	struct fake *f = ctx;

	note(f, "close %d", s.fd);
	f->s[s.fd].used = 0;
	if (f->poke_on_close)
		agent_ctl_run(f->ctl, 0);
}

static const struct agent_ops fake_ops = {
	.name = "fake",
	.io_burst = 0,
	.now = f_now,
	.reply = f_reply,
	.can_reply = f_can_reply,
	.os = f_os,
	.info = f_info,
	.listen = f_listen,
	.accept = f_accept,
	.connect = f_connect,
	.connected = f_connected,
	.read = f_read,
	.write = f_write,
	.setopt = f_setopt,
	.names = f_names,
	.status = f_status,
	.poll = f_poll,
	.close = f_close,
};

/*
 * Helpers.
 */
static int
setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->now = 1000000;
	assert_non_null(f->ctl = agent_ctl_new(&fake_ops, f));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fake *f = *state;

	agent_ctl_free(f->ctl);
	free(f);
	return 0;
}

/* One request line; the engine adds nothing to the bytes. */
static void
req(struct fake *f, const char *line)
{
	char buf[AGENT_LINE_MAX + 2];
	size_t len = strlen(line);

	memcpy(buf, line, len);
	buf[len] = '\n';
	assert_int_equal(agent_ctl_input(f->ctl, buf, len + 1), len + 1);
}

/* The oldest reply not yet checked, or NULL. */
static const char *
reply(struct fake *f)
{
	if (f->nread == f->nreply)
		return NULL;
	return f->reply[f->nread++];
}

static void
expect(struct fake *f, const char *want)
{
	const char *r = reply(f);

	if (r == NULL || strcmp(r, want) != 0)
		fail_msg("reply \"%s\", expected \"%s\"", r != NULL ? r :
		    "(none)", want);
}

static void
expect_log(struct fake *f, const char *want)
{
	if (strcmp(f->log, want) != 0)
		fail_msg("operations \"%s\", expected \"%s\"", f->log, want);
	f->log[0] = '\0';
}

/* HELLO, LISTEN 4 5000 and an accepted connection: handle 2. */
static void
connected_pair(struct fake *f)
{
	req(f, "HELLO 1");
	reply(f);
	req(f, "LISTEN 4 5000");
	expect(f, "OK handle=1 addr=198.18.0.2 port=5000");
	f->s[1].queued = 1;
	req(f, "ACCEPT 1");
	expect(f, "OK handle=2 addr=198.18.0.2 port=5000 peer=198.18.0.1 "
	    "peerport=40000");
	f->log[0] = '\0';
}

/*
 * The tests.
 */

/* Nothing but HELLO or QUIT before HELLO; os= is made one word. */
static void
engine_hello_first(void **state)
{
	struct fake *f = *state;
	char want[256];

	req(f, "STATUS 1");
	expect(f, "ERR EPROTO send HELLO 1 first");
	req(f, "HELLO 2");
	expect(f, "ERR EPROTONOSUPPORT protocol version 2 is not supported; "
	    "this agent speaks 1");
	req(f, "HELLO 1");
	snprintf(want, sizeof(want), "OK version=1 agent=fake/%s os=Fake_OS_1 "
	    "handles=64 linemax=8192 hexmax=1024", PACKAGE_VERSION);
	expect(f, want);
	req(f, "FROB");
	expect(f, "ERR ENOSYS unknown request 'FROB'");
	/*
	 * INFO: os= first, then the back end's words, each one key=value
	 * with no blank, control byte or second '='; words without a key
	 * or an '=' are dropped.
	 */
	req(f, "INFO");
	expect(f, "OK os=Fake_OS_1 release=6.1.0-1 k=v_w x=<b>_ "
	    "net.ipv4.tcp_rmem=4096,131072");
	req(f, "INFO extra");
	expect(f, "ERR EINVAL INFO takes 0 arguments, got 1");
	req(f, "QUIT");
	expect(f, "OK bye");
	assert_true(agent_ctl_done(f->ctl));
	/* After QUIT, nothing more runs. */
	req(f, "HELLO 1");
	assert_null(reply(f));
	expect_log(f, "");
}

/* LISTEN's arguments reach the back end; its error is the reply. */
static void
engine_listen_args_and_errors(void **state)
{
	struct fake *f = *state;

	req(f, "HELLO 1");
	reply(f);
	req(f, "LISTEN 4 5000 backlog=3");
	expect(f, "OK handle=1 addr=198.18.0.2 port=5000");
	req(f, "LISTEN 4 7");
	expect(f, "ERR EADDRINUSE port 7 is in use");
	expect_log(f, "listen 4 5000 backlog=3;listen 4 7 backlog=16;");
	req(f, "STATUS 1");
	expect(f, "OK handle=1 kind=listen addr=198.18.0.2 port=5000 "
	    "rcvbuf=1000 sndbuf=2000 unread=0 state=LISTEN");
	/* Kinds and handles are the engine's to check. */
	req(f, "READ 1 10");
	expect(f, "ERR EINVAL handle 1 is a listening socket");
	req(f, "CLOSE 9");
	expect(f, "ERR EBADF handle 9 is not open");
	expect_log(f, "");
	req(f, "CLOSE 1");
	expect(f, "OK");
	expect_log(f, "close 1;");
	req(f, "STATUS 1");
	expect(f, "ERR EBADF handle 1 is not open");
}

/* ACCEPT waits until the back end has a connection, or times out. */
static void
engine_accept_waits(void **state)
{
	struct fake *f = *state;
	union agent_sock s;

	req(f, "HELLO 1");
	reply(f);
	req(f, "LISTEN 4 5000");
	reply(f);
	f->log[0] = '\0';
	req(f, "ACCEPT 1 timeout=0");
	expect(f, "ERR ETIMEDOUT no connection to accept on handle 1");
	req(f, "ACCEPT 1 timeout=2000");
	assert_null(reply(f));
	assert_true(agent_ctl_busy(f->ctl));
	assert_int_equal(agent_ctl_deadline(f->ctl), 1000000 + 2000000);
	assert_int_equal(agent_ctl_wants(f->ctl, 1, &s), AGENT_EV_IN);
	assert_int_equal(s.fd, 1);
	/* Lines that come meanwhile wait their turn. */
	req(f, "STATUS 1");
	assert_null(reply(f));
	assert_false(agent_ctl_idle(f->ctl));
	f->s[1].queued = 1;
	agent_ctl_run(f->ctl, 1);
	expect(f, "OK handle=2 addr=198.18.0.2 port=5000 peer=198.18.0.1 "
	    "peerport=40000");
	expect(f, "OK handle=1 kind=listen addr=198.18.0.2 port=5000 "
	    "rcvbuf=1000 sndbuf=2000 unread=0 state=LISTEN");
	assert_true(agent_ctl_idle(f->ctl));
	/* Each retry asks the listener, and only it. */
	assert_non_null(strstr(f->log, "accept 1;accept 1;"));
	assert_null(strstr(f->log, "accept 2"));
	f->log[0] = '\0';
	/* The deadline ends a wait. */
	req(f, "ACCEPT 1 timeout=10");
	assert_null(reply(f));
	f->now += 9999;
	agent_ctl_timers(f->ctl);
	assert_null(reply(f));
	f->now += 1;
	agent_ctl_timers(f->ctl);
	expect(f, "ERR ETIMEDOUT no connection to accept on handle 1");
	assert_false(agent_ctl_busy(f->ctl));
	assert_int_equal(agent_ctl_deadline(f->ctl), AGENT_NO_DEADLINE);
}

/* A foreground READ waits for its end; sum= and data= are the bytes. */
static void
engine_read_until_eof(void **state)
{
	struct fake *f = *state;
	char want[256];
	uint64_t sum;

	connected_pair(f);
	req(f, "READ 2 100");
	assert_null(reply(f));
	memcpy(f->s[2].rx, "abcd", 4);
	f->s[2].rxlen = 4;
	agent_ctl_run(f->ctl, 2);
	assert_null(reply(f));
	f->s[2].eof = 1;
	agent_ctl_run(f->ctl, 0);
	sum = agent_sum(AGENT_SUM_INIT, "abcd", 4);
	snprintf(want, sizeof(want), "OK n=4 end=eof sum=%016llx "
	    "data=61626364", (unsigned long long)sum);
	expect(f, want);
	/* mode=some: what is there, then "drained". */
	memcpy(f->s[2].rx, "xy", 2);
	f->s[2].rxlen = 2;
	f->s[2].eof = 0;
	req(f, "READ 2 100 mode=some");
	sum = agent_sum(AGENT_SUM_INIT, "xy", 2);
	snprintf(want, sizeof(want), "OK n=2 end=drained sum=%016llx "
	    "data=7879", (unsigned long long)sum);
	expect(f, want);
	/* The application's error ends a read with OK and errno=. */
	f->s[2].rerr = ECONNRESET;
	req(f, "READ 2 100");
	snprintf(want, sizeof(want), "OK n=0 end=error errno=ECONNRESET "
	    "sum=%016llx data=", (unsigned long long)AGENT_SUM_INIT);
	expect(f, want);
}

/* timeout=0 tries once; a later deadline ends a READ with end=timeout. */
static void
engine_read_timeouts(void **state)
{
	struct fake *f = *state;

	connected_pair(f);
	req(f, "READ 2 10 timeout=0");
	expect(f, "OK n=0 end=timeout sum=cbf29ce484222325 data=");
	req(f, "READ 2 10 timeout=50");
	assert_int_equal(agent_ctl_deadline(f->ctl), f->now + 50000);
	f->now += 49999;
	agent_ctl_timers(f->ctl);
	assert_null(reply(f));
	f->now += 1;
	agent_ctl_timers(f->ctl);
	expect(f, "OK n=0 end=timeout sum=cbf29ce484222325 data=");
	assert_false(agent_ctl_busy(f->ctl));
}

/* WRITE moves the pattern as the back end takes it. */
static void
engine_write_pattern(void **state)
{
	struct fake *f = *state;
	union agent_sock s;

	connected_pair(f);
	f->s[2].room = 2;
	req(f, "WRITE 2 5");
	assert_null(reply(f));
	assert_int_equal(agent_ctl_wants(f->ctl, 2, &s), AGENT_EV_OUT);
	f->s[2].room = 10;
	agent_ctl_run(f->ctl, 2);
	expect(f, "OK n=5 end=count");
	assert_int_equal(f->s[2].txlen, 5);
	assert_memory_equal(f->s[2].tx, "abcde", 5);
	/* The pattern goes on where it stopped; WRITEHEX bytes count. */
	req(f, "WRITEHEX 2 7a7a");
	expect(f, "OK n=2 end=count");
	req(f, "WRITE 2 2");
	expect(f, "OK n=2 end=count");
	assert_memory_equal(f->s[2].tx, "abcdezzhi", 9);
}

/* bg=1 answers at once; STATUS tells how it goes; a second one is busy. */
static void
engine_background_read(void **state)
{
	struct fake *f = *state;
	char want[512];
	uint64_t sum;

	connected_pair(f);
	req(f, "READ 2 10 bg=1");
	expect(f, "OK n=0 end=none sum=cbf29ce484222325 data=");
	assert_false(agent_ctl_busy(f->ctl));
	req(f, "READ 2 10");
	expect(f, "ERR EBUSY handle 2: a background read is running");
	memcpy(f->s[2].rx, "hello", 5);
	f->s[2].rxlen = 5;
	agent_ctl_run(f->ctl, 2);
	sum = agent_sum(AGENT_SUM_INIT, "hello", 5);
	req(f, "STATUS 2");
	snprintf(want, sizeof(want), "OK handle=2 kind=stream "
	    "addr=198.18.0.2 port=5000 peer=198.18.0.1 peerport=40000 "
	    "rcvbuf=1000 sndbuf=2000 unread=0 bgread=running bgread_n=5 "
	    "bgread_sum=%016llx bgwrite=none", (unsigned long long)sum);
	expect(f, want);
	f->s[2].eof = 1;
	agent_ctl_run(f->ctl, 2);
	assert_null(reply(f));
	req(f, "STATUS 2");
	snprintf(want, sizeof(want), "OK handle=2 kind=stream "
	    "addr=198.18.0.2 port=5000 peer=198.18.0.1 peerport=40000 "
	    "rcvbuf=1000 sndbuf=2000 unread=0 bgread=eof bgread_n=5 "
	    "bgread_sum=%016llx bgwrite=none", (unsigned long long)sum);
	expect(f, want);
}

/* Options go to the back end; RCVBUF answers the size in force. */
static void
engine_setopt(void **state)
{
	struct fake *f = *state;

	connected_pair(f);
	req(f, "RCVBUF 2 1000");
	expect(f, "OK rcvbuf=2000");
	req(f, "SNDBUF 2 300");
	expect(f, "OK sndbuf=600");
	req(f, "LINGER 2 on 0");
	expect(f, "OK");
	req(f, "SHUTDOWN 2 wr");
	expect(f, "ERR ENOTCONN shutdown: not connected");
	req(f, "NODELAY 1 1");
	expect(f, "ERR EINVAL handle 1 is a listening socket");
	expect_log(f, "setopt 2 RCVBUF;setopt 2 SNDBUF;setopt 2 LINGER;"
	    "setopt 2 SHUTDOWN;");
}

/* CONNECT: wait=0 answers at once; a refused handshake closes. */
static void
engine_connect(void **state)
{
	struct fake *f = *state;

	req(f, "HELLO 1");
	reply(f);
	req(f, "CONNECT 198.18.0.1 80 wait=0");
	expect(f, "OK handle=1 addr=198.18.0.2 port=80 peer=198.18.0.1 "
	    "peerport=40000 inprogress=1");
	expect_log(f, "connect 80 wait=0;");
	req(f, "CONNECT 198.18.0.1 81");
	assert_null(reply(f));
	expect_log(f, "connect 81 wait=1;connected 2;");
	f->s[2].conn = ECONNREFUSED;
	agent_ctl_run(f->ctl, 2);
	expect(f, "ERR ECONNREFUSED connect: Connection refused");
	expect_log(f, "connected 2;close 2;");
	req(f, "CONNECT 198.18.0.1 82");
	f->s[2].conn = 0;
	agent_ctl_run(f->ctl, 0);
	expect(f, "OK handle=2 addr=198.18.0.2 port=82 peer=198.18.0.1 "
	    "peerport=40000 inprogress=0");
}

/* POLL: at once with timeout=0, else when the back end has the events. */
static void
engine_poll(void **state)
{
	struct fake *f = *state;

	connected_pair(f);
	req(f, "POLL 2 events=in timeout=0");
	expect(f, "OK revents=none");
	req(f, "POLL 2 events=in,out");
	assert_null(reply(f));
	f->s[2].events = AGENT_EV_IN | AGENT_EV_RDHUP;
	agent_ctl_run(f->ctl, 2);
	expect(f, "OK revents=in");
	expect_log(f, "poll 2 1;poll 2 3;poll 2 3;poll 2 3;");
	f->s[2].events = AGENT_EV_HUP;
	req(f, "POLL 2 events=out");
	expect(f, "OK revents=hup");
	f->s[2].events = 0;
	req(f, "POLL 2 timeout=10");
	f->now += 10000;
	agent_ctl_timers(f->ctl);
	expect(f, "OK revents=none");
}

/* A full handle table: EMFILE, and the back end makes no socket. */
static void
engine_handles_run_out(void **state)
{
	struct fake *f = *state;
	char want[64];
	int i;

	req(f, "HELLO 1");
	reply(f);
	for (i = 1; i <= AGENT_MAX_HANDLES; i++) {
		req(f, "LISTEN 4 0");
		snprintf(want, sizeof(want), "OK handle=%d addr=198.18.0.2 "
		    "port=0", i);
		expect(f, want);
	}
	f->log[0] = '\0';
	req(f, "LISTEN 4 0");
	expect(f, "ERR EMFILE all 64 handles are in use");
	req(f, "CONNECT 198.18.0.1 80");
	expect(f, "ERR EMFILE all 64 handles are in use");
	expect_log(f, "");
}

/* Too long a line: E2BIG in its turn, and the next line runs. */
static void
engine_overlong_line(void **state)
{
	struct fake *f = *state;
	static char big[AGENT_LINE_MAX + 100];

	req(f, "HELLO 1");
	reply(f);
	memset(big, 'x', sizeof(big));
	assert_int_equal(agent_ctl_input(f->ctl, big, sizeof(big)),
	    sizeof(big));
	assert_null(reply(f));
	assert_int_equal(agent_ctl_input(f->ctl, "x\nQUIT\r\n", 8), 8);
	expect(f, "ERR E2BIG request longer than 8191 bytes");
	expect(f, "OK bye");
	assert_null(reply(f));
}

/*
 * While no reply fits, requests wait; and behind a waiting request, the
 * engine takes a line's worth of input, then no more.
 */
static void
engine_backpressure(void **state)
{
	struct fake *f = *state;
	static char lines[AGENT_LINE_MAX + 64];
	size_t i;

	req(f, "HELLO 1");
	reply(f);
	f->blocked = 1;
	req(f, "LISTEN 4 5000");
	assert_null(reply(f));
	f->blocked = 0;
	agent_ctl_run(f->ctl, 0);
	expect(f, "OK handle=1 addr=198.18.0.2 port=5000");
	req(f, "ACCEPT 1");
	assert_true(agent_ctl_busy(f->ctl));
	for (i = 0; i + 10 <= sizeof(lines); i += 10)
		memcpy(lines + i, "STATUS 1 \n", 10);
	assert_int_equal(agent_ctl_input(f->ctl, lines, i), AGENT_LINE_MAX);
	assert_int_equal(agent_ctl_room(f->ctl), 0);
	assert_null(reply(f));
	/* The wait ends (its reply goes out), the lines still wait. */
	f->blocked = 1;
	f->s[1].queued = 1;
	agent_ctl_run(f->ctl, 1);
	expect(f, "OK handle=2 addr=198.18.0.2 port=5000 peer=198.18.0.1 "
	    "peerport=40000");
	assert_null(reply(f));
	assert_int_equal(agent_ctl_room(f->ctl), 0);
	assert_false(agent_ctl_idle(f->ctl));
}

/*
 * A back end that pokes the engine from close(): no nested run, and the
 * replies still come once each, in order.
 */
static void
engine_reentry_and_free(void **state)
{
	struct fake *f = *state;

	connected_pair(f);
	f->poke_on_close = 1;
	req(f, "CLOSE 2\nSTATUS 2");
	expect(f, "OK");
	expect(f, "ERR EBADF handle 2 is not open");
	assert_null(reply(f));
	expect_log(f, "close 2;");
	/* The end of the control connection closes the rest, silently. */
	agent_ctl_free(f->ctl);
	f->ctl = agent_ctl_new(&fake_ops, f);
	expect_log(f, "close 1;");
	assert_null(reply(f));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(engine_hello_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_listen_args_and_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(engine_accept_waits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_read_until_eof, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_read_timeouts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_write_pattern, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_background_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_setopt, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_connect, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(engine_handles_run_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_overlong_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_backpressure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(engine_reentry_and_free,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
