/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve_fault.c: the faults of "tcpconform serve", each one behaviour of
 * RFC 9293 (or RFC 5961, RFC 6528, RFC 1122) done wrong, so that the case
 * that checks the behaviour can be seen to fail.
 *
 * A fault breaks a binding rule (an imperative of RFC 9293's event
 * processing, a MUST, or a SHOULD where the summary says so), or it takes
 * away an optional mechanism: no-challenge-ack behaves as RFC 793 did,
 * which RFC 9293 3.10.7.4 still allows to stacks that do not implement the
 * RFC 5961 protection, so the cases it breaks report a claim as absent,
 * not a MUST failure.
 *
 * A fault works at one of four places, the least intrusive that can do it:
 * - output: serve_fault_out(), the TCP's out_filter hook, bends or drops a
 *   segment the correct TCP was about to send (the TCB goes on as if it had
 *   been sent unchanged);
 * - input: serve_fault_in() rewrites or drops a segment before tcp_input(),
 *   so that the TCP reacts as a faulty one would;
 * - state: serve_fault_state() acts when a connection enters a state;
 * - application: serve_fault_close() decides how the application closes.
 * Every change is counted in the stats and written to the log.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seq.h"
#include "serve_int.h"

const struct serve_fault serve_faults[SF_N] = {
	[SF_ICMP_NO_SEQ_CHECK] = { "icmp-no-seq-check", "icmp",
	    "an ICMP error is acted on whatever sequence number it quotes, "
	    "not only one in SND.UNA..SND.NXT (RFC 5927 4.1)" },
	[SF_ICMP_SOFT_ABORTS] = { "icmp-soft-aborts", "icmp",
	    "a soft ICMP error (net or host unreachable, Time Exceeded, "
	    "Parameter Problem) aborts the connection (RFC 9293 MUST-56)" },
	[SF_ICMP_QUENCH_ABORTS] = { "icmp-quench-aborts", "icmp",
	    "an ICMP Source Quench aborts the connection (RFC 9293 MUST-55)" },
	[SF_ICMP_HARD_IGNORED] = { "icmp-hard-ignored", "icmp",
	    "a hard ICMP error (port or protocol unreachable) in SYN-SENT or "
	    "SYN-RECEIVED is ignored (RFC 9293 SHLD-26)" },
	[SF_ICMP_ANY_CONN] = { "icmp-any-conn", "icmp",
	    "an ICMP error about one connection is taken by every "
	    "connection to the same host (RFC 9293 MUST-54)" },
	[SF_ICMP_PTB_IGNORED] = { "icmp-ptb-ignored", "icmp",
	    "an ICMPv6 Packet Too Big (or fragmentation needed) is ignored: "
	    "segments keep their size, and the data in flight is lost on "
	    "the path (RFC 8201 4, RFC 9293 MUST-54)" },
	[SF_SYNACK_ACK_OFF_BY_ONE] = { "synack-ack-off-by-one", "handshake",
	    "the SYN-ACK acknowledges the peer's ISN instead of ISN+1" },
	[SF_HANDSHAKE_ACK_OFF_BY_ONE] = { "handshake-ack-off-by-one",
	    "handshake", "an active open's ACK of the SYN-ACK acknowledges "
	    "the peer's ISN instead of ISN+1" },
	[SF_PREDICTABLE_ISN] = { "predictable-isn", "handshake",
	    "each connection's ISN is the previous one plus 1 (RFC 6528)" },
	[SF_CONSTANT_ISN] = { "constant-isn", "handshake",
	    "every connection starts with the same ISN (RFC 6528)" },
	[SF_SYNACK_TO_WRONG_ACK_NO_RST] = { "synack-to-wrong-ack-no-rst",
	    "handshake", "an unacceptable ACK in LISTEN, SYN-SENT or "
	    "SYN-RECEIVED is dropped instead of answered with RST" },
	[SF_NO_SIMULTANEOUS_OPEN] = { "no-simultaneous-open", "handshake",
	    "a SYN arriving in SYN-SENT is answered with RST and the "
	    "connect fails" },
	[SF_FIN_NO_SEQ] = { "fin-no-seq", "close",
	    "a FIN does not consume a sequence number: the peer's FIN is "
	    "acknowledged without +1, and our FIN's successor reuses its "
	    "number" },
	[SF_NO_FIN_ACK] = { "no-fin-ack", "close",
	    "the peer's FIN is never acknowledged" },
	[SF_NO_TIME_WAIT] = { "no-time-wait", "close",
	    "the side that closed first deletes the connection at once: "
	    "no TIME-WAIT, a retransmitted FIN gets RST" },
	[SF_TIME_WAIT_SYN_RST] = { "time-wait-syn-rst", "close",
	    "a new SYN to a connection in TIME-WAIT is answered with RST "
	    "(neither reopened nor acknowledged)" },
	[SF_NO_FIN_RETRANSMIT] = { "no-fin-retransmit", "close",
	    "a FIN that is not acknowledged is never sent again" },
	[SF_REFUSE_DATA_AFTER_FIN] = { "refuse-data-after-fin", "half-close",
	    "after the application's shutdown (our FIN), the peer's data is "
	    "dropped, neither acknowledged nor delivered" },
	[SF_NO_SEND_AFTER_PEER_FIN] = { "no-send-after-peer-fin",
	    "half-close", "the peer's FIN makes the target close its own side "
	    "too: its application can send no more" },
	[SF_SIMCLOSE_NO_ACK] = { "simclose-no-ack", "simultaneous-close",
	    "in a simultaneous close, the FIN that crossed ours is never "
	    "acknowledged" },
	[SF_FIN_ON_UNREAD_CLOSE] = { "fin-on-unread-close", "rst-vs-fin",
	    "close() with unread data sends FIN instead of RST "
	    "(RFC 1122 4.2.2.13)" },
	[SF_NO_RST_AFTER_CLOSE] = { "no-rst-after-close", "rst-vs-fin",
	    "data arriving after close() is dropped silently instead of "
	    "answered with RST" },
	[SF_NO_RST_FOR_LOST_DATA] = { "no-rst-for-lost-data", "rst-vs-fin",
	    "the TCP never resets to show data was lost (RFC 1122 "
	    "4.2.2.13): close() with unread data sends FIN, and data arriving "
	    "after close() is dropped silently" },
	[SF_RST_ON_CLEAN_CLOSE] = { "rst-on-clean-close", "rst-vs-fin",
	    "close() sends RST even when everything was read" },
	[SF_LINGER_IGNORED] = { "linger-ignored", "rst-vs-fin",
	    "close() with SO_LINGER {1, 0} sends FIN instead of RST" },
	[SF_RST_ACCEPT_OUT_OF_WINDOW] = { "rst-accept-out-of-window", "rst",
	    "an RST with any sequence number resets the connection, even one "
	    "outside the window (RFC 9293 3.10.7.4, first: binding on every "
	    "stack, with or without RFC 5961)" },
	[SF_NO_CHALLENGE_ACK] = { "no-challenge-ack", "rst",
	    "claim: no RFC 5961 3.2/4.2 mitigation, RFC 793 behaviour (which "
	    "RFC 9293 3.10.7.4 allows): an in-window RST resets the "
	    "connection, an in-window SYN is answered with RST and aborts it" },
	[SF_RST_IGNORED] = { "rst-ignored", "rst",
	    "every RST is ignored: no RST resets a connection, in any state" },
	[SF_ACK_BEYOND_SND_NXT_ACCEPTED] = { "ack-beyond-snd-nxt-accepted",
	    "rst", "a segment acknowledging data never sent is taken as if "
	    "it acknowledged SND.NXT, instead of dropped with an ACK" },
	[SF_CLOSE_IN_SYN_SENT_HELD] = { "close-in-syn-sent-held", "handshake",
	    "close() in SYN-SENT keeps the connection: a later SYN-ACK "
	    "completes it and a FIN follows, instead of an RST" },
	[SF_SHUT_RD_SENDS_FIN] = { "shut-rd-sends-fin", "half-close",
	    "shutdown(SHUT_RD) shuts the sending side too: it sends FIN" },
	[SF_NO_CHECKSUM_CHECK] = { "no-checksum-check", "checksum",
	    "segments are taken whatever their TCP checksum, instead of "
	    "thrown away when it fails (RFC 9293 MUST-3)" },
	[SF_SYN_RESETS] = { "syn-resets", "handshake",
	    "any SYN on a synchronized connection, even an old duplicate "
	    "outside the window, is answered with RST and aborts it (RFC 9293 "
	    "3.5.2: \"A reset must not be sent if it is not clear\")" },
	[SF_FIN_RETRANSMIT_AT_ONCE] = { "fin-retransmit-at-once", "close",
	    "a FIN is sent twice at once, with no timer: the "
	    "\"retransmission\" comes before one RTT (RFC 6298 (2.3) MUST: "
	    "the RTO exceeds SRTT) and before 1 s (RFC 6298 (2.4) SHOULD); "
	    "everything the target sends leaves 20 ms late, so that the RTT "
	    "dwarfs the copy's gap" },
	[SF_SHORT_TIME_WAIT] = { "short-time-wait", "close",
	    "TIME-WAIT lasts 1 s instead of 2 MSL (MUST-13)" },
	[SF_WRITE_AFTER_SHUT_WR_SENT] = { "write-after-shut-wr-sent",
	    "half-close", "write() after shutdown(SHUT_WR) succeeds and its "
	    "bytes go out after the FIN (RFC 9293 3.10.2: \"do not service "
	    "request\")" },
	[SF_BEYOND_FIN_DATA_TAKEN] = { "beyond-fin-data-taken", "half-close",
	    "text that follows the peer's FIN is acknowledged as taken "
	    "(RFC 9293 3.10.7.4, seventh: \"Ignore the segment text\")" },
	[SF_RST_ONCE_FIN_GOES_ON] = { "rst-once-fin-goes-on", "rst-vs-fin",
	    "data after close() draws one RST, but the connection lives on: "
	    "later data is dropped silently and the FIN is retransmitted "
	    "(RFC 2525 2.16)" },
	[SF_HALF_CLOSED_NO_PERSIST] = { "half-closed-no-persist",
	    "half-close", "once the peer's FIN has arrived, a zero window is "
	    "never probed: the data waits forever (RFC 9293 MUST-36)" },
	[SF_FIN_WAIT_2_TIMEOUT] = { "fin-wait-2-timeout", "half-close",
	    "FIN-WAIT-2 ends after 2 MSL (60 s with the default MSL, as an "
	    "orphan's in Linux) although the application still holds the "
	    "socket after shutdown(SHUT_WR): later data gets RST (RFC 9293 "
	    "3.6.1)" },
	[SF_BAD_CHECKSUM_OUT] = { "bad-checksum-out", "passive",
	    "each segment without SYN goes out first as a copy whose TCP "
	    "checksum fails (MUST-2)" },
	[SF_OPTION_BAD_LENGTH] = { "option-bad-length", "passive",
	    "segments without SYN carry an MD5 option of length 4, not 18 "
	    "(MUST-68)" },
	[SF_EOL_PADDING_NONZERO] = { "eol-padding-nonzero", "passive",
	    "segments without SYN end their options with EOL then a NOP: a "
	    "non-zero byte after EOL (MUST-69)" },
	[SF_MSS_ON_ACK] = { "mss-on-ack", "passive",
	    "segments without SYN carry an MSS option (MUST-65)" },
	[SF_WSCALE_ON_ACK] = { "wscale-on-ack", "passive",
	    "segments without SYN carry a Window Scale option (RFC 7323 "
	    "2.2)" },
	[SF_SACKOK_ON_ACK] = { "sackok-on-ack", "passive",
	    "segments without SYN carry SACK-permitted (RFC 2018 2)" },
	[SF_TIMESTAMPS_DROPPED] = { "timestamps-dropped", "passive",
	    "once timestamps are agreed, segments without SYN or RST leave "
	    "without them (RFC 7323 3.2)" },
	[SF_RESERVED_BITS] = { "reserved-bits", "passive",
	    "every segment has a reserved header bit set (RFC 9293 3.1)" },
	[SF_ACK_UNSENT_DATA] = { "ack-unsent-data", "passive",
	    "each segment without SYN goes out first as a copy that "
	    "acknowledges 1000 octets the peer never sent (RFC 9293 3.4)" },
	[SF_SEND_BEYOND_WINDOW] = { "send-beyond-window", "passive",
	    "each data segment goes out first as a copy placed 1000 octets "
	    "beyond the peer's window (RFC 9293 3.8.6)" },
	[SF_WINDOW_SHRINK] = { "window-shrink", "passive",
	    "after the first segment without SYN, every segment offers a "
	    "zero window: the right edge moves back (SHLD-14)" },
	[SF_URGENT_POINTER_BEYOND] = { "urgent-pointer-beyond", "passive",
	    "a FIN carries URG with an urgent pointer 1000 octets past the "
	    "end of the stream it ends (MUST-62)" },
	[SF_NO_RTO_BACKOFF] = { "no-rto-backoff", "retransmission",
	    "the retransmission timer is not doubled when it expires (RFC "
	    "6298 (5.5) MUST): a SYN, SYN-ACK, data or FIN is sent again "
	    "every RTO, as lwIP 2.1.3 does in SYN-SENT" },
	[SF_INITIAL_RTO_SHORT] = { "initial-rto-200ms", "retransmission",
	    "the initial RTO and the RTO's floor are 200 ms instead of 1 s "
	    "(RFC 6298 (2.1) and (2.4) SHOULD)" },
	[SF_DATA_RETRANSMIT_AT_ONCE] = { "data-retransmit-at-once",
	    "retransmission", "new data is sent twice at once, with no "
	    "timer: the \"retransmission\" comes before one RTT (RFC 6298 "
	    "(2.3) MUST: the RTO exceeds SRTT); everything the target sends "
	    "leaves 20 ms late, so that the RTT dwarfs the copy's gap" },
	[SF_NO_PERSIST] = { "no-persist", "window",
	    "a zero window is never probed: no segment with data leaves "
	    "while the peer's window is zero (RFC 9293 MUST-36)" },
	[SF_PERSIST_AT_ONCE] = { "persist-at-once", "window",
	    "a write into a zero window sends a probe at once, before any "
	    "timer (RFC 9293 SHLD-29: after one RTO)" },
	[SF_ECN_SYNACK_UNASKED] = { "ecn-synack-unasked", "ecn",
	    "every SYN-ACK is an ECN-setup SYN-ACK (ECE), even to a SYN that "
	    "did not ask for ECN (RFC 3168 6.1.1: MUST NOT)" },
	[SF_ECN_SYNACK_REFLECT] = { "ecn-synack-reflect", "ecn",
	    "every SYN-ACK carries ECE and CWR both, as a stack that reflects "
	    "the SYN's flags (RFC 3168 6.1.1: no ECN-setup SYN-ACK)" },
	[SF_CLOSED_PORT_SILENT] = { "closed-port-silent", "rst",
	    "a segment without RST to a port with no connection and no "
	    "listener is dropped instead of answered with RST (RFC 9293 "
	    "3.10.7.1)" },
	[SF_CLOSED_PORT_ANSWERS_RST] = { "closed-port-answers-rst", "rst",
	    "an RST to a port with no connection and no listener is answered "
	    "with RST instead of discarded (RFC 9293 3.10.7.1)" },
	[SF_SYN_SENT_RST_UNCHECKED] = { "syn-sent-rst-unchecked",
	    "handshake", "in SYN-SENT, an RST resets the connection whatever "
	    "its ACK: without one, or with one that does not acknowledge our "
	    "SYN (RFC 9293 3.10.7.3: dropped)" },
	[SF_SYN_SENT_TAKES_ANY] = { "syn-sent-takes-any", "handshake",
	    "in SYN-SENT, a segment with neither SYN nor RST is taken as if "
	    "it carried the SYN (RFC 9293 3.10.7.3 fifth: dropped)" },
	[SF_UNACCEPTABLE_NOT_ACKED] = { "unacceptable-not-acked", "rst",
	    "a segment outside the receive window (old, or beyond it) is "
	    "dropped without the acknowledgment RFC 9293 3.10.7.4 asks for "
	    "(a should)" },
	[SF_NO_ACK_BIT_TAKEN] = { "no-ack-bit-taken", "rst",
	    "a segment without the ACK bit on a synchronized connection is "
	    "processed, its data taken, instead of dropped (RFC 9293 3.10.7.4 "
	    "fifth)" },
	[SF_NO_OLD_ACK_CHECK] = { "no-old-ack-check", "rst",
	    "claim: no RFC 5961 5.2 check (which RFC 9293 MAY-12 allows): an "
	    "ACK below SND.UNA - MAX.SND.WND is taken as a duplicate and its "
	    "data accepted" },
	[SF_R2_63S] = { "r2-63s", "retransmission",
	    "an unanswered SYN, or unacknowledged data, is given up 63 s "
	    "after it first went, whatever the RTO: short of MUST-23's 3 "
	    "minutes for a SYN and SHLD-11's 100 s for data" },
	[SF_NO_NAGLE] = { "no-nagle", "nagle",
	    "the application's connections have no Nagle algorithm: a short "
	    "segment leaves while data is unacknowledged (RFC 9293 SHLD-7)" },
	[SF_NODELAY_IGNORED] = { "nodelay-ignored", "nagle",
	    "TCP_NODELAY is taken but Nagle stays on (RFC 9293 MUST-17)" },
	[SF_KEEPALIVE_IGNORED] = { "keepalive-ignored", "keepalive",
	    "SO_KEEPALIVE and its idle time are taken but no probe is ever "
	    "sent (RFC 9293 MUST-24, MUST-27)" },
	[SF_KEEPALIVE_EARLY] = { "keepalive-early", "keepalive",
	    "keep-alive probes come after a quarter of the idle time the "
	    "application set (RFC 9293 MUST-26, MUST-27)" },
	[SF_KEEPALIVE_ONE_MISS_FATAL] = { "keepalive-one-miss-fatal",
	    "keepalive", "one unanswered keep-alive probe ends the connection "
	    "with RST (RFC 9293 MUST-29)" },
	[SF_URGENT_POINTER_AT_BYTE] = { "urgent-pointer-at-byte", "urgent",
	    "the urgent pointer points at the last urgent octet, not the one "
	    "after it (RFC 9293 MUST-62, RFC 6093)" },
	[SF_BAD_ACK_ABORTS_SYN_RECEIVED] = { "bad-ack-aborts-syn-received",
	    "handshake", "an unacceptable ACK in SYN-RECEIVED is answered "
	    "with RST and also deletes the half-open connection" },
	[SF_SYN_RECEIVED_SYN_IGNORED] = { "syn-received-syn-ignored",
	    "handshake", "a SYN with a new sequence number in SYN-RECEIVED "
	    "(passive) is dropped and the half-open connection kept, instead "
	    "of returning to LISTEN (RFC 9293 3.10.7.4, fourth)" },
	[SF_RST_ACTIVE_SYN_RECEIVED_LISTENS] = {
	    "rst-active-syn-received-listens", "handshake", "an RST in "
	    "SYN-RECEIVED reached by an active open returns the port to "
	    "LISTEN, as for a passive open (MUST-11)" },
	[SF_NO_SEQ_WRAP] = { "no-seq-wrap", "handshake",
	    "a segment whose sequence numbers run across 2^32 is dropped, "
	    "as by arithmetic that is not modulo 2^32 (RFC 9293 3.4)" },
	[SF_SYN_FIN_RESET] = { "syn-fin-reset", "handshake",
	    "a SYN that carries FIN is answered with RST by a listener" },
	[SF_SYN_RST_OPENS] = { "syn-rst-opens", "handshake",
	    "a SYN that carries RST is taken by a listener as a SYN and "
	    "answered with SYN-ACK (RFC 9293 3.10.7.2: ignored)" },
	[SF_RST_ON_UNREAD_FIN] = { "rst-on-unread-fin", "rst-vs-fin",
	    "close() aborts with RST when the peer's FIN came and the "
	    "application has not read the end of the stream, though no data "
	    "is unread" },
	[SF_DUPLICATE_COUNTED_UNREAD] = { "duplicate-counted-unread",
	    "rst-vs-fin", "a copy of data already received counts as unread: "
	    "close() after it aborts with RST (RFC 2525 2.17)" },
	[SF_FIN_OUT_OF_ORDER_TAKEN] = { "fin-out-of-order-taken", "close",
	    "a FIN beyond a hole is taken at once, at RCV.NXT, and the data "
	    "before it is lost" },
	[SF_CLOSE_IN_SYN_RECEIVED_HELD] = { "close-in-syn-received-held",
	    "close", "close() in SYN-RECEIVED sends no FIN until the "
	    "handshake completes (RFC 9293 3.10.4: a FIN at once when "
	    "nothing is queued)" },
	[SF_RANDOM_ISN] = { "random-isn", "handshake",
	    "each connection's ISN is drawn at random, with no clock: the "
	    "same four-tuple's ISN may go back (RFC 9293 3.4.1, MUST-8)" },
	[SF_SYNACK_OPTIONS_UNOFFERED] = { "synack-options-unoffered",
	    "options", "the SYN-ACK carries window scale and timestamps even "
	    "when the SYN offered neither (RFC 7323 2.2, 3.2)" },
	[SF_SYNACK_NO_MSS] = { "synack-no-mss", "options",
	    "the SYN-ACK carries no MSS option (RFC 9293 SHLD-5)" },
	[SF_MSS_IGNORED] = { "mss-ignored", "options",
	    "the MSS option of the peer's SYN is not read: segments carry up "
	    "to the target's own MSS (RFC 9293 3.7.1, MUST-16)" },
	[SF_MSS_DEFAULT_LARGE] = { "mss-default-large", "options",
	    "a SYN without an MSS option is taken as offering 1460, not 536 "
	    "(IPv4) or 1220 (IPv6) (RFC 9293 3.7.1, MUST-15)" },
	[SF_UNALIGNED_OPTIONS_SKIPPED] = { "unaligned-options-skipped",
	    "options", "an MSS option of a SYN that does not begin on a "
	    "4-byte boundary is not read, and the 536/1220 default applies "
	    "(RFC 9293 3.1, MUST-64)" },
	[SF_UNKNOWN_OPTION_DROPS] = { "unknown-option-drops", "options",
	    "a segment with an option of a kind the TCP does not know is "
	    "dropped, SYN or data (RFC 9293 MUST-6)" },
	[SF_BAD_OPTION_WEDGES] = { "bad-option-length-wedges", "options",
	    "a segment with an illegal option length (0, 1, past the header) "
	    "or bytes after EOL hangs the stack for 2 s, as a watchdog "
	    "restart would: it and every segment until then are dropped, on "
	    "every connection (RFC 9293 MUST-7)" },
	[SF_TS_RECENT_FROZEN] = { "ts-recent-frozen", "options",
	    "TS.Recent stays the SYN's TSval: every TSecr echoes it, and no "
	    "segment is ever old enough for PAWS (RFC 7323 4.3, 5.3)" },
	[SF_NO_PAWS] = { "no-paws", "options",
	    "a segment with a TSval older than TS.Recent is taken as if it "
	    "were new, not dropped (RFC 7323 5.3)" },
	[SF_SACK_OLDEST_FIRST] = { "sack-oldest-first", "options",
	    "SACK blocks are sent oldest first: the first block is not the "
	    "one the triggering segment joined (RFC 2018 4)" },
	[SF_FIN_OLD_ACK_DROPPED] = { "fin-old-ack-dropped", "close",
	    "in FIN-WAIT-2, a FIN whose ACK lies below SND.UNA (an old ACK "
	    "reordered) is dropped with it, neither processed nor "
	    "acknowledged (RFC 9293 3.10.7.4 fifth: a duplicate ACK \"can be "
	    "ignored\", the segment goes on)" },
	[SF_LATE_ACK] = { "late-ack", "ack",
	    "the ACK of data waits for a 0.6 s delayed-ACK timer (MUST-40: "
	    "less than 0.5 s)" },
	[SF_ACK_TIMER_ONLY] = { "ack-timer-only", "ack",
	    "in-order data is acknowledged only by a 0.3 s delayed-ACK "
	    "timer, not at every second full-sized segment (SHLD-19)" },
	[SF_NO_DUP_ACK] = { "no-dup-ack", "ack",
	    "a segment above a hole is queued, but its duplicate ACK waits "
	    "for a 0.3 s timer (RFC 5681 4.2 SHOULD: at once)" },
	[SF_HOLE_FILL_ACK_DELAYED] = { "hole-fill-ack-delayed", "ack",
	    "the ACK of a segment that fills a hole waits for a 0.3 s timer "
	    "(RFC 5681 4.2 SHOULD: at once)" },
	[SF_OOO_DROPPED] = { "ooo-dropped", "ack",
	    "a segment above a hole is acknowledged and thrown away, not held "
	    "for later (SHLD-31)" },
	[SF_REASS_ACK_PIECEWISE] = { "reass-ack-piecewise", "ack",
	    "the segment that fills a hole is acknowledged before the held "
	    "segments behind it are processed (MUST-59)" },
	[SF_IW_TOO_LARGE] = { "iw-too-large", "congestion",
	    "the initial window is 20 full-sized segments, above RFC 5681 "
	    "3.1's bound (MUST) and above RFC 6928's ten" },
	[SF_RST_WITH_DATA_IGNORED] = { "rst-with-data-ignored", "rst",
	    "an RST that carries data is dropped, whatever its sequence "
	    "number (RFC 9293 SHLD-2)" },
	[SF_WINDOW_SIGNED] = { "window-signed", "window",
	    "the window field is read as a signed 16-bit number: 0x8000 and "
	    "above are negative, taken as a zero window (RFC 9293 MUST-1)" },
	[SF_KEEPALIVE_DEFAULT_ON] = { "keepalive-default-on", "keepalive",
	    "keep-alives are on for every connection, one probe a second, "
	    "unless the application turns them off (RFC 9293 MUST-25, "
	    "MUST-28)" },
	[SF_PERSIST_NO_BACKOFF] = { "persist-no-backoff", "window",
	    "zero-window probes come one RTO apart, the interval never "
	    "doubled (RFC 9293 SHLD-30)" },
	[SF_WINDOW_SHRINK_IGNORED] = { "window-shrink-ignored", "window",
	    "a window update that moves the right edge left is taken as "
	    "keeping the old edge: new data goes out up to it (RFC 9293 "
	    "MUST-34, SHLD-15)" },
};

