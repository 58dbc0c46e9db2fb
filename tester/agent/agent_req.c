/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_req.c: parse the runner's request lines and format the agent's
 * replies (the grammar is in agent_proto.h).  Every byte of a request comes
 * from the network, so nothing here trusts a length, a number or a name.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "agent_req.h"
#include "hex.h"

#define MAXWORDS	24	/* verb, arguments and options together */

/* Options (key=value), one bit each so a verb can list those it takes. */
#define O_BACKLOG	0x0001
#define O_RCVBUF	0x0002
#define O_SNDBUF	0x0004
#define O_ADDR		0x0008
#define O_REUSE		0x0010
#define O_TIMEOUT	0x0020
#define O_LPORT		0x0040
#define O_LADDR		0x0080
#define O_NODELAY	0x0100
#define O_WAIT		0x0200
#define O_MODE		0x0400
#define O_BG		0x0800
#define O_EVENTS	0x1000

struct opt_spec {
	const char	*key;
	unsigned	 bit;
	int		(*parse)(struct agent_req *, const char *,
			    struct agent_err *);
};

struct verb_spec {
	const char	*name;
	enum agent_verb	 verb;
	int		 minargs;	/* words after the verb */
	int		 maxargs;
	unsigned	 opts;
	int		(*args)(struct agent_req *, char **, int,
			    struct agent_err *);
};

static int	check_bytes(const char *, size_t, struct agent_err *);
static int	split(char *, char **, int, struct agent_err *);
static int	num(const char *, unsigned long, unsigned long, unsigned long *,
		    const char *, struct agent_err *);
static int	inum(const char *, int, int, int *, const char *,
		    struct agent_err *);
static int	handle(const char *, int *, struct agent_err *);
static int	address(const char *, int, struct sockaddr_storage *,
		    socklen_t *, struct agent_err *);
static int	unhex(const char *, unsigned char *, size_t, size_t *,
		    struct agent_err *);
static int	options(struct agent_req *, char **, int, unsigned,
		    struct agent_err *);
static void	defaults(struct agent_req *);
static const struct verb_spec *find_verb(const char *);

static int	o_backlog(struct agent_req *, const char *, struct agent_err *);
static int	o_rcvbuf(struct agent_req *, const char *, struct agent_err *);
static int	o_sndbuf(struct agent_req *, const char *, struct agent_err *);
static int	o_addr(struct agent_req *, const char *, struct agent_err *);
static int	o_reuse(struct agent_req *, const char *, struct agent_err *);
static int	o_timeout(struct agent_req *, const char *, struct agent_err *);
static int	o_lport(struct agent_req *, const char *, struct agent_err *);
static int	o_laddr(struct agent_req *, const char *, struct agent_err *);
static int	o_nodelay(struct agent_req *, const char *, struct agent_err *);
static int	o_wait(struct agent_req *, const char *, struct agent_err *);
static int	o_mode(struct agent_req *, const char *, struct agent_err *);
static int	o_bg(struct agent_req *, const char *, struct agent_err *);
static int	o_events(struct agent_req *, const char *, struct agent_err *);

static int	a_hello(struct agent_req *, char **, int, struct agent_err *);
static int	a_listen(struct agent_req *, char **, int, struct agent_err *);
static int	a_handle(struct agent_req *, char **, int, struct agent_err *);
static int	a_connect(struct agent_req *, char **, int, struct agent_err *);
static int	a_read(struct agent_req *, char **, int, struct agent_err *);
static int	a_write(struct agent_req *, char **, int, struct agent_err *);
static int	a_writehex(struct agent_req *, char **, int,
		    struct agent_err *);
static int	a_shutdown(struct agent_req *, char **, int,
		    struct agent_err *);
static int	a_linger(struct agent_req *, char **, int, struct agent_err *);
static int	a_bufsize(struct agent_req *, char **, int, struct agent_err *);
static int	a_nodelay(struct agent_req *, char **, int, struct agent_err *);
static int	a_keepalive(struct agent_req *, char **, int,
		    struct agent_err *);
static int	a_urgent(struct agent_req *, char **, int, struct agent_err *);
static int	a_none(struct agent_req *, char **, int, struct agent_err *);

