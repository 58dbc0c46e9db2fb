/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_match.c: the two directions between packet lines and segments: a
 * target's segment compared with a '>' line, field by field, and a '<' line
 * turned into the segment the peer sends.
 *
 * Sequence numbers in a line are relative to the sender's ISN and
 * acknowledgment numbers (and SACK blocks) to the receiver's, both modulo
 * 2^32; struct run_bases says what they are relative to.  A field a '>' line
 * leaves out is not checked.  On '>' lines the TS option's value is never
 * checked (it is the target's clock, as in packetdrill) and its echo reply
 * only when written as a number.  Every difference is reported in the one
 * format of DESIGN.md: "ack: expected 1001, observed 1000".
 *
 * Uses the case program and the decoded segment (codec/) only.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

static void	diff_add(struct run_diff *, int max, int *n, const char *,
		    const char *, const char *);
static void	diff_num(struct run_diff *, int max, int *n, const char *,
		    uint32_t, uint32_t);
static uint32_t	get32(const uint8_t *);
static int	opt_match(const struct case_opt *, const struct seg_opt *,
		    uint32_t);
static int	opts_match(const struct case_optlist *, const struct seg *,
		    uint32_t);
static int	add_opt(struct seg *, const struct case_opt *, uint32_t,
		    uint32_t, uint32_t);
static void	put_opt(char *, size_t, size_t *, const struct case_opt *);
static void	len_bound(const struct case_seg *, const struct seg *,
		    const struct run_bases *, struct run_diff *, int, int *);
static void	past_edge(const struct case_seg *, const struct seg *,
		    const struct run_bases *, struct run_diff *, int, int *);

static void
diff_add(struct run_diff *d, int max, int *n, const char *field,
    const char *exp, const char *obs)
{
	if (*n < max) {
		snprintf(d[*n].field, sizeof(d[*n].field), "%s", field);
		snprintf(d[*n].exp, sizeof(d[*n].exp), "%s", exp);
		snprintf(d[*n].obs, sizeof(d[*n].obs), "%s", obs);
	}
	(*n)++;
}

static void
diff_num(struct run_diff *d, int max, int *n, const char *field,
    uint32_t exp, uint32_t obs)
{
	char e[16], o[16];

	snprintf(e, sizeof(e), "%u", exp);
	snprintf(o, sizeof(o), "%u", obs);
	diff_add(d, max, n, field, e, o);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * One option of a line against one on the wire.  sack_base turns the
 * wire's SACK edges into numbers relative to the receiver's ISN.
 */
static int
opt_match(const struct case_opt *e, const struct seg_opt *o,
    uint32_t sack_base)
{
	int i;

	switch (e->kind) {
	case CASE_O_EOL:
		return o->kind == TCPOPT_EOL;
	case CASE_O_NOP:
		return o->kind == TCPOPT_NOP;
	case CASE_O_MSS:
		return o->kind == TCPOPT_MSS && o->len == 4 &&
		    ((uint32_t)o->data[0] << 8 | o->data[1]) == e->val;
	case CASE_O_WSCALE:
		return o->kind == TCPOPT_WSCALE && o->len == 3 &&
		    o->data[0] == e->val;
	case CASE_O_SACKOK:
		return o->kind == TCPOPT_SACK_PERM && o->len == 2;
	case CASE_O_SACK:
		if (o->kind != TCPOPT_SACK || o->len != 2 + 8 * e->nsack)
			return 0;
		for (i = 0; i < e->nsack; i++)
			if (get32(o->data + 8 * i) - sack_base !=
			    e->sack[i].left || get32(o->data + 8 * i + 4) -
			    sack_base != e->sack[i].right)
				return 0;
		return 1;
	case CASE_O_TS:
		return o->kind == TCPOPT_TIMESTAMP && o->len == 10 &&
		    ((e->wild & CASE_OW_ECR) || get32(o->data + 4) == e->ecr);
	case CASE_O_MD5:
		return o->kind == TCPOPT_MD5 && o->len == 18;
	case CASE_O_FO:
		return o->kind == TCPOPT_FASTOPEN && o->len == 2 + e->ndata &&
		    memcmp(o->data, e->data, (size_t)e->ndata) == 0;
	case CASE_O_FOEXP:
		return o->kind == TCPOPT_EXP && o->len == 4 + e->ndata &&
		    o->data[0] == 0xf9 && o->data[1] == 0x89 &&
		    memcmp(o->data + 2, e->data, (size_t)e->ndata) == 0;
	case CASE_O_RAW:
		if (o->kind != e->val)
			return 0;
		if (o->kind <= TCPOPT_NOP)
			return 1;
		if (e->len >= 0 && o->len != e->len)
			return 0;
		return e->ndata == 0 || (o->len >= 2 + e->ndata &&
		    memcmp(o->data, e->data, (size_t)e->ndata) == 0);
	}
	return 0;
}

/* The kind byte on the wire of a line's option. */
static int
opt_wire_kind(const struct case_opt *e)
{
	static const int kinds[] = {
		[CASE_O_EOL] = TCPOPT_EOL, [CASE_O_NOP] = TCPOPT_NOP,
		[CASE_O_MSS] = TCPOPT_MSS, [CASE_O_WSCALE] = TCPOPT_WSCALE,
		[CASE_O_SACKOK] = TCPOPT_SACK_PERM, [CASE_O_SACK] = TCPOPT_SACK,
		[CASE_O_TS] = TCPOPT_TIMESTAMP, [CASE_O_MD5] = TCPOPT_MD5,
		[CASE_O_FO] = TCPOPT_FASTOPEN, [CASE_O_FOEXP] = TCPOPT_EXP,
	};

	if (e->kind == CASE_O_RAW)
		return (int)e->val;
	return kinds[e->kind];
}

/*
 * EXACT: the same options in the same order; SUBSET: at least these, in any
 * order, NOP and EOL ignored; a '!' option: none of that kind.
 */
static int
opts_match(const struct case_optlist *ol, const struct seg *s,
    uint32_t sack_base)
{
	int i, j, used[SEG_OPT_MAX] = { 0 };

	if (ol->mode == CASE_OPTS_ANY)
		return 1;
	if (ol->mode == CASE_OPTS_EXACT) {
		if (ol->n != s->nopts)
			return 0;
		for (i = 0; i < ol->n; i++)
			if (!opt_match(&ol->v[i], &s->opts[i], sack_base))
				return 0;
		return 1;
	}
	for (i = 0; i < ol->n; i++) {
		if (ol->v[i].kind == CASE_O_NOP || ol->v[i].kind == CASE_O_EOL)
			continue;
		if (ol->v[i].wild & CASE_OW_NOT) {
			for (j = 0; j < s->nopts; j++)
				if (s->opts[j].kind == opt_wire_kind(&ol->v[i]))
					return 0;
			continue;
		}
		for (j = 0; j < s->nopts; j++)
			if (!used[j] && opt_match(&ol->v[i], &s->opts[j],
			    sack_base))
				break;
		if (j == s->nopts)
			return 0;
		used[j] = 1;
	}
	return 1;
}

/*
 * The most data "(max mss)" lets a segment carry: RFC 9293 3.7.1's
 * effective send MSS, "Eff.snd.MSS = min(SendMSS+20, MMS_S) - TCPhdrsize
 * - IPoptionsize", where TCPhdrsize counts the TCP options (RFC 6691 2:
 * the sender takes its options out of the MSS) and SendMSS is what the
 * peer's SYN offered, or without an MSS option "536 bytes for IPv4 or
 * 1220 bytes for IPv6" (MUST-15).  MMS_S and IP options are the path's,
 * which only lower it: an upper bound is all a line checks.
 */
uint32_t
run_eff_mss(const struct seg *s, const struct run_bases *b)
{
	uint32_t mss = b->mss > 0 ? b->mss : s->family == AF_INET6 ? 1220 :
	    536;
	uint32_t opts = s->doff > 5 ? (uint32_t)(s->doff - 5) * 4 : 0;

	return mss > opts ? mss - opts : 0;
}

/* "start:*(max N)": data, 1 to N bytes ("(max mss)": run_eff_mss()). */
static void
len_bound(const struct case_seg *cs, const struct seg *s,
    const struct run_bases *b, struct run_diff *d, int max, int *n)
{
	uint32_t bound = cs->len_max > 0 ? cs->len_max : run_eff_mss(s, b);
	/*
	 * An offload aggregate the capture saw whole (TSO or GSO on this
	 * host, GRO here) stands for segments of gso_size: those are the
	 * segments a wire carries.
	 */
	size_t len = s->gso_size > 0 && s->gso_size < s->len ? s->gso_size :
	    s->len;
	char e[48], o[96];

	/*
	 * The first fragment of a segment the IP layer cut (SEG_W_FRAG: an
	 * IPv4 one; the capture leaves out IPv6 datagrams with extension
	 * headers) holds only part of its data: the segment is longer, and
	 * an IP layer fragments only what exceeds the path's MTU, so a
	 * bound that the MTU sets is not met.  Taken for the whole segment,
	 * its part would pass the bound.
	 */
	if (s->warn & SEG_W_FRAG) {
		snprintf(e, sizeof(e), "1 to %u", bound);
		snprintf(o, sizeof(o), "more than %zu (the first IP fragment "
		    "of a larger segment)", s->len);
		diff_add(d, max, n, "len", e, o);
		return;
	}
	if (len >= 1 && len <= bound)
		return;
	if (cs->len_max > 0)
		snprintf(e, sizeof(e), "1 to %u", bound);
	else
		snprintf(e, sizeof(e), "1 to %u (mss %u less %u of options)",
		    bound, b->mss > 0 ? b->mss : s->family == AF_INET6 ?
		    1220 : 536, s->doff > 5 ? (s->doff - 5) * 4 : 0);
	if (len != s->len)
		snprintf(o, sizeof(o), "%zu (segments of an offload frame "
		    "of %zu)", len, s->len);
	else
		snprintf(o, sizeof(o), "%zu", s->len);
	diff_add(d, max, n, "len", e, o);
}

/*
 * "past N": the segment's sequence space (its data, a SYN, a FIN) ends
 * beyond N, modulo 2^32.  A segment that takes none (a bare ACK, a
 * zero-window probe below the edge) ends nowhere.
 */
static void
past_edge(const struct case_seg *cs, const struct seg *s,
    const struct run_bases *b, struct run_diff *d, int max, int *n)
{
	uint32_t room = seg_seqlen(s);
	uint32_t end = s->seq - b->seq + room;
	char e[48], o[48];

	if (room > 0 && (int32_t)(end - cs->end) > 0)
		return;
	snprintf(e, sizeof(e), "beyond %u", cs->end);
	if (room == 0)
		snprintf(o, sizeof(o), "none (no data, SYN or FIN)");
	else
		snprintf(o, sizeof(o), "%u", end);
	diff_add(d, max, n, "end", e, o);
}

/*
 * Compare a target's segment with one alternative of a '>' line.  Returns
 * the number of fields that differ (0: a match); the first max of them are
 * described in d.
 */
int
run_match_seg(const struct case_seg *cs, const struct seg *s,
    const struct run_bases *b, struct run_diff *d, int max)
{
	char e[160], o[160];
	int n = 0;

	if ((cs->given & CASE_G_FLAGS) && cs->flags != (s->flags & 0x1ff))
		diff_add(d, max, &n, "flags", seg_flags_str(cs->flags, e,
		    sizeof(e)), seg_flags_str(s->flags, o, sizeof(o)));
	if ((cs->given & CASE_G_SEQ_DATA) && s->seq - b->seq +
	    (uint32_t)s->len != b->data + cs->end)
		/* Where its bytes end: FIN after all the data, any length. */
		diff_num(d, max, &n, "end", b->data + cs->end, s->seq -
		    b->seq + (uint32_t)s->len);
	else if ((cs->given & CASE_G_SEQ) && !(cs->given & CASE_G_SEQ_DATA) &&
	    s->seq - b->seq != cs->seq)
		diff_num(d, max, &n, "seq", cs->seq, s->seq - b->seq);
	if (cs->given & CASE_G_PAST)
		past_edge(cs, s, b, d, max, &n);
	if (cs->given & CASE_G_LEN_MAX)
		len_bound(cs, s, b, d, max, &n);
	else if ((cs->given & CASE_G_SEQ) && !(cs->given & CASE_G_SEQ_DATA) &&
	    s->len != cs->len)
		diff_num(d, max, &n, "len", cs->len, (uint32_t)s->len);
	if ((cs->given & CASE_G_ACK) && !(s->flags & SEG_ACK) &&
	    !(cs->given & CASE_G_FLAGS)) {
		snprintf(e, sizeof(e), "%u", cs->ack);
		diff_add(d, max, &n, "ack", e, "none (no ACK flag)");
	} else if ((cs->given & CASE_G_ACK) && s->ack - b->ack != cs->ack)
		diff_num(d, max, &n, "ack", cs->ack, s->ack - b->ack);
	if ((cs->given & CASE_G_WIN) && s->win != cs->win)
		diff_num(d, max, &n, "win", cs->win, s->win);
	if ((cs->given & CASE_G_URG) && s->urp != cs->urg)
		diff_num(d, max, &n, "urg", cs->urg, s->urp);
	if ((cs->given & CASE_G_OPTS) && !opts_match(&cs->opts, s, b->ack)) {
		e[0] = '<';
		run_optlist_str(&cs->opts, e + 1, sizeof(e) - 2);
		strcat(e, ">");
		o[0] = '<';
		seg_opts_str(s, o + 1, sizeof(o) - 2);
		strcat(o, ">");
		diff_add(d, max, &n, "options", e, o);
	}
	return n;
}

/*
 * A '>' line with alternatives: 1 when one matches.  Otherwise d holds the
 * differences from the closest alternative (fewest differing fields).
 */
int
run_match_pkt(const struct case_pkt *pk, const struct seg *s,
    const struct run_bases *b, struct run_diff *d, int max, int *ndiff)
{
	struct run_diff tmp[RUN_DIFF_MAX];
	int i, n, best = -1;

	for (i = 0; i < pk->nalt; i++) {
		n = run_match_seg(&pk->alt[i], s, b, tmp, RUN_DIFF_MAX);
		if (n == 0) {
			*ndiff = 0;
			return 1;
		}
		if (best == -1 || n < best) {
			best = n;
			memcpy(d, tmp, sizeof(*d) * (size_t)(n < max ? n :
			    max));
		}
	}
	*ndiff = best < max ? best : max;
	return 0;
}

/*
 * A negated line forbids any segment that matches one alternative, with
 * the flags read as "at least these": "!R" is any segment with RST set.
 */
int
run_match_negated(const struct case_pkt *pk, const struct seg *s,
    const struct run_bases *b)
{
	struct case_seg cs;
	struct run_diff d[1];
	int i;

	for (i = 0; i < pk->nalt; i++) {
		cs = pk->alt[i];
		if ((cs.given & CASE_G_FLAGS) &&
		    (s->flags & cs.flags) != cs.flags)
			continue;
		cs.given &= ~CASE_G_FLAGS;
		if (run_match_seg(&cs, s, b, d, 1) == 0)
			return 1;
	}
	return 0;
}

/*
 * The bytes the peer sends when a count is given: 'a' + k % 26 for byte k
 * of the stream, like the agent's pattern, so a capture reads as text and
 * a shifted or repeated segment shows.
 */
void
run_fill(uint8_t *buf, size_t n, uint64_t offset)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)('a' + (offset + i) % 26);
}