static void	 note(struct serve *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	 in_listen(struct serve *, struct seg *);
static int	 in_closed(struct serve *, const struct seg *);
static int	 in_syn_sent(struct serve *, struct tcb *, struct seg *);
static void	 in_shrink(struct serve *, struct tcb *, struct seg *);
static int	 in_unacceptable(struct serve *, struct tcb *,
		    const struct seg *);
static int	 in_no_ack(struct serve *, struct tcb *, struct seg *);
static int	 in_old_ack(struct serve *, struct tcb *, struct seg *);
static int	 in_fin_old_ack(struct serve *, const struct tcb *,
		    const struct seg *);
static int	 in_rst(struct serve *, struct tcb *, struct seg *);
static int	 rst_syn_sent(struct serve *, struct tcb *, struct seg *);
static int	 in_syn(struct serve *, struct tcb *, struct seg *);
static int	 in_bad_ack(struct serve *, struct tcb *, const struct seg *);
static int	 in_data(struct serve *, struct tcb *, struct seg *);
static int	 in_fw2_timeout(struct serve *, struct tcb *,
		    const struct seg *);
static uint32_t	 rcv_wnd(const struct tcb *);
static void	 refuse_syn(struct serve *, struct tcb *, const struct seg *);
static int	 in_ack_beyond(struct serve *, struct tcb *, struct seg *);
static int	 out_hide_fin(struct tcb *, struct seg *);
static void	 in_mss(struct serve *, struct seg *);
static int	 in_options(struct serve *, const struct seg *);

#define SERVE_WEDGE_S	2	/* bad-option-length-wedges: how long */
static void	 in_ts(struct serve *, const struct tcb *, struct seg *);
static void	 out_sack_reverse(struct serve *, struct seg *);
static void	 out_synack_opts(struct serve *, struct seg *);
static void	 ts_tick(struct seg *);
static void	 out_fin_no_seq(struct tcb *, struct serve_conn *,
		    struct seg *);
static void	 out_passive(struct serve *, struct tcb *, struct serve_conn *,
		    struct seg *);
static void	 drop_opt(struct seg *, uint8_t);

int
serve_fault_lookup(const char *name)
{
	int i;

	for (i = 0; i < SF_N; i++)
		if (strcmp(serve_faults[i].name, name) == 0)
			return i;
	return -1;
}

void
serve_fault_list(FILE *f)
{
	int i;

	for (i = 0; i < SF_N; i++)
		fprintf(f, "%-28s %-18s %s\n", serve_faults[i].name,
		    serve_faults[i].family, serve_faults[i].summary);
}

/* Log what fault id did. */
static void
note(struct serve *sv, int id, const char *fmt, ...)
{
	va_list ap;

	if (sv->cfg.log == NULL)
		return;
	fprintf(sv->cfg.log, "serve: fault %s: ", serve_faults[id].name);
	va_start(ap, fmt);
	vfprintf(sv->cfg.log, fmt, ap);
	va_end(ap);
	fputc('\n', sv->cfg.log);
}

/* note(), for the faults that act elsewhere (serve_icmp.c). */
void
serve_fault_note(struct serve *sv, int id, const char *fmt, ...)
{
	va_list ap;

	sv->stats.faulted_in++;
	if (sv->cfg.log == NULL)
		return;
	fprintf(sv->cfg.log, "serve: fault %s: ", serve_faults[id].name);
	va_start(ap, fmt);
	vfprintf(sv->cfg.log, fmt, ap);
	va_end(ap);
	fputc('\n', sv->cfg.log);
}

/* RCV.WND as last advertised. */
static uint32_t
rcv_wnd(const struct tcb *tp)
{
	return seq_gt(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;
}

/*
 * Input.  Returns 1 when the segment is to be dropped; s may have been
 * rewritten otherwise.
 */
/*
 * A segment whose TCP checksum failed: 1 when no-checksum-check takes it
 * anyway, 0 when it is thrown away as RFC 9293 MUST-3 wants.
 */
int
serve_fault_bad_csum(struct serve *sv, const struct seg *s)
{
	if (!FAULT_ON(sv, SF_NO_CHECKSUM_CHECK))
		return 0;
	note(sv, SF_NO_CHECKSUM_CHECK, "segment seq %" PRIu32 " taken with "
	    "checksum 0x%04x, which fails", s->seq, s->csum);
	sv->stats.faulted_in++;
	return 1;
}

int
serve_fault_in(struct serve *sv, struct seg *s)
{
	struct tcp_tuple t;
	struct tcb *tp;
	int drop;

	if (sv->cfg.nfaults == 0)
		return 0;
	if (in_options(sv, s)) {
		sv->stats.dropped_in++;
		return 1;
	}
	/* RFC 9293 3.4: "all arithmetic ... must be performed modulo 2**32". */
	if (FAULT_ON(sv, SF_NO_SEQ_WRAP) && seg_seqlen(s) > 0 &&
	    s->seq + seg_seqlen(s) < s->seq) {
		note(sv, SF_NO_SEQ_WRAP, "segment seq %" PRIu32 " len %" PRIu32
		    " runs across 2^32: dropped", s->seq, seg_seqlen(s));
		sv->stats.dropped_in++;
		return 1;
	}
	in_mss(sv, s);
	/*
	 * RFC 9293 3.1: "The window size MUST be treated as an unsigned
	 * number, or else large window sizes will appear like negative
	 * windows" (MUST-1).  A negative window offers nothing.
	 */
	if (FAULT_ON(sv, SF_WINDOW_SIGNED) && s->win >= 0x8000) {
		note(sv, SF_WINDOW_SIGNED, "segment seq %" PRIu32 " window %u "
		    "read as %d: taken as 0", s->seq, s->win,
		    (int)s->win - 0x10000);
		s->win = 0;
		sv->stats.faulted_in++;
	}
	serve_tuple(sv, &t, s->dport, s->src, s->sport);
	if ((tp = tcp_lookup(sv->st, &t)) == NULL)
		drop = in_listen(sv, s);
	else if (s->flags & SEG_RST)
		drop = in_rst(sv, tp, s);
	else {
		in_ts(sv, tp, s);
		in_shrink(sv, tp, s);
		drop = in_syn_sent(sv, tp, s) ||
		    in_unacceptable(sv, tp, s) || in_no_ack(sv, tp, s) ||
		    in_syn(sv, tp, s) || in_bad_ack(sv, tp, s) ||
		    in_old_ack(sv, tp, s) || in_ack_beyond(sv, tp, s) ||
		    in_fin_old_ack(sv, tp, s) || in_data(sv, tp, s);
	}
	if (drop)
		sv->stats.dropped_in++;
	return drop;
}

/*
 * RFC 9293 3.7.1: the MSS of the peer's SYN bounds the segments sent
 * (MUST-16), 536 or 1220 bytes when it has none (MUST-15); 3.1: an option
 * may begin on any byte (MUST-64).  The faults read the SYN wrong, and the
 * TCP then sizes its segments from what they left.
 */
static void
in_mss(struct serve *sv, struct seg *s)
{
	size_t off = 0;
	int i;

	if (!(s->flags & SEG_SYN))
		return;
	if (FAULT_ON(sv, SF_UNALIGNED_OPTIONS_SKIPPED))
		for (i = 0; i < s->nopts; i++) {
			if (s->opts[i].kind == TCPOPT_MSS && off % 4 != 0 &&
			    (s->has & SEG_HAS_MSS)) {
				note(sv, SF_UNALIGNED_OPTIONS_SKIPPED, "SYN seq "
				    "%" PRIu32 ": MSS %u at option byte %zu "
				    "not read", s->seq, s->mss, off);
				s->has &= ~SEG_HAS_MSS;
				sv->stats.faulted_in++;
			}
			off += s->opts[i].size != 0 ? s->opts[i].size :
			    s->opts[i].len;
		}
	if (FAULT_ON(sv, SF_MSS_IGNORED) && (s->has & SEG_HAS_MSS)) {
		note(sv, SF_MSS_IGNORED, "SYN seq %" PRIu32 ": MSS %u not "
		    "read", s->seq, s->mss);
		s->mss = 65535;
		sv->stats.faulted_in++;
	}
	if (FAULT_ON(sv, SF_MSS_DEFAULT_LARGE) && !(s->has & SEG_HAS_MSS)) {
		note(sv, SF_MSS_DEFAULT_LARGE, "SYN seq %" PRIu32 " without "
		    "an MSS option: 1460 assumed", s->seq);
		s->has |= SEG_HAS_MSS;
		s->mss = 1460;
		sv->stats.faulted_in++;
	}
}

/*
 * RFC 9293 3.1: options a TCP does not implement are skipped (MUST-6), and
 * an illegal length is handled (MUST-7); the decoder walks them as the TCP
 * does (segment.c).  The faults drop the segment instead, or wedge the
 * whole stack as a fragile one would.
 */
static int
in_options(struct serve *sv, const struct seg *s)
{
	if (FAULT_ON(sv, SF_BAD_OPTION_WEDGES) && sv->now >= sv->wedged_until &&
	    (s->warn & (SEG_W_OPT_LEN | SEG_W_OPT_TRUNC | SEG_W_EOL_PAD))) {
		note(sv, SF_BAD_OPTION_WEDGES, "segment seq %" PRIu32 " has a "
		    "malformed option: the stack hangs for %d s", s->seq,
		    SERVE_WEDGE_S);
		sv->wedged_until = sv->now + SERVE_WEDGE_S * UINT64_C(1000000);
	}
	if (sv->now < sv->wedged_until)
		return 1;
	if (FAULT_ON(sv, SF_UNKNOWN_OPTION_DROPS) &&
	    (s->has & SEG_HAS_UNKNOWN)) {
		note(sv, SF_UNKNOWN_OPTION_DROPS, "segment seq %" PRIu32
		    " with an unknown option dropped", s->seq);
		return 1;
	}
	return 0;
}

/*
 * RFC 7323 4.3: TS.Recent follows the newest in-order TSval; 5.3: a TSval
 * below it marks an old duplicate (PAWS).  Both faults rewrite the
 * segment's TSval before the TCP sees it.
 */
static void
in_ts(struct serve *sv, const struct tcb *tp, struct seg *s)
{
	if (!(tp->flags & TCPF_TS) || !(s->has & SEG_HAS_TS) ||
	    (s->flags & (SEG_SYN | SEG_RST)))
		return;
	if (FAULT_ON(sv, SF_TS_RECENT_FROZEN) && s->tsval != tp->ts_recent) {
		note(sv, SF_TS_RECENT_FROZEN, "TSval %" PRIu32 " taken as "
		    "TS.Recent %" PRIu32, s->tsval, tp->ts_recent);
		s->tsval = tp->ts_recent;
		sv->stats.faulted_in++;
	} else if (FAULT_ON(sv, SF_NO_PAWS) &&
	    seq_lt(s->tsval, tp->ts_recent)) {
		note(sv, SF_NO_PAWS, "old TSval %" PRIu32 " (TS.Recent %"
		    PRIu32 ") taken", s->tsval, tp->ts_recent);
		s->tsval = tp->ts_recent;
		sv->stats.faulted_in++;
	}
}

/* A segment for a listener (or for no one). */
static int
in_listen(struct serve *sv, struct seg *s)
{
	struct serve_conn *l = serve_listener_find(sv, s->dport);

	if (l == NULL)
		return in_closed(sv, s);
	/* RFC 9293 3.10.7.2: "An incoming RST should be ignored." */
	if ((s->flags & (SEG_SYN | SEG_ACK | SEG_RST)) == (SEG_SYN | SEG_RST) &&
	    FAULT_ON(sv, SF_SYN_RST_OPENS)) {
		note(sv, SF_SYN_RST_OPENS, "SYN+RST taken as a SYN");
		s->flags &= (uint8_t)~SEG_RST;
		sv->stats.faulted_in++;
	}
	if ((s->flags & (SEG_SYN | SEG_ACK | SEG_RST)) == SEG_SYN) {
		/* A SYN is answered with SYN,ACK, whatever else it holds. */
		if ((s->flags & SEG_FIN) && FAULT_ON(sv, SF_SYN_FIN_RESET)) {
			struct seg r;

			note(sv, SF_SYN_FIN_RESET, "SYN+FIN answered with RST");
			tcp_reset_for(&r, s);
			tcp_stack_send_raw(sv->st, &r);
			return 1;
		}
		serve_fault_iss(sv, l->tcb);
		return 0;
	}
	/*
	 * RFC 9293 3.10.7.2: "Any acknowledgment is bad if it arrives on a
	 * connection still in the LISTEN state.  An acceptable reset segment
	 * should be formed for any arriving ACK-bearing segment."
	 */
	if (FAULT_ON(sv, SF_SYNACK_TO_WRONG_ACK_NO_RST) &&
	    (s->flags & (SEG_ACK | SEG_RST)) == SEG_ACK) {
		note(sv, SF_SYNACK_TO_WRONG_ACK_NO_RST, "ACK %" PRIu32
		    " to a listener dropped, no RST", s->ack);
		return 1;
	}
	return 0;
}

/*
 * A segment for a port with no connection and no listener.  RFC 9293
 * 3.10.7.1: "An incoming segment containing a RST is discarded.  An
 * incoming segment not containing a RST causes a RST to be sent in
 * response."  One fault keeps the RST back, the other answers an RST.
 */
static int
in_closed(struct serve *sv, const struct seg *s)
{
	struct seg r;

	if (FAULT_ON(sv, SF_CLOSED_PORT_SILENT) && !(s->flags & SEG_RST)) {
		note(sv, SF_CLOSED_PORT_SILENT, "segment seq %" PRIu32 " to "
		    "closed port %u dropped, no RST", s->seq, s->dport);
		return 1;
	}
	if (FAULT_ON(sv, SF_CLOSED_PORT_ANSWERS_RST) && (s->flags & SEG_RST)) {
		tcp_reset_for(&r, s);
		tcp_stack_send_raw(sv->st, &r);
		note(sv, SF_CLOSED_PORT_ANSWERS_RST, "RST seq %" PRIu32 " to "
		    "closed port %u answered with RST", s->seq, s->dport);
		sv->stats.faulted_out++;
		return 1;
	}
	return 0;
}

/*
 * SYN-SENT, RFC 9293 3.10.7.3: "If the RST bit is set, [...] If the ACK was
 * acceptable, then signal to the user "error: connection reset" [...]
 * Otherwise (no ACK), drop the segment and return"; an RST whose ACK is
 * unacceptable is dropped in the first step.  The fault gives such an RST
 * the acceptable ACK it lacks.
 */
static int
rst_syn_sent(struct serve *sv, struct tcb *tp, struct seg *s)
{
	if (tp->state != TCPS_SYN_SENT ||
	    !FAULT_ON(sv, SF_SYN_SENT_RST_UNCHECKED) ||
	    ((s->flags & SEG_ACK) && seq_gt(s->ack, tp->iss) &&
	    seq_le(s->ack, tp->snd_max)))
		return 0;
	note(sv, SF_SYN_SENT_RST_UNCHECKED, "RST %s in SYN-SENT taken as "
	    "acknowledging our SYN", (s->flags & SEG_ACK) ? "with a bad ACK" :
	    "without ACK");
	s->flags |= SEG_ACK;
	s->ack = tp->snd_max;
	sv->stats.faulted_in++;
	return 1;
}

/*
 * SYN-SENT, RFC 9293 3.10.7.3 fifth: "if neither of the SYN or RST bits is
 * set, then drop the segment and return".  The fault takes it as if it
 * carried the SYN: with an acceptable ACK the connection opens on it, and
 * without one it is a simultaneous open.
 */
static int
in_syn_sent(struct serve *sv, struct tcb *tp, struct seg *s)
{
	if (tp->state != TCPS_SYN_SENT || !FAULT_ON(sv, SF_SYN_SENT_TAKES_ANY) ||
	    (s->flags & (SEG_SYN | SEG_RST)))
		return 0;
	note(sv, SF_SYN_SENT_TAKES_ANY, "segment seq %" PRIu32 " without SYN "
	    "in SYN-SENT taken as a SYN", s->seq);
	s->flags |= SEG_SYN;
	sv->stats.faulted_in++;
	return 0;
}

/*
 * RFC 9293 3.10.7.4 first: "If an incoming segment is not acceptable, an
 * acknowledgment should be sent in reply (unless the RST bit is set, if so
 * drop the segment and return)".  The fault drops it without one: a
 * segment wholly below RCV.NXT, or at or beyond RCV.NXT + RCV.WND.
 */
static int
in_unacceptable(struct serve *sv, struct tcb *tp, const struct seg *s)
{
	uint32_t len = seg_seqlen(s), wnd = rcv_wnd(tp);
	int old, beyond;

	if (!FAULT_ON(sv, SF_UNACCEPTABLE_NOT_ACKED) ||
	    !tcps_synchronized(tp->state) || (s->flags & SEG_RST))
		return 0;
	old = len > 0 ? seq_le(s->seq + len, tp->rcv_nxt) :
	    seq_lt(s->seq, tp->rcv_nxt);
	beyond = wnd > 0 && seq_ge(s->seq, tp->rcv_nxt + wnd);
	if (!old && !beyond)
		return 0;
	note(sv, SF_UNACCEPTABLE_NOT_ACKED, "segment seq %" PRIu32 " outside "
	    "the window (RCV.NXT %" PRIu32 ", RCV.WND %" PRIu32 ") dropped, "
	    "no ACK", s->seq, tp->rcv_nxt, wnd);
	return 1;
}

/*
 * RFC 9293 3.8.6: "a sending TCP peer MUST be robust against window
 * shrinking [...] (MUST-34).  If this happens, the sender SHOULD NOT send
 * new data (SHLD-15)".  The fault widens a window update that moves the
 * right edge (SND.UNA + SND.WND) to the left, so that the edge stays where
 * it was and the TCP sends new data up to it.
 */
static void
in_shrink(struct serve *sv, struct tcb *tp, struct seg *s)
{
	uint32_t right, edge, w;

	if (!FAULT_ON(sv, SF_WINDOW_SHRINK_IGNORED) ||
	    !tcps_have_established(tp->state) || !(s->flags & SEG_ACK) ||
	    (s->flags & SEG_SYN) || seq_lt(s->ack, tp->snd_una) ||
	    seq_gt(s->ack, tp->snd_max))
		return;
	right = tp->snd_una + tp->snd_wnd;
	edge = s->ack + ((uint32_t)s->win << tp->snd_scale);
	if (!seq_lt(edge, right))
		return;
	/* The field, scaled down, rounded up so as to reach the old edge. */
	w = (right - s->ack + (1U << tp->snd_scale) - 1) >> tp->snd_scale;
	note(sv, SF_WINDOW_SHRINK_IGNORED, "window %u at ack %" PRIu32
	    " shrinks the right edge to %" PRIu32 ": taken as %" PRIu32
	    " (edge %" PRIu32 ")", s->win, s->ack, edge, w, right);
	s->win = (uint16_t)(w > 0xffff ? 0xffff : w);
	sv->stats.faulted_in++;
}

/*
 * RFC 9293 3.10.7.4 fifth: "if the ACK bit is off, drop the segment and
 * return".  The fault puts a duplicate ACK (SND.UNA) on it, so that its
 * text and controls are processed.
 */
static int
in_no_ack(struct serve *sv, struct tcb *tp, struct seg *s)
{
	if (!FAULT_ON(sv, SF_NO_ACK_BIT_TAKEN) ||
	    !tcps_have_established(tp->state) ||
	    (s->flags & (SEG_ACK | SEG_SYN | SEG_RST)))
		return 0;
	note(sv, SF_NO_ACK_BIT_TAKEN, "segment seq %" PRIu32 " without ACK "
	    "taken in %s", s->seq, tcps_names[tp->state]);
	s->flags |= SEG_ACK;
	s->ack = tp->snd_una;
	sv->stats.faulted_in++;
	return 0;
}

/*
 * RFC 5961 5.2 (RFC 9293 3.10.7.4 fifth, MAY-12): "the ACK value is
 * acceptable only if it is in the range of ((SND.UNA - MAX.SND.WND) =<
 * SEG.ACK =< SND.NXT).  All incoming segments whose ACK value doesn't
 * satisfy the above condition MUST be discarded and an ACK sent back."  The
 * fault is a stack without the check, as RFC 793: the old ACK is a
 * duplicate ("it can be ignored") and the segment goes on.
 */
static int
in_old_ack(struct serve *sv, struct tcb *tp, struct seg *s)
{
	if (!FAULT_ON(sv, SF_NO_OLD_ACK_CHECK) ||
	    !tcps_have_established(tp->state) || !(s->flags & SEG_ACK) ||
	    !seq_lt(s->ack, tp->snd_una - tp->max_snd_wnd))
		return 0;
	note(sv, SF_NO_OLD_ACK_CHECK, "ACK %" PRIu32 " below SND.UNA - "
	    "MAX.SND.WND taken as the duplicate SND.UNA %" PRIu32, s->ack,
	    tp->snd_una);
	s->ack = tp->snd_una;
	sv->stats.faulted_in++;
	return 0;
}

/*
 * RFC 9293 3.10.7.4 fifth, ESTABLISHED (which FIN-WAIT-2 follows): "If the
 * ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored", and the
 * segment goes on to the eighth step, where its FIN is taken.  A FIN that
 * overtook nothing but was sent before the peer saw our FIN's ACK carries
 * such an old ACK.  The fault drops the whole segment, as a stack that
 * returns early on an old ACK would (kselftest's disorder_fin_in_FIN_WAIT
 * tests Linux for it).
 */
static int
in_fin_old_ack(struct serve *sv, const struct tcb *tp, const struct seg *s)
{
	if (!FAULT_ON(sv, SF_FIN_OLD_ACK_DROPPED) ||
	    tp->state != TCPS_FIN_WAIT_2 || !(s->flags & SEG_FIN) ||
	    !(s->flags & SEG_ACK) || !seq_lt(s->ack, tp->snd_una))
		return 0;
	note(sv, SF_FIN_OLD_ACK_DROPPED, "FIN seq %" PRIu32 " with the old "
	    "ACK %" PRIu32 " (SND.UNA %" PRIu32 ") dropped in FIN-WAIT-2",
	    s->seq, s->ack, tp->snd_una);
	return 1;
}

/*
 * RFC 9293 3.10.7.4 first, with RFC 5961 3.2: an RST resets only when its
 * sequence number is exactly RCV.NXT; one elsewhere in the window gets a
 * challenge ACK, one outside is dropped.
 */
static int
in_rst(struct serve *sv, struct tcb *tp, struct seg *s)
{
	/* RFC 9293 3.5.3: "A TCP implementation SHOULD allow a received RST
	 * segment to include data (SHLD-2)". */
	if (FAULT_ON(sv, SF_RST_WITH_DATA_IGNORED) && s->len > 0) {
		note(sv, SF_RST_WITH_DATA_IGNORED, "RST seq %" PRIu32 " with "
		    "%zu bytes of data ignored", s->seq, s->len);
		return 1;
	}
	if (FAULT_ON(sv, SF_RST_IGNORED)) {
		note(sv, SF_RST_IGNORED, "RST seq %" PRIu32 " ignored in %s",
		    s->seq, tcps_names[tp->state]);
		return 1;
	}
	if (rst_syn_sent(sv, tp, s))
		return 0;
	/*
	 * RFC 9293 3.10.7.4 second, SYN-RECEIVED: a connection from an
	 * active OPEN "was refused" (MUST-11); the fault forgets where it
	 * came from and leaves a listener on its port, as LISTEN would be.
	 */
	if (tp->state == TCPS_SYN_RECEIVED && !(tp->flags & TCPF_PASSIVE) &&
	    s->seq == tp->rcv_nxt &&
	    FAULT_ON(sv, SF_RST_ACTIVE_SYN_RECEIVED_LISTENS)) {
		uint16_t port = s->dport;
		char *err = NULL;

		note(sv, SF_RST_ACTIVE_SYN_RECEIVED_LISTENS, "RST in "
		    "SYN-RECEIVED of an active open: port %u listens", port);
		tp->hooks.no_rst = 1;
		tcp_abort(tp);
		if (serve_listener_find(sv, port) == NULL &&
		    serve_listen(sv, port, SVC_ANY, 0, 0, &err) == NULL)
			free(err);
		sv->stats.faulted_in++;
		return 1;
	}
	if (!tcps_synchronized(tp->state) || s->seq == tp->rcv_nxt)
		return 0;
	if (FAULT_ON(sv, SF_RST_ACCEPT_OUT_OF_WINDOW) ||
	    (FAULT_ON(sv, SF_NO_CHALLENGE_ACK) &&
	    seq_gt(s->seq, tp->rcv_nxt) &&
	    seq_lt(s->seq, tp->rcv_nxt + rcv_wnd(tp)))) {
		note(sv, FAULT_ON(sv, SF_RST_ACCEPT_OUT_OF_WINDOW) ?
		    SF_RST_ACCEPT_OUT_OF_WINDOW : SF_NO_CHALLENGE_ACK,
		    "RST seq %" PRIu32 " taken as RCV.NXT %" PRIu32, s->seq,
		    tp->rcv_nxt);
		s->seq = tp->rcv_nxt;
		sv->stats.faulted_in++;
	}
	return 0;
}

/*
 * A SYN on a connection.  RFC 5961 4.2 answers any SYN in a synchronized
 * state with a challenge ACK, whatever its sequence number; the fault
 * resets the connection instead (RFC 793 did so for a SYN in the window,
 * and stacks that never took RFC 5961 do so for any).  A SYN in SYN-SENT
 * is a simultaneous open (RFC 9293 3.5, figure 8), which another fault
 * refuses; one in TIME-WAIT may reopen the connection (serve.c), which a
 * third answers with RST.
 */
static int
in_syn(struct serve *sv, struct tcb *tp, struct seg *s)
{
	if ((s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN &&
	    ((tp->state == TCPS_SYN_SENT &&
	    FAULT_ON(sv, SF_NO_SIMULTANEOUS_OPEN)) ||
	    (tp->state == TCPS_TIME_WAIT &&
	    FAULT_ON(sv, SF_TIME_WAIT_SYN_RST)))) {
		note(sv, tp->state == TCPS_SYN_SENT ? SF_NO_SIMULTANEOUS_OPEN :
		    SF_TIME_WAIT_SYN_RST, "SYN in %s refused with RST",
		    tcps_names[tp->state]);
		refuse_syn(sv, tp, s);
		return 1;
	}
	/*
	 * RFC 9293 3.10.7.4 fourth: a passive open's SYN-RECEIVED goes back
	 * to LISTEN on a SYN; the fault keeps the half-open connection and
	 * drops the SYN.  Its first SYN again (seq IRS) is a retransmission,
	 * answered as usual.
	 */
	if ((s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN &&
	    tp->state == TCPS_SYN_RECEIVED && (tp->flags & TCPF_PASSIVE) &&
	    s->seq != tp->irs && FAULT_ON(sv, SF_SYN_RECEIVED_SYN_IGNORED)) {
		note(sv, SF_SYN_RECEIVED_SYN_IGNORED, "SYN seq %" PRIu32 " in "
		    "SYN-RECEIVED dropped, the connection kept", s->seq);
		return 1;
	}
	if (!(s->flags & SEG_SYN) || !tcps_have_established(tp->state))
		return 0;
	/*
	 * RFC 793, as RFC 9293 3.10.7.4 (fourth) keeps it for stacks without
	 * RFC 5961: "If the SYN is in the window it is an error: send a
	 * reset"; outside the window the first step's ACK answers it.
	 */
	if (FAULT_ON(sv, SF_SYN_RESETS) || (FAULT_ON(sv, SF_NO_CHALLENGE_ACK) &&
	    seq_ge(s->seq, tp->rcv_nxt) &&
	    seq_lt(s->seq, tp->rcv_nxt + rcv_wnd(tp)))) {
		note(sv, FAULT_ON(sv, SF_SYN_RESETS) ? SF_SYN_RESETS :
		    SF_NO_CHALLENGE_ACK, "SYN seq %" PRIu32 " aborts the "
		    "connection in %s", s->seq, tcps_names[tp->state]);
		/*
		 * ABORT sends no RST in CLOSING or LAST-ACK (3.10.5); the
		 * fault answers the SYN with one there too.
		 */
		if (tp->state == TCPS_CLOSING || tp->state == TCPS_LAST_ACK) {
			struct seg r;

			tcp_seg_template(tp, &r);
			r.flags = SEG_RST;
			r.nopts = 0;
			r.has = 0;
			tcp_stack_send_raw(sv->st, &r);
		}
		tcp_abort(tp);
		return 1;
	}
	return 0;
}

/*
 * Answer a SYN as a closed port would (RFC 9293 3.10.7.1:
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>).  A connect in SYN-SENT gives
 * up; a TIME-WAIT connection stays as it was.
 */
static void
refuse_syn(struct serve *sv, struct tcb *tp, const struct seg *s)
{
	struct seg r;

	tcp_reset_for(&r, s);		/* s has no ACK: the first form */
	tcp_stack_send_raw(sv->st, &r);
	if (tp->state == TCPS_SYN_SENT) {
		tp->hooks.no_rst = 1;
		tcp_abort(tp);
	}
}

/*
 * RFC 9293 3.10.7.3 (SYN-SENT): "If SEG.ACK =< ISS or SEG.ACK > SND.NXT,
 * send a reset"; 3.10.7.4 (SYN-RECEIVED): "If the segment acknowledgment
 * is not acceptable, form a reset segment".  The fault drops the segment.
 */
static int
in_bad_ack(struct serve *sv, struct tcb *tp, const struct seg *s)
{
	int bad;

	/*
	 * The RST answers the segment only: the half-open connection stays
	 * (3.10.7.4 fifth); the fault deletes it too.
	 */
	if (FAULT_ON(sv, SF_BAD_ACK_ABORTS_SYN_RECEIVED) &&
	    tp->state == TCPS_SYN_RECEIVED && (s->flags & SEG_ACK) &&
	    !(s->flags & SEG_RST) && !(seq_gt(s->ack, tp->snd_una) &&
	    seq_le(s->ack, tp->snd_max))) {
		struct seg r;

		note(sv, SF_BAD_ACK_ABORTS_SYN_RECEIVED, "unacceptable ACK %"
		    PRIu32 " in SYN-RECEIVED: RST, connection deleted", s->ack);
		tcp_reset_for(&r, s);
		tcp_stack_send_raw(sv->st, &r);
		tp->hooks.no_rst = 1;
		tcp_abort(tp);
		return 1;
	}
	if (!FAULT_ON(sv, SF_SYNACK_TO_WRONG_ACK_NO_RST) ||
	    !(s->flags & SEG_ACK))
		return 0;
	if (tp->state == TCPS_SYN_SENT)
		bad = seq_le(s->ack, tp->iss) || seq_gt(s->ack, tp->snd_max);
	else if (tp->state == TCPS_SYN_RECEIVED)
		bad = !(seq_gt(s->ack, tp->snd_una) &&
		    seq_le(s->ack, tp->snd_max));
	else
		return 0;
	if (bad)
		note(sv, SF_SYNACK_TO_WRONG_ACK_NO_RST, "unacceptable ACK %"
		    PRIu32 " in %s dropped, no RST", s->ack,
		    tcps_names[tp->state]);
	return bad;
}

/*
 * RFC 9293 3.10.7.4 fifth: "If the ACK acks something not yet sent
 * (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and return"
 * (and RFC 5961 5.2).  The fault takes the segment as if it acknowledged
 * SND.NXT.  Returns 0: the segment goes on, rewritten.
 */
static int
in_ack_beyond(struct serve *sv, struct tcb *tp, struct seg *s)
{
	if (!FAULT_ON(sv, SF_ACK_BEYOND_SND_NXT_ACCEPTED) ||
	    !tcps_have_established(tp->state) || !(s->flags & SEG_ACK) ||
	    !seq_gt(s->ack, tp->snd_max))
		return 0;
	note(sv, SF_ACK_BEYOND_SND_NXT_ACCEPTED, "ACK %" PRIu32 " beyond "
	    "SND.NXT %" PRIu32 " taken as SND.NXT", s->ack, tp->snd_max);
	s->ack = tp->snd_max;
	sv->stats.faulted_in++;
	return 0;
}

/*
 * RFC 9293 3.6.1: a connection half-closed by shutdown(SHUT_WR) receives
 * for as long as the other side sends; no FIN-WAIT-2 timer ends it while
 * the application holds the socket.  The fault gives it 2 MSL, as Linux
 * gives an orphan (tcp_fin_timeout): data that arrives later finds the
 * connection gone and gets the RST of 3.10.7.1.
 */
static int
in_fw2_timeout(struct serve *sv, struct tcb *tp, const struct seg *s)
{
	struct serve_conn *c = serve_conn_of(tp);
	struct seg r;

	if (!FAULT_ON(sv, SF_FIN_WAIT_2_TIMEOUT) || c == NULL ||
	    tp->state != TCPS_FIN_WAIT_2 || c->fw2_at == 0 ||
	    sv->now - c->fw2_at < 2 * sv->cfg.tcp.msl_us)
		return 0;
	note(sv, SF_FIN_WAIT_2_TIMEOUT, "FIN-WAIT-2 timed out after %" PRIu64
	    " s: %zu bytes get RST", (sv->now - c->fw2_at) / 1000000, s->len);
	tcp_reset_for(&r, s);
	tcp_stack_send_raw(sv->st, &r);
	tp->hooks.no_rst = 1;
	tcp_abort(tp);
	return 1;
}

/* Data for a connection whose application has shut down or closed. */
static int
in_data(struct serve *sv, struct tcb *tp, struct seg *s)
{
	struct serve_conn *c = serve_conn_of(tp);

	/*
	 * RFC 9293 3.10.7.4: a segment is processed from RCV.NXT on, the FIN
	 * (eighth) only once RCV.NXT reaches it; the fault takes a FIN
	 * beyond a hole at once, its data lost.
	 */
	if ((s->flags & SEG_FIN) && tcps_have_established(tp->state) &&
	    seq_gt(s->seq, tp->rcv_nxt) &&
	    FAULT_ON(sv, SF_FIN_OUT_OF_ORDER_TAKEN)) {
		note(sv, SF_FIN_OUT_OF_ORDER_TAKEN, "FIN at %" PRIu32 " taken "
		    "at RCV.NXT %" PRIu32, s->seq + (uint32_t)s->len,
		    tp->rcv_nxt);
		s->seq = tp->rcv_nxt;
		s->len = 0;
		sv->stats.faulted_in++;
		return 0;
	}
	if (s->len == 0)
		return 0;
	if (in_fw2_timeout(sv, tp, s))
		return 1;
	/* RFC 9293 3.10.7.4: only the new parts of a segment count. */
	if (c != NULL && FAULT_ON(sv, SF_DUPLICATE_COUNTED_UNREAD) &&
	    tcps_have_established(tp->state) && seq_lt(s->seq, tp->rcv_nxt)) {
		note(sv, SF_DUPLICATE_COUNTED_UNREAD, "%zu bytes at %" PRIu32
		    " (below RCV.NXT) count as unread", s->len, s->seq);
		c->dup_seen = 1;
	}
	/* RFC 9293 3.6: a half-closed connection still receives. */
	if (FAULT_ON(sv, SF_REFUSE_DATA_AFTER_FIN) &&
	    (tp->flags & TCPF_SHUT_WR) && !(tp->flags & TCPF_APPCLOSED) &&
	    tcps_have_sent_fin(tp->state)) {
		note(sv, SF_REFUSE_DATA_AFTER_FIN, "%zu bytes after our FIN "
		    "dropped", s->len);
		return 1;
	}
	/*
	 * RFC 9293 3.10.7.4, seventh, CLOSE-WAIT, CLOSING, LAST-ACK and
	 * TIME-WAIT: "This should not occur since a FIN has been received
	 * from the remote side.  Ignore the segment text."  The fault
	 * acknowledges the text as if it had been taken.
	 */
	if (FAULT_ON(sv, SF_BEYOND_FIN_DATA_TAKEN) &&
	    (tp->flags & TCPF_RCVD_FIN) && seq_ge(s->seq, tp->rcv_nxt)) {
		struct seg a;

		tcp_seg_template(tp, &a);
		a.ack = s->seq + (uint32_t)s->len;
		note(sv, SF_BEYOND_FIN_DATA_TAKEN, "%zu bytes after the peer's "
		    "FIN acknowledged (ack %" PRIu32 ")", s->len, a.ack);
		tcp_stack_send_raw(sv->st, &a);
		sv->stats.faulted_out++;
		return 1;
	}
	/*
	 * RFC 2525 2.16: every segment of data after close() shows a loss;
	 * the fault answers the first with an RST but keeps the connection,
	 * its FIN still queued for retransmission, and drops the rest.
	 */
	if (FAULT_ON(sv, SF_RST_ONCE_FIN_GOES_ON) &&
	    (tp->flags & TCPF_APPCLOSED) &&
	    seq_gt(s->seq + (uint32_t)s->len, tp->rcv_nxt)) {
		struct serve_conn *c = serve_conn_of(tp);
		struct seg r;

		if (c != NULL && !c->rst_once) {
			c->rst_once = 1;
			tcp_seg_template(tp, &r);
			r.seq = tp->snd_max;
			r.flags = SEG_RST | SEG_ACK;
			r.nopts = 0;
			r.has = 0;
			tcp_stack_send_raw(sv->st, &r);
			sv->stats.faulted_out++;
		}
		note(sv, SF_RST_ONCE_FIN_GOES_ON, "%zu bytes after close() "
		    "dropped, the connection kept", s->len);
		return 1;
	}
	/* RFC 1122 4.2.2.13: data after close() gets an RST. */
	if ((FAULT_ON(sv, SF_NO_RST_AFTER_CLOSE) ||
	    FAULT_ON(sv, SF_NO_RST_FOR_LOST_DATA)) &&
	    (tp->flags & TCPF_APPCLOSED) &&
	    seq_gt(s->seq + (uint32_t)s->len, tp->rcv_nxt)) {
		note(sv, FAULT_ON(sv, SF_NO_RST_AFTER_CLOSE) ?
		    SF_NO_RST_AFTER_CLOSE : SF_NO_RST_FOR_LOST_DATA, "%zu "
		    "bytes after close() dropped, no RST", s->len);
		return 1;
	}
	return 0;
}

/*
 * Output: the out_filter hook of every TCB of the target.  Returns 1 to
 * drop the segment.
 */
int
serve_fault_out(struct tcb *tp, struct seg *s, void *arg)
{
	struct serve *sv = arg;
	struct serve_conn *c = serve_conn_of(tp);
	uint32_t seq = s->seq, ack = s->ack;
	int drop = 0, again, newdata;

	/* Bookkeeping first, from the segment the correct TCP sends. */
	again = c != NULL && (s->flags & SEG_FIN) && c->fin_out;
	if (c != NULL && (s->flags & SEG_FIN) && !c->fin_out) {
		c->fin_out = 1;
		c->fin_seq = s->seq + (uint32_t)s->len;
	}
	newdata = c != NULL && s->len > 0 && (!c->data_out ||
	    seq_gt(s->seq + (uint32_t)s->len, c->data_hi));
	if (newdata) {
		c->data_out = 1;
		c->data_hi = s->seq + (uint32_t)s->len;
	}
	if (c != NULL && tp->state == TCPS_CLOSING)
		c->simclose = 1;
	/*
	 * Not a fault: the reset of an application's abort (or close with
	 * unread data) is RST <SEQ=SND.NXT> in RFC 9293 3.10.5; Linux sends
	 * RST+ACK with ACK=RCV.NXT (tcp_send_active_reset), and so do we.
	 */
	if (c != NULL && c->app_rst && (s->flags & SEG_RST) &&
	    !(s->flags & SEG_ACK)) {
		s->flags |= SEG_ACK;
		s->ack = tp->rcv_nxt;
		ack = s->ack;
	}
	if (sv->cfg.nfaults == 0)
		return 0;
	if (FAULT_ON(sv, SF_SYNACK_ACK_OFF_BY_ONE) &&
	    (s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK))
		s->ack--;
	if (FAULT_ON(sv, SF_HANDSHAKE_ACK_OFF_BY_ONE) &&
	    !(tp->flags & TCPF_PASSIVE) && (s->flags & (SEG_SYN | SEG_ACK |
	    SEG_RST)) == SEG_ACK && s->ack == tp->irs + 1)
		s->ack--;
	if (FAULT_ON(sv, SF_FIN_NO_SEQ))
		out_fin_no_seq(tp, c, s);
	if ((s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK))
		out_synack_opts(sv, s);
	if (FAULT_ON(sv, SF_SACK_OLDEST_FIRST) && (s->has & SEG_HAS_SACK))
		out_sack_reverse(sv, s);
	/*
	 * RFC 3168 6.1.1: serve does no ECN, so its SYN-ACKs are plain;
	 * these faults make them claim it, asked or not.
	 */
	if ((s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK) &&
	    (FAULT_ON(sv, SF_ECN_SYNACK_UNASKED) ||
	    FAULT_ON(sv, SF_ECN_SYNACK_REFLECT))) {
		s->flags |= SEG_ECE;
		if (FAULT_ON(sv, SF_ECN_SYNACK_REFLECT))
			s->flags |= SEG_CWR;
		sv->stats.faulted_out++;
		note(sv, FAULT_ON(sv, SF_ECN_SYNACK_REFLECT) ?
		    SF_ECN_SYNACK_REFLECT : SF_ECN_SYNACK_UNASKED,
		    "SYN-ACK seq %" PRIu32 " with ECE%s", s->seq,
		    FAULT_ON(sv, SF_ECN_SYNACK_REFLECT) ? " and CWR" : "");
	}
	if (FAULT_ON(sv, SF_NO_FIN_ACK) ||
	    (FAULT_ON(sv, SF_SIMCLOSE_NO_ACK) && c != NULL && c->simclose))
		drop = out_hide_fin(tp, s);
	/*
	 * RFC 9293 3.8.6.1 (MUST-36): probes carry an octet of data, and
	 * nothing else with data may cross a zero window.
	 */
	if (FAULT_ON(sv, SF_NO_PERSIST) && tp->snd_wnd == 0 && s->len > 0 &&
	    !(s->flags & (SEG_SYN | SEG_RST))) {
		note(sv, SF_NO_PERSIST, "probe seq %" PRIu32 " not sent",
		    s->seq);
		drop = 1;
	}
	/* RFC 9293 MUST-62: the urgent pointer points past the urgent data. */
	if (FAULT_ON(sv, SF_URGENT_POINTER_AT_BYTE) && (s->flags & SEG_URG) &&
	    s->urp > 0) {
		s->urp--;
		note(sv, SF_URGENT_POINTER_AT_BYTE, "seq %" PRIu32 " urgent "
		    "pointer %u", s->seq, s->urp);
		sv->stats.faulted_out++;
	}
	/*
	 * RFC 9293 3.8.4 (MUST-29): the probe after an unanswered one goes
	 * out as an RST, as a stack that gave up on the first miss would.
	 */
	if (FAULT_ON(sv, SF_KEEPALIVE_ONE_MISS_FATAL) && tp->keep_probes >= 2 &&
	    s->len == 0 && s->flags == SEG_ACK && s->seq == tp->snd_una - 1) {
		s->flags = SEG_RST | SEG_ACK;
		s->seq = tp->snd_max;
		note(sv, SF_KEEPALIVE_ONE_MISS_FATAL, "second probe sent as "
		    "RST");
		sv->stats.faulted_out++;
	}
	/*
	 * RFC 9293 3.10.4, CLOSE in SYN-RECEIVED: "form a FIN segment and
	 * send it"; the fault keeps it back while our SYN is unacknowledged.
	 */
	if (FAULT_ON(sv, SF_CLOSE_IN_SYN_RECEIVED_HELD) &&
	    (s->flags & SEG_FIN) && tp->snd_una == tp->iss) {
		note(sv, SF_CLOSE_IN_SYN_RECEIVED_HELD, "FIN held: the SYN is "
		    "not acknowledged yet");
		drop = 1;
	}
	/* RFC 9293 3.8.1 (MUST-18): a FIN is retransmitted like data. */
	if (again && FAULT_ON(sv, SF_NO_FIN_RETRANSMIT))
		drop = 1;
	/*
	 * RFC 9293 3.8.6.1 (MUST-36): a zero window is probed; the fault
	 * stops probing (and sending) once the peer's FIN has arrived.
	 */
	if (FAULT_ON(sv, SF_HALF_CLOSED_NO_PERSIST) && s->len > 0 &&
	    tp->snd_wnd == 0 && (tp->flags & TCPF_RCVD_FIN)) {
		note(sv, SF_HALF_CLOSED_NO_PERSIST, "probe of %zu bytes at "
		    "seq %" PRIu32 " not sent", s->len, s->seq);
		drop = 1;
	}
	/*
	 * RFC 6298 (2.3): RTO = SRTT + max(G, K*RTTVAR) exceeds the RTT; the
	 * faults send the first FIN, or new data, twice, back to back.
	 */
	if (!drop && ((!again && c != NULL && (s->flags & SEG_FIN) &&
	    FAULT_ON(sv, SF_FIN_RETRANSMIT_AT_ONCE)) ||
	    (newdata && FAULT_ON(sv, SF_DATA_RETRANSMIT_AT_ONCE)))) {
		struct seg second = *s;

		/*
		 * The segment goes out as the TCP made it, and then again
		 * right behind it (both raw, so that nothing comes between):
		 * a new send, not a copy the path made, so its timestamp is
		 * a tick on (RFC 7323 3.2) and the tester judges it.
		 */
		ts_tick(&second);
		note(sv, newdata && FAULT_ON(sv, SF_DATA_RETRANSMIT_AT_ONCE) ?
		    SF_DATA_RETRANSMIT_AT_ONCE : SF_FIN_RETRANSMIT_AT_ONCE,
		    "segment seq %" PRIu32 " sent twice at once", s->seq);
		tcp_stack_send_raw(sv->st, s);
		tcp_stack_send_raw(sv->st, &second);
		sv->stats.faulted_out++;
		return 1;
	}
	if (!drop)
		out_passive(sv, tp, c, s);
	if (drop) {
		sv->stats.dropped_out++;
		if (sv->cfg.log != NULL)
			fprintf(sv->cfg.log, "serve: fault: segment seq %" PRIu32
			    " ack %" PRIu32 " not sent\n", seq, ack);
	} else if (seq != s->seq || ack != s->ack) {
		sv->stats.faulted_out++;
		if (sv->cfg.log != NULL)
			fprintf(sv->cfg.log, "serve: fault: sent seq %" PRIu32
			    " ack %" PRIu32 " instead of seq %" PRIu32 " ack %"
			    PRIu32 "\n", s->seq, s->ack, seq, ack);
	}
	return drop;
}

/*
 * The passive checks' faults: each bends the segments without SYN (the
 * handshake stays whole, so the case runs on) in the way one passive check
 * must see.  Those that would derail the connection send a bent copy
 * before the segment instead.
 */
static void
out_passive(struct serve *sv, struct tcb *tp, struct serve_conn *c,
    struct seg *s)
{
	static const uint8_t md5[2] = { 0, 0 };
	struct seg copy;

	if (s->flags & SEG_SYN)
		return;
	if (FAULT_ON(sv, SF_RESERVED_BITS)) {
		s->rsvd = 0x4;
		sv->stats.faulted_out++;
	}
	if (s->flags & SEG_RST)
		return;
	if (FAULT_ON(sv, SF_BAD_CHECKSUM_OUT)) {
		copy = *s;
		copy.csum_bad = 1;
		tcp_stack_send_raw(sv->st, &copy);
		sv->stats.faulted_out++;
	}
	if (FAULT_ON(sv, SF_ACK_UNSENT_DATA) && (s->flags & SEG_ACK)) {
		copy = *s;
		copy.ack += 1000;
		tcp_stack_send_raw(sv->st, &copy);
		sv->stats.faulted_out++;
	}
	if (FAULT_ON(sv, SF_SEND_BEYOND_WINDOW) && s->len > 0) {
		copy = *s;
		copy.seq = tp->snd_una + tp->snd_wnd + 1000;
		note(sv, SF_SEND_BEYOND_WINDOW, "a copy of seq %" PRIu32
		    " sent at %" PRIu32, s->seq, copy.seq);
		tcp_stack_send_raw(sv->st, &copy);
		sv->stats.faulted_out++;
	}
	if (FAULT_ON(sv, SF_OPTION_BAD_LENGTH))
		(void)seg_add_opt(s, TCPOPT_MD5, md5, sizeof(md5));
	if (FAULT_ON(sv, SF_MSS_ON_ACK))
		(void)seg_add_mss(s, 1460);
	if (FAULT_ON(sv, SF_WSCALE_ON_ACK))
		(void)seg_add_wscale(s, 7);
	if (FAULT_ON(sv, SF_SACKOK_ON_ACK))
		(void)seg_add_sackok(s);
	if (FAULT_ON(sv, SF_TIMESTAMPS_DROPPED))
		drop_opt(s, TCPOPT_TIMESTAMP);
	if (FAULT_ON(sv, SF_EOL_PADDING_NONZERO)) {
		(void)seg_add_eol(s);
		(void)seg_add_nop(s);
	}
	if (FAULT_ON(sv, SF_WINDOW_SHRINK) && c != NULL) {
		if (c->pv_shrink)
			s->win = 0;
		c->pv_shrink = 1;
	}
	if (FAULT_ON(sv, SF_URGENT_POINTER_BEYOND) && (s->flags & SEG_FIN)) {
		s->flags |= SEG_URG;
		s->urp = (uint16_t)(s->len + 1000);
	}
}

/* Take every option of this kind out of s. */
static void
drop_opt(struct seg *s, uint8_t kind)
{
	int i, k = 0;

	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].kind != kind)
			s->opts[k++] = s->opts[i];
	if (k == s->nopts)
		return;
	s->nopts = k;
	if (kind == TCPOPT_TIMESTAMP)
		s->has &= ~SEG_HAS_TS;
	s->doff = (uint8_t)(5 + (seg_optbytes(s) + 3) / 4);
}

/*
 * The application wrote: persist-at-once probes a zero window at once,
 * with the empty segment below SND.UNA that Linux uses as a probe, where
 * RFC 9293 3.8.6.1 (SHLD-29) waits one RTO.
 */
void
serve_fault_write(struct serve *sv, struct tcb *tp)
{
	struct seg s;

	if (!FAULT_ON(sv, SF_PERSIST_AT_ONCE) || tp == NULL ||
	    tp->snd_wnd != 0 || tp->snd.len == 0 ||
	    !tcps_have_established(tp->state))
		return;
	tcp_seg_template(tp, &s);
	s.seq = tp->snd_una - 1;
	note(sv, SF_PERSIST_AT_ONCE, "probe seq %" PRIu32 " at once", s.seq);
	sv->stats.faulted_out++;
	(void)tcp_send_raw(tp, &s, 0, NULL);
}

/*
 * The SYN-ACK's options.  RFC 7323 2.2 and 3.2: window scale and timestamps
 * only answer a SYN that offered them; RFC 9293 3.7.1 (SHLD-5): an MSS
 * option in every SYN.
 */
static void
out_synack_opts(struct serve *sv, struct seg *s)
{
	if (FAULT_ON(sv, SF_SYNACK_OPTIONS_UNOFFERED) &&
	    !(s->has & SEG_HAS_WSCALE) && !(s->has & SEG_HAS_TS) &&
	    seg_optbytes(s) + 16 <= SEG_OPT_MAX) {
		seg_add_nop(s);
		seg_add_wscale(s, 7);
		seg_add_nop(s);
		seg_add_nop(s);
		seg_add_ts(s, (uint32_t)(sv->now / 1000), 0);
		note(sv, SF_SYNACK_OPTIONS_UNOFFERED, "SYN-ACK seq %" PRIu32
		    " carries window scale and timestamps unoffered", s->seq);
		sv->stats.faulted_out++;
	}
	if (FAULT_ON(sv, SF_SYNACK_NO_MSS) && (s->has & SEG_HAS_MSS)) {
		drop_opt(s, TCPOPT_MSS);
		s->has &= ~SEG_HAS_MSS;
		note(sv, SF_SYNACK_NO_MSS, "SYN-ACK seq %" PRIu32 " without "
		    "its MSS option", s->seq);
		sv->stats.faulted_out++;
	}
}

/* RFC 2018 4: the newest block first; the fault turns the list round. */
static void
out_sack_reverse(struct serve *sv, struct seg *s)
{
	struct seg_opt	*o;
	uint8_t		 blk[8];
	int		 i, j, n;

	for (i = 0; i < s->nopts; i++) {
		o = &s->opts[i];
		if (o->kind != TCPOPT_SACK || o->len < 2 + 16)
			continue;
		n = (o->len - 2) / 8;
		for (j = 0; j < n / 2; j++) {
			memcpy(blk, o->data + 8 * j, 8);
			memcpy(o->data + 8 * j, o->data + 8 * (n - 1 - j), 8);
			memcpy(o->data + 8 * (n - 1 - j), blk, 8);
		}
		note(sv, SF_SACK_OLDEST_FIRST, "ACK %" PRIu32 ": %d SACK "
		    "blocks oldest first", s->ack, n);
		sv->stats.faulted_out++;
	}
}

/* The segment's TSval (option and field) one tick on. */
static void
ts_tick(struct seg *s)
{
	uint32_t v;
	int i;

	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].kind == TCPOPT_TIMESTAMP && s->opts[i].len == 10) {
			v = ((uint32_t)s->opts[i].data[0] << 24 |
			    (uint32_t)s->opts[i].data[1] << 16 |
			    (uint32_t)s->opts[i].data[2] << 8 |
			    s->opts[i].data[3]) + 1;
			s->opts[i].data[0] = (uint8_t)(v >> 24);
			s->opts[i].data[1] = (uint8_t)(v >> 16);
			s->opts[i].data[2] = (uint8_t)(v >> 8);
			s->opts[i].data[3] = (uint8_t)v;
			s->tsval = v;
		}
}