static const struct opt_spec opt_specs[] = {
	{ "backlog", O_BACKLOG, o_backlog },
	{ "rcvbuf", O_RCVBUF, o_rcvbuf },
	{ "sndbuf", O_SNDBUF, o_sndbuf },
	{ "addr", O_ADDR, o_addr },
	{ "reuse", O_REUSE, o_reuse },
	{ "timeout", O_TIMEOUT, o_timeout },
	{ "lport", O_LPORT, o_lport },
	{ "laddr", O_LADDR, o_laddr },
	{ "nodelay", O_NODELAY, o_nodelay },
	{ "wait", O_WAIT, o_wait },
	{ "mode", O_MODE, o_mode },
	{ "bg", O_BG, o_bg },
	{ "events", O_EVENTS, o_events },
	{ NULL, 0, NULL }
};

static const struct verb_spec verb_specs[] = {
	{ "HELLO", AV_HELLO, 1, 1, 0, a_hello },
	{ "LISTEN", AV_LISTEN, 2, 2,
	    O_BACKLOG | O_RCVBUF | O_SNDBUF | O_ADDR | O_REUSE, a_listen },
	{ "ACCEPT", AV_ACCEPT, 1, 1, O_TIMEOUT, a_handle },
	{ "CONNECT", AV_CONNECT, 2, 2, O_LPORT | O_LADDR | O_RCVBUF |
	    O_SNDBUF | O_NODELAY | O_REUSE | O_TIMEOUT | O_WAIT, a_connect },
	{ "READ", AV_READ, 2, 2, O_MODE | O_TIMEOUT | O_BG, a_read },
	{ "WRITE", AV_WRITE, 2, 2, O_TIMEOUT | O_BG, a_write },
	{ "WRITEHEX", AV_WRITEHEX, 2, 2, O_TIMEOUT, a_writehex },
	{ "SHUTDOWN", AV_SHUTDOWN, 2, 2, 0, a_shutdown },
	{ "CLOSE", AV_CLOSE, 1, 1, 0, a_handle },
	{ "LINGER", AV_LINGER, 2, 3, 0, a_linger },
	{ "RCVBUF", AV_RCVBUF, 2, 2, 0, a_bufsize },
	{ "SNDBUF", AV_SNDBUF, 2, 2, 0, a_bufsize },
	{ "NODELAY", AV_NODELAY, 2, 2, 0, a_nodelay },
	{ "KEEPALIVE", AV_KEEPALIVE, 2, 2, 0, a_keepalive },
	{ "URGENT", AV_URGENT, 2, 2, 0, a_urgent },
	{ "STATUS", AV_STATUS, 1, 1, 0, a_handle },
	{ "POLL", AV_POLL, 1, 1, O_EVENTS | O_TIMEOUT, a_handle },
	{ "INFO", AV_INFO, 0, 0, 0, a_none },
	{ "QUIT", AV_QUIT, 0, 0, 0, a_none },
	{ NULL, AV_NONE, 0, 0, 0, NULL }
};

