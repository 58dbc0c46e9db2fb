/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_posix.c: the back end of tcpconform-agent: the engine's operations
 * (agent_engine.h) on the target's kernel sockets, all non-blocking, with
 * the limits of the agent's options (-P, -C, the control port).  The event
 * loop of agent.c polls what agent_ctl_wants() names and calls
 * agent_ctl_run() when a socket is ready.
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
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"

#ifdef POLLRDHUP
#define RDHUP	POLLRDHUP	/* Linux: the peer's FIN, unread */
#else
#define RDHUP	0
#endif

static uint64_t	px_now(void *);
static void	px_reply(void *, const char *, size_t);
static int	px_can_reply(void *);
static void	px_info(void *, char *, size_t);
static void	px_request(void *, const char *, size_t);
static void	px_os(void *, char *, size_t);
static int	px_listen(void *, const struct agent_req *, union agent_sock *,
		    struct agent_err *);
static int	px_accept(void *, union agent_sock, union agent_sock *,
		    struct agent_err *);
static int	px_connect(void *, const struct agent_req *,
		    union agent_sock *, int *, struct agent_err *);
static int	px_connected(void *, union agent_sock);
static ssize_t	px_read(void *, union agent_sock, void *, size_t, int *);
static ssize_t	px_write(void *, union agent_sock, const void *, size_t,
		    int *);
static int	px_setopt(void *, union agent_sock, const struct agent_req *,
		    int *, struct agent_err *);
static int	px_names(void *, union agent_sock, struct sockaddr_storage *,
		    struct sockaddr_storage *);
static void	px_status(void *, union agent_sock, int,
		    struct agent_sockinfo *);
static int	px_poll(void *, union agent_sock, int);
static void	px_close(void *, union agent_sock);
static ssize_t	px_write_urgent(void *, union agent_sock, const void *, size_t,
		    int *);
static int	keepalive(int, const struct agent_req *);
static int	sockprep(int, int);
static int	setbufs(int, int, int);
static int	port_ok(const struct agent_cfg *, unsigned, const char *,
		    struct agent_err *);
static int	bind_local(int, const struct agent_req *, struct agent_err *);

const struct agent_ops agent_posix_ops = {
	.name = "tcpconform-agent",
	.io_burst = IO_BURST,
	.now = px_now,
	.reply = px_reply,
	.can_reply = px_can_reply,
	.request = px_request,
	.os = px_os,
	.info = px_info,
	.listen = px_listen,
	.accept = px_accept,
	.connect = px_connect,
	.connected = px_connected,
	.read = px_read,
	.write = px_write,
	.setopt = px_setopt,
	.names = px_names,
	.status = px_status,
	.poll = px_poll,
	.write_urgent = px_write_urgent,
	.close = px_close,
};

uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t
px_now(void *ctx)
{
	(void)ctx;
	return now_us();
}

static void
px_reply(void *ctx, const char *line, size_t len)
{
	ctl_put(ctx, line, len);
}

/* A request runs only when its reply fits in what is not yet sent. */
static int
px_can_reply(void *ctx)
{
	struct ctl *c = ctx;

	return sizeof(c->out) - c->outlen >= AGENT_REPLY_MAX;
}

static void
px_request(void *ctx, const char *line, size_t len)
{
	struct ctl *c = ctx;

	if (c->verbose)
		log_line(c, '>', line, len);
	c->idle_deadline = now_us() + c->cfg->idle_us;
}

static void
px_os(void *ctx, char *buf, size_t size)
{
	struct utsname u;

	(void)ctx;
	if (uname(&u) == 0)
		snprintf(buf, size, "%s", u.sysname);
}

/*
 * The Linux settings that decide verdicts of the catalogue, as the agent's
 * network namespace has them (the target's): RFC 1337 TIME-WAIT
 * assassination, ECN, SYN cookies, the options offered on a SYN, FIN-WAIT-2
 * and retransmission limits, the RFC 5961 challenge-ACK limit, and whether
 * a closed connection's RTT is kept for the next to the same host
 * (tcp_no_metrics_save=0: a new connection's first RTO is then seeded from
 * it, about three times the cached RTT, so an earlier case whose peer held
 * its ACKs back makes a later case's first retransmission late).
 * Elsewhere the files are absent and only uname(3) is told.
 */