/*
 * Pretend the peer's FIN was not received: a pure ACK of it is not sent,
 * any other segment acknowledges only up to the FIN.
 */
static int
out_hide_fin(struct tcb *tp, struct seg *s)
{
	if (!(tp->flags & TCPF_RCVD_FIN) || (s->flags & SEG_RST) ||
	    !(s->flags & SEG_ACK) || s->ack != tp->rcv_nxt)
		return 0;
	if (s->len == 0 && !(s->flags & (SEG_SYN | SEG_FIN)))
		return 1;
	s->ack--;
	return 0;
}

/*
 * RFC 9293 3.4: "the FIN ... [is] included in the sequence space"; the
 * fault forgets it both ways: the ACK of the peer's FIN does not count
 * it, and what follows our FIN starts at the FIN's own number.
 */
static void
out_fin_no_seq(struct tcb *tp, struct serve_conn *c, struct seg *s)
{
	if (s->flags & SEG_RST)
		return;
	if ((tp->flags & TCPF_RCVD_FIN) && (s->flags & SEG_ACK) &&
	    s->ack == tp->rcv_nxt)
		s->ack--;
	if (c != NULL && c->fin_out && !(s->flags & (SEG_SYN | SEG_FIN)) &&
	    s->seq == c->fin_seq + 1)
		s->seq = c->fin_seq;
}