int
agent_err_set(struct agent_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Only printable ASCII and blanks: a NUL would cut the line short for
 * string functions, and other control bytes have no use in the grammar.
 */
static int
check_bytes(const char *line, size_t len, struct agent_err *e)
{
	size_t i;
	unsigned char c;

	if (len >= AGENT_LINE_MAX)
		return agent_err_set(e, E2BIG, "request longer than %d bytes",
		    AGENT_LINE_MAX - 1);
	for (i = 0; i < len; i++) {
		c = (unsigned char)line[i];
		if (c == '\0')
			return agent_err_set(e, EINVAL, "NUL byte at column "
			    "%zu", i + 1);
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return agent_err_set(e, EINVAL, "byte 0x%02x at "
			    "column %zu", c, i + 1);
	}
	return 0;
}

/* Split buf in place at blanks; returns the number of words. */
static int
split(char *buf, char **w, int max, struct agent_err *e)
{
	int n = 0;
	char *p = buf;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			return n;
		if (n == max)
			return agent_err_set(e, EINVAL, "more than %d words",
			    max);
		w[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
}

/* A decimal number in [lo, hi]: digits only, no sign, no blanks. */
static int
num(const char *s, unsigned long lo, unsigned long hi, unsigned long *out,
    const char *what, struct agent_err *e)
{
	unsigned long v = 0, d;
	const char *p;

	if (*s == '\0')
		return agent_err_set(e, EINVAL, "%s: empty number", what);
	for (p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return agent_err_set(e, EINVAL, "%s: not a number: "
			    "'%.32s'", what, s);
	for (p = s; *p != '\0'; p++) {
		d = (unsigned long)(*p - '0');
		if (d > hi || v > (hi - d) / 10)
			return agent_err_set(e, EINVAL, "%s: %.32s is above "
			    "%lu", what, s, hi);
		v = v * 10 + d;
	}
	if (v < lo)
		return agent_err_set(e, EINVAL, "%s: %lu is below %lu", what,
		    v, lo);
	*out = v;
	return 0;
}

static int
inum(const char *s, int lo, int hi, int *out, const char *what,
    struct agent_err *e)
{
	unsigned long v;

	if (num(s, (unsigned long)lo, (unsigned long)hi, &v, what, e) == -1)
		return -1;
	*out = (int)v;
	return 0;
}

/* A handle: a number, and one of ours (EBADF when it is out of range). */
static int
handle(const char *s, int *h, struct agent_err *e)
{
	unsigned long v = 0;
	size_t len = strlen(s);

	if (num(s, 0, ULONG_MAX, &v, "handle", e) == -1 &&
	    strspn(s, "0123456789") != len)
		return -1;
	if (len > 9 || v < 1 || v > AGENT_MAX_HANDLES)
		return agent_err_set(e, EBADF, "handle %.32s out of range "
		    "1-%d", s, AGENT_MAX_HANDLES);
	*h = (int)v;
	return 0;
}

/*
 * A numeric IPv4 or IPv6 address (inet_pton: never a name, so no resolver
 * runs on the target).  family 0 takes either.
 */
static int
address(const char *s, int family, struct sockaddr_storage *ss,
    socklen_t *len, struct agent_err *e)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family != AF_INET6 && inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		*len = sizeof(*sin);
		return 0;
	}
	if (family != AF_INET &&
	    inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		*len = sizeof(*sin6);
		return 0;
	}
	return agent_err_set(e, EINVAL, "not a numeric %saddress: '%.64s'",
	    family == AF_INET ? "IPv4 " : family == AF_INET6 ? "IPv6 " : "",
	    s);
}

static int
unhex(const char *s, unsigned char *out, size_t max, size_t *n,
    struct agent_err *e)
{
	size_t len = strlen(s), bad;

	if (len == 0 || len % 2 != 0)
		return agent_err_set(e, EINVAL, "hex data needs an even number "
		    "of digits, got %zu", len);
	if (len / 2 > max)
		return agent_err_set(e, E2BIG, "more than %zu bytes of hex "
		    "data", max);
	if ((bad = hex_decode(out, s, len / 2)) < len)
		return agent_err_set(e, EINVAL, "not a hex digit at "
		    "position %zu", bad + 1);
	*n = len / 2;
	return 0;
}

static int
o_backlog(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 1, 4096, &r->backlog, "backlog", e);
}

static int
o_rcvbuf(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 1, 1 << 28, &r->rcvbuf, "rcvbuf", e);
}

static int
o_sndbuf(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 1, 1 << 28, &r->sndbuf, "sndbuf", e);
}

static int
o_addr(struct agent_req *r, const char *v, struct agent_err *e)
{
	/* LISTEN's family is known by now: the arguments come first. */
	return address(v, r->family, &r->addr, &r->addrlen, e);
}

static int
o_reuse(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 0, 1, &r->reuse, "reuse", e);
}

static int
o_timeout(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 0, AGENT_TIMEOUT_MAX, &r->timeout_ms, "timeout", e);
}

static int
o_lport(struct agent_req *r, const char *v, struct agent_err *e)
{
	int p;

	if (inum(v, 1, 65535, &p, "lport", e) == -1)
		return -1;
	r->lport = (uint16_t)p;
	return 0;
}

