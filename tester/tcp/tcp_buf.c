/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_buf.c: the byte queues of a connection (send and receive buffers),
 * which grow on demand and give their memory back when they empty, so that
 * an idle connection costs its TCB and nothing more.
 */
#include <stdlib.h>
#include <string.h>

#include "tcp_var.h"

/* A drained buffer larger than this is freed rather than kept for reuse. */
#define TCP_BUF_KEEP	4096
#define TCP_BUF_MIN	2048

/*
 * Append n bytes.  The data stays contiguous (segments and the application
 * read it in one piece): consumed space at the front is reclaimed by moving
 * the data down once it is more than half the buffer, so each byte is moved
 * at most about once.
 */
int
tcp_buf_append(struct tcp_buf *b, const void *p, size_t n)
{
	size_t	 need, cap;
	uint8_t	*np;

	if (n == 0)
		return 0;
	if (b->off + b->len + n > b->cap && b->off > 0 &&
	    b->len + n <= b->cap) {
		memmove(b->p, b->p + b->off, b->len);
		b->off = 0;
	}
	need = b->off + b->len + n;
	if (need > b->cap) {
		cap = b->cap ? b->cap : TCP_BUF_MIN;
		while (cap < need)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->off + b->len, p, n);
	b->len += n;
	return 0;
}

void
tcp_buf_consume(struct tcp_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		b->off = 0;
		if (b->cap > TCP_BUF_KEEP)
			tcp_buf_free(b);
		return;
	}
	b->off += n;
	b->len -= n;
	if (b->off > b->cap / 2) {
		memmove(b->p, b->p + b->off, b->len);
		b->off = 0;
	}
}

void
tcp_buf_free(struct tcp_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