/* A connection entered state `to'. */
void
serve_fault_state(struct serve *sv, struct tcb *tp, enum tcps to)
{
	struct serve_conn *c = serve_conn_of(tp);
	char *err = NULL;

	/*
	 * RFC 9293 3.10.7.4: TIME-WAIT holds the connection for 2 MSL, so
	 * that a retransmitted FIN is acknowledged; the fault deletes it
	 * silently.
	 */
	if (to == TCPS_TIME_WAIT && tp->state == TCPS_TIME_WAIT &&
	    FAULT_ON(sv, SF_NO_TIME_WAIT)) {
		note(sv, SF_NO_TIME_WAIT, "TIME-WAIT skipped");
		tp->hooks.no_rst = 1;
		tcp_abort(tp);
		return;
	}
	if (to == TCPS_FIN_WAIT_2 && c != NULL)
		c->fw2_at = sv->now;
	/* RFC 9293 3.6.1 (MUST-13): TIME-WAIT lasts 2 MSL; the fault, 1 s. */
	if (FAULT_ON(sv, SF_SHORT_TIME_WAIT) && tp->hooks.time_wait_us == 0) {
		note(sv, SF_SHORT_TIME_WAIT, "TIME-WAIT will last 1 s");
		tp->hooks.time_wait_us = 1000000;
	}
	/* RFC 9293 3.6: after the peer's FIN the application may still send. */
	if (to == TCPS_CLOSE_WAIT && tp->state == TCPS_CLOSE_WAIT &&
	    FAULT_ON(sv, SF_NO_SEND_AFTER_PEER_FIN) && c != NULL && !c->app_closed) {
		note(sv, SF_NO_SEND_AFTER_PEER_FIN, "the peer's FIN closes our side");
		if (tcp_shutdown(tp, &err) == -1)
			free(err);
	}
}