static const char *const px_sysctls[] = {
	"tcp_rfc1337", "tcp_ecn", "tcp_syncookies", "tcp_timestamps",
	"tcp_sack", "tcp_dsack", "tcp_window_scaling", "tcp_fin_timeout",
	"tcp_syn_retries", "tcp_synack_retries", "tcp_retries2",
	"tcp_keepalive_time", "tcp_challenge_ack_limit", "tcp_tw_reuse",
	"tcp_rmem", "tcp_wmem", "tcp_mtu_probing", "tcp_congestion_control",
	"tcp_no_metrics_save", NULL
};

static void
px_info(void *ctx, char *buf, size_t size)
{
	struct utsname u;
	char path[96], val[128];
	size_t n = 0, i, k;
	FILE *f;
	int w;

	(void)ctx;
	buf[0] = '\0';
	if (uname(&u) == 0 && (w = snprintf(buf, size, "release=%s "
	    "machine=%s", u.release, u.machine)) > 0 && (size_t)w < size)
		n = (size_t)w;
	for (i = 0; px_sysctls[i] != NULL; i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s",
		    px_sysctls[i]);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(val, sizeof(val), f) == NULL)
			val[0] = '\0';
		fclose(f);
		/* "4096\t131072\t6291456\n": one word, commas between. */
		val[strcspn(val, "\n")] = '\0';
		for (k = 0; val[k] != '\0'; k++)
			if (val[k] == ' ' || val[k] == '\t')
				val[k] = ',';
		w = snprintf(buf + n, size - n, "%snet.ipv4.%s=%s", n > 0 ?
		    " " : "", px_sysctls[i], val);
		if (w < 0 || (size_t)w >= size - n) {
			buf[n] = '\0';
			break;
		}
		n += (size_t)w;
	}
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
port_ok(const struct agent_cfg *cfg, unsigned port, const char *what,
    struct agent_err *e)
{
	if (port == cfg->ctl_port) {
		agent_err_set(e, EACCES, "%s %u is the agent's control port",
		    what, port);
		return 0;
	}
	if (port < cfg->port_lo || port > cfg->port_hi) {
		agent_err_set(e, EACCES, "%s %u is outside the ports allowed "
		    "by -P (%u-%u)", what, port, cfg->port_lo, cfg->port_hi);
		return 0;
	}
	return 1;
}

static int
px_listen(void *ctx, const struct agent_req *r, union agent_sock *s,
    struct agent_err *e)
{
	struct ctl *c = ctx;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (r->port != 0 && !port_ok(c->cfg, r->port, "port", e))
		return -1;
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
	if ((fd = socket(r->family, SOCK_STREAM, 0)) == -1)
		return agent_err_set(e, errno, "socket: %s", strerror(errno));
	/*
	 * Buffer sizes go before listen(2): a connection takes them from
	 * its listener, and its SYN-ACK's window and window scale follow.
	 */
	if (sockprep(fd, r->family) == -1 || setbufs(fd, r->rcvbuf,
	    r->sndbuf) == -1 || (r->reuse && setsockopt(fd, SOL_SOCKET,
	    SO_REUSEADDR, &r->reuse, sizeof(r->reuse)) == -1)) {
		agent_err_set(e, errno, "socket options: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, r->backlog) == -1) {
		agent_err_set(e, errno, "bind or listen on port %u: %s",
		    r->port, strerror(errno));
		close(fd);
		return -1;
	}
	s->fd = fd;
	return 0;
}

static int
px_accept(void *ctx, union agent_sock l, union agent_sock *s,
    struct agent_err *e)
{
	int fd;