/* Append the option of a line to s; TS '*' takes tsval/tsecr. */
static int
add_opt(struct seg *s, const struct case_opt *o, uint32_t tsval,
    uint32_t tsecr, uint32_t sack_base)
{
	struct seg_sack blk[CASE_SACK_MAX];
	uint8_t v[CASE_OPTDATA_MAX + 2] = { 0 };
	int i, rc;

	switch (o->kind) {
	case CASE_O_EOL:
		return seg_add_eol(s);
	case CASE_O_NOP:
		return seg_add_nop(s);
	case CASE_O_MSS:
		return seg_add_mss(s, (uint16_t)o->val);
	case CASE_O_WSCALE:
		return seg_add_wscale(s, (uint8_t)o->val);
	case CASE_O_SACKOK:
		return seg_add_sackok(s);
	case CASE_O_SACK:
		for (i = 0; i < o->nsack; i++) {
			blk[i].left = o->sack[i].left + sack_base;
			blk[i].right = o->sack[i].right + sack_base;
		}
		return seg_add_sack(s, blk, o->nsack);
	case CASE_O_TS:
		return seg_add_ts(s, (o->wild & CASE_OW_VAL) ? tsval : o->val,
		    (o->wild & CASE_OW_ECR) ? tsecr : o->ecr);
	case CASE_O_MD5:
		return seg_add_opt(s, TCPOPT_MD5, v, 16);
	case CASE_O_FO:
		return seg_add_tfo(s, o->data, (uint8_t)o->ndata);
	case CASE_O_FOEXP:
		v[0] = 0xf9;
		v[1] = 0x89;
		memcpy(v + 2, o->data, (size_t)o->ndata);
		return seg_add_opt(s, TCPOPT_EXP, v, (uint8_t)(o->ndata + 2));
	case CASE_O_RAW:
		if (o->val <= TCPOPT_NOP && o->len == -1 && o->ndata == 0)
			return o->val == TCPOPT_EOL ? seg_add_eol(s) :
			    seg_add_nop(s);
		/*
		 * A length byte that is not the option's size (MUST-7: 0, 1,
		 * or one past the header) goes out as written, with only the
		 * bytes the line gives after it.
		 */
		memcpy(v, o->data, (size_t)o->ndata);
		rc = seg_add_opt(s, (uint8_t)o->val, v, (uint8_t)o->ndata);
		if (rc == 0 && o->len >= 0 && o->len != 2 + o->ndata) {
			s->opts[s->nopts - 1].size = (uint8_t)(2 + o->ndata);
			s->opts[s->nopts - 1].len = (uint8_t)o->len;
		}
		return rc;
	}
	return -1;
}