/*
 * The timer fault, set on every TCB serve makes (listeners pass it on to
 * the connections they spawn).
 */
void
serve_fault_hooks(struct serve *sv, struct tcb *tp)
{
	tp->hooks.no_backoff = FAULT_ON(sv, SF_NO_RTO_BACKOFF);
	tp->hooks.no_persist_backoff = FAULT_ON(sv, SF_PERSIST_NO_BACKOFF);
}

/*
 * The stack's configuration under the faults: initial-rto-200ms puts the
 * initial RTO (RFC 6298 (2.1)) and its floor ((2.4)) at 200 ms; r2-63s
 * gives a SYN or data up 63 s after it first went (with a 1 s RTO, the
 * 6th expiry: 1 + 2 + ... + 32 s), where RFC 9293 3.8.3 wants 3 minutes
 * (MUST-23) and 100 s (SHLD-11).  By time, not by count: after a
 * handshake whose SYN-ACK went again the RTO starts at 3 s (RFC 6298
 * 5.7), and five expiries would then take 189 s.
 */
void
serve_fault_config(struct serve_config *c)
{
	if (SERVE_FAULT_HAS(&c->faults, SF_INITIAL_RTO_SHORT)) {
		c->tcp.rto_init_us = 200000;
		c->tcp.rto_min_us = 200000;
	}
	if (SERVE_FAULT_HAS(&c->faults, SF_R2_63S)) {
		c->tcp.r2_us = 63ULL * 1000000;
	}
	/* RFC 9293 3.8.4: keep-alives "MUST default to off" (MUST-25), and
	 * the interval to "no less than two hours" (MUST-28). */
	if (SERVE_FAULT_HAS(&c->faults, SF_KEEPALIVE_DEFAULT_ON)) {
		c->tcp.keep_idle_us = 1000000;
		c->tcp.keep_intvl_us = 1000000;
	}
}

