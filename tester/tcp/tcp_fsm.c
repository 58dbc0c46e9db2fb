/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_fsm.c: the tables of tcp_fsm.h, state names and output flags.
 */
#include "segment.h"
#include "tcp_fsm.h"

const char *const tcps_names[TCPS_N] = {
	[TCPS_CLOSED] = "CLOSED",
	[TCPS_LISTEN] = "LISTEN",
	[TCPS_SYN_SENT] = "SYN-SENT",
	[TCPS_SYN_RECEIVED] = "SYN-RECEIVED",
	[TCPS_ESTABLISHED] = "ESTABLISHED",
	[TCPS_FIN_WAIT_1] = "FIN-WAIT-1",
	[TCPS_FIN_WAIT_2] = "FIN-WAIT-2",
	[TCPS_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCPS_CLOSING] = "CLOSING",
	[TCPS_LAST_ACK] = "LAST-ACK",
	[TCPS_TIME_WAIT] = "TIME-WAIT",
};

/*
 * CLOSED and LISTEN send nothing of their own (their RSTs are built from the
 * segment they answer).  "Once a connection is established, [the ACK] is
 * always sent" (RFC 9293 3.1), so every synchronized state sets ACK; FIN
 * appears in the states where our FIN is queued.
 */
const uint16_t tcp_outflags[TCPS_N] = {
	[TCPS_CLOSED] = 0,
	[TCPS_LISTEN] = 0,
	[TCPS_SYN_SENT] = SEG_SYN,
	[TCPS_SYN_RECEIVED] = SEG_SYN | SEG_ACK,
	[TCPS_ESTABLISHED] = SEG_ACK,
	[TCPS_FIN_WAIT_1] = SEG_FIN | SEG_ACK,
	[TCPS_FIN_WAIT_2] = SEG_ACK,
	[TCPS_CLOSE_WAIT] = SEG_ACK,
	[TCPS_CLOSING] = SEG_FIN | SEG_ACK,
	[TCPS_LAST_ACK] = SEG_FIN | SEG_ACK,
	[TCPS_TIME_WAIT] = SEG_ACK,
};