/*
 * An option list of a line as wire options (for tcp_set_syn_opts()).
 * TS '*' values become tsval/tsecr; SACK edges are offset by sack_base.
 */
int
run_opts_to_seg(const struct case_optlist *ol, struct seg_opt *out, int *n,
    uint32_t tsval, uint32_t tsecr, uint32_t sack_base, char **err)
{
	struct seg s;
	int i;

	seg_init(&s, AF_INET);
	for (i = 0; i < ol->n; i++)
		if (add_opt(&s, &ol->v[i], tsval, tsecr, sack_base) == -1) {
			if (err != NULL)
				*err = strdup("options do not fit in 40 bytes "
				    "or are malformed");
			return -1;
		}
	memcpy(out, s.opts, sizeof(*out) * (size_t)s.nopts);
	*n = s.nopts;
	return 0;
}

/*
 * Turn a '<' line into a segment.  s holds the template (what the peer's
 * TCB would send now); the fields the line gives replace it: seq and the
 * payload (cap bytes of buf at most), ack, window, urgent pointer and the
 * option list.  b.seq is the peer's ISN, b.ack the target's.
 */
int
run_build_seg(const struct case_seg *cs, struct seg *s,
    const struct run_bases *b, uint8_t *buf, size_t cap, char **err)
{
	uint32_t tsval = s->tsval, tsecr = s->tsecr, rel = cs->seq;
	int i;

	s->flags = cs->flags;
	s->len = 0;
	s->data = NULL;
	if (cs->given & CASE_G_SEQ_EDGE) {
		if (!b->edge_known) {
			*err = strdup("'edge': the target has offered no "
			    "window yet");
			return -1;
		}
		rel = b->edge - b->seq + cs->seq;
	}
	if (cs->given & CASE_G_SEQ) {
		s->seq = b->seq + rel;
		if (cs->len > cap) {
			*err = strdup("segment payload too long");
			return -1;
		}
		run_fill(buf, cs->len, rel > 0 ? rel - 1 : 0);
		s->data = buf;
		s->len = cs->len;
	}
	if (cs->given & CASE_G_ACK)
		s->ack = b->ack + cs->ack +
		    (cs->given & CASE_G_ACK_DATA ? b->data : 0);
	else if (!(cs->flags & SEG_ACK))
		s->ack = 0;
	if (cs->given & CASE_G_WIN)
		s->win = cs->win;
	if (cs->given & CASE_G_URG)
		s->urp = cs->urg;
	if (!(cs->given & CASE_G_OPTS))
		return 0;
	s->nopts = 0;
	s->has = 0;
	for (i = 0; i < cs->opts.n; i++)
		if (add_opt(s, &cs->opts.v[i], tsval, tsecr, b->ack) == -1) {
			*err = strdup("options do not fit in 40 bytes");
			return -1;
		}
	return 0;
}

