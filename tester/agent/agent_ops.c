/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_ops.c: what tcpconform-agent does for each request: the target's
 * sockets, by handle, all non-blocking.  A request that must wait (accept,
 * connect, a read or write, poll) parks in the control connection's wait
 * or in the handle's io, and the event loop of agent.c finishes it; so a
 * wait never stops the agent from serving other control connections.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"
#endif

#ifdef POLLRDHUP
#define RDHUP	POLLRDHUP	/* Linux: the peer's FIN, unread */
#else
#define RDHUP	0
#endif

static void	reply_ok(struct ctl *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	reply_err(struct ctl *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	reply_io(struct ctl *, const struct io *, int);
static void	reply_handle(struct ctl *, int, int);
static struct handle *get(struct ctl *, int, int);
static int	hnew(struct ctl *);
static void	hfree(struct ctl *, int);
static int	sockprep(int, int);
static int	setbufs(int, int, int);
static int	port_ok(struct ctl *, const struct agent_cfg *, unsigned,
		    const char *);
static void	io_start(struct ctl *, int, struct io *, const struct
		    agent_req *, const unsigned char *);
static void	io_progress(struct ctl *, int, struct io *);
static int	ended(struct io *, int);
static int	io_read(struct ctl *, struct handle *, struct io *);
static int	io_write(struct handle *, struct io *);
static void	io_finish(struct ctl *, int, struct io *, int, int);
static int	try_accept(struct ctl *, int);
static void	connect_done(struct ctl *, int);
static void	poll_done(struct ctl *, int, short);
static void	do_hello(struct ctl *, const struct agent_req *);
static void	do_listen(struct ctl *, const struct agent_cfg *,
		    const struct agent_req *);
static void	do_accept(struct ctl *, const struct agent_req *);
static int	connect_ok(struct ctl *, const struct agent_cfg *,
		    const struct agent_req *);
static int	connect_socket(struct ctl *, const struct agent_req *);
static void	do_connect(struct ctl *, const struct agent_cfg *,
		    const struct agent_req *);
static void	do_io(struct ctl *, const struct agent_req *);
static void	do_setopt(struct ctl *, const struct agent_req *);
static void	do_status(struct ctl *, const struct agent_req *);
static void	do_poll(struct ctl *, const struct agent_req *);

static void
reply_ok(struct ctl *c, const char *fmt, ...)
{
	char body[AGENT_REPLY_MAX], line[AGENT_REPLY_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	n = agent_fmt_ok(line, sizeof(line), "%s", body);
	ctl_put(c, line, n);
}

static void
reply_err(struct ctl *c, int code, const char *fmt, ...)
{
	char body[AGENT_MSG_MAX], line[AGENT_REPLY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	ctl_put(c, line, agent_fmt_err(line, sizeof(line), code, "%s", body));
}

static void
reply_io(struct ctl *c, const struct io *io, int is_read)
{
	struct agent_io_report r;
	char line[AGENT_REPLY_MAX];

	memset(&r, 0, sizeof(r));
	r.is_read = is_read;
	r.n = io->done;
	r.end = io->end;
	r.error = io->error;
	r.sum = io->sum;
	r.data = c->rdata;
	r.datalen = io->fg ? c->rdatalen : 0;
	ctl_put(c, line, agent_fmt_io(line, sizeof(line), &r));
}

/* "OK handle=H addr=A port=P [peer=A peerport=P]" for a new socket. */
static void
reply_handle(struct ctl *c, int h, int extra_inprogress)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char body[AGENT_REPLY_MAX];
	int fd = c->h[h].fd;

	snprintf(body, sizeof(body), "handle=%d", h);
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		agent_fmt_sockaddr(body, sizeof(body), "addr", "port",
		    (struct sockaddr *)&ss);
	len = sizeof(ss);
	if (!c->h[h].listening &&
	    getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		agent_fmt_sockaddr(body, sizeof(body), "peer", "peerport",
		    (struct sockaddr *)&ss);
	if (extra_inprogress >= 0)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    " inprogress=%d", extra_inprogress);
	reply_ok(c, "%s", body);
}

/* The open handle h, listening or not as asked (-1: either); or an ERR. */
static struct handle *
get(struct ctl *c, int h, int listening)
{
	struct handle *hd = &c->h[h];

	if (hd->fd == -1) {
		reply_err(c, EBADF, "handle %d is not open", h);
		return NULL;
	}
	if (listening == 1 && !hd->listening) {
		reply_err(c, EINVAL, "handle %d is not listening", h);
		return NULL;
	}
	if (listening == 0 && hd->listening) {
		reply_err(c, EINVAL, "handle %d is a listening socket", h);
		return NULL;
	}
	return hd;
}

static int
hnew(struct ctl *c)
{
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		if (c->h[h].fd == -1)
			return h;
	reply_err(c, EMFILE, "all %d handles are in use", AGENT_MAX_HANDLES);
	return -1;
}

static void
hfree(struct ctl *c, int h)
{
	struct handle *hd = &c->h[h];

	if (hd->fd != -1)
		close(hd->fd);
	memset(hd, 0, sizeof(*hd));
	hd->fd = -1;
}

void
ops_init(struct ctl *c)
{
	int h;

	for (h = 0; h <= AGENT_MAX_HANDLES; h++) {
		memset(&c->h[h], 0, sizeof(c->h[h]));
		c->h[h].fd = -1;
	}
	c->wait.verb = AV_NONE;
}

void
ops_close_all(struct ctl *c)
{
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		hfree(c, h);
	c->wait.verb = AV_NONE;
}

/*
 * Non-blocking and close-on-exec.  A new IPv6 socket takes IPv6 only, so
 * that "LISTEN 6" never accepts IPv4 (an accepted socket is past that).
 */
static int
sockprep(int fd, int family)
{
	int flags, on = 1;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	if (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &on, sizeof(on)) == -1)
		return -1;
	return 0;
}

static int
setbufs(int fd, int rcvbuf, int sndbuf)
{
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		return -1;
	if (sndbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)) == -1)
		return -1;
	return 0;
}

