/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_opt.c: the peer's TCP options: what its SYN offers, what it learns
 * from the other SYN, what the two together switch on (MSS, RFC 9293 3.7.1
 * and RFC 6691; window scale and timestamps, RFC 7323; SACK, RFC 2018), and
 * the options of every later segment, PAWS included.
 *
 * Negotiation follows the segments, not the settings: an option is in use
 * when our SYN carried it (whatever built that SYN: the defaults or a case's
 * tcp_set_syn_opts() list) and the other SYN carried it too.
 */
#include <sys/socket.h>

#include "seq.h"
#include "tcp_var.h"

#define TCP_MAX_WINSHIFT	14	/* RFC 7323 2.3 */
#define TCP_MSS_DEFAULT4	536	/* RFC 9293 MUST-15: 576 - 40 */
#define TCP_MSS_DEFAULT6	1220	/* ... 1280 - 60 */

static uint16_t	 mss_local(const struct tcb *);
static void	 opt_syn_default(struct tcb *, struct seg *, int synack);
static void	 opt_syn_hooked(struct tcb *, struct seg *);
static uint32_t	 initial_window(uint32_t smss);

/*
 * The MSS this side can take: the MTU less the fixed IP and TCP headers,
 * "not reduced for options" (RFC 6691, now RFC 9293 3.7.1).
 */
static uint16_t
mss_local(const struct tcb *tp)
{
	uint32_t	mtu = tp->stack->cfg.mtu;
	uint32_t	hdr = tp->tuple.family == AF_INET6 ? 60 : 40;

	if (mtu <= hdr + 8)
		return TCP_MSS_DEFAULT4;
	if (mtu - hdr > 65535)
		return 65535;
	return (uint16_t)(mtu - hdr);
}

/*
 * Options of our SYN or SYN-ACK.  The defaults are laid out as Linux lays
 * them out (mss, sackOK, TS, nop, wscale), so that a target sees a familiar
 * SYN.  A SYN-ACK only answers what the SYN offered: "a TCP MUST NOT send
 * the SACK-permitted option in a SYN-ACK unless it was in the SYN" (RFC 2018
 * section 2), and the same for WS (RFC 7323 2.2) and TS (3.2).
 */
void
tcp_opt_syn(struct tcb *tp, struct seg *s)
{
	int	synack = (s->flags & SEG_ACK) != 0;

	if (tp->hooks.syn_opts_set)
		opt_syn_hooked(tp, s);
	else
		opt_syn_default(tp, s, synack);

	tp->flags &= ~(TF_SENT_WS | TF_SENT_TS | TF_SENT_SACK);
	if (s->has & SEG_HAS_WSCALE) {
		tp->flags |= TF_SENT_WS;
		tp->req_scale = s->wscale > TCP_MAX_WINSHIFT ?
		    TCP_MAX_WINSHIFT : s->wscale;
	}
	if (s->has & SEG_HAS_TS)
		tp->flags |= TF_SENT_TS;
	if (s->has & SEG_HAS_SACKOK)
		tp->flags |= TF_SENT_SACK;
	tp->mss_offered = (s->has & SEG_HAS_MSS) ? s->mss : 0;
	if (synack)
		tcp_opt_negotiate(tp);
}

static void
opt_syn_default(struct tcb *tp, struct seg *s, int synack)
{
	int		sack, ts, ws;
	uint32_t	ecr;

	sack = tp->hooks.sack && (!synack || (tp->flags & TF_RCVD_SACK));
	ts = tp->hooks.ts && (!synack || (tp->flags & TF_RCVD_TS));
	ws = tp->hooks.wscale >= 0 && (!synack || (tp->flags & TF_RCVD_WS));
	ecr = synack ? tp->ts_recent : 0;

	seg_add_mss(s, tp->hooks.mss != 0 ? tp->hooks.mss : mss_local(tp));
	if (sack && ts) {
		seg_add_sackok(s);
		seg_add_ts(s, tcp_ts_now(tp), ecr);
	} else if (ts) {
		seg_add_nop(s);
		seg_add_nop(s);
		seg_add_ts(s, tcp_ts_now(tp), ecr);
	} else if (sack) {
		seg_add_nop(s);
		seg_add_nop(s);
		seg_add_sackok(s);
	}
	if (ws) {
		seg_add_nop(s);
		seg_add_wscale(s, (uint8_t)tp->hooks.wscale);
	}
}

