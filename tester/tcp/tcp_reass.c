/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_reass.c: the receiving side's data path: in-order delivery into the
 * receive buffer, the queue of segments that arrived out of order
 * ("Segments with higher beginning sequence numbers SHOULD be held for later
 * processing (SHLD-31)", RFC 9293 3.10.7.4), and the SACK blocks that
 * describe that queue to the sender (RFC 2018 section 4).
 *
 * The queue is a sorted list of disjoint pieces.  Where a new segment
 * overlaps what is queued, the queued bytes are kept and only the new ones
 * stored.  It holds only what the window allowed in, so its size is bounded
 * by the receive buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "seq.h"
#include "tcp_var.h"

struct tcp_rseg {
	struct tcp_rseg	*next;
	uint32_t	 seq;
	uint32_t	 len;
	int		 fin;		/* a FIN follows the last byte */
	uint8_t		 data[];
};

static void	 rseg_store(struct tcb *, struct tcp_rseg **, uint32_t,
		    const uint8_t *, uint32_t, int);
static void	 reass_fin(struct tcb *, uint32_t);
static void	 run_of(const struct tcb *, uint32_t, uint32_t *, uint32_t *);

/*
 * Queue [seq, seq+len) (+ FIN), seq >= RCV.NXT.  Walks the list once: the
 * parts of the new segment that fall in gaps are stored, the rest dropped.
 */
void
tcp_reass_insert(struct tcb *tp, uint32_t seq, const uint8_t *data,
    uint32_t len, int fin)
{
	struct tcp_rseg	**pp = &tp->reass, *q;
	uint32_t	  end = seq + len, cut, o_seq = seq;

	while ((q = *pp) != NULL && seq_lt(seq, end)) {
		if (seq_le(q->seq + q->len, seq)) {	/* q wholly before */
			pp = &q->next;
			continue;
		}
		if (seq_lt(seq, q->seq)) {		/* a gap before q */
			cut = seq_lt(end, q->seq) ? end - seq : q->seq - seq;
			rseg_store(tp, pp, seq, data, cut, 0);
			pp = &(*pp)->next;
			data += cut;
			seq += cut;
			continue;
		}
		cut = seq_lt(q->seq + q->len, end) ? q->seq + q->len - seq :
		    end - seq;				/* overlap: keep q's */
		data += cut;
		seq += cut;
		pp = &q->next;
	}
	if (seq_lt(seq, end))		/* what remains follows every piece */
		rseg_store(tp, pp, seq, data, end - seq, fin);
	else if (fin)
		reass_fin(tp, end);
	if (len > 0)
		tcp_sack_rcv_update(tp, o_seq, o_seq + len);
}

/* A FIN at end whose bytes are all queued already. */
static void
reass_fin(struct tcb *tp, uint32_t end)
{
	struct tcp_rseg	**pp, *q;

	for (q = tp->reass; q != NULL; q = q->next) {
		if (q->seq + q->len == end) {
			q->fin = 1;
			return;
		}
	}
	for (pp = &tp->reass; *pp != NULL && seq_lt((*pp)->seq, end);
	    pp = &(*pp)->next)
		;
	rseg_store(tp, pp, end, NULL, 0, 1);
}

static void
rseg_store(struct tcb *tp, struct tcp_rseg **pp, uint32_t seq,
    const uint8_t *data, uint32_t len, int fin)
{
	struct tcp_rseg	*n;

	if ((n = malloc(sizeof(*n) + len)) == NULL)
		return;		/* as if lost: the peer sends it again */
	n->seq = seq;
	n->len = len;
	n->fin = fin;
	if (len > 0)
		memcpy(n->data, data, len);
	n->next = *pp;
	*pp = n;
	tp->reass_bytes += len;
}

/*
 * Deliver what the queue holds from RCV.NXT on.  Returns 1 if anything (data
 * or FIN) was delivered; the TCB may have been deleted (TF_DEAD) when data
 * reached an application that had closed.
 */
int
tcp_reass_pull(struct tcb *tp)
{
	struct tcp_rseg	*q;
	uint32_t	 skip;
	int		 done = 0, fin;

	while ((q = tp->reass) != NULL && seq_le(q->seq, tp->rcv_nxt)) {
		tp->reass = q->next;
		tp->reass_bytes -= q->len;
		skip = tp->rcv_nxt - q->seq;
		fin = q->fin && skip <= q->len;
		if (skip < q->len)
			tcp_deliver(tp, q->data + skip, q->len - skip);
		free(q);
		done = 1;
		if (tp->flags & TF_DEAD)
			return 1;
		if (fin) {
			tcp_fin_in(tp);
			tcp_reass_free(tp);
			break;
		}
	}
	tcp_sack_rcv_trim(tp);
	return done;
}

void
tcp_reass_free(struct tcb *tp)
{
	struct tcp_rseg	*q;

	while ((q = tp->reass) != NULL) {
		tp->reass = q->next;
		free(q);
	}
	tp->reass_bytes = 0;
	tp->nsackblk = 0;
}

/*
 * In-order data reaches the application's buffer.  After tcp_close() "if
 * data is received after CLOSE is called [...] its TCP SHOULD send a RST to
 * show that data was lost" (RFC 1122 4.2.2.13, RFC 9293 SHLD-3).
 */
void
tcp_deliver(struct tcb *tp, const uint8_t *data, uint32_t len)
{
	if (len == 0)
		return;
	if ((tp->flags & TCPF_APPCLOSED) && tp->stack->cfg.rst_unread) {
		tcp_send_ctl(tp, tp->snd_max, 0, SEG_RST, "data after close");
		tp->stack->in_what = "data after close: RST sent";
		tcp_delete(tp, TCP_R_ABORTED);
		return;
	}
	if (!(tp->flags & TCPF_APPCLOSED) &&
	    tcp_buf_append(&tp->rcv, data, len) == -1)
		return;		/* not acknowledged: sent again later */
	tp->rcv_nxt += len;
	tp->stats.bytes_in += len;
	tp->flags |= TF_RECV_PEND;
}

/* The maximal run of queued pieces that contains seq. */
static void
run_of(const struct tcb *tp, uint32_t seq, uint32_t *l, uint32_t *r)
{
	const struct tcp_rseg	*q;
	int			 in = 0;

	for (q = tp->reass; q != NULL; q = q->next) {
		if (!in || q->seq != *r) {
			if (in && seq_lt(seq, *r))
				return;
			*l = q->seq;
			in = 1;
		}
		*r = q->seq + q->len;
	}
}

/*
 * RFC 2018 section 4: "The first SACK block (i.e., the one immediately
 * following the kind and length fields in the option) MUST specify the
 * contiguous block of data containing the segment which triggered this
 * ACK", and the others repeat the most recently reported blocks.
 */
void
tcp_sack_rcv_update(struct tcb *tp, uint32_t seq, uint32_t end)
{
	struct seg_sack	 out[SEG_SACK_MAX];
	uint32_t	 l = seq, r = end;
	int		 i, n = 0;

	if (!(tp->flags & TCPF_SACK))
		return;
	run_of(tp, seq, &l, &r);
	out[n].left = l;
	out[n++].right = r;
	for (i = 0; i < tp->nsackblk && n < SEG_SACK_MAX; i++) {
		/* Blocks now inside the new run are not repeated. */
		if (seq_ge(tp->sackblk[i].left, l) &&
		    seq_le(tp->sackblk[i].right, r))
			continue;
		out[n++] = tp->sackblk[i];
	}
	memcpy(tp->sackblk, out, sizeof(out[0]) * n);
	tp->nsackblk = n;
	tcp_sack_rcv_trim(tp);
}

/* Blocks at or below RCV.NXT are delivered: no longer reported. */
void
tcp_sack_rcv_trim(struct tcb *tp)
{
	int	i, n = 0;

	for (i = 0; i < tp->nsackblk; i++)
		if (seq_gt(tp->sackblk[i].left, tp->rcv_nxt))
			tp->sackblk[n++] = tp->sackblk[i];
	tp->nsackblk = n;
}
