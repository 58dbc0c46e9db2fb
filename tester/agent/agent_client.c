/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_client.c: the runner's client of tcpconform-agent: the control
 * connection, one request at a time, and the decoding of the replies.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_client.h"
#include "errmsg.h"
#include "hex.h"

/* WRITEHEX bytes per request: two hex digits each, and room for the rest. */
#define HEX_CHUNK	((AGENT_LINE_MAX - 64) / 2)

enum { AG_CONNECTING, AG_GREETING, AG_READY };

struct agent {
	int	fd;
	int	state;		/* AG_* */
	int64_t	deadline;	/* of the connect or the greeting, in ms */
	int	slack_ms;	/* added to every request's own timeout */
	int	broken;		/* the control path failed: no more */
	int	busy;		/* a request awaits its reply */
	int	last_error;
	char	last_errname[AGENT_ERRNAME_MAX];
	char	name[INET6_ADDRSTRLEN + 16];	/* "host port P" */
	char	hello[AGENT_REPLY_MAX];
	char	in[2 * AGENT_REPLY_MAX];
	size_t	inlen;
};

static int	broken(struct agent *, char **, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int64_t	now_ms(void);
static int	vsend(struct agent *, char **, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static int	vrequest(struct agent *, int, struct agent_reply *, char **,
		    const char *, va_list)
		    __attribute__((format(printf, 5, 0)));
static int	take_line(struct agent *, struct agent_reply *, char **);
static int	bufsize(struct agent *, const char *, const char *, int, int,
		    int *, char **);
static int	call(struct agent *, int, struct agent_reply *, char **,
		    const char *, ...) __attribute__((format(printf, 5, 6)));
static int	reply_err(const struct agent_reply *, char **);
static int	sock_connect(const struct addrinfo *, int *, char **);
static int	unhex(const char *, unsigned char *, size_t, size_t *);
static int	get_u16(const struct agent_reply *, const char *, uint16_t *);
static int	get_end(const struct agent_reply *, const char *, int *,
		    int *, char *);
static void	get_bg(const struct agent_reply *, const char *,
		    struct agent_bg *);

/* A failure of the control path itself: the agent is unusable from now. */
static int
broken(struct agent *a, char **err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	a->broken = 1;
	a->last_error = 0;
	a->last_errname[0] = '\0';
	return tc_seterr(err, "agent at %s: %s", a->name, msg);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A non-blocking socket with its connect under way (*done 0) or already
 * made (*done 1): the fd, or -1.
 */
static int
sock_connect(const struct addrinfo *ai, int *done, char **err)
{
	int fd, flags;

	if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) ==
	    -1)
		return tc_seterr(err, "socket: %s", strerror(errno));
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		goto fail;
	*done = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
	if (*done || errno == EINPROGRESS)
		return fd;
fail:
	tc_seterr(err, "connect: %s", strerror(errno));
	close(fd);
	return -1;
}

struct agent *
agent_connect_start(const char *host, uint16_t port, int timeout_ms,
    char **err)
{
	struct addrinfo hints, *res, *ai;
	struct agent *a;
	char service[8], *e = NULL;
	int rc, fd = -1, done = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	/* Numeric only: a name lookup could block the runner's loop. */
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", port);
	if ((rc = getaddrinfo(host, service, &hints, &res)) != 0) {
		tc_seterr(err, "agent at %s port %u: %s", host, port,
		    gai_strerror(rc));
		return NULL;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		free(e);
		e = NULL;
		fd = sock_connect(ai, &done, &e);
	}
	freeaddrinfo(res);
	if (fd == -1) {
		tc_seterr(err, "agent at %s port %u: %s", host, port,
		    e != NULL ? e : "no address");
		free(e);
		return NULL;
	}
	free(e);
	a = xcalloc(1, sizeof(*a));
	a->fd = fd;
	a->slack_ms = timeout_ms;
	a->state = AG_CONNECTING;
	a->deadline = now_ms() + timeout_ms;
	snprintf(a->name, sizeof(a->name), "%.*s port %u", INET6_ADDRSTRLEN,
	    host, port);
	return a;
}

int
agent_connect_poll(struct agent *a, char **err)
{
	struct agent_reply r;
	struct pollfd p;
	int soerr = 0, rc;
	socklen_t len = sizeof(soerr);

	if (a->state == AG_CONNECTING) {
		p.fd = a->fd;
		p.events = POLLOUT;
		p.revents = 0;
		if ((rc = poll(&p, 1, 0)) == -1 && errno != EINTR)
			return tc_seterr(err, "agent at %s: poll: %s",
			    a->name, strerror(errno));
		if (rc != 1) {
			if (now_ms() < a->deadline)
				return 0;
			return tc_seterr(err, "agent at %s: connect: no "
			    "answer in %d ms", a->name, a->slack_ms);
		}
		if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) ==
		    -1)
			soerr = errno;
		if (soerr != 0)
			return tc_seterr(err, "agent at %s: connect: %s",
			    a->name, strerror(soerr));
		if (agent_send(a, err, "HELLO %d", AGENT_PROTO_VERSION) == -1)
			return -1;
		a->state = AG_GREETING;
		a->deadline = now_ms() + a->slack_ms;
	}
	if (a->state == AG_GREETING) {
		if ((rc = agent_recv(a, 0, &r, err)) == -1)
			return -1;
		if (rc == 0) {
			if (now_ms() < a->deadline)
				return 0;
			return broken(a, err, "no reply in %d ms",
			    a->slack_ms);
		}
		if (!r.ok)
			return tc_seterr(err, "agent at %s refused HELLO: %s "
			    "%s", a->name, r.errname, r.text);
		snprintf(a->hello, sizeof(a->hello), "%s", r.text);
		a->state = AG_READY;
	}
	return 1;
}