	(void)ctx;
	if ((fd = accept(l.fd, NULL, NULL)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR || errno == ECONNABORTED)
			return 0;
		return agent_err_set(e, errno, "accept: %s", strerror(errno));
	}
	if (sockprep(fd, AF_UNSPEC) == -1) {
		agent_err_set(e, errno, "accept: %s", strerror(errno));
		close(fd);
		return -1;
	}
	s->fd = fd;
	return 1;
}

/* lport= and laddr= of a CONNECT, bound before it. */
static int
bind_local(int fd, const struct agent_req *r, struct agent_err *e)
{
	struct sockaddr_storage ls;
	socklen_t llen;

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
	if (bind(fd, (struct sockaddr *)&ls, llen) == -1)
		return agent_err_set(e, errno, "bind to local port %u: %s",
		    r->lport, strerror(errno));
	return 0;
}

/* CONNECT's limits: -C for the destination, -P for lport=. */
static int
px_connect(void *ctx, const struct agent_req *r, union agent_sock *s,
    int *inprogress, struct agent_err *e)
{
	struct ctl *c = ctx;
	int fd;

	if (!acl_match(&c->cfg->dest, (const struct sockaddr *)&r->addr))
		return agent_err_set(e, EACCES, "destination not allowed "
		    "by -C");
	/* The agent's own port: a request could otherwise loop back in. */
	if (r->port == c->cfg->ctl_port)
		return agent_err_set(e, EACCES, "port %u is the agent's "
		    "control port", r->port);
	if (r->lport != 0 && !port_ok(c->cfg, r->lport, "lport", e))
		return -1;
	if (r->laddrlen != 0 && r->laddr.ss_family != r->family)
		return agent_err_set(e, EINVAL, "laddr is not of the "
		    "destination's family");
	if ((fd = socket(r->family, SOCK_STREAM, 0)) == -1)
		return agent_err_set(e, errno, "socket: %s", strerror(errno));
	if (sockprep(fd, r->family) == -1 || setbufs(fd, r->rcvbuf,
	    r->sndbuf) == -1 || (r->nodelay >= 0 && setsockopt(fd,
	    IPPROTO_TCP, TCP_NODELAY, &r->nodelay, sizeof(r->nodelay)) == -1) ||
	    (r->lport != 0 && r->reuse && setsockopt(fd, SOL_SOCKET,
	    SO_REUSEADDR, &r->reuse, sizeof(r->reuse)) == -1)) {
		agent_err_set(e, errno, "socket options: %s", strerror(errno));
		goto fail;
	}
	if ((r->lport != 0 || r->laddrlen != 0) && bind_local(fd, r, e) == -1)
		goto fail;
	*inprogress = 0;
	if (connect(fd, (const struct sockaddr *)&r->addr, r->addrlen) == -1) {
		if (errno != EINPROGRESS && errno != EINTR) {
			agent_err_set(e, errno, "connect: %s",
			    strerror(errno));
			goto fail;
		}
		*inprogress = 1;
	}
	s->fd = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

/* The socket of a waiting CONNECT is writable once the handshake ended. */
static int
px_connected(void *ctx, union agent_sock s)
{
	struct pollfd p;
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	(void)ctx;
	p.fd = s.fd;
	p.events = POLLOUT;
	p.revents = 0;
	if (poll(&p, 1, 0) <= 0 || p.revents == 0)
		return EINPROGRESS;
	if (getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	return soerr;
}

static ssize_t
px_read(void *ctx, union agent_sock s, void *buf, size_t len, int *err)
{
	ssize_t n;

	(void)ctx;
	while ((n = read(s.fd, buf, len)) < 0 && errno == EINTR)
		;
	if (n < 0)
		*err = errno == EWOULDBLOCK ? EAGAIN : errno;
	return n;
}

static ssize_t
px_write(void *ctx, union agent_sock s, const void *buf, size_t len,
    int *err)
{
	ssize_t n;

	(void)ctx;
	while ((n = write(s.fd, buf, len)) < 0 && errno == EINTR)
		;
	if (n < 0)
		*err = errno == EWOULDBLOCK ? EAGAIN : errno;
	return n;
}

/*
 * Options on an open socket: SHUTDOWN, LINGER, RCVBUF, SNDBUF, NODELAY,
 * KEEPALIVE.
 */
static int
px_setopt(void *ctx, union agent_sock s, const struct agent_req *r,
    int *value, struct agent_err *e)
{
	struct linger l;
	int opt, rc;
	socklen_t len = sizeof(*value);

	(void)ctx;
	switch (r->verb) {
	case AV_SHUTDOWN:
		rc = shutdown(s.fd, r->how);
		break;
	case AV_LINGER:
		l.l_onoff = r->on;
		l.l_linger = r->seconds;
		rc = setsockopt(s.fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		break;
	case AV_NODELAY:
		rc = setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &r->on,
		    sizeof(r->on));
		break;
	case AV_KEEPALIVE:
		rc = keepalive(s.fd, r);
		break;
	default:
		/* RCVBUF, SNDBUF: read back what the system made of it. */
		opt = r->verb == AV_RCVBUF ? SO_RCVBUF : SO_SNDBUF;
		rc = setsockopt(s.fd, SOL_SOCKET, opt, &r->size,
		    sizeof(r->size));
		if (rc == 0)
			rc = getsockopt(s.fd, SOL_SOCKET, opt, value, &len);
		break;
	}
	if (rc == -1)
		return agent_err_set(e, errno, "%s: %s",
		    agent_verb_name(r->verb), strerror(errno));
	return 0;
}

static int
px_names(void *ctx, union agent_sock s, struct sockaddr_storage *local,
    struct sockaddr_storage *peer)
{
	socklen_t len;
	int got = 0;

	(void)ctx;
	len = sizeof(*local);
	if (getsockname(s.fd, (struct sockaddr *)local, &len) == 0)
		got |= AGENT_NAME_LOCAL;
	len = sizeof(*peer);
	if (peer != NULL && getpeername(s.fd, (struct sockaddr *)peer,
	    &len) == 0)
		got |= AGENT_NAME_PEER;
	return got;
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

static void
px_status(void *ctx, union agent_sock s, int listening,
    struct agent_sockinfo *si)
{
	int rcv = 0, snd = 0, unread = 0;
	socklen_t len;

	(void)ctx;
	len = sizeof(rcv);
	getsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len);
	len = sizeof(snd);
	getsockopt(s.fd, SOL_SOCKET, SO_SNDBUF, &snd, &len);
	if (!listening && ioctl(s.fd, FIONREAD, &unread) == -1)
		unread = 0;
	si->rcvbuf = rcv > 0 ? (unsigned long)rcv : 0;
	si->sndbuf = snd > 0 ? (unsigned long)snd : 0;
	si->unread = unread > 0 ? (size_t)unread : 0;
	si->state = tcp_state_name(s.fd);
}

/* The poll(2) bits of the engine's events, and back. */
short
agent_posix_events(int ev)
{
	return (short)(((ev & AGENT_EV_IN) ? POLLIN | RDHUP : 0) |
	    ((ev & AGENT_EV_OUT) ? POLLOUT : 0));
}

static int
px_poll(void *ctx, union agent_sock s, int events)
{
	struct pollfd p;
	int ev = 0;

	(void)ctx;
	p.fd = s.fd;
	p.events = agent_posix_events(events);
	p.revents = 0;
	if (poll(&p, 1, 0) == -1)
		return AGENT_EV_ERR;
	if (p.revents & POLLIN)
		ev |= AGENT_EV_IN;
	if (p.revents & POLLOUT)
		ev |= AGENT_EV_OUT;
	if (p.revents & POLLHUP)
		ev |= AGENT_EV_HUP;
	if (p.revents & POLLERR)
		ev |= AGENT_EV_ERR;
	if (RDHUP != 0 && (p.revents & RDHUP))
		ev |= AGENT_EV_RDHUP;
	return ev;
}

static void
px_close(void *ctx, union agent_sock s)
{
	(void)ctx;
	close(s.fd);
}

/*
 * SO_KEEPALIVE, and where the system has them the idle time before the
 * first probe and the interval between probes (RFC 9293 MUST-27: "This
 * interval MUST be configurable"; TCP_KEEPIDLE is TCP_KEEPALIVE on macOS).
 */
static int
keepalive(int fd, const struct agent_req *r)
{
	int secs = r->seconds;

	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &r->on,
	    sizeof(r->on)) == -1)
		return -1;
	if (!r->on)
		return 0;
#if defined(TCP_KEEPIDLE)
	if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &secs,
	    sizeof(secs)) == -1)
		return -1;
#elif defined(TCP_KEEPALIVE)
	if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPALIVE, &secs,
	    sizeof(secs)) == -1)
		return -1;
#else
	errno = ENOPROTOOPT;
	return -1;
#endif
#if defined(TCP_KEEPINTVL)
	if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &secs,
	    sizeof(secs)) == -1)
		return -1;
#endif
	return 0;
}

/* URGENT: one send(2) with MSG_OOB; its last byte is the urgent one. */
static ssize_t
px_write_urgent(void *ctx, union agent_sock s, const void *buf, size_t len,
    int *err)
{
	ssize_t n;

	(void)ctx;
	while ((n = send(s.fd, buf, len, MSG_OOB)) < 0 && errno == EINTR)
		;
	if (n < 0)
		*err = errno;
	return n;
}