/* Exactly the case's list, in its order, malformed or not. */
static void
opt_syn_hooked(struct tcb *tp, struct seg *s)
{
	const struct seg_opt	*o;
	int			 i;

	for (i = 0; i < tp->hooks.syn_nopts; i++) {
		o = &tp->hooks.syn_opts[i];
		if (o->kind == TCPOPT_EOL)
			seg_add_eol(s);
		else if (o->kind == TCPOPT_NOP)
			seg_add_nop(s);
		else
			seg_add_opt(s, o->kind, o->data,
			    o->len >= 2 ? o->len - 2 : 0);
	}
}

/* Remember what the other side's SYN offered. */
void
tcp_opt_rcvd_syn(struct tcb *tp, const struct seg *s)
{
	tp->flags &= ~(TF_RCVD_WS | TF_RCVD_TS | TF_RCVD_SACK);
	tp->mss_peer = (s->has & SEG_HAS_MSS) ? s->mss : 0;
	if (s->has & SEG_HAS_WSCALE) {
		tp->flags |= TF_RCVD_WS;
		/* "If a Window Scale option is received with a shift.cnt
		 * value larger than 14, the TCP SHOULD log the error but MUST
		 * use 14 instead of the specified value" (RFC 7323 2.3). */
		tp->snd_scale = s->wscale > TCP_MAX_WINSHIFT ?
		    TCP_MAX_WINSHIFT : s->wscale;
	}
	if (s->has & SEG_HAS_TS) {
		tp->flags |= TF_RCVD_TS;
		tp->ts_recent = s->tsval;
		tp->ts_recent_at = tp->stack->now;
	}
	if (s->has & SEG_HAS_SACKOK)
		tp->flags |= TF_RCVD_SACK;
}

/* RFC 5681 3.1 (the RFC 3390 rule): IW by the size of SMSS. */
static uint32_t
initial_window(uint32_t smss)
{
	if (smss > 2190)
		return 2 * smss;
	if (smss > 1095)
		return 3 * smss;
	return 4 * smss;
}

/* Both SYNs are known: switch on what both carried, size the segments. */
void
tcp_opt_negotiate(struct tcb *tp)
{
	uint32_t	peer, local, smss;

	tp->flags &= ~(TCPF_WS | TCPF_TS | TCPF_SACK);
	if ((tp->flags & TF_SENT_WS) && (tp->flags & TF_RCVD_WS)) {
		tp->flags |= TCPF_WS;
		tp->rcv_scale = tp->req_scale;
	} else {
		/* "the window field in [...] segments is not scaled" unless
		 * both sides sent the option (RFC 7323 2.2). */
		tp->snd_scale = 0;
		tp->rcv_scale = 0;
	}
	if ((tp->flags & TF_SENT_TS) && (tp->flags & TF_RCVD_TS))
		tp->flags |= TCPF_TS;
	if ((tp->flags & TF_SENT_SACK) && (tp->flags & TF_RCVD_SACK))
		tp->flags |= TCPF_SACK;

	/* "If an MSS Option is not received at connection setup, TCP
	 * implementations MUST assume a default send MSS of 536 (576 - 40)
	 * for IPv4 or 1220 (1280 - 60) for IPv6 (MUST-15)." */
	peer = tp->mss_peer;
	if (peer == 0)
		peer = tp->tuple.family == AF_INET6 ? TCP_MSS_DEFAULT6 :
		    TCP_MSS_DEFAULT4;
	/* Ours: the MTU's, or the MSS a case chose to offer and use. */
	local = tp->hooks.mss != 0 && tp->hooks.mss < mss_local(tp) ?
	    tp->hooks.mss : mss_local(tp);
	tp->t_maxseg = (uint16_t)(peer < local ? peer : local);
	if (tp->t_maxseg == 0)
		tp->t_maxseg = 1;
	/* SMSS: "the size does not include the TCP/IP headers and options"
	 * (RFC 5681 2). */
	smss = tp->t_maxseg > tcp_opt_len_data(tp) + 1 ?
	    tp->t_maxseg - (uint32_t)tcp_opt_len_data(tp) : 1;
	tp->cwnd = tp->hooks.iw_segs > 0 ? (uint32_t)tp->hooks.iw_segs * smss :
	    initial_window(smss);
}

