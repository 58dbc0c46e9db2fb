/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve_app.c: the applications behind the target's service ports, which
 * the agentless cases drive (DESIGN.md, "Making the target's application
 * act"): any open port and discard (RFC 863) read and throw away, echo
 * (RFC 862) sends back what it reads, HTTP answers each request with a
 * small response, and the banner service (daytime-like, RFC 867) sends one
 * line when the connection is established and closes without reading.
 * Each closes once it has read the peer's FIN, as the
 * usual servers do; HTTP also closes after a request that says
 * "Connection: close", leaving any pipelined request unread, so that the
 * close happens with unread data (RFC 1122 4.2.2.13: RST, not FIN).
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve_int.h"

#define CHUNK	16384

static void	 discard_pump(struct serve_conn *);
static void	 echo_pump(struct serve_conn *);
static void	 http_pump(struct serve_conn *);
static size_t	 http_head_len(const struct tcp_buf *);
static int	 http_wants_close(const char *, size_t);
static int	 header_has(const char *, size_t, const char *, const char *);
static void	 http_respond(struct serve_conn *, int);
static void	 close_at_eof(struct serve_conn *);

/* The peer's FIN was read: a server closes its end too. */
static void
close_at_eof(struct serve_conn *c)
{
	if (c->tcb != NULL && !c->app_closed && tcp_eof(c->tcb))
		serve_conn_close(c);
}

void
serve_app_recv(struct serve_conn *c)
{
	if (c->app_closed || c->tcb == NULL || c->listener)
		return;
	switch (c->svc) {
	case SVC_ANY:
	case SVC_DISCARD:
		discard_pump(c);
		break;
	case SVC_ECHO:
		echo_pump(c);
		break;
	case SVC_HTTP:
		http_pump(c);
		break;
	default:
		break;
	}
}

/*
 * The banner service speaks first and closes without reading: whatever
 * the peer sent before the close is unread, so the close must send RST
 * (RFC 1122 4.2.2.13), as an inetd daytime service's does.
 */
static void
banner_send(struct serve_conn *c)
{
	static const char line[] = "tcpconform serve banner\r\n";
	char *err = NULL;

	if (c->tcb == NULL || c->app_closed)
		return;
	if (tcp_send(c->tcb, line, sizeof(line) - 1, &err) < 0)
		free(err);
	serve_conn_close(c);
}

/*
 * Agent connections made by a listener wait in its accept queue once
 * established, as they would in the kernel's.
 */
void
serve_app_established(struct serve_conn *c)
{
	struct serve_conn *l = c->parent, **pp;

	if (c->svc == SVC_BANNER) {
		banner_send(c);
		return;
	}
	if (c->svc != SVC_AGENT || l == NULL || c->queued)
		return;
	for (pp = &l->aq_head; *pp != NULL; pp = &(*pp)->aq_next)
		;
	*pp = c;
	c->aq_next = NULL;
	c->queued = 1;
	if (l->ctl != NULL)
		serve_agent_poke(l->ctl);
}

static void
discard_pump(struct serve_conn *c)
{
	uint8_t buf[CHUNK];

	while (c->tcb != NULL && tcp_recv(c->tcb, buf, sizeof(buf)) > 0)
		;
	close_at_eof(c);
}

/* Send back what was read, no faster than the send buffer takes it. */
static void
echo_pump(struct serve_conn *c)
{
	uint8_t buf[CHUNK];
	struct tcb *tp;
	size_t room, n;
	char *err = NULL;

	while ((tp = c->tcb) != NULL && tcp_readable(tp) > 0) {
		room = tp->sndbuf_max > tp->snd.len ?
		    tp->sndbuf_max - tp->snd.len : 0;
		if (room == 0)
			return;		/* TCP_EV_ACKED brings us back */
		n = tcp_recv(tp, buf, room < sizeof(buf) ? room : sizeof(buf));
		if (n == 0)
			break;
		if (tcp_send(tp, buf, n, &err) < 0) {
			free(err);
			return;
		}
	}
	close_at_eof(c);
}

/*
 * One response per complete request head (up to the blank line).  The
 * head is found in the TCB's receive buffer and only it is read, so that
 * whatever follows stays unread, as in a server that reads one request at
 * a time.
 */
static void
http_pump(struct serve_conn *c)
{
	char head[HTTP_REQ_MAX];
	size_t n;
	int done;

	while (c->tcb != NULL && !c->app_closed) {
		if ((n = http_head_len(&c->tcb->rcv)) == 0) {
			if (c->tcb->rcv.len >= HTTP_REQ_MAX) {
				serve_conn_close(c);	/* head too large */
				return;
			}
			break;
		}
		n = tcp_recv(c->tcb, head, n);
		done = http_wants_close(head, n);
		http_respond(c, done);
		if (done) {
			serve_conn_close(c);
			return;
		}
	}
	close_at_eof(c);
}

/* Length of the request head in b, blank line included; 0 if incomplete. */
static size_t
http_head_len(const struct tcp_buf *b)
{
	const uint8_t *p = b->p + b->off;
	size_t i, len = b->len < HTTP_REQ_MAX ? b->len : HTTP_REQ_MAX;

	for (i = 3; i < len; i++)
		if (p[i] == '\n' && p[i - 1] == '\r' && p[i - 2] == '\n' &&
		    p[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* Does the header field name (case-insensitive) contain value? */
static int
header_has(const char *h, size_t len, const char *name, const char *value)
{
	size_t i, nl = strlen(name), vl = strlen(value), j;

	for (i = 0; i + nl < len; i++) {
		if ((i > 0 && h[i - 1] != '\n') ||
		    strncasecmp(h + i, name, nl) != 0 || h[i + nl] != ':')
			continue;
		for (j = i + nl + 1; j + vl <= len && h[j] != '\r'; j++)
			if (strncasecmp(h + j, value, vl) == 0)
				return 1;
	}
	return 0;
}

/*
 * RFC 9112 9.3: HTTP/1.1 is persistent unless "Connection: close";
 * HTTP/1.0 closes unless "Connection: keep-alive".
 */
static int
http_wants_close(const char *h, size_t len)
{
	const char *eol = memchr(h, '\r', len);
	int v10 = eol != NULL && eol - h >= 8 &&
	    memcmp(eol - 8, "HTTP/1.0", 8) == 0;

	if (header_has(h, len, "Connection", "close"))
		return 1;
	return v10 && !header_has(h, len, "Connection", "keep-alive");
}

static void
http_respond(struct serve_conn *c, int done)
{
	static const char body[] = "tcpconform serve\n";
	char resp[256];
	int n;
	char *err = NULL;

	c->http_served++;
	n = snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\n"
	    "Server: tcpconform-serve\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\n%s\r\n%s", sizeof(body) - 1,
	    done ? "Connection: close\r\n" : "", body);
	if (tcp_send(c->tcb, resp, (size_t)n, &err) < 0)
		free(err);
}