struct agent *
agent_connect(const char *host, uint16_t port, int timeout_ms, char **err)
{
	struct agent *a;
	struct pollfd p;
	int rc;

	if ((a = agent_connect_start(host, port, timeout_ms, err)) == NULL)
		return NULL;
	while ((rc = agent_connect_poll(a, err)) == 0) {
		p.fd = a->fd;
		p.events = a->state == AG_CONNECTING ? POLLOUT : POLLIN;
		p.revents = 0;
		(void)poll(&p, 1, 10);
	}
	if (rc == -1) {
		agent_free(a);
		return NULL;
	}
	return a;
}

void
agent_free(struct agent *a)
{
	if (a == NULL)
		return;
	close(a->fd);
	free(a);
}

int
agent_last_error(const struct agent *a)
{
	return a->last_error;
}

const char *
agent_last_errname(const struct agent *a)
{
	return a->last_errname;
}

const char *
agent_hello(const struct agent *a)
{
	return a->hello;
}

int
agent_fd(const struct agent *a)
{
	return a->fd;
}

int
agent_busy(const struct agent *a)
{
	return a->busy;
}

/*
 * Send one request line.  The text must be printable: a LF inside an
 * argument would smuggle in a second request.
 */
static int
vsend(struct agent *a, char **err, const char *fmt, va_list ap)
{
	char line[AGENT_LINE_MAX + 1];
	struct pollfd p;
	int64_t deadline;
	size_t len, off = 0, i;
	ssize_t n;
	int w;

	if (a->broken)
		return tc_seterr(err, "agent at %s: connection lost earlier",
		    a->name);
	if (a->busy)
		return tc_seterr(err, "agent at %s: a request is outstanding",
		    a->name);
	w = vsnprintf(line, sizeof(line), fmt, ap);
	if (w < 0 || (size_t)w >= AGENT_LINE_MAX)
		return tc_seterr(err, "agent request longer than %d bytes",
		    AGENT_LINE_MAX - 1);
	len = (size_t)w;
	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 ||
		    (unsigned char)line[i] >= 0x7f)
			return tc_seterr(err, "agent request with byte 0x%02x",
			    (unsigned char)line[i]);
	line[len++] = '\n';
	a->last_error = 0;
	a->last_errname[0] = '\0';
	deadline = now_ms() + a->slack_ms;
	while (off < len) {
		n = write(a->fd, line + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			return broken(a, err, "send: %s", strerror(errno));
		p.fd = a->fd;
		p.events = POLLOUT;
		if (now_ms() >= deadline || poll(&p, 1,
		    (int)(deadline - now_ms())) == 0)
			return broken(a, err, "send: timed out");
	}
	a->busy = 1;
	return 0;
}