static int
o_laddr(struct agent_req *r, const char *v, struct agent_err *e)
{
	return address(v, r->family, &r->laddr, &r->laddrlen, e);
}

static int
o_nodelay(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 0, 1, &r->nodelay, "nodelay", e);
}

static int
o_wait(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 0, 1, &r->wait, "wait", e);
}

static int
o_mode(struct agent_req *r, const char *v, struct agent_err *e)
{
	if (strcmp(v, "full") == 0)
		r->mode = AGENT_READ_FULL;
	else if (strcmp(v, "some") == 0)
		r->mode = AGENT_READ_SOME;
	else
		return agent_err_set(e, EINVAL, "mode: expected full or some, "
		    "got '%.32s'", v);
	return 0;
}

static int
o_bg(struct agent_req *r, const char *v, struct agent_err *e)
{
	return inum(v, 0, 1, &r->bg, "bg", e);
}

static int
o_events(struct agent_req *r, const char *v, struct agent_err *e)
{
	if (strcmp(v, "in") == 0)
		r->events = POLLIN;
	else if (strcmp(v, "out") == 0)
		r->events = POLLOUT;
	else if (strcmp(v, "in,out") == 0 || strcmp(v, "out,in") == 0)
		r->events = POLLIN | POLLOUT;
	else
		return agent_err_set(e, EINVAL, "events: expected in, out or "
		    "in,out, got '%.32s'", v);
	return 0;
}

static int
a_hello(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)n;
	return inum(w[0], 0, 1000000, &r->version, "version", e);
}

static int
a_listen(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	int port;

	(void)n;
	if (strcmp(w[0], "4") == 0)
		r->family = AF_INET;
	else if (strcmp(w[0], "6") == 0)
		r->family = AF_INET6;
	else
		return agent_err_set(e, EAFNOSUPPORT, "family: expected 4 or "
		    "6, got '%.32s'", w[0]);
	if (inum(w[1], 0, 65535, &port, "port", e) == -1)
		return -1;
	r->port = (uint16_t)port;
	return 0;
}

static int
a_handle(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)n;
	return handle(w[0], &r->handle, e);
}

static int
a_connect(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	int port;

	(void)n;
	if (address(w[0], 0, &r->addr, &r->addrlen, e) == -1)
		return -1;
	r->family = r->addr.ss_family;
	if (inum(w[1], 1, 65535, &port, "port", e) == -1)
		return -1;
	r->port = (uint16_t)port;
	if (r->family == AF_INET)
		((struct sockaddr_in *)&r->addr)->sin_port = htons(r->port);
	else
		((struct sockaddr_in6 *)&r->addr)->sin6_port = htons(r->port);
	return 0;
}

static int
a_read(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	unsigned long v;

	(void)n;
	if (handle(w[0], &r->handle, e) == -1 ||
	    num(w[1], 1, AGENT_READ_MAX, &v, "max", e) == -1)
		return -1;
	r->count = v;
	return 0;
}

static int
a_write(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	unsigned long v;

	(void)n;
	if (handle(w[0], &r->handle, e) == -1 ||
	    num(w[1], 1, AGENT_WRITE_MAX, &v, "count", e) == -1)
		return -1;
	r->count = v;
	return 0;
}

static int
a_writehex(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)n;
	if (handle(w[0], &r->handle, e) == -1)
		return -1;
	return unhex(w[1], r->data, sizeof(r->data), &r->count, e);
}

static int
a_shutdown(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)n;
	if (handle(w[0], &r->handle, e) == -1)
		return -1;
	if (strcasecmp(w[1], "rd") == 0)
		r->how = SHUT_RD;
	else if (strcasecmp(w[1], "wr") == 0)
		r->how = SHUT_WR;
	else if (strcasecmp(w[1], "rdwr") == 0)
		r->how = SHUT_RDWR;
	else
		return agent_err_set(e, EINVAL, "shutdown: expected rd, wr or "
		    "rdwr, got '%.32s'", w[1]);
	return 0;
}