/*
 * ACK generation (RFC 9293 3.8.6.3 and 3.10.7.4, RFC 5681 4.2) and the
 * initial window (RFC 5681 3.1), bent in the
 * TCP itself: a fault that holds an ACK back needs its timer, which only
 * the TCB has.  The 0.3 s timers stay below MUST-40's 0.5 s, so that each
 * fault breaks its own rule only; none of these sends a window update when
 * the application reads, which would carry the ACK the fault holds back.
 */
void
serve_fault_ack_hooks(struct serve *sv, struct tcb *tp)
{
	static const struct {
		int		id;
		uint64_t	delack_us;
		int		ack_faults;
	} tab[] = {
		{ SF_LATE_ACK, 600000, TCP_AF_NO_WINUPD },
		{ SF_ACK_TIMER_ONLY, 300000, TCP_AF_NO_SECOND |
		    TCP_AF_NO_WINUPD },
		{ SF_NO_DUP_ACK, 300000, TCP_AF_OOO_DELAY | TCP_AF_NO_WINUPD },
		{ SF_HOLE_FILL_ACK_DELAYED, 300000, TCP_AF_FILL_DELAY |
		    TCP_AF_NO_WINUPD },
		{ SF_OOO_DROPPED, 0, TCP_AF_OOO_DROP },
		{ SF_REASS_ACK_PIECEWISE, 0, TCP_AF_PIECEWISE },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!FAULT_ON(sv, tab[i].id))
			continue;
		if (tab[i].delack_us != 0)
			tp->hooks.delack_us = tab[i].delack_us;
		tp->hooks.ack_faults |= tab[i].ack_faults;
	}
	/* RFC 5681 3.1: "IW [...] MUST be set using the following
	 * guidelines as an upper bound" (two to four segments). */
	if (FAULT_ON(sv, SF_IW_TOO_LARGE))
		tp->hooks.iw_segs = 20;
}

