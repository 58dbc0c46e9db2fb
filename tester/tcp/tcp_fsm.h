/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_fsm.h: the eleven connection states of RFC 9293 section 3.3.2, their
 * names, the predicates the peer asks of them, and the flags a segment sent
 * in each state carries.
 */
#ifndef TCPCONFORM_TCP_FSM_H
#define TCPCONFORM_TCP_FSM_H

#include <stdint.h>

/*
 * In the order of RFC 9293 section 3.3.2, except CLOSED, which the RFC lists
 * last ("represents no connection state at all") and which is 0 here so that
 * a zeroed TCB is CLOSED.  The predicates below depend on this order.
 */
enum tcps {
	TCPS_CLOSED,
	TCPS_LISTEN,		/* waiting for a SYN */
	TCPS_SYN_SENT,		/* our SYN sent, waiting for the peer's */
	TCPS_SYN_RECEIVED,	/* both SYNs seen, ours not yet ACKed */
	TCPS_ESTABLISHED,	/* data flows both ways */
	TCPS_FIN_WAIT_1,	/* we closed; our FIN not yet ACKed */
	TCPS_FIN_WAIT_2,	/* we closed; our FIN ACKed, no FIN from them */
	TCPS_CLOSE_WAIT,	/* they closed; we have not */
	TCPS_CLOSING,		/* both closed at once; our FIN not ACKed */
	TCPS_LAST_ACK,		/* they closed, then we did; our FIN not ACKed */
	TCPS_TIME_WAIT,		/* both FINs ACKed; wait 2*MSL */
};
#define TCPS_N		11

#define TCPS_BIT(s)	(1u << (s))

/* "Synchronized" in the sense of RFC 9293 3.5.2: SYN-RECEIVED and later. */
static inline int
tcps_synchronized(enum tcps s)
{
	return s >= TCPS_SYN_RECEIVED;
}

/* The handshake has completed (ESTABLISHED or any later state). */
static inline int
tcps_have_established(enum tcps s)
{
	return s >= TCPS_ESTABLISHED;
}

/* The peer's FIN has been received and acknowledged. */
static inline int
tcps_have_rcvd_fin(enum tcps s)
{
	return (TCPS_BIT(s) & (TCPS_BIT(TCPS_CLOSE_WAIT) |
	    TCPS_BIT(TCPS_CLOSING) | TCPS_BIT(TCPS_LAST_ACK) |
	    TCPS_BIT(TCPS_TIME_WAIT))) != 0;
}

/* Our FIN has been queued: the application may send nothing more. */
static inline int
tcps_have_sent_fin(enum tcps s)
{
	return (TCPS_BIT(s) & (TCPS_BIT(TCPS_FIN_WAIT_1) |
	    TCPS_BIT(TCPS_FIN_WAIT_2) | TCPS_BIT(TCPS_CLOSING) |
	    TCPS_BIT(TCPS_LAST_ACK) | TCPS_BIT(TCPS_TIME_WAIT))) != 0;
}

/* Segment text is delivered in this state (RFC 9293 3.10.7.4, seventh). */
static inline int
tcps_receives_data(enum tcps s)
{
	return s == TCPS_ESTABLISHED || s == TCPS_FIN_WAIT_1 ||
	    s == TCPS_FIN_WAIT_2;
}

/* The application may still queue data to send (RFC 9293 3.10.2). */
static inline int
tcps_can_send(enum tcps s)
{
	return s == TCPS_SYN_SENT || s == TCPS_SYN_RECEIVED ||
	    s == TCPS_ESTABLISHED || s == TCPS_CLOSE_WAIT;
}

/* Upper-case RFC names: "SYN-RECEIVED", "TIME-WAIT". */
extern const char *const tcps_names[TCPS_N];

/*
 * The flags of a segment sent in each state, "totally determined by state"
 * as FreeBSD's tcp_outflags puts it; the output code removes SYN and FIN
 * when they are not due (already sent and not being retransmitted).
 */
extern const uint16_t tcp_outflags[TCPS_N];

#endif /* TCPCONFORM_TCP_FSM_H */
