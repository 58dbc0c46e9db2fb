/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve_int.h: the insides of "tcpconform serve" shared by serve.c (the
 * target and its connections), serve_app.c (services), serve_fault.c (the
 * faults) and serve_agent.c (the built-in agent).
 */
#ifndef TCPCONFORM_SERVE_INT_H
#define TCPCONFORM_SERVE_INT_H

#include "serve.h"
#include "tcp.h"

/* What the application on a connection or listener is. */
enum serve_svc {
	SVC_AGENT,		/* a handle of the built-in agent */
	SVC_ANY,		/* any open port: read and discard */
	SVC_DISCARD,		/* RFC 863 */
	SVC_ECHO,		/* RFC 862 */
	SVC_HTTP,		/* one small response per request */
	SVC_BANNER,		/* RFC 867 daytime-like: a line, then close */
};

#define HTTP_REQ_MAX	8192	/* a request head larger than this is cut */

/*
 * A connection or listener of the target, with what its application knows.
 * It lives while its TCB lives, and after that while an agent handle or an
 * accept queue still holds it (reads then report EOF or the error).
 */
struct serve_conn {
	struct serve	*sv;
	struct tcb	*tcb;		/* NULL once the TCB is deleted */
	struct tcp_tuple tuple;		/* its sockets, kept after that */
	enum serve_svc	 svc;
	int		 listener;
	struct serve_conn *next;	/* every conn of the target */

	/* The application. */
	int		 app_closed;	/* close() or abort done */
	int		 rd_shut;	/* SHUTDOWN rd: reads return EOF */
	int		 linger_on;
	int		 linger_sec;
	int		 error;		/* errno once the TCB died badly */
	int		 eof;		/* the peer's FIN was reached */
	uint8_t		*left;		/* unread data saved when the TCB */
	size_t		 leftlen;	/* was deleted */
	size_t		 leftoff;

	/* The agent: the control connection holding it. */
	struct serve_ctl *ctl;
	struct serve_conn *parent;	/* agent listener, until accepted */
	struct serve_conn *aq_next;	/* accept queue */
	struct serve_conn *aq_head;	/* listener: established, not accepted */
	int		 queued;
	int		 hold;		/* a caller still uses the struct */

	/* HTTP: nothing but counters (the request stays in the TCB). */
	unsigned	 http_served;

	/* Fault bookkeeping. */
	int		 fin_out;	/* our FIN has been sent */
	uint32_t	 fin_seq;	/* ... with this sequence number */
	int		 data_out;	/* data has been sent */
	uint32_t	 data_hi;	/* ... up to here (for
					 * data-retransmit-at-once) */
	int		 simclose;	/* a FIN crossed ours (CLOSING) */
	int		 app_rst;	/* the application's close resets */
	int		 pv_shrink;	/* window-shrink: a segment without SYN
					 * went out */
	int		 rst_once;	/* rst-once-fin-goes-on: its RST sent */
	uint64_t	 fw2_at;		/* when FIN-WAIT-2 was entered */
	int		 eof_read;	/* a read returned the end (0) */
	int		 dup_seen;	/* duplicate-counted-unread: a copy of
					 * data already received came */
};

struct serve {
	struct serve_config cfg;
	struct tcp_stack *st;
	serve_output_fn	*output;
	void		*arg;
	uint64_t	 now;
	struct serve_conn *conns;
	struct serve_ctl *ctls;
	uint32_t	 isn_next;	/* predictable-isn */
	uint16_t	 eph_next;
	uint16_t	 listen_next;	/* the agent's next LISTEN on port 0 */
	uint64_t	 wedged_until;	/* bad-option-length-wedges: deaf
					   until then (us) */
	struct serve_stats stats;
};

#define FAULT_ON(sv, id)	(SERVE_FAULT_HAS(&(sv)->cfg.faults, id) != 0)

/* serve_icmp.c: an ICMP error (dgram: the whole IP datagram). */
int		 serve_icmp_input(struct serve *, const uint8_t *, size_t,
		    uint64_t now_us);

/* serve.c */
struct serve_conn *serve_conn_new(struct serve *, struct tcb *,
		    enum serve_svc);
struct serve_conn *serve_conn_of(struct tcb *);
struct serve_conn *serve_listener_find(struct serve *, uint16_t port);
struct serve_conn *serve_listen(struct serve *, uint16_t port,
		    enum serve_svc, uint32_t rcvbuf, uint32_t sndbuf,
		    char **err);
struct serve_conn *serve_connect(struct serve *, const uint8_t *raddr,
		    uint16_t rport, uint16_t lport, uint32_t rcvbuf,
		    uint32_t sndbuf, char **err);
void		 serve_conn_close(struct serve_conn *);
void		 serve_conn_release(struct serve_conn *);
void		 serve_conn_drop(struct serve_conn *);
size_t		 serve_conn_read(struct serve_conn *, void *, size_t);
size_t		 serve_conn_readable(const struct serve_conn *);
int		 serve_conn_at_eof(const struct serve_conn *);
void		 serve_tuple(const struct serve *, struct tcp_tuple *,
		    uint16_t lport, const uint8_t *raddr, uint16_t rport);
void		 serve_hooks(struct serve *, struct tcb *);
uint64_t	 serve_random_secret(void);

/* serve_app.c: the services' reactions to their connection's events. */
void		 serve_app_recv(struct serve_conn *);
void		 serve_app_established(struct serve_conn *);

/* serve_fault.c */
int		 serve_fault_in(struct serve *, struct seg *);
void		 serve_fault_note(struct serve *, int id, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 serve_fault_write(struct serve *, struct tcb *);
int		 serve_fault_nagle(struct serve *, int nodelay);
uint64_t	 serve_fault_keepalive(struct serve *, uint64_t idle_us);
int		 serve_fault_bad_csum(struct serve *, const struct seg *);
int		 serve_fault_out(struct tcb *, struct seg *, void *);
void		 serve_fault_state(struct serve *, struct tcb *, enum tcps);
void		 serve_fault_iss(struct serve *, struct tcb *);
void		 serve_fault_hooks(struct serve *, struct tcb *);
void		 serve_fault_config(struct serve_config *);
void		 serve_fault_ack_hooks(struct serve *, struct tcb *);
int		 serve_fault_close(struct serve_conn *);
int		 serve_fault_shutdown(struct serve *, int);
ssize_t		 serve_fault_write_shut(struct serve_conn *, const void *,
		    size_t);

/* serve_agent.c: a connection the agent holds has news. */
void		 serve_agent_poke(struct serve_ctl *);
void		 serve_agent_timers(struct serve *);
uint64_t	 serve_agent_deadline(const struct serve *);
void		 serve_agent_free_all(struct serve *);

#endif /* TCPCONFORM_SERVE_INT_H */