int
agent_send(struct agent *a, char **err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsend(a, err, fmt, ap);
	va_end(ap);
	return rc;
}

/* Take one complete line out of a->in: 1 done, 0 none yet, -1 broken. */
static int
take_line(struct agent *a, struct agent_reply *r, char **err)
{
	char *lf, line[sizeof(a->in)];
	size_t len;

	if ((lf = memchr(a->in, '\n', a->inlen)) == NULL) {
		if (a->inlen == sizeof(a->in))
			return broken(a, err, "reply longer than %zu bytes",
			    sizeof(a->in));
		return 0;
	}
	len = (size_t)(lf - a->in);
	memcpy(line, a->in, len);
	line[len] = '\0';
	a->inlen -= len + 1;
	memmove(a->in, lf + 1, a->inlen);
	if (memchr(line, '\0', len) != NULL)
		return broken(a, err, "NUL byte in a reply");
	if (agent_reply_parse(line, r, NULL) == -1)
		return broken(a, err, "malformed reply '%.60s'", line);
	if (!a->busy)
		return broken(a, err, "reply to no request: '%.60s'", line);
	a->busy = 0;
	if (!r->ok) {
		a->last_error = r->error;
		snprintf(a->last_errname, sizeof(a->last_errname), "%s",
		    r->errname);
	}
	return 1;
}

int
agent_recv(struct agent *a, int timeout_ms, struct agent_reply *r,
    char **err)
{
	struct pollfd p;
	int64_t deadline = now_ms() + timeout_ms, left;
	ssize_t n;
	int rc;

	if (a->broken)
		return tc_seterr(err, "agent at %s: connection lost earlier",
		    a->name);
	for (;;) {
		if ((rc = take_line(a, r, err)) != 0)
			return rc;
		left = deadline - now_ms();
		p.fd = a->fd;
		p.events = POLLIN;
		rc = poll(&p, 1, left > 0 ? (int)left : 0);
		if (rc == -1 && errno != EINTR)
			return broken(a, err, "poll: %s", strerror(errno));
		if (rc == 0)
			return 0;
		if (rc == -1)
			continue;
		n = read(a->fd, a->in + a->inlen, sizeof(a->in) - a->inlen);
		if (n == 0)
			return broken(a, err, "the agent closed the control "
			    "connection (does it trust this host? see its -a)");
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			return broken(a, err, "receive: %s%s", strerror(errno),
			    errno == ECONNRESET ? " (does the agent trust "
			    "this host? see its -a)" : "");
		if (n > 0)
			a->inlen += (size_t)n;
	}
}

/* Send, then wait for the reply: the agent's timeout plus the slack. */
static int
vrequest(struct agent *a, int timeout_ms, struct agent_reply *r, char **err,
    const char *fmt, va_list ap)
{
	int rc, wait = timeout_ms + a->slack_ms;

	if (vsend(a, err, fmt, ap) == -1)
		return -1;
	if ((rc = agent_recv(a, wait, r, err)) == 0)
		return broken(a, err, "no reply in %d ms", wait);
	return rc == 1 ? 0 : -1;
}

int
agent_request(struct agent *a, int timeout_ms, struct agent_reply *r,
    char **err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vrequest(a, timeout_ms, r, err, fmt, ap);
	va_end(ap);
	return rc;
}

/* A request whose ERR reply is a failure of the call. */
static int
call(struct agent *a, int timeout_ms, struct agent_reply *r, char **err,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vrequest(a, timeout_ms, r, err, fmt, ap);
	va_end(ap);
	if (rc == -1)
		return -1;
	return reply_err(r, err);
}

