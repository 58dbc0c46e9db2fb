/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_serve_pair.h: a "tcpconform serve" target and a second tcp_stack
 * playing the tester, joined by in-memory queues and a fake clock, for the
 * unit tests of serve.  Every segment the target sends is kept, so that a
 * test can assert the exact segment a fault bends.
 */
#ifndef TCPCONFORM_TEST_SERVE_PAIR_H
#define TCPCONFORM_TEST_SERVE_PAIR_H

#include <stddef.h>
#include <stdint.h>

#include "serve.h"
#include "tcp.h"

#define PAIR_LOG_MAX	512	/* segments remembered per direction */
#define PAIR_RX_MAX	65536	/* bytes the tester reads */
#define PAIR_PORT	18000	/* the tester's first port */

/* A segment in flight or remembered (payload copied). */
struct pair_seg {
	struct seg	 s;
	uint8_t		*data;
	struct pair_seg	*next;
};

struct pair {
	struct serve	*sv;
	struct tcp_stack *te;		/* the tester */
	uint64_t	 now;
	int		 family;
	uint8_t		 te_addr[16];
	uint8_t		 sv_addr[16];
	uint16_t	 next_port;

	struct pair_seg	*to_sv, **to_sv_tail;	/* in flight */
	struct pair_seg	*to_te, **to_te_tail;

	/* What the target sent, and what the tester sent, in order. */
	struct seg	 out[PAIR_LOG_MAX];
	size_t		 nout;
	struct seg	 in[PAIR_LOG_MAX];
	size_t		 nin;

	/* Drop the next n segments towards the tester (a lost segment). */
	int		 drop_to_te;

	/* The tester's connection: what it read, how it ended. */
	struct tcb	*tcb;
	uint16_t	 te_port;	/* its ports, kept after it is gone */
	uint16_t	 sv_port;
	uint8_t		 rx[PAIR_RX_MAX];
	size_t		 rxlen;
	int		 te_closed;
	enum tcp_reason	 te_reason;
	struct tcb	*te_accepted;	/* made by a tester listener */

	/* The agent: replies, one line each, unread first. */
	struct serve_ctl *ctl;
	char		 replies[16384];
	size_t		 rlen;
};

/* family AF_INET or AF_INET6; fault: the one fault on, -1 for none. */
struct pair	*pair_new(int family, int fault);
struct pair	*pair_new_cfg(const struct serve_config *);
void		 pair_config(struct serve_config *, int family, int fault);
void		 pair_free(struct pair *);

/* Deliver what is in flight until nothing moves. */
void		 pair_run(struct pair *);
/* Let us of time pass: timers of both ends, then pair_run(). */
void		 pair_advance(struct pair *, uint64_t us);

/* The tester opens a connection to the target's port; pair_run()s. */
struct tcb	*pair_connect(struct pair *, uint16_t port);
/* The tester listens (for the agent's CONNECT). */
struct tcb	*pair_listen(struct pair *, uint16_t port);
/* The tester sends, shuts down, closes its connection; pair_run()s. */
void		 pair_send(struct pair *, const char *);
void		 pair_shutdown(struct pair *);
/* A raw segment on the tester's connection: template, then bend. */
void		 pair_template(struct pair *, struct seg *);
void		 pair_raw(struct pair *, const struct seg *);
/* Any segment from the tester's stack, as is; pair_run()s. */
void		 pair_raw_stack(struct pair *, const struct seg *);

/* The target's connection behind the tester's (NULL: none). */
struct tcb	*pair_target_tcb(struct pair *);

/* The index of the first segment the target sent at or after from whose
 * flags, masked, are value; -1 when none. */
int		 pair_find_out(const struct pair *, size_t from, uint16_t mask,
		    uint16_t value);

/* The agent: open a control connection, send one request line (without
 * LF), and take the oldest reply (NULL when none yet; static buffer). */
void		 pair_ctl_new(struct pair *);	/* without HELLO */
void		 pair_ctl_open(struct pair *);
void		 pair_ctl(struct pair *, const char *);
const char	*pair_reply(struct pair *);
/* A value of key=... in a reply, as a number (-1: absent). */
long		 pair_reply_num(const char *reply, const char *key);

#endif /* TCPCONFORM_TEST_SERVE_PAIR_H */