/* The ISS of the next SYN or SYN-ACK of tp (a listener or an active open). */
void
serve_fault_iss(struct serve *sv, struct tcb *tp)
{
	if (FAULT_ON(sv, SF_CONSTANT_ISN)) {
		tp->hooks.iss_set = 1;
		tp->hooks.iss = sv->cfg.isn_base;
	} else if (FAULT_ON(sv, SF_PREDICTABLE_ISN)) {
		tp->hooks.iss_set = 1;
		tp->hooks.iss = sv->isn_next++;
	} else if (FAULT_ON(sv, SF_RANDOM_ISN)) {
		/* xorshift32 over isn_next: unrelated ISNs, no clock. */
		uint32_t x = sv->isn_next != 0 ? sv->isn_next : 1;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		sv->isn_next = x;
		tp->hooks.iss_set = 1;
		tp->hooks.iss = x;
	}
}

/*
 * How the application's close() goes: 1 abort (RST), 0 close (FIN, or RST
 * from the TCP when data is left unread), 2 only the sending side shuts
 * (the connection is kept).
 */
int
serve_fault_close(struct serve_conn *c)
{
	struct serve *sv = c->sv;
	uint8_t buf[4096];

	if (FAULT_ON(sv, SF_RST_ON_CLEAN_CLOSE)) {
		note(sv, SF_RST_ON_CLEAN_CLOSE, "close() aborts");
		return 1;
	}
	/* RFC 1122 4.2.2.13: an RST only when data is lost; a FIN is none. */
	if (FAULT_ON(sv, SF_RST_ON_UNREAD_FIN) && c->tcb != NULL &&
	    (c->tcb->flags & TCPF_RCVD_FIN) && !c->eof_read) {
		note(sv, SF_RST_ON_UNREAD_FIN, "close() with the FIN unread "
		    "aborts");
		return 1;
	}
	if (FAULT_ON(sv, SF_DUPLICATE_COUNTED_UNREAD) && c->dup_seen) {
		note(sv, SF_DUPLICATE_COUNTED_UNREAD, "close() after a "
		    "duplicate aborts");
		return 1;
	}
	/*
	 * RFC 9293 3.10.4, CLOSE in SYN-SENT: "Delete the TCB"; the fault
	 * keeps it, to send a FIN once the handshake completes.
	 */
	if (FAULT_ON(sv, SF_CLOSE_IN_SYN_SENT_HELD) && c->tcb != NULL &&
	    c->tcb->state == TCPS_SYN_SENT) {
		note(sv, SF_CLOSE_IN_SYN_SENT_HELD, "close() in SYN-SENT "
		    "kept: FIN after the handshake");
		return 2;
	}
	/* SO_LINGER {1, 0}: close() is an abort (RFC 9293 3.10.5 ABORT). */
	if (c->linger_on && c->linger_sec == 0) {
		if (!FAULT_ON(sv, SF_LINGER_IGNORED))
			return 1;
		note(sv, SF_LINGER_IGNORED, "linger {1, 0} ignored");
	}
	if ((FAULT_ON(sv, SF_FIN_ON_UNREAD_CLOSE) ||
	    FAULT_ON(sv, SF_NO_RST_FOR_LOST_DATA)) && c->tcb != NULL &&
	    tcp_readable(c->tcb) > 0) {
		note(sv, FAULT_ON(sv, SF_FIN_ON_UNREAD_CLOSE) ?
		    SF_FIN_ON_UNREAD_CLOSE : SF_NO_RST_FOR_LOST_DATA, "%zu "
		    "unread bytes dropped before close()",
		    tcp_readable(c->tcb));
		while (tcp_recv(c->tcb, buf, sizeof(buf)) > 0)
			;
	}
	return 0;
}

