/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_event.c: the queue of events and outgoing segments.  The stack never
 * calls the application in the middle of its work: it queues, and the
 * outermost call delivers in order (tcp_leave()).  So the report of a
 * segment in, whose "state after" is known only at the end, still comes
 * before the segments it caused, and a callback may call back into the stack
 * without finding a TCB half updated.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "tcp_var.h"


/*
 * Queue an event.  A segment is copied with its payload: the caller's
 * buffer (the capture ring, a send buffer about to be trimmed) does not live
 * until delivery.  Events without a segment take only the head of a node.
 */
struct tcp_evnode *
tcp_ev_push(struct tcp_stack *st, enum tcp_ev type, struct tcb *tp,
    const struct seg *s, const char *what)
{
	struct tcp_evnode	*n;
	size_t			 size;

	if (s != NULL)
		size = sizeof(*n) + s->len;
	else
		size = offsetof(struct tcp_evnode, seg);
	/* The tester cannot report what it failed to record (errmsg.h). */
	n = xmalloc(size);
	memset(n, 0, offsetof(struct tcp_evnode, seg));
	n->ev.type = type;
	n->ev.tcb = tp;
	n->ev.now_us = st->now;
	n->ev.before = n->ev.after = tp != NULL ? tp->state : TCPS_CLOSED;
	n->ev.what = what;
	if (s != NULL) {
		n->seg = *s;
		if (s->len > 0)
			memcpy(n->data, s->data, s->len);
		n->seg.data = s->len > 0 ? n->data : NULL;
		n->ev.seg = &n->seg;
	}
	*st->evq_tail = n;
	st->evq_tail = &n->next;
	return n;
}

/* Deliver everything queued, including what the callbacks queue meanwhile. */
void
tcp_ev_flush(struct tcp_stack *st)
{
	struct tcp_evnode	*n;

	while ((n = st->evq) != NULL) {
		if ((st->evq = n->next) == NULL)
			st->evq_tail = &st->evq;
		if (st->event != NULL)
			st->event(st->arg, &n->ev);
		if (n->output && st->output != NULL)
			st->output(st->arg, &n->seg);
		free(n);
	}
}

void
tcp_ev_free_all(struct tcp_stack *st)
{
	struct tcp_evnode	*n;

	while ((n = st->evq) != NULL) {
		st->evq = n->next;
		free(n);
	}
	st->evq_tail = &st->evq;
}
