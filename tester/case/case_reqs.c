/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_reqs.c: the requirement IDs a case may name in its "checks" line,
 * with section, keyword and a one-line paraphrase of each.
 *
 * Three forms of ID (tcpconform-case(5), REQUIREMENT IDS):
 *   MUST-n, SHLD-n, MAY-n, REC-1   the labels of RFC 9293 (Appendix B lists
 *                                  MUST-1..69, SHLD-1..31, MAY-1..18, REC-1);
 *   RFCnnnn-S                      section S of RFC nnnn, also for RFC 9293
 *                                  text that carries no label (RFC9293-3.10.7.4);
 *   RFCnnnn                        a whole RFC, when the rule is the RFC itself.
 *
 * The paraphrases are ours; the RFC text is normative.  The level is what a
 * failure breaks (fail for MUST, warn for SHOULD, info for MAY): RFC 9293
 * procedure text without a keyword counts as MUST, since a stack that does
 * otherwise does not interoperate; RECOMMENDED counts as SHOULD.  Sections
 * marked "(recall)" in shared/research were not checked against the RFC
 * text; they are kept to the ones the research notes could place.
 */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_lex.h"

#define MUST(n, sec, text) \
	{ "MUST-" #n, "RFC 9293", sec, "MUST", CASE_SEV_MUST, text }
#define SHLD(n, sec, text) \
	{ "SHLD-" #n, "RFC 9293", sec, "SHOULD", CASE_SEV_SHOULD, text }
#define MAY(n, sec, text) \
	{ "MAY-" #n, "RFC 9293", sec, "MAY", CASE_SEV_MAY, text }
#define SEC(rfc, sec, kw, lvl, text) \
	{ "RFC" #rfc "-" sec, "RFC " #rfc, sec, kw, lvl, text }
#define WHOLE(rfc, kw, lvl, text) \
	{ "RFC" #rfc, "RFC " #rfc, "", kw, lvl, text }

#define M	CASE_SEV_MUST
#define S	CASE_SEV_SHOULD
#define Y	CASE_SEV_MAY

static const struct case_req reqs[] = {
	MUST(1, "3.1", "Treat the Window field as an unsigned 16-bit number."),
	MUST(2, "3.1", "Put a correct checksum on every segment sent."),
	MUST(3, "3.1", "Verify the checksum of every segment received; drop "
	    "the ones that fail."),
	MUST(4, "3.1", "Implement the EOL, NOP and MSS options."),
	MUST(5, "3.1", "Accept options on any segment, not just on SYNs."),
	MUST(6, "3.1", "Pass over unimplemented options that have a length "
	    "byte."),
	MUST(7, "3.1", "Cope with illegal option lengths, e.g. by resetting "
	    "and logging."),
	MUST(8, "3.4.1", "Let a clock of about 4 microseconds per tick drive "
	    "part of the ISN."),
	MUST(9, "3.4.1", "Keep the keyed hash part of the ISN unguessable from "
	    "outside."),
	MUST(10, "3.5", "Support simultaneous open, both ends sending SYN."),
	MUST(11, "3.5", "Remember whether SYN-RECEIVED came from a passive or "
	    "an active open."),
	MUST(12, "3.6", "Let the application tell a graceful close from an "
	    "abort."),
	MUST(13, "3.6.1", "Stay in TIME-WAIT for 2 MSL after closing first."),
	MUST(14, "3.7.1", "Send and honour the MSS option."),
	MUST(15, "3.7.1", "Without an MSS option, assume 536 (IPv4) or 1220 "
	    "(IPv6) octets."),
	MUST(16, "3.7.1", "Size segments by the smaller of the peer's MSS and "
	    "the path limit, less option bytes."),
	MUST(17, "3.7.4", "Let the application switch Nagle off per "
	    "connection."),
	MUST(18, "3.8.1", "Compute the RTO as RFC 6298 says, with Karn's "
	    "rule."),
	MUST(19, "3.8.2", "Do slow start and congestion avoidance; back the RTO "
	    "off exponentially."),
	MUST(20, "3.8.3", "Apply the R1 and R2 thresholds to repeated "
	    "retransmission."),
	MUST(21, "3.8.3", "Let the application set R2 for a connection."),
	MUST(22, "3.8.3", "Retransmit SYNs under the same R1/R2 rules (label "
	    "only in Appendix B)."),
	MUST(23, "3.8.3", "Keep retransmitting a SYN for at least 3 minutes."),
	MUST(24, "3.8.4", "If keep-alives exist, the application turns them on "
	    "or off per connection."),
	MUST(25, "3.8.4", "Keep-alives are off by default."),
	MUST(26, "3.8.4", "Probe only after an idle interval with nothing "
	    "outstanding."),
	MUST(27, "3.8.4", "Make the keep-alive interval configurable."),
	MUST(28, "3.8.4", "Default the keep-alive interval to two hours or "
	    "more."),
	MUST(29, "3.8.4", "Do not give up on a connection after one unanswered "
	    "probe."),
	MUST(30, "3.8.5", "Implement urgent data."),
	MUST(31, "3.8.5", "Support urgent data of any length."),
	MUST(32, "3.8.5", "Tell the application asynchronously about new "
	    "urgent data."),
	MUST(33, "3.8.5", "Let the application ask whether, and how much, "
	    "urgent data is left."),
	MUST(34, "3.8.6", "Survive a peer that shrinks its window, even below "
	    "what is in flight."),
	MUST(35, "3.8.6", "Probe a zero window the standard way."),
	MUST(36, "3.8.6.1", "Support zero-window probing."),
	MUST(37, "3.8.6.1", "Keep a zero-window connection open while the peer "
	    "answers probes."),
	MUST(38, "3.8.6.2.1", "Avoid silly window syndrome when sending."),
	MUST(39, "3.8.6.2.2", "Avoid silly window syndrome when receiving."),
	MUST(40, "3.8.6.3", "Never delay an ACK by half a second or more."),
	MUST(41, "3.9.1.1", "A passive OPEN makes a new LISTEN record or fails; "
	    "other connections are untouched."),
	MUST(42, "3.9.1.1", "Allow LISTEN on a port in use by a connection "
	    "still opening."),
	MUST(43, "3.9.1.1", "Accept an optional local address on OPEN."),
	MUST(44, "3.9.1.1", "Get a local address from IP before the first SYN "
	    "if none was given."),
	MUST(45, "3.9.1.1", "Keep one local address for the life of a "
	    "connection."),
	MUST(46, "3.9.1.1", "Refuse an OPEN to a broadcast or multicast "
	    "address."),
	MUST(47, "3.9.1.8", "Offer a way to report soft errors."),
	MUST(48, "3.9.1.9", "Let the application choose the DS field."),
	MUST(49, "3.9.2", "Make the TTL or hop limit configurable."),
	MUST(50, "3.9.2", "Ignore IP options that TCP does not know."),
	MUST(51, "3.9.2.1", "Let an active open give a source route."),
	MUST(52, "3.9.2.1", "Prefer the application's source route to a "
	    "learned one."),
	MUST(53, "3.9.2.1", "Keep and use the reverse route of a completed "
	    "source-routed SYN."),
	MUST(54, "3.9.2.2", "Act on ICMP errors for the connection they "
	    "quote."),
	MUST(55, "3.9.2.2", "Ignore ICMP Source Quench."),
	MUST(56, "3.9.2.2", "Never abort on soft ICMP errors."),
	MUST(57, "3.9.2.3", "Drop SYNs sent to broadcast or multicast "
	    "addresses."),
	MUST(58, "3.10.7.4", "Send one ACK for several segments processed "
	    "together."),
	MUST(59, "3.10.7.4", "Process every queued segment before sending an "
	    "ACK."),
	MUST(60, "3.9.1.2", "Without a PUSH flag in the API, never hold data "
	    "back forever."),
	MUST(61, "3.9.1.2", "Without a PUSH flag in the API, set PSH on the "
	    "segment that empties the buffer."),
	MUST(62, "3.8.5", "The urgent pointer is one past the last urgent "
	    "octet."),
	MUST(63, "3.9.2.3", "Ignore SYNs from invalid source addresses."),
	MUST(64, "3.2", "Parse options that are not word-aligned."),
	MUST(65, "3.2", "Send the MSS option in SYN segments only."),
	MUST(66, "3.4", "Process RST and URG even when the receive window is "
	    "zero."),
	MUST(67, "3.7.1", "Advertise an MSS of at most MMS_R - 20."),
	MUST(68, "3.1", "Give every option but EOL and NOP a length byte."),
	MUST(69, "3.1", "Zero the header bytes after an EOL option."),

	SHLD(1, "3.4.1", "Make the ISN a clock plus a keyed hash of the "
	    "4-tuple (RFC 6528)."),
	SHLD(2, "3.5.3", "Accept an RST that carries data."),
	SHLD(3, "3.6.1", "Send RST on a close with unread data, or on data "
	    "that arrives after the close."),
	SHLD(4, "3.6.1", "Use timestamps to cut TIME-WAIT short (RFC 6191)."),
	SHLD(5, "3.7.1", "Send an MSS option in every SYN when the receive MSS "
	    "is not the default."),
	SHLD(6, "3.7.3", "On interfaces with a varying MTU, advertise from the "
	    "smallest one."),
	SHLD(7, "3.7.4", "Implement Nagle's algorithm."),
	SHLD(8, "3.8.2", "Implement ECN (RFC 3168)."),
	SHLD(9, "3.8.3", "Tell the application about delivery trouble between "
	    "R1 and R2."),
	SHLD(10, "3.8.3", "Set R1 to at least 3 retransmissions."),
	SHLD(11, "3.8.3", "Set R2 to at least 100 seconds."),
	SHLD(12, "3.8.4", "Send keep-alive probes without data."),
	SHLD(13, "3.8.5", "New applications avoid urgent data (also in "
	    "3.9.1.2)."),
	SHLD(14, "3.8.6", "Never move the right window edge back."),
	SHLD(15, "3.8.6", "Send no new data beyond a shrunk window."),
	SHLD(16, "3.8.6", "Keep retransmitting what still fits a shrunk "
	    "window."),
	SHLD(17, "3.8.6", "Do not time out over data beyond a shrunk window."),
	SHLD(18, "3.8.6.3", "Implement delayed ACKs."),
	SHLD(19, "3.8.6.3", "ACK at least every second full-sized segment."),
	SHLD(20, "3.9.1.8", "Let applications turn error callbacks off."),
	SHLD(21, "3.9.1.9", "Let the application change the DS field during "
	    "the connection."),
	SHLD(22, "3.9.1.9", "Hand the application's DS value to IP "
	    "unchanged."),
	SHLD(23, "3.9.2", "Applications avoid changing the DS field during a "
	    "connection."),
	SHLD(24, "3.9.2.1", "A later source route replaces an earlier one."),
	SHLD(25, "3.9.2.2", "Report soft ICMP errors to the application."),
	SHLD(26, "3.9.2.2", "Abort on hard ICMP errors."),
	SHLD(27, "3.9.1.2", "Coalesce pushed data into the largest segments "
	    "possible."),
	SHLD(28, "3.9.1.2", "Send full-sized segments when possible."),
	SHLD(29, "3.8.6.1", "Send the first zero-window probe after one RTO."),
	SHLD(30, "3.8.6.1", "Space zero-window probes exponentially."),
	SHLD(31, "3.10.7.4", "Keep segments beyond RCV.NXT for later instead "
	    "of dropping them."),

	MAY(1, "3.6.1", "Offer a half-duplex close after which the application "
	    "cannot read."),
	MAY(2, "3.6.1", "Accept a SYN in TIME-WAIT when its ISN lies beyond the "
	    "old sequence space."),
	MAY(3, "3.7.1", "Send the MSS option in every SYN."),
	MAY(4, "3.8.1", "Reuse the IPv4 Identification of an identical "
	    "retransmission."),
	MAY(5, "3.8.4", "Implement keep-alives."),
	MAY(6, "3.8.4", "Optionally put one garbage octet in keep-alive "
	    "probes."),
	MAY(7, "3.8.6", "Retransmit old data beyond SND.UNA + SND.WND."),
	MAY(8, "3.8.6.1", "Hold the offered window at zero indefinitely."),
	MAY(9, "3.9.1.9", "Pass the received DS field to the application."),
	MAY(10, "3.9.2", "Support the IP Timestamp option."),
	MAY(11, "3.9.2", "Support the IP Record Route option."),
	MAY(12, "3.10.7.4", "Check ACK acceptability as RFC 5961 section 5 "
	    "does."),
	MAY(13, "3.10.7.4", "ACK at once an in-window segment that is not at "
	    "the left edge."),
	MAY(14, "3.9.1.7", "Offer a FLUSH call."),
	MAY(15, "3.9.1.2", "Let SEND take a PUSH flag."),
	MAY(16, "3.9.1.2", "Hold back and coalesce data that was not pushed."),
	MAY(17, "3.9.1.3", "Pass a received PSH to the application."),
	MAY(18, "3.8.2", "Use another standards-track congestion control."),
	{ "REC-1", "RFC 9293", "3.1", "RECOMMENDED", CASE_SEV_SHOULD,
	    "Keep window variables and their arithmetic 32 bits wide." },

	/* RFC 9293 text that carries no label. */
	SEC(9293, "3.1", "procedure", M, "Header format: fields, flags and "
	    "options."),
	SEC(9293, "3.3.2", "procedure", M, "The connection states and the "
	    "events that move between them."),
	SEC(9293, "3.4", "procedure", M, "Sequence arithmetic and the "
	    "acceptability test; an unacceptable segment draws an ACK."),
	SEC(9293, "3.4.1", "procedure", M, "How initial sequence numbers are "
	    "chosen."),
	SEC(9293, "3.4.2", "procedure", M, "MSL is two minutes; the quiet time "
	    "after a crash."),
	SEC(9293, "3.5", "procedure", M, "SYN and FIN take one sequence number "
	    "each; the SYN-ACK acknowledges ISN + 1."),
	SEC(9293, "3.5.1", "procedure", M, "Half-open connections and old "
	    "duplicate SYNs are cleared with RST."),
	SEC(9293, "3.5.2", "procedure", M, "When to send RST: to a closed port "
	    "and on a bad ACK before synchronization; else an empty ACK."),
	SEC(9293, "3.5.3", "procedure", M, "An RST counts when its sequence "
	    "number is in the window (in SYN-SENT: when it ACKs the SYN)."),
	SEC(9293, "3.6", "procedure", M, "Closing: a FIN is ACKed and takes "
	    "one sequence number; local, remote and simultaneous close."),
	SEC(9293, "3.6.1", "procedure", M, "After a half-close, data still "
	    "flows the other way."),
	SEC(9293, "3.8.6", "procedure", M, "Send no data beyond the right "
	    "edge of the window offered (a zero-window probe is one octet)."),
	SEC(9293, "3.8.6.1", "procedure", M, "A receiver with a zero window "
	    "still ACKs each arriving segment, with window 0."),
	SEC(9293, "3.10.7.1", "procedure", M, "A segment to a closed "
	    "connection draws RST, except an RST."),
	SEC(9293, "3.10.7.2", "procedure", M, "In LISTEN: ignore RST, answer an "
	    "ACK with RST, answer a SYN with SYN-ACK."),
	SEC(9293, "3.10.7.3", "procedure", M, "In SYN-SENT: a bad ACK draws "
	    "RST; an RST counts only if it ACKs the SYN (RCV.NXT with RFC "
	    "5961)."),
	SEC(9293, "3.10.7.4", "MUST (unlabelled)", M, "In synchronized states: "
	    "sequence check, RST and SYN checks with challenge ACKs, ACK "
	    "check, FIN."),
	SEC(9293, "3.10.8", "procedure", M, "The user, retransmission and "
	    "TIME-WAIT timeouts."),

	/* Companions, updates and history, by RFC number. */
	SEC(793, "3.3", "historical", M, "MSL is two minutes (now RFC 9293 "
	    "3.4.2)."),
	SEC(793, "3.5", "historical", M, "The side that closes first waits "
	    "2 MSL in TIME-WAIT (now MUST-13)."),
	SEC(793, "3.9", "historical", M, "Event processing; a FIN in TIME-WAIT "
	    "restarts the 2 MSL timer (now RFC 9293 3.10)."),
	SEC(1122, "4.2.2.6", "MUST", M, "The MSS option: send it, honour it, "
	    "536 octets without it."),
	SEC(1122, "4.2.2.13", "SHOULD", S, "Closing: RST on close with unread "
	    "data or on data after close; TIME-WAIT and leaving it."),
	SEC(1122, "4.2.2.17", "MUST", M, "Probe zero windows; keep the "
	    "connection while probes are answered."),
	SEC(1122, "4.2.2.20", "MUST", M, "Corrections to RFC 793 event "
	    "processing."),
	SEC(1122, "4.2.3.2", "SHOULD", S, "When to ACK: delay less than 0.5 s, "
	    "at least every second full segment."),
	SEC(1122, "4.2.3.6", "MUST", M, "Keep-alives: optional, off by "
	    "default, at least two hours apart."),
	WHOLE(1337, "informational", S, "TIME-WAIT assassination: an RST must "
	    "not end TIME-WAIT early."),
	SEC(2018, "2", "MUST", M, "SACK-permitted goes in SYNs only; SACK needs "
	    "it from both sides."),
	SEC(2018, "3", "MUST", M, "The SACK option's format."),
	SEC(2018, "4", "SHOULD", S, "The receiver reports out-of-order data, "
	    "the newest block first."),
	SEC(2018, "5", "SHOULD", S, "The sender retransmits using what SACK "
	    "reported."),
	SEC(2018, "8", "MUST", M, "Reneging: SACKed data is only done once "
	    "cumulatively ACKed."),
	SEC(2525, "2.16", "known problem", S, "No RST after a half-duplex "
	    "close."),
	SEC(2525, "2.17", "known problem", S, "FIN instead of RST on close with "
	    "data pending."),
	SEC(2525, "2.18", "known problem", S, "Options left out of the MSS "
	    "calculation."),
	SEC(3168, "6.1.1", "SHOULD", S, "ECN negotiation in the handshake."),
	SEC(5681, "3.1", "MUST", M, "Slow start, congestion avoidance and the "
	    "initial window."),
	SEC(5681, "3.2", "SHOULD", S, "Fast retransmit after three duplicate "
	    "ACKs, then fast recovery."),
	SEC(5681, "4.1", "SHOULD", S, "Restart from the restart window after "
	    "an idle period."),
	SEC(5681, "4.2", "SHOULD", S, "ACK generation: delayed ACKs, immediate "
	    "duplicate ACKs for out-of-order data."),
	WHOLE(5927, "informational", S, "Hardening against ICMP attacks on "
	    "TCP."),
	SEC(5927, "4.1", "SHOULD", S, "An ICMP error counts only when the "
	    "sequence number it quotes is in flight: SND.UNA =< SEG.SEQ < "
	    "SND.NXT."),
	SEC(5961, "3.2", "MUST", M, "RST outside the window: drop; at RCV.NXT: "
	    "reset; elsewhere in the window: challenge ACK."),
	SEC(5961, "4.2", "MUST", M, "A SYN in a synchronized state draws a "
	    "challenge ACK, never a reset."),
	SEC(5961, "5.2", "MUST", M, "An ACK outside [SND.UNA - MAX.SND.WND, "
	    "SND.NXT] is dropped and answered with an ACK."),
	SEC(5961, "7", "SHOULD", S, "Rate-limit challenge ACKs."),
	WHOLE(6093, "MUST", M, "The urgent pointer points one past the urgent "
	    "data."),
	WHOLE(6191, "SHOULD", S, "Accept a new SYN in TIME-WAIT when its "
	    "timestamp is newer than the old connection's."),
	SEC(6298, "2", "MUST", M, "The RTO: initial value, SRTT and RTTVAR, the "
	    "one-second floor."),
	SEC(6298, "3", "MUST", M, "Karn's rule: no RTT samples from "
	    "retransmitted segments."),
	SEC(6298, "5", "MUST", M, "The retransmission timer: back off on "
	    "expiry; 3 s after a lost SYN."),
	SEC(6298, "5.5", "MUST", M, "On expiry the RTO doubles (back-off), "
	    "up to a maximum of at least 60 s."),
	SEC(6298, "5.7", "MUST", M, "After a lost SYN (or SYN-ACK), the RTO "
	    "for data is at least 3 s."),
	SEC(6528, "3", "historical", S, "ISN = timer + keyed hash of the "
	    "4-tuple (now SHLD-1)."),
	SEC(6691, "2", "MUST", M, "The advertised MSS ignores options; the "
	    "sender subtracts them per segment."),
	SEC(7323, "2.2", "MUST", M, "The Window Scale option is sent only in "
	    "a SYN."),
	SEC(7323, "2.3", "MUST", M, "Scaling only when both SYNs offered it; "
	    "SYN windows unscaled; shifts above 14 count as 14."),
	SEC(7323, "2.4", "SHOULD", S, "Window retraction with scaled "
	    "windows."),
	SEC(7323, "3.2", "MUST", M, "Timestamps: offered in the SYN, then on "
	    "every non-RST segment once agreed."),
	SEC(7323, "4.3", "MUST", M, "Which timestamp to echo."),
	SEC(7323, "5.3", "MUST", M, "PAWS: a segment older than TS.Recent is "
	    "ACKed and dropped."),
	SEC(7323, "5.4", "SHOULD", S, "The timestamp clock ticks between once "
	    "a millisecond and once a second."),
	SEC(7323, "5.5", "SHOULD", S, "TS.Recent expires after a long idle "
	    "period."),
	WHOLE(7413, "MAY", Y, "TCP Fast Open: data in the SYN, against a "
	    "cookie."),
	SEC(8201, "4", "MUST", M, "On a Packet Too Big, reduce the size of "
	    "the packets sent on the path to the MTU it carries (not below "
	    "1280)."),
};

#define NREQS	(sizeof(reqs) / sizeof(reqs[0]))

/*
 * The claims a case may name.  RFC 9293 3.10.7.4 describes each RFC 5961
 * mitigation as optional ("For stacks implementing the protection
 * described in RFC 5961, the three checks below apply"; "RFC 5961 recommends
 * that ..."; "mitigation that implementations MAY choose to include
 * (MAY-12)").
 */
static const struct case_claim claims[] = {
	{ "rfc5961-rst", "the RFC 5961 3.2 RST mitigation (an in-window RST "
	    "not at RCV.NXT draws a challenge ACK)" },
	{ "rfc5961-syn", "the RFC 5961 4.2 SYN mitigation (a SYN on a "
	    "synchronized connection draws a challenge ACK)" },
	{ "rfc5961-ack", "the RFC 5961 5.2 data-injection mitigation (an ACK "
	    "below SND.UNA - MAX.SND.WND is dropped with an ACK)" },
	{ "linger-abort", "the sockets convention that close() with SO_LINGER "
	    "{1, 0} aborts (RST), which RFC 9293 does not define" },
};
#define NCLAIMS	(sizeof(claims) / sizeof(claims[0]))

const struct case_claim *
case_claim_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCLAIMS; i++)
		if (strcmp(claims[i].name, name) == 0)
			return &claims[i];
	return NULL;
}

const struct case_claim *
case_claim_all(size_t *n)
{
	*n = NCLAIMS;
	return claims;
}

const struct case_req *
case_req_find(const char *id)
{
	size_t i;

	for (i = 0; i < NREQS; i++)
		if (strcmp(reqs[i].id, id) == 0)
			return &reqs[i];
	return NULL;
}

const struct case_req *
case_req_all(size_t *n)
{
	*n = NREQS;
	return reqs;
}

/* The known ID closest to id (at most 2 edits), or NULL. */
const char *
case_req_suggest(const char *id)
{
	const char *best = NULL;
	size_t i, n = strlen(id);
	int d, bestd = 3;

	for (i = 0; i < NREQS; i++) {
		d = case_distance(id, n, reqs[i].id);
		if (d < bestd && d < (int)n) {
			bestd = d;
			best = reqs[i].id;
		}
	}
	return best;
}