/* -P: ports a request may bind; never the agent's own control port. */
static int
port_ok(struct ctl *c, const struct agent_cfg *cfg, unsigned port,
    const char *what)
{
	if (port == cfg->ctl_port) {
		reply_err(c, EACCES, "%s %u is the agent's control port",
		    what, port);
		return 0;
	}
	if (port < cfg->port_lo || port > cfg->port_hi) {
		reply_err(c, EACCES, "%s %u is outside the ports allowed "
		    "by -P (%u-%u)", what, port, cfg->port_lo, cfg->port_hi);
		return 0;
	}
	return 1;
}

static void
do_hello(struct ctl *c, const struct agent_req *r)
{
	struct utsname u;
	const char *os = "unknown";
	char osbuf[sizeof(u.sysname)];
	size_t i;

	if (r->version != AGENT_PROTO_VERSION) {
		reply_err(c, EPROTONOSUPPORT, "protocol version %d is not "
		    "supported; this agent speaks %d", r->version,
		    AGENT_PROTO_VERSION);
		return;
	}
	if (uname(&u) == 0) {
		snprintf(osbuf, sizeof(osbuf), "%s", u.sysname);
		for (i = 0; osbuf[i] != '\0'; i++)
			if (osbuf[i] == ' ' || osbuf[i] == '=')
				osbuf[i] = '_';
		os = osbuf;
	}
	c->hello = 1;
	reply_ok(c, "version=%d agent=tcpconform-agent/%s os=%s handles=%d "
	    "linemax=%d hexmax=%d", AGENT_PROTO_VERSION, PACKAGE_VERSION, os,
	    AGENT_MAX_HANDLES, AGENT_LINE_MAX, AGENT_HEX_MAX);
}

static void
do_listen(struct ctl *c, const struct agent_cfg *cfg,
    const struct agent_req *r)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int h, fd;

	if (r->port != 0 && !port_ok(c, cfg, r->port, "port"))
		return;
	if ((h = hnew(c)) == -1)
		return;
	memset(&ss, 0, sizeof(ss));
	if (r->addrlen != 0) {
		memcpy(&ss, &r->addr, sizeof(ss));
		len = r->addrlen;
	} else {
		ss.ss_family = (sa_family_t)r->family;
		len = r->family == AF_INET ? sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6);
	}
	if (r->family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(r->port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(r->port);
	if ((fd = socket(r->family, SOCK_STREAM, 0)) == -1) {
		reply_err(c, errno, "socket: %s", strerror(errno));
		return;
	}
	c->h[h].fd = fd;
	c->h[h].listening = 1;
	/*
	 * Buffer sizes go before listen(2): a connection takes them from
	 * its listener, and its SYN-ACK's window and window scale follow.
	 */
	if (sockprep(fd, r->family) == -1 || setbufs(fd, r->rcvbuf,
	    r->sndbuf) == -1 || (r->reuse && setsockopt(fd, SOL_SOCKET,
	    SO_REUSEADDR, &r->reuse, sizeof(r->reuse)) == -1)) {
		reply_err(c, errno, "socket options: %s", strerror(errno));
		hfree(c, h);
		return;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, r->backlog) == -1) {
		reply_err(c, errno, "bind or listen on port %u: %s", r->port,
		    strerror(errno));
		hfree(c, h);
		return;
	}
	reply_handle(c, h, -1);
}