/*
 * write(2) after shutdown(SHUT_WR).  RFC 9293 3.10.2, SEND in FIN-WAIT-1
 * and FIN-WAIT-2: "Return 'error: connection closing' and do not service
 * request".  The fault services it: up to 512 of the bytes go out at
 * SND.NXT, after the FIN, and the write reports them written.  Returns
 * that count, or -1 (the fault is off: EPIPE).
 */
ssize_t
serve_fault_write_shut(struct serve_conn *c, const void *buf, size_t len)
{
	struct serve *sv = c->sv;
	struct seg s;
	char *err = NULL;

	if (!FAULT_ON(sv, SF_WRITE_AFTER_SHUT_WR_SENT) || c->tcb == NULL ||
	    !(c->tcb->flags & TCPF_SHUT_WR) || len == 0)
		return -1;
	if (len > 512)
		len = 512;
	tcp_seg_template(c->tcb, &s);
	s.seq = c->tcb->snd_max;
	s.flags = SEG_ACK | SEG_PSH;
	s.data = buf;
	s.len = len;
	if (tcp_send_raw(c->tcb, &s, 0, &err) == -1) {
		free(err);
		return -1;
	}
	note(sv, SF_WRITE_AFTER_SHUT_WR_SENT, "write of %zu bytes after "
	    "SHUT_WR sent at seq %" PRIu32, len, s.seq);
	sv->stats.faulted_out++;
	return (ssize_t)len;
}

/*
 * shutdown(2) HOW as the application asked it; returns the HOW the
 * target's TCP acts on.  SHUT_RD alone sends nothing (RFC 9293 has no such
 * call: the connection stays ESTABLISHED); the fault makes it SHUT_RDWR.
 */
int
serve_fault_shutdown(struct serve *sv, int how)
{
	if (how == SHUT_RD && FAULT_ON(sv, SF_SHUT_RD_SENDS_FIN)) {
		note(sv, SF_SHUT_RD_SENDS_FIN, "SHUT_RD taken as SHUT_RDWR");
		return SHUT_RDWR;
	}
	return how;
}

/*
 * The application's socket options, as the faults bend them.  Nagle is on
 * for the application's connections (RFC 9293 SHLD-7) unless no-nagle;
 * TCP_NODELAY turns it off (MUST-17) unless nodelay-ignored.
 */
int
serve_fault_nagle(struct serve *sv, int nodelay)
{
	if (FAULT_ON(sv, SF_NO_NAGLE))
		return 0;
	if (nodelay && FAULT_ON(sv, SF_NODELAY_IGNORED)) {
		note(sv, SF_NODELAY_IGNORED, "TCP_NODELAY ignored");
		sv->stats.faulted_out++;
		return 1;
	}
	return !nodelay;
}

/*
 * The "at once" faults' copy leaves a few microseconds after the segment on
 * a quiet host, but a loaded one can preempt the sender between the two
 * (sendmmsg(2) yields between datagrams) for longer than two RTTs of a
 * veth pair (60 us): the copy would then not be early at all.  Behind a
 * 20 ms path the RTT the tester measures is 20 ms, and "at once" stays far
 * inside it.
 */
#define SF_AT_ONCE_PATH_US	20000

uint64_t
serve_out_delay(const struct serve *sv)
{
	return FAULT_ON(sv, SF_DATA_RETRANSMIT_AT_ONCE) ||
	    FAULT_ON(sv, SF_FIN_RETRANSMIT_AT_ONCE) ? SF_AT_ONCE_PATH_US : 0;
}

/* The keep-alive idle time to apply when the application asks for idle_us. */
uint64_t
serve_fault_keepalive(struct serve *sv, uint64_t idle_us)
{
	if (idle_us != 0 && FAULT_ON(sv, SF_KEEPALIVE_IGNORED)) {
		note(sv, SF_KEEPALIVE_IGNORED, "SO_KEEPALIVE ignored");
		sv->stats.faulted_out++;
		return 0;
	}
	if (idle_us != 0 && FAULT_ON(sv, SF_KEEPALIVE_EARLY)) {
		note(sv, SF_KEEPALIVE_EARLY, "idle time %" PRIu64 " us taken "
		    "as %" PRIu64, idle_us, idle_us / 4);
		sv->stats.faulted_out++;
		return idle_us / 4;
	}
	return idle_us;
}
