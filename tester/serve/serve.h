/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve.h: the peer's own TCP acting as a target ("tcpconform serve"), with
 * services, a built-in agent and named faults, so that every conformance
 * case can be shown to fail against the fault it looks for.
 *
 * The core below never touches the network or a real clock, exactly like the
 * TCP it drives: segments go in with serve_input(), time with
 * serve_timers_run(), the control protocol of tcpconform-agent
 * (agent_proto.h) with serve_ctl_input(), and everything that leaves goes
 * through callbacks.  serve_loop.c binds it to the wire layer, the guard and
 * kernel sockets for the control connections; unit tests bind it to a second
 * tcp_stack playing the tester.
 *
 * Without a fault the target is meant to be RFC 9293-correct and, where the
 * RFC leaves a choice, to do what Linux does (see the notes on each choice
 * in serve.c), so that every case passes against it.  Each fault changes one
 * behaviour: outgoing segments are bent or dropped by the TCP's out_filter
 * hook, incoming ones are rewritten or dropped before tcp_input(), and the
 * application (services, agent) closes the way the fault says.
 */
#ifndef TCPCONFORM_SERVE_H
#define TCPCONFORM_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "segment.h"
#include "tcp.h"

/* Service ports (RFC 862 echo, RFC 863 discard, RFC 867 daytime, HTTP). */
#define SERVE_ECHO_PORT		7
#define SERVE_DISCARD_PORT	9
#define SERVE_BANNER_PORT	13
#define SERVE_HTTP_PORT		80

/* Local ports of the target's active opens (agent CONNECT without lport). */
#define SERVE_EPH_LO		40000
#define SERVE_EPH_HI		49999