/* 1: accepted and answered; 0: nothing queued yet. */
static int
try_accept(struct ctl *c, int lh)
{
	int fd, h;

	fd = accept(c->h[lh].fd, NULL, NULL);
	if (fd == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR || errno == ECONNABORTED)
			return 0;
		reply_err(c, errno, "accept: %s", strerror(errno));
		return 1;
	}
	if ((h = hnew(c)) == -1) {
		close(fd);
		return 1;
	}
	c->h[h].fd = fd;
	if (sockprep(fd, AF_UNSPEC) == -1) {
		reply_err(c, errno, "accept: %s", strerror(errno));
		hfree(c, h);
		return 1;
	}
	reply_handle(c, h, -1);
	return 1;
}

static void
do_accept(struct ctl *c, const struct agent_req *r)
{
	if (get(c, r->handle, 1) == NULL || try_accept(c, r->handle))
		return;
	c->wait.verb = AV_ACCEPT;
	c->wait.handle = r->handle;
	c->wait.deadline = now_ms() + r->timeout_ms;
}

/* CONNECT's limits: -C for the destination, -P for lport=. */
static int
connect_ok(struct ctl *c, const struct agent_cfg *cfg,
    const struct agent_req *r)
{
	if (!acl_match(&cfg->dest, (const struct sockaddr *)&r->addr)) {
		reply_err(c, EACCES, "destination not allowed by -C");
		return 0;
	}
	/* The agent's own port: a request could otherwise loop back in. */
	if (r->port == cfg->ctl_port) {
		reply_err(c, EACCES, "port %u is the agent's control port",
		    r->port);
		return 0;
	}
	if (r->lport != 0 && !port_ok(c, cfg, r->lport, "lport"))
		return 0;
	if (r->laddrlen != 0 && r->laddr.ss_family != r->family) {
		reply_err(c, EINVAL, "laddr is not of the destination's "
		    "family");
		return 0;
	}
	return 1;
}

/* The socket CONNECT uses: options, and lport=/laddr= bound. */
static int
connect_socket(struct ctl *c, const struct agent_req *r)
{
	struct sockaddr_storage ls;
	socklen_t llen;
	int h, fd;

	if ((h = hnew(c)) == -1)
		return -1;
	if ((fd = socket(r->family, SOCK_STREAM, 0)) == -1) {
		reply_err(c, errno, "socket: %s", strerror(errno));
		return -1;
	}
	c->h[h].fd = fd;
	if (sockprep(fd, r->family) == -1 || setbufs(fd, r->rcvbuf,
	    r->sndbuf) == -1 || (r->nodelay >= 0 && setsockopt(fd,
	    IPPROTO_TCP, TCP_NODELAY, &r->nodelay, sizeof(r->nodelay)) == -1) ||
	    (r->lport != 0 && r->reuse && setsockopt(fd, SOL_SOCKET,
	    SO_REUSEADDR, &r->reuse, sizeof(r->reuse)) == -1)) {
		reply_err(c, errno, "socket options: %s", strerror(errno));
		hfree(c, h);
		return -1;
	}
	if (r->lport == 0 && r->laddrlen == 0)
		return h;
	memset(&ls, 0, sizeof(ls));
	if (r->laddrlen != 0)
		memcpy(&ls, &r->laddr, sizeof(ls));
	ls.ss_family = (sa_family_t)r->family;
	if (r->family == AF_INET) {
		((struct sockaddr_in *)&ls)->sin_port = htons(r->lport);
		llen = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *)&ls)->sin6_port = htons(r->lport);
		llen = sizeof(struct sockaddr_in6);
	}
	if (bind(fd, (struct sockaddr *)&ls, llen) == -1) {
		reply_err(c, errno, "bind to local port %u: %s", r->lport,
		    strerror(errno));
		hfree(c, h);
		return -1;
	}
	return h;
}