static int
reply_err(const struct agent_reply *r, char **err)
{
	if (r->ok)
		return 0;
	return tc_seterr(err, "agent: %s %s", r->errname, r->text);
}

int
agent_listen(struct agent *a, int family, uint16_t port, int backlog,
    int rcvbuf, int *handle, char **err)
{
	struct agent_reply r;
	char opts[64] = "";

	if (family != AF_INET && family != AF_INET6)
		return tc_seterr(err, "agent_listen: family must be AF_INET or "
		    "AF_INET6");
	if (backlog > 0)
		snprintf(opts, sizeof(opts), " backlog=%d", backlog);
	if (rcvbuf > 0)
		snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts),
		    " rcvbuf=%d", rcvbuf);
	if (call(a, 0, &r, err, "LISTEN %d %u%s", family == AF_INET ? 4 : 6,
	    port, opts) == -1)
		return -1;
	return agent_reply_endpoints(&r, handle, NULL, err);
}

int
agent_accept(struct agent *a, int lhandle, int timeout_ms, int *handle,
    struct agent_endpoints *ep, char **err)
{
	struct agent_reply r;

	if (call(a, timeout_ms, &r, err, "ACCEPT %d timeout=%d", lhandle,
	    timeout_ms) == -1)
		return -1;
	return agent_reply_endpoints(&r, handle, ep, err);
}

int
agent_connect_to(struct agent *a, const char *addr, uint16_t port,
    uint16_t lport, int timeout_ms, int *handle, struct agent_endpoints *ep,
    char **err)
{
	struct agent_reply r;
	char opt[32] = "";

	if (lport != 0)
		snprintf(opt, sizeof(opt), " lport=%u", lport);
	if (strchr(addr, ' ') != NULL || strchr(addr, '=') != NULL)
		return tc_seterr(err, "agent_connect_to: bad address '%.60s'",
		    addr);
	if (call(a, timeout_ms, &r, err, "CONNECT %s %u%s timeout=%d", addr,
	    port, opt, timeout_ms) == -1)
		return -1;
	return agent_reply_endpoints(&r, handle, ep, err);
}

int
agent_read(struct agent *a, int handle, size_t max, int mode,
    int timeout_ms, struct agent_read_result *res, char **err)
{
	struct agent_reply r;

	if (call(a, timeout_ms, &r, err, "READ %d %zu mode=%s timeout=%d",
	    handle, max, mode == AGENT_READ_SOME ? "some" : "full",
	    timeout_ms) == -1)
		return -1;
	return agent_reply_read(&r, res, err);
}

int
agent_write(struct agent *a, int handle, size_t count, int timeout_ms,
    struct agent_write_result *res, char **err)
{
	struct agent_reply r;

	if (call(a, timeout_ms, &r, err, "WRITE %d %zu timeout=%d", handle,
	    count, timeout_ms) == -1)
		return -1;
	return agent_reply_write(&r, res, err);
}

/* Bytes as WRITEHEX requests of HEX_CHUNK bytes, until one falls short. */
int
agent_write_bytes(struct agent *a, int handle, const void *buf, size_t len,
    int timeout_ms, struct agent_write_result *res, char **err)
{
	const unsigned char *p = buf;
	struct agent_write_result part;
	struct agent_reply r;
	char hex[2 * HEX_CHUNK + 1];
	size_t off = 0, n;

	memset(res, 0, sizeof(*res));
	res->end = AGENT_END_COUNT;
	while (off < len) {
		n = len - off < HEX_CHUNK ? len - off : HEX_CHUNK;
		hex_encode(hex, p + off, n);
		if (call(a, timeout_ms, &r, err, "WRITEHEX %d %s timeout=%d",
		    handle, hex, timeout_ms) == -1 ||
		    agent_reply_write(&r, &part, err) == -1)
			return -1;
		res->count += part.count;
		if (part.end != AGENT_END_COUNT) {
			res->end = part.end;
			res->error = part.error;
			memcpy(res->errname, part.errname,
			    sizeof(res->errname));
			break;
		}
		off += n;
	}
	return 0;
}