/* Our TSval clock: milliseconds plus a per-connection offset. */
uint32_t
tcp_ts_now(const struct tcb *tp)
{
	return (uint32_t)(tp->stack->now / (1000000 / TCP_TS_HZ)) +
	    tp->ts_offset;
}

/*
 * Options of every segment after the SYN.  "Once TSopt has been
 * successfully negotiated [...] the TSopt MUST be sent in every non-<RST>
 * segment" (RFC 7323 3.2).  SACK blocks go with every ACK while data waits
 * out of order (RFC 2018 section 4), as many as fit: 3 beside timestamps,
 * otherwise 4.
 */
void
tcp_opt_data(struct tcb *tp, struct seg *s)
{
	struct seg_sack	 b[SEG_SACK_MAX];
	size_t	room;
	int	n, nb = 0, i;

	if (tp->flags & TCPF_TS) {
		seg_add_nop(s);
		seg_add_nop(s);
		seg_add_ts(s, tcp_ts_now(tp), tp->ts_recent);
	}
	if (!(tp->flags & TCPF_SACK))
		return;
	/* RFC 2883 4: "the first SACK block [...] MUST specify the contiguous
	 * block of data containing the duplicate segment", then the usual
	 * blocks; reported once (tcp_emit() forgets it). */
	if (tp->dsack_set)
		b[nb++] = tp->dsack;
	for (i = 0; i < tp->nsackblk && nb < SEG_SACK_MAX; i++)
		b[nb++] = tp->sackblk[i];
	if (nb == 0)
		return;
	room = SEG_OPT_MAX - seg_optbytes(s);
	if (room < 12)
		return;
	n = (int)((room - 4) / 8);
	if (n > nb)
		n = nb;
	seg_add_nop(s);
	seg_add_nop(s);
	seg_add_sack(s, b, n);
}

/* Option bytes tcp_opt_data() adds now, which a full segment's payload
 * gives up (RFC 6691). */
size_t
tcp_opt_len_data(const struct tcb *tp)
{
	size_t	len = 0;
	int	n;

	if (tp->flags & TCPF_TS)
		len += 12;
	if ((tp->flags & TCPF_SACK) && tp->nsackblk + tp->dsack_set > 0) {
		n = tp->nsackblk + tp->dsack_set;
		if (n > (int)((SEG_OPT_MAX - len - 4) / 8))
			n = (int)((SEG_OPT_MAX - len - 4) / 8);
		len += 4 + 8 * (size_t)n;
	}
	return len;
}

/*
 * PAWS (RFC 7323 5.3 R1): "If there is a Timestamps option in the arriving
 * segment, SEG.TSval < TS.Recent, TS.Recent is valid [...], and if the RST
 * bit is not set, then treat the arriving segment as not acceptable".
 * TS.Recent idle for more than 24 days is no longer valid (5.5).
 */
int
tcp_paws_reject(struct tcb *tp, const struct seg *s)
{
	if (!(tp->flags & TCPF_TS) || !(s->has & SEG_HAS_TS) ||
	    (s->flags & SEG_RST))
		return 0;
	if (tp->stack->now - tp->ts_recent_at > TCP_PAWS_IDLE_US)
		return 0;
	return seq_lt(s->tsval, tp->ts_recent);
}

/*
 * RFC 7323 4.3 (2): "If SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent
 * then SEG.TSval is copied to TS.Recent; otherwise, it is ignored."
 */
void
tcp_ts_update(struct tcb *tp, const struct tcp_in *in)
{
	const struct seg	*s = in->s;

	if (!(tp->flags & TCPF_TS) || !(s->has & SEG_HAS_TS))
		return;
	if (seq_ge(s->tsval, tp->ts_recent) &&
	    seq_le(s->seq, tp->last_ack_sent)) {
		tp->ts_recent = s->tsval;
		tp->ts_recent_at = tp->stack->now;
	}
}