static void
do_connect(struct ctl *c, const struct agent_cfg *cfg,
    const struct agent_req *r)
{
	int h;

	if (!connect_ok(c, cfg, r) || (h = connect_socket(c, r)) == -1)
		return;
	if (connect(c->h[h].fd, (const struct sockaddr *)&r->addr,
	    r->addrlen) == 0) {
		reply_handle(c, h, 0);
		return;
	}
	if (errno != EINPROGRESS && errno != EINTR) {
		reply_err(c, errno, "connect: %s", strerror(errno));
		hfree(c, h);
		return;
	}
	if (!r->wait) {
		reply_handle(c, h, 1);
		return;
	}
	c->wait.verb = AV_CONNECT;
	c->wait.handle = h;
	c->wait.deadline = now_ms() + r->timeout_ms;
}

/* The socket of a waiting CONNECT is writable: the handshake ended. */
static void
connect_done(struct ctl *c, int h)
{
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	c->wait.verb = AV_NONE;
	if (getsockopt(c->h[h].fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	if (soerr != 0) {
		reply_err(c, soerr, "connect: %s", strerror(soerr));
		hfree(c, h);
		return;
	}
	reply_handle(c, h, 0);
}

static void
io_start(struct ctl *c, int h, struct io *io, const struct agent_req *r,
    const unsigned char *data)
{
	memset(io, 0, sizeof(*io));
	io->active = 1;
	io->fg = !r->bg;
	io->mode = r->mode;
	io->want = r->count;
	io->sum = AGENT_SUM_INIT;
	io->deadline = now_ms() + r->timeout_ms;
	io->data = data;
	if (io == &c->h[h].rd)
		c->rdatalen = 0;
	io_progress(c, h, io);
	/* A background activity answers now, with what it did so far. */
	if (r->bg)
		reply_io(c, io, io == &c->h[h].rd);
}

static void
do_io(struct ctl *c, const struct agent_req *r)
{
	struct handle *hd;
	struct io *io;

	if ((hd = get(c, r->handle, 0)) == NULL)
		return;
	io = r->verb == AV_READ ? &hd->rd : &hd->wr;
	if (io->active) {
		reply_err(c, EBUSY, "handle %d: a background %s is running",
		    r->handle, r->verb == AV_READ ? "read" : "write");
		return;
	}
	io_start(c, r->handle, io, r, r->verb == AV_WRITEHEX ? r->data : NULL);
}

static int
ended(struct io *io, int end)
{
	io->end = end;
	return 1;
}

/* Read what is queued: 1 when the read has ended, 0 to wait for more. */
static int
io_read(struct ctl *c, struct handle *hd, struct io *io)
{
	unsigned char buf[IO_CHUNK];
	size_t want, keep;
	ssize_t n;
	int i;

	for (i = 0; i < IO_BURST; i++) {
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
		want = io->want - io->done;
		n = read(hd->fd, buf, want < sizeof(buf) ? want : sizeof(buf));
		if (n == 0)
			return ended(io, AGENT_END_EOF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (io->mode == AGENT_READ_SOME && io->done > 0)
				return ended(io, AGENT_END_DRAINED);
			return 0;
		}
		if (n < 0) {
			io->error = errno;
			return ended(io, AGENT_END_ERROR);
		}
		io->sum = agent_sum(io->sum, buf, (size_t)n);
		if (io->fg && c->rdatalen < AGENT_HEX_MAX) {
			keep = AGENT_HEX_MAX - c->rdatalen;
			keep = (size_t)n < keep ? (size_t)n : keep;
			memcpy(c->rdata + c->rdatalen, buf, keep);
			c->rdatalen += keep;
		}
		io->done += (size_t)n;
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
	}
	return 0;
}

/* Write the pattern or the given bytes; as io_read. */
static int
io_write(struct handle *hd, struct io *io)
{
	unsigned char buf[IO_CHUNK];
	const unsigned char *src;
	size_t chunk, i;
	ssize_t n;
	int burst;

	for (burst = 0; burst < IO_BURST; burst++) {
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
		chunk = io->want - io->done;
		if (chunk > sizeof(buf))
			chunk = sizeof(buf);
		if (io->data != NULL)
			src = io->data + io->done;
		else {
			for (i = 0; i < chunk; i++)
				buf[i] = agent_pattern_byte(hd->wpos + i);
			src = buf;
		}
		n = write(hd->fd, src, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			io->error = errno;
			return ended(io, AGENT_END_ERROR);
		}
		io->done += (size_t)n;
		hd->wpos += (uint64_t)n;
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
	}
	return 0;
}

static void
io_finish(struct ctl *c, int h, struct io *io, int end, int is_read)
{
	if (end != AGENT_END_NONE)
		io->end = end;
	io->active = 0;
	io->data = NULL;
	if (io->fg) {
		reply_io(c, io, is_read);
		c->wait.verb = AV_NONE;
	}
	(void)h;
}

static void
io_progress(struct ctl *c, int h, struct io *io)
{
	struct handle *hd = &c->h[h];
	int is_read = io == &hd->rd;

	if (!io->active)
		return;
	if (is_read ? io_read(c, hd, io) : io_write(hd, io))
		io_finish(c, h, io, AGENT_END_NONE, is_read);
	else if (io->fg) {
		c->wait.verb = is_read ? AV_READ : AV_WRITE;
		c->wait.handle = h;
		c->wait.deadline = io->deadline;
	}
}

/* Options on an open socket: SHUTDOWN, LINGER, RCVBUF, SNDBUF, NODELAY. */
static void
do_setopt(struct ctl *c, const struct agent_req *r)
{
	struct linger l;
	struct handle *hd;
	int opt, v;
	socklen_t len = sizeof(v);

	if ((hd = get(c, r->handle, r->verb == AV_NODELAY ? 0 : -1)) == NULL)
		return;
	switch (r->verb) {
	case AV_SHUTDOWN:
		if (shutdown(hd->fd, r->how) == -1)
			break;
		reply_ok(c, "%s", "");
		return;
	case AV_LINGER:
		l.l_onoff = r->on;
		l.l_linger = r->seconds;
		if (setsockopt(hd->fd, SOL_SOCKET, SO_LINGER, &l,
		    sizeof(l)) == -1)
			break;
		reply_ok(c, "%s", "");
		return;
	case AV_NODELAY:
		if (setsockopt(hd->fd, IPPROTO_TCP, TCP_NODELAY, &r->on,
		    sizeof(r->on)) == -1)
			break;
		reply_ok(c, "%s", "");
		return;
	default:
		/* RCVBUF, SNDBUF: answer what the system made of it. */
		opt = r->verb == AV_RCVBUF ? SO_RCVBUF : SO_SNDBUF;
		if (setsockopt(hd->fd, SOL_SOCKET, opt, &r->size,
		    sizeof(r->size)) == -1 ||
		    getsockopt(hd->fd, SOL_SOCKET, opt, &v, &len) == -1)
			break;
		reply_ok(c, "%s=%d", opt == SO_RCVBUF ? "rcvbuf" : "sndbuf",
		    v);
		return;
	}
	reply_err(c, errno, "%s: %s", agent_verb_name(r->verb),
	    strerror(errno));
}

/*
 * TCP_INFO's layout is Linux's own (glibc shows it unless the build asks
 * for strict POSIX, which hides TCPI_OPT_* with it).
 */
#if defined(__linux__) && defined(TCP_INFO) && defined(TCPI_OPT_TIMESTAMPS)
/* Linux's tcpi_state numbers (include/net/tcp_states.h), by RFC name. */
static const char *
tcp_state_name(int fd)
{
	static const char *const names[] = {
		"NONE", "ESTABLISHED", "SYN-SENT", "SYN-RECEIVED",
		"FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "CLOSED",
		"CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
		"SYN-RECEIVED",
	};
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1 ||
	    ti.tcpi_state >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[ti.tcpi_state];
}
#else
static const char *
tcp_state_name(int fd)
{
	(void)fd;
	return NULL;
}
#endif

/* bgread=... or bgwrite=...: a background activity, running or ended. */
static void
status_io(char *buf, size_t size, const char *key, const struct io *io,
    int is_read)
{
	size_t len = strlen(buf);

	if (io->fg || (!io->active && io->end == AGENT_END_NONE)) {
		snprintf(buf + len, size - len, " %s=none", key);
		return;
	}
	len += (size_t)snprintf(buf + len, size - len, " %s=%s %s_n=%zu", key,
	    io->active ? "running" : agent_end_name(io->end), key, io->done);
	if (is_read && len < size)
		len += (size_t)snprintf(buf + len, size - len,
		    " %s_sum=%016" PRIx64, key, io->sum);
	if (io->end == AGENT_END_ERROR && len < size)
		snprintf(buf + len, size - len, " %s_errno=%s", key,
		    agent_errno_name(io->error));
}

static void
do_status(struct ctl *c, const struct agent_req *r)
{
	struct sockaddr_storage ss;
	struct handle *hd;
	socklen_t len;
	char body[AGENT_REPLY_MAX];
	const char *state;
	int rcv = 0, snd = 0, unread = 0;

	if ((hd = get(c, r->handle, -1)) == NULL)
		return;
	snprintf(body, sizeof(body), "handle=%d kind=%s", r->handle,
	    hd->listening ? "listen" : "stream");
	len = sizeof(ss);
	if (getsockname(hd->fd, (struct sockaddr *)&ss, &len) == 0)
		agent_fmt_sockaddr(body, sizeof(body), "addr", "port",
		    (struct sockaddr *)&ss);
	len = sizeof(ss);
	if (!hd->listening &&
	    getpeername(hd->fd, (struct sockaddr *)&ss, &len) == 0)
		agent_fmt_sockaddr(body, sizeof(body), "peer", "peerport",
		    (struct sockaddr *)&ss);
	len = sizeof(rcv);
	getsockopt(hd->fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len);
	len = sizeof(snd);
	getsockopt(hd->fd, SOL_SOCKET, SO_SNDBUF, &snd, &len);
	if (!hd->listening && ioctl(hd->fd, FIONREAD, &unread) == -1)
		unread = 0;
	snprintf(body + strlen(body), sizeof(body) - strlen(body),
	    " rcvbuf=%d sndbuf=%d unread=%d", rcv, snd, unread);
	if ((state = tcp_state_name(hd->fd)) != NULL)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    " state=%s", state);
	if (!hd->listening) {
		status_io(body, sizeof(body), "bgread", &hd->rd, 1);
		status_io(body, sizeof(body), "bgwrite", &hd->wr, 0);
	}
	reply_ok(c, "%s", body);
}

static void
poll_done(struct ctl *c, int h, short revents)
{
	char body[64] = "";

	(void)h;
	c->wait.verb = AV_NONE;
	if (revents & POLLIN)
		strcat(body, ",in");
	if (revents & POLLOUT)
		strcat(body, ",out");
	if (revents & POLLHUP)
		strcat(body, ",hup");
	if (revents & POLLERR)
		strcat(body, ",err");
	if (RDHUP != 0 && (revents & RDHUP))
		strcat(body, ",rdhup");
	reply_ok(c, "revents=%s", body[0] != '\0' ? body + 1 : "none");
}

static void
do_poll(struct ctl *c, const struct agent_req *r)
{
	struct pollfd p;
	struct handle *hd;

	if ((hd = get(c, r->handle, -1)) == NULL)
		return;
	p.fd = hd->fd;
	p.events = (short)(r->events | ((r->events & POLLIN) ? RDHUP : 0));
	p.revents = 0;
	if (poll(&p, 1, 0) == -1) {
		reply_err(c, errno, "poll: %s", strerror(errno));
		return;
	}
	if (p.revents != 0 || r->timeout_ms == 0) {
		poll_done(c, r->handle, p.revents);
		return;
	}
	c->wait.verb = AV_POLL;
	c->wait.handle = r->handle;
	c->wait.events = p.events;
	c->wait.deadline = now_ms() + r->timeout_ms;
}

void
ops_request(struct ctl *c, const struct agent_cfg *cfg, const char *line,
    size_t len)
{
	struct agent_req *r = &c->req;
	struct agent_err e;

	if (agent_req_parse(line, len, r, &e) == -1) {
		reply_err(c, e.code, "%s", e.msg);
		return;
	}
	if (!c->hello && r->verb != AV_HELLO && r->verb != AV_QUIT) {
		reply_err(c, EPROTO, "send HELLO %d first",
		    AGENT_PROTO_VERSION);
		return;
	}
	switch (r->verb) {
	case AV_HELLO:
		do_hello(c, r);
		break;
	case AV_LISTEN:
		do_listen(c, cfg, r);
		break;
	case AV_ACCEPT:
		do_accept(c, r);
		break;
	case AV_CONNECT:
		do_connect(c, cfg, r);
		break;
	case AV_READ:
	case AV_WRITE:
	case AV_WRITEHEX:
		do_io(c, r);
		break;
	case AV_CLOSE:
		if (get(c, r->handle, -1) != NULL) {
			hfree(c, r->handle);
			reply_ok(c, "%s", "");
		}
		break;
	case AV_STATUS:
		do_status(c, r);
		break;
	case AV_POLL:
		do_poll(c, r);
		break;
	case AV_QUIT:
		reply_ok(c, "bye");
		c->closing = 1;
		break;
	default:
		do_setopt(c, r);
		break;
	}
}

/* What the event loop polls handle h for. */
short
ops_pollevents(const struct ctl *c, int h)
{
	const struct handle *hd = &c->h[h];
	short ev = 0;

	if (hd->fd == -1)
		return 0;
	if (hd->rd.active)
		ev |= POLLIN;
	if (hd->wr.active)
		ev |= POLLOUT;
	if (c->wait.handle == h) {
		if (c->wait.verb == AV_ACCEPT)
			ev |= POLLIN;
		else if (c->wait.verb == AV_CONNECT)
			ev |= POLLOUT;
		else if (c->wait.verb == AV_POLL)
			ev |= (short)c->wait.events;
	}
	return ev;
}

void
ops_events(struct ctl *c, int h, short revents)
{
	struct handle *hd = &c->h[h];
	int hup = revents & (POLLHUP | POLLERR | POLLNVAL);

	if (hd->fd == -1)
		return;
	if (c->wait.verb == AV_POLL && c->wait.handle == h &&
	    (revents & (c->wait.events | POLLHUP | POLLERR | POLLNVAL)))
		poll_done(c, h, revents & (short)(c->wait.events | POLLHUP |
		    POLLERR | POLLNVAL));
	else if (c->wait.verb == AV_ACCEPT && c->wait.handle == h &&
	    (revents & POLLIN || hup)) {
		if (try_accept(c, h))
			c->wait.verb = AV_NONE;
	} else if (c->wait.verb == AV_CONNECT && c->wait.handle == h &&
	    (revents & POLLOUT || hup))
		connect_done(c, h);
	if (hd->rd.active && (revents & POLLIN || hup))
		io_progress(c, h, &hd->rd);
	if (hd->wr.active && (revents & POLLOUT || hup))
		io_progress(c, h, &hd->wr);
}

/* Deadlines that have passed end their wait or activity. */
void
ops_timers(struct ctl *c, int64_t now)
{
	struct handle *hd;
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		hd = &c->h[h];
		if (hd->rd.active && now >= hd->rd.deadline)
			io_finish(c, h, &hd->rd, AGENT_END_TIMEOUT, 1);
		if (hd->wr.active && now >= hd->wr.deadline)
			io_finish(c, h, &hd->wr, AGENT_END_TIMEOUT, 0);
	}
	if (c->wait.verb == AV_NONE || now < c->wait.deadline)
		return;
	h = c->wait.handle;
	switch (c->wait.verb) {
	case AV_ACCEPT:
		c->wait.verb = AV_NONE;
		reply_err(c, ETIMEDOUT, "no connection to accept on handle %d",
		    h);
		break;
	case AV_CONNECT:
		c->wait.verb = AV_NONE;
		reply_err(c, ETIMEDOUT, "connect: no answer in time");
		hfree(c, h);
		break;
	case AV_POLL:
		poll_done(c, h, 0);
		break;
	default:
		/* READ and WRITE ended with their io above. */
		break;
	}
}

int64_t
ops_deadline(const struct ctl *c)
{
	int64_t d = INT64_MAX;
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		if (c->h[h].rd.active && c->h[h].rd.deadline < d)
			d = c->h[h].rd.deadline;
		if (c->h[h].wr.active && c->h[h].wr.deadline < d)
			d = c->h[h].wr.deadline;
	}
	if (c->wait.verb != AV_NONE && c->wait.deadline < d)
		d = c->wait.deadline;
	return d;
}

int
ops_busy(const struct ctl *c)
{
	return c->wait.verb != AV_NONE;
}