int
agent_shutdown(struct agent *a, int handle, int how, char **err)
{
	struct agent_reply r;
	const char *s;

	if (how == SHUT_RD)
		s = "rd";
	else if (how == SHUT_WR)
		s = "wr";
	else if (how == SHUT_RDWR)
		s = "rdwr";
	else
		return tc_seterr(err, "agent_shutdown: bad how %d", how);
	return call(a, 0, &r, err, "SHUTDOWN %d %s", handle, s);
}

int
agent_close(struct agent *a, int handle, char **err)
{
	struct agent_reply r;

	return call(a, 0, &r, err, "CLOSE %d", handle);
}

int
agent_linger(struct agent *a, int handle, int on, int seconds, char **err)
{
	struct agent_reply r;

	if (!on)
		return call(a, 0, &r, err, "LINGER %d off", handle);
	return call(a, 0, &r, err, "LINGER %d on %d", handle, seconds);
}

static int
bufsize(struct agent *a, const char *verb, const char *key, int handle,
    int bytes, int *actual, char **err)
{
	struct agent_reply r;
	unsigned long long v;

	if (call(a, 0, &r, err, "%s %d %d", verb, handle, bytes) == -1)
		return -1;
	if (agent_reply_num(&r, key, &v) == -1 || v > INT32_MAX)
		return tc_seterr(err, "agent: %s reply without %s", verb, key);
	if (actual != NULL)
		*actual = (int)v;
	return 0;
}

int
agent_rcvbuf(struct agent *a, int handle, int bytes, int *actual,
    char **err)
{
	return bufsize(a, "RCVBUF", "rcvbuf", handle, bytes, actual, err);
}

int
agent_sndbuf(struct agent *a, int handle, int bytes, int *actual,
    char **err)
{
	return bufsize(a, "SNDBUF", "sndbuf", handle, bytes, actual, err);
}

int
agent_nodelay(struct agent *a, int handle, int on, char **err)
{
	struct agent_reply r;

	return call(a, 0, &r, err, "NODELAY %d %d", handle, on ? 1 : 0);
}

int
agent_status(struct agent *a, int handle, struct agent_status *st,
    char **err)
{
	struct agent_reply r;

	if (call(a, 0, &r, err, "STATUS %d", handle) == -1)
		return -1;
	return agent_reply_status(&r, st, err);
}

int
agent_poll(struct agent *a, int handle, int events, int timeout_ms,
    int *revents, char **err)
{
	struct agent_reply r;
	const char *ev;

	if ((events & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT))
		ev = "in,out";
	else if (events & POLLOUT)
		ev = "out";
	else
		ev = "in";
	if (call(a, timeout_ms, &r, err, "POLL %d events=%s timeout=%d",
	    handle, ev, timeout_ms) == -1)
		return -1;
	return agent_reply_revents(&r, revents, err);
}

/* Replies. */

int
agent_reply_parse(const char *line, struct agent_reply *r, char **err)
{
	size_t len = strcspn(line, "\r\n"), n;
	const char *p;

	memset(r, 0, sizeof(*r));
	if (len >= sizeof(r->text))
		return tc_seterr(err, "reply longer than %zu bytes",
		    sizeof(r->text) - 1);
	if (len >= 2 && strncmp(line, "OK", 2) == 0 &&
	    (len == 2 || line[2] == ' ')) {
		r->ok = 1;
		p = len == 2 ? line + 2 : line + 3;
		memcpy(r->text, p, len - (size_t)(p - line));
		return 0;
	}
	if (len < 5 || strncmp(line, "ERR ", 4) != 0)
		return tc_seterr(err, "reply is neither OK nor ERR: '%.60s'",
		    line);
	p = line + 4;
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	if (n == 0 || n >= sizeof(r->errname) ||
	    (p[n] != ' ' && p + n != line + len))
		return tc_seterr(err, "ERR reply without an errno name: "
		    "'%.60s'",
		    line);
	memcpy(r->errname, p, n);
	r->error = agent_errno_value(r->errname);
	p += n;
	if (*p == ' ')
		p++;
	memcpy(r->text, p, len - (size_t)(p - line));
	return 0;
}