/* The faults (serve_fault.c), one bit each in serve_config.faults. */
enum serve_fault_id {
	SF_SYNACK_ACK_OFF_BY_ONE,
	SF_HANDSHAKE_ACK_OFF_BY_ONE,
	SF_PREDICTABLE_ISN,
	SF_CONSTANT_ISN,
	SF_SYNACK_TO_WRONG_ACK_NO_RST,
	SF_NO_SIMULTANEOUS_OPEN,
	SF_FIN_NO_SEQ,
	SF_NO_FIN_ACK,
	SF_NO_TIME_WAIT,
	SF_TIME_WAIT_SYN_RST,
	SF_NO_FIN_RETRANSMIT,
	SF_REFUSE_DATA_AFTER_FIN,
	SF_NO_SEND_AFTER_PEER_FIN,
	SF_SIMCLOSE_NO_ACK,
	SF_FIN_ON_UNREAD_CLOSE,
	SF_NO_RST_AFTER_CLOSE,
	SF_RST_ON_CLEAN_CLOSE,
	SF_LINGER_IGNORED,
	SF_RST_ACCEPT_OUT_OF_WINDOW,
	SF_NO_CHALLENGE_ACK,
	SF_RST_IGNORED,
	SF_ACK_BEYOND_SND_NXT_ACCEPTED,
	SF_CLOSE_IN_SYN_SENT_HELD,
	SF_SHUT_RD_SENDS_FIN,
	SF_NO_CHECKSUM_CHECK,
	SF_SYN_RESETS,
	SF_FIN_RETRANSMIT_AT_ONCE,
	SF_SHORT_TIME_WAIT,
	SF_WRITE_AFTER_SHUT_WR_SENT,
	SF_BEYOND_FIN_DATA_TAKEN,
	SF_RST_ONCE_FIN_GOES_ON,
	SF_HALF_CLOSED_NO_PERSIST,
	SF_FIN_WAIT_2_TIMEOUT,
	/* The passive checks' faults (check_passive.c). */
	SF_BAD_CHECKSUM_OUT,
	SF_OPTION_BAD_LENGTH,
	SF_EOL_PADDING_NONZERO,
	SF_MSS_ON_ACK,
	SF_WSCALE_ON_ACK,
	SF_SACKOK_ON_ACK,
	SF_TIMESTAMPS_DROPPED,
	SF_RESERVED_BITS,
	SF_ACK_UNSENT_DATA,
	SF_SEND_BEYOND_WINDOW,
	SF_WINDOW_SHRINK,
	SF_URGENT_POINTER_BEYOND,
	SF_NO_RTO_BACKOFF,
	SF_INITIAL_RTO_SHORT,
	SF_DATA_RETRANSMIT_AT_ONCE,
	SF_NO_PERSIST,
	SF_PERSIST_AT_ONCE,
	SF_ECN_SYNACK_UNASKED,
	SF_ECN_SYNACK_REFLECT,
	SF_CLOSED_PORT_SILENT,
	SF_CLOSED_PORT_ANSWERS_RST,
	SF_SYN_SENT_RST_UNCHECKED,
	SF_SYN_SENT_TAKES_ANY,
	SF_UNACCEPTABLE_NOT_ACKED,
	SF_NO_ACK_BIT_TAKEN,
	SF_NO_OLD_ACK_CHECK,
	SF_R2_63S,
	SF_NO_NAGLE,
	SF_NODELAY_IGNORED,
	SF_KEEPALIVE_IGNORED,
	SF_KEEPALIVE_EARLY,
	SF_KEEPALIVE_ONE_MISS_FATAL,
	SF_URGENT_POINTER_AT_BYTE,
	SF_BAD_ACK_ABORTS_SYN_RECEIVED,
	SF_SYN_RECEIVED_SYN_IGNORED,
	SF_RST_ACTIVE_SYN_RECEIVED_LISTENS,
	SF_NO_SEQ_WRAP,
	SF_SYN_FIN_RESET,
	SF_SYN_RST_OPENS,
	SF_RST_ON_UNREAD_FIN,
	SF_DUPLICATE_COUNTED_UNREAD,
	SF_FIN_OUT_OF_ORDER_TAKEN,
	SF_CLOSE_IN_SYN_RECEIVED_HELD,
	SF_RANDOM_ISN,
	SF_SYNACK_OPTIONS_UNOFFERED,
	SF_SYNACK_NO_MSS,
	SF_MSS_IGNORED,
	SF_MSS_DEFAULT_LARGE,
	SF_UNALIGNED_OPTIONS_SKIPPED,
	SF_UNKNOWN_OPTION_DROPS,
	SF_BAD_OPTION_WEDGES,
	SF_TS_RECENT_FROZEN,
	SF_NO_PAWS,
	SF_SACK_OLDEST_FIRST,
	SF_FIN_OLD_ACK_DROPPED,
	/* ACK generation (serve_fault_ack_hooks()). */
	SF_LATE_ACK,
	SF_ACK_TIMER_ONLY,
	SF_NO_DUP_ACK,
	SF_HOLE_FILL_ACK_DELAYED,
	SF_OOO_DROPPED,
	SF_REASS_ACK_PIECEWISE,
	SF_IW_TOO_LARGE,
	/* ICMP errors (serve_icmp.c). */
	SF_ICMP_NO_SEQ_CHECK,
	SF_ICMP_SOFT_ABORTS,
	SF_ICMP_QUENCH_ABORTS,
	SF_ICMP_HARD_IGNORED,
	SF_ICMP_ANY_CONN,
	/* Window, persist and keep-alive rules that no case broke before. */
	SF_RST_WITH_DATA_IGNORED,
	SF_WINDOW_SIGNED,
	SF_KEEPALIVE_DEFAULT_ON,
	SF_PERSIST_NO_BACKOFF,
	SF_WINDOW_SHRINK_IGNORED,
	SF_ICMP_PTB_IGNORED,
	SF_NO_RST_FOR_LOST_DATA,
	SF_N
};

/* The faults switched on: one bit each, SERVE_FAULT_* below. */
#define SERVE_FAULT_WORDS	((SF_N + 63) / 64)
struct serve_faultset {
	uint64_t	w[SERVE_FAULT_WORDS];
};
#define SERVE_FAULT_SET(fs, id)	((fs)->w[(id) / 64] |= UINT64_C(1) << ((id) % 64))
#define SERVE_FAULT_HAS(fs, id)	(((fs)->w[(id) / 64] >> ((id) % 64)) & 1)

struct serve_fault {
	const char	*name;		/* "fin-no-seq" */
	const char	*family;	/* the case family it breaks */
	const char	*summary;	/* one line: what the target does wrong */
};

/* The fault table, indexed by enum serve_fault_id. */
extern const struct serve_fault serve_faults[SF_N];

/* The id of a fault by name, or -1. */
int		 serve_fault_lookup(const char *name);
/* "tcpconform serve --list-faults": name, family, summary; one a line. */
void		 serve_fault_list(FILE *);