static void
put_opt(char *buf, size_t cap, size_t *len, const struct case_opt *o)
{
	static const char *const names[] = { "eol", "nop", "mss", "wscale",
	    "sackOK", "sack", "TS", "md5", "FO", "FOEXP", "kind" };
	char v[24];
	int i;

#define PUT(...) do {							\
	if (*len < cap)							\
		*len += (size_t)snprintf(buf + *len, cap - *len,	\
		    __VA_ARGS__);					\
} while (0)
	if (o->wild & CASE_OW_NOT) {
		PUT("!%s", names[o->kind]);
		if (o->kind == CASE_O_RAW)
			PUT(" %u", o->val);
		return;
	}
	PUT("%s", names[o->kind]);
	switch (o->kind) {
	case CASE_O_MSS:
	case CASE_O_WSCALE:
	case CASE_O_RAW:
		PUT(" %u", o->val);
		if (o->kind == CASE_O_RAW && o->len >= 0)
			PUT(" len %d", o->len);
		break;
	case CASE_O_SACK:
		for (i = 0; i < o->nsack; i++)
			PUT(" %u:%u", o->sack[i].left, o->sack[i].right);
		break;
	case CASE_O_TS:
		snprintf(v, sizeof(v), "%u", o->val);
		PUT(" val %s", (o->wild & CASE_OW_VAL) ? "*" : v);
		snprintf(v, sizeof(v), "%u", o->ecr);
		PUT(" ecr %s", (o->wild & CASE_OW_ECR) ? "*" : v);
		break;
	default:
		break;
	}
	if (o->ndata > 0 && o->kind != CASE_O_MD5) {
		PUT(" 0x");
		for (i = 0; i < o->ndata; i++)
			PUT("%02x", o->data[i]);
	}
#undef PUT
}

/* "mss 1460,sackOK,..." as a line writes it. */
char *
run_optlist_str(const struct case_optlist *ol, char *buf, size_t cap)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	if (ol->mode == CASE_OPTS_ANY) {
		snprintf(buf, cap, "...");
		return buf;
	}
	for (i = 0; i < ol->n && len < cap; i++) {
		if (i > 0)
			len += (size_t)snprintf(buf + len, cap - len, ",");
		if (len < cap)
			put_opt(buf, cap, &len, &ol->v[i]);
	}
	if (ol->mode == CASE_OPTS_SUBSET && len < cap)
		snprintf(buf + len, cap - len, ",...");
	return buf;
}