static int
a_linger(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	if (handle(w[0], &r->handle, e) == -1)
		return -1;
	if (strcasecmp(w[1], "on") == 0)
		r->on = 1;
	else if (strcasecmp(w[1], "off") == 0)
		r->on = 0;
	else
		return agent_err_set(e, EINVAL, "linger: expected on or off, "
		    "got '%.32s'", w[1]);
	if (n == 3)
		return inum(w[2], 0, 3600, &r->seconds, "seconds", e);
	if (r->on)
		return agent_err_set(e, EINVAL, "linger on needs the seconds");
	return 0;
}

static int
a_bufsize(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)n;
	if (handle(w[0], &r->handle, e) == -1)
		return -1;
	return inum(w[1], 1, 1 << 28, &r->size, "bytes", e);
}

static int
a_nodelay(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)n;
	if (handle(w[0], &r->handle, e) == -1)
		return -1;
	return inum(w[1], 0, 1, &r->on, "nodelay", e);
}

/* KEEPALIVE h off | KEEPALIVE h SECONDS (idle time and probe interval). */
static int
a_keepalive(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)n;
	if (handle(w[0], &r->handle, e) == -1)
		return -1;
	if (strcasecmp(w[1], "off") == 0) {
		r->on = 0;
		return 0;
	}
	r->on = 1;
	return inum(w[1], 1, 86400, &r->seconds, "seconds", e);
}

/* URGENT h COUNT: COUNT pattern bytes sent as urgent data (MSG_OOB). */
static int
a_urgent(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	int v;

	(void)n;
	if (handle(w[0], &r->handle, e) == -1)
		return -1;
	if (inum(w[1], 1, AGENT_HEX_MAX, &v, "bytes", e) == -1)
		return -1;
	r->count = (size_t)v;
	return 0;
}

static int
a_none(struct agent_req *r, char **w, int n, struct agent_err *e)
{
	(void)r;
	(void)w;
	(void)n;
	(void)e;
	return 0;
}

static const struct verb_spec *
find_verb(const char *name)
{
	const struct verb_spec *v;

	for (v = verb_specs; v->name != NULL; v++)
		if (strcasecmp(v->name, name) == 0)
			return v;
	return NULL;
}

const char *
agent_verb_name(enum agent_verb verb)
{
	const struct verb_spec *v;

	for (v = verb_specs; v->name != NULL; v++)
		if (v->verb == verb)
			return v->name;
	return "NONE";
}

/* The key=value words: each known to the verb, each at most once. */
static int
options(struct agent_req *r, char **w, int n, unsigned allowed,
    struct agent_err *e)
{
	const struct opt_spec *o;
	unsigned seen = 0;
	char *eq;
	int i;

	for (i = 0; i < n; i++) {
		if ((eq = strchr(w[i], '=')) == NULL)
			return agent_err_set(e, EINVAL, "expected key=value, "
			    "got '%.32s'", w[i]);
		*eq = '\0';
		for (o = opt_specs; o->key != NULL; o++)
			if (strcmp(o->key, w[i]) == 0)
				break;
		if (o->key == NULL || (o->bit & allowed) == 0)
			return agent_err_set(e, EINVAL, "unknown option "
			    "'%.32s'", w[i]);
		if (seen & o->bit)
			return agent_err_set(e, EINVAL, "option %s given twice",
			    o->key);
		seen |= o->bit;
		if (o->parse(r, eq + 1, e) == -1)
			return -1;
	}
	return 0;
}

static void
defaults(struct agent_req *r)
{
	memset(r, 0, offsetof(struct agent_req, data));
	r->backlog = 16;
	r->rcvbuf = -1;
	r->sndbuf = -1;
	r->nodelay = -1;
	r->reuse = 1;
	r->timeout_ms = AGENT_TIMEOUT_DEFAULT;
	r->wait = 1;
	r->mode = AGENT_READ_FULL;
	r->events = POLLIN;
}

int
agent_req_parse(const char *line, size_t len, struct agent_req *r,
    struct agent_err *e)
{
	char buf[AGENT_LINE_MAX], *w[MAXWORDS];
	const struct verb_spec *v;
	int n, nargs;