int
agent_reply_get(const struct agent_reply *r, const char *key, char *buf,
    size_t size)
{
	const char *p = r->text, *end;
	size_t klen = strlen(key), vlen;

	while (*p != '\0') {
		end = p + strcspn(p, " ");
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 &&
		    p[klen] == '=') {
			vlen = (size_t)(end - p) - klen - 1;
			if (vlen >= size)
				return -1;
			memcpy(buf, p + klen + 1, vlen);
			buf[vlen] = '\0';
			return 0;
		}
		p = *end == ' ' ? end + 1 : end;
	}
	return -1;
}

int
agent_reply_num(const struct agent_reply *r, const char *key,
    unsigned long long *v)
{
	char buf[24], *end;

	if (agent_reply_get(r, key, buf, sizeof(buf)) == -1 || buf[0] < '0' ||
	    buf[0] > '9')
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return *end != '\0' || errno != 0 ? -1 : 0;
}

static int
get_u16(const struct agent_reply *r, const char *key, uint16_t *out)
{
	unsigned long long v;

	if (agent_reply_num(r, key, &v) == -1 || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int
agent_reply_endpoints(const struct agent_reply *r, int *handle,
    struct agent_endpoints *ep, char **err)
{
	struct agent_endpoints e;
	unsigned long long h, ip = 0;

	if (reply_err(r, err) == -1)
		return -1;
	memset(&e, 0, sizeof(e));
	if (agent_reply_num(r, "handle", &h) == -1 ||
	    h < 1 || h > AGENT_MAX_HANDLES ||
	    agent_reply_get(r, "addr", e.addr, sizeof(e.addr)) == -1 ||
	    get_u16(r, "port", &e.port) == -1)
		return tc_seterr(err, "agent: reply without handle, addr or "
		    "port: '%.80s'", r->text);
	if (agent_reply_get(r, "peer", e.peer, sizeof(e.peer)) == 0 &&
	    get_u16(r, "peerport", &e.peerport) == -1)
		return tc_seterr(err, "agent: reply with peer but no peerport");
	agent_reply_num(r, "inprogress", &ip);
	e.inprogress = ip != 0;
	if (handle != NULL)
		*handle = (int)h;
	if (ep != NULL)
		*ep = e;
	return 0;
}

/* end=, and errno= when it is "error". */
static int
get_end(const struct agent_reply *r, const char *key, int *end, int *error,
    char *errname)
{
	char buf[16], ekey[32];

	if (agent_reply_get(r, key, buf, sizeof(buf)) == -1 ||
	    (*end = agent_end_value(buf)) == -1)
		return -1;
	*error = 0;
	errname[0] = '\0';
	/* READ and WRITE say errno=, STATUS bgread_errno= and so on. */
	if (strcmp(key, "end") == 0)
		snprintf(ekey, sizeof(ekey), "errno");
	else
		snprintf(ekey, sizeof(ekey), "%s_errno", key);
	if (agent_reply_get(r, ekey, errname, AGENT_ERRNAME_MAX) == 0)
		*error = agent_errno_value(errname);
	return 0;
}

/* The hex of data=: an even number of digits, at most max bytes. */
static int
unhex(const char *s, unsigned char *out, size_t max, size_t *n)
{
	size_t len = strlen(s);

	if (len % 2 != 0 || len / 2 > max || hex_decode(out, s, len / 2) < len)
		return -1;
	*n = len / 2;
	return 0;
}

int
agent_reply_read(const struct agent_reply *r, struct agent_read_result *res,
    char **err)
{
	char sum[24], data[2 * AGENT_HEX_MAX + 1];
	unsigned long long n;
	char *end;

	if (reply_err(r, err) == -1)
		return -1;
	memset(res, 0, sizeof(*res));
	if (agent_reply_num(r, "n", &n) == -1 ||
	    get_end(r, "end", &res->end, &res->error, res->errname) == -1 ||
	    agent_reply_get(r, "sum", sum, sizeof(sum)) == -1 ||
	    agent_reply_get(r, "data", data, sizeof(data)) == -1 ||
	    unhex(data, res->data, sizeof(res->data), &res->datalen) == -1)
		return tc_seterr(err, "agent: malformed READ reply '%.80s'",
		    r->text);
	res->count = (size_t)n;
	res->sum = strtoull(sum, &end, 16);
	if (*end != '\0' || strlen(sum) != 16 || res->datalen > res->count)
		return tc_seterr(err, "agent: malformed READ reply '%.80s'",
		    r->text);
	return 0;
}

int
agent_reply_write(const struct agent_reply *r, struct agent_write_result *res,
    char **err)
{
	unsigned long long n;

	if (reply_err(r, err) == -1)
		return -1;
	memset(res, 0, sizeof(*res));
	if (agent_reply_num(r, "n", &n) == -1 ||
	    get_end(r, "end", &res->end, &res->error, res->errname) == -1)
		return tc_seterr(err, "agent: malformed WRITE reply '%.80s'",
		    r->text);
	res->count = (size_t)n;
	return 0;
}

static void
get_bg(const struct agent_reply *r, const char *key, struct agent_bg *bg)
{
	char buf[24], k[32], *end;
	unsigned long long v;

	memset(bg, 0, sizeof(*bg));
	if (agent_reply_get(r, key, buf, sizeof(buf)) == -1 ||
	    strcmp(buf, "none") == 0)
		return;
	if (strcmp(buf, "running") == 0)
		bg->running = 1;
	else
		get_end(r, key, &bg->end, &bg->error, bg->errname);
	snprintf(k, sizeof(k), "%s_n", key);
	if (agent_reply_num(r, k, &v) == 0)
		bg->count = (size_t)v;
	snprintf(k, sizeof(k), "%s_sum", key);
	if (agent_reply_get(r, k, buf, sizeof(buf)) == 0)
		bg->sum = strtoull(buf, &end, 16);
}

int
agent_reply_status(const struct agent_reply *r, struct agent_status *st,
    char **err)
{
	char kind[16];
	unsigned long long rcv, snd, unread;

	if (reply_err(r, err) == -1)
		return -1;
	memset(st, 0, sizeof(*st));
	if (agent_reply_get(r, "kind", kind, sizeof(kind)) == -1 ||
	    agent_reply_endpoints(r, NULL, &st->ep, NULL) == -1 ||
	    agent_reply_num(r, "rcvbuf", &rcv) == -1 ||
	    agent_reply_num(r, "sndbuf", &snd) == -1 ||
	    agent_reply_num(r, "unread", &unread) == -1 ||
	    rcv > INT32_MAX || snd > INT32_MAX || unread > INT32_MAX)
		return tc_seterr(err, "agent: malformed STATUS reply '%.80s'",
		    r->text);
	st->listening = strcmp(kind, "listen") == 0;
	st->rcvbuf = (int)rcv;
	st->sndbuf = (int)snd;
	st->unread = (int)unread;
	if (agent_reply_get(r, "state", st->state, sizeof(st->state)) == -1)
		st->state[0] = '\0';
	get_bg(r, "bgread", &st->bgread);
	get_bg(r, "bgwrite", &st->bgwrite);
	return 0;
}

int
agent_reply_revents(const struct agent_reply *r, int *revents, char **err)
{
	char buf[64], *tok, *save;

	if (reply_err(r, err) == -1)
		return -1;
	if (agent_reply_get(r, "revents", buf, sizeof(buf)) == -1)
		return tc_seterr(err, "agent: POLL reply without revents");
	*revents = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "in") == 0)
			*revents |= POLLIN;
		else if (strcmp(tok, "out") == 0)
			*revents |= POLLOUT;
		else if (strcmp(tok, "hup") == 0)
			*revents |= POLLHUP;
		else if (strcmp(tok, "err") == 0)
			*revents |= POLLERR;
#ifdef POLLRDHUP
		else if (strcmp(tok, "rdhup") == 0)
			*revents |= POLLRDHUP;
#endif
	}
	return 0;
}