struct serve_config {
	struct tcp_config tcp;		/* the TCP; serve_config_default()
					 * changes these from tcp_config_default:
					 * msl 30 s (TIME-WAIT 60 s as Linux) */
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		addr[16];	/* the target's (our) address */
	uint8_t		client[16];	/* the only address CONNECT may reach;
					 * all zero: any */
	uint16_t	echo_port;	/* 0: no such service [7] */
	uint16_t	discard_port;	/* [9] */
	uint16_t	http_port;	/* [80] */
	uint16_t	banner_port;	/* a line, then close unread [13] */
	int		any_port;	/* every other port accepts, reads and
					 * discards [1] */
	uint16_t	agent_port;	/* the control port: the TCP never
					 * serves it (0: none) */
	uint16_t	eph_lo;		/* local ports of active opens */
	uint16_t	eph_hi;
	struct serve_faultset faults;	/* SERVE_FAULT_SET(id) */
	int		nfaults;	/* how many are set */
	uint32_t	isn_base;	/* first ISN of predictable-isn, and
					 * the ISN of constant-isn */
	FILE		*log;		/* every segment and event; NULL: none */
};

/* One segment the target sends (addresses and ports filled in). */
typedef void	serve_output_fn(void *arg, const struct seg *);

struct serve;

void		 serve_config_default(struct serve_config *, int family);
struct serve	*serve_new(const struct serve_config *, serve_output_fn *,
		    void *arg, char **err);
void		 serve_free(struct serve *);
struct tcp_stack *serve_stack(struct serve *);

/*
 * A segment from the tester.  Segments to the agent's control port and
 * from other address families are ignored.  Returns what tcp_input()
 * returned, or 0 when a fault dropped the segment before the TCP saw it.
 */
int		 serve_input(struct serve *, const struct seg *, uint64_t now_us);
/* Time passed: the TCP's timers and the agent's timeouts. */
void		 serve_timers_run(struct serve *, uint64_t now_us);
/* When serve_timers_run() is next due; TCP_NO_TIMER for never. */
uint64_t	 serve_next_timer(const struct serve *);
/*
 * How long what the target sends waits before it leaves (a path's one-way
 * delay, in microseconds; 0 for none): the faults that send a copy "at
 * once" put the target behind a path slow enough that their copy's gap is
 * nothing next to the RTT, however the sending host schedules the two.
 */
uint64_t	 serve_out_delay(const struct serve *);

/* Counters, for the log and for tests. */
struct serve_stats {
	uint64_t	conns;		/* connections born (both directions) */
	uint64_t	faulted_in;	/* input segments a fault changed */
	uint64_t	dropped_in;	/* ... or dropped */
	uint64_t	faulted_out;	/* output segments a fault changed */
	uint64_t	dropped_out;	/* ... or dropped */
	uint64_t	bad_csum;	/* input dropped: checksum failed */
};
const struct serve_stats *serve_get_stats(const struct serve *);

/*
 * The built-in agent: one struct serve_ctl per control connection.  Bytes
 * the runner sent go in with serve_ctl_input() (any split: lines are put
 * back together; it returns how many it took, fewer only when a line's
 * worth waits behind a request that waits: serve_ctl_room() says when to
 * give more); every reply line leaves through out.  The requests are
 * those of agent_proto.h, acting on the target's own connections.  When
 * serve_ctl_done() says so (QUIT answered), or when the runner has shut
 * down its side and serve_ctl_busy() is over, the caller closes the
 * control connection and calls serve_ctl_free(), which closes the
 * handles' sockets as the real agent does.
 */
typedef void	serve_ctl_out_fn(void *arg, const char *line, size_t len);

struct serve_ctl;

struct serve_ctl *serve_ctl_new(struct serve *, serve_ctl_out_fn *, void *arg);
size_t		 serve_ctl_input(struct serve_ctl *, const char *, size_t,
		    uint64_t now_us);
/* How many bytes serve_ctl_input() takes now (0: requests wait). */
size_t		 serve_ctl_room(const struct serve_ctl *);
int		 serve_ctl_done(const struct serve_ctl *);
/* A request still waits for the TCP (ACCEPT, READ, ...). */
int		 serve_ctl_busy(const struct serve_ctl *);
void		 serve_ctl_free(struct serve_ctl *);

/* How serve_run() reaches the network (cmd_serve.c fills it in). */
struct serve_net {
	int		phantom;	/* 1: phantom-address mode */
	const char	*ifname;	/* capture/injection interface */
	uint8_t		agent_addr[16];	/* control listener (kernel socket) */
	int		agent_family;
	const char	*pcap;		/* write a capture here; NULL: none */
};

/*
 * Run until SIGINT or SIGTERM: open the wire (and the guard in host mode),
 * listen for control connections, serve.  Returns 0 on a clean stop, -1
 * with *err when the set-up failed.
 */
int		 serve_run(const struct serve_config *, const struct serve_net *,
		    char **err);

#endif /* TCPCONFORM_SERVE_H */