	defaults(r);
	if (check_bytes(line, len, e) == -1)
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if ((n = split(buf, w, MAXWORDS, e)) == -1)
		return -1;
	if (n == 0)
		return agent_err_set(e, EINVAL, "empty request");
	if ((v = find_verb(w[0])) == NULL)
		return agent_err_set(e, ENOSYS, "unknown request '%.32s'",
		    w[0]);
	for (nargs = 0; 1 + nargs < n; nargs++)
		if (strchr(w[1 + nargs], '=') != NULL)
			break;
	if (nargs < v->minargs || nargs > v->maxargs)
		return agent_err_set(e, EINVAL, "%s takes %d%s argument%s, "
		    "got %d", v->name, v->minargs, v->maxargs > v->minargs ?
		    " or more" : "", v->maxargs == 1 ? "" : "s", nargs);
	r->verb = v->verb;
	if (v->args(r, w + 1, nargs, e) == -1)
		return -1;
	if (options(r, w + 1 + nargs, n - 1 - nargs, v->opts, e) == -1)
		return -1;
	if (r->verb == AV_READ && r->bg && r->mode == AGENT_READ_SOME)
		return agent_err_set(e, EINVAL, "bg=1 reads until max, EOF, "
		    "an error or the timeout: mode=some does not apply");
	return 0;
}

/*
 * Formatting.  vsnprintf may cut a reply short; the LF must survive, so
 * the text is written into size - 1 bytes and the LF put after it.
 */
static size_t
finish(char *buf, size_t size, size_t len)
{
	size_t i;

	if (len > size - 2)
		len = size - 2;
	/* A message must stay one line, whatever it quotes. */
	for (i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 ||
		    (unsigned char)buf[i] >= 0x7f)
			buf[i] = '?';
	buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

size_t
agent_fmt_ok(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t len;

	len = (size_t)snprintf(buf, size, "OK ");
	va_start(ap, fmt);
	n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	if (n <= 0)
		len--;		/* nothing to say: "OK" alone */
	else
		len += (size_t)n;
	return finish(buf, size, len);
}

size_t
agent_fmt_err(char *buf, size_t size, int code, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t len;

	n = snprintf(buf, size, "ERR %s ", agent_errno_name(code));
	len = n > 0 ? (size_t)n : 0;
	if (len < size) {
		va_start(ap, fmt);
		n = vsnprintf(buf + len, size - len, fmt, ap);
		va_end(ap);
		len += n > 0 ? (size_t)n : 0;
	}
	return finish(buf, size, len);
}

size_t
agent_fmt_io(char *buf, size_t size, const struct agent_io_report *io)
{
	char errpart[AGENT_ERRNAME_MAX + 8] = "";
	char hex[2 * AGENT_HEX_MAX + 1];
	size_t dlen;

	if (io->end == AGENT_END_ERROR)
		snprintf(errpart, sizeof(errpart), " errno=%s",
		    agent_errno_name(io->error));
	if (!io->is_read)
		return agent_fmt_ok(buf, size, "n=%zu end=%s%s", io->n,
		    agent_end_name(io->end), errpart);
	dlen = io->datalen > AGENT_HEX_MAX ? AGENT_HEX_MAX : io->datalen;
	hex_encode(hex, io->data, dlen);
	return agent_fmt_ok(buf, size, "n=%zu end=%s%s sum=%016" PRIx64
	    " data=%s", io->n, agent_end_name(io->end), errpart, io->sum, hex);
}

int
agent_fmt_sockaddr(char *buf, size_t size, const char *key,
    const char *portkey, const struct sockaddr *sa)
{
	char host[INET6_ADDRSTRLEN];
	const void *a;
	unsigned port;
	size_t len = strlen(buf);
	int n;

	if (sa->sa_family == AF_INET) {
		a = &((const struct sockaddr_in *)sa)->sin_addr;
		port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	} else
		return -1;
	if (inet_ntop(sa->sa_family, a, host, sizeof(host)) == NULL)
		return -1;
	n = snprintf(buf + len, size - len, " %s=%s %s=%u", key, host,
	    portkey, port);
	return n < 0 || (size_t)n >= size - len ? -1 : 0;
}
