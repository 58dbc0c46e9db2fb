/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * segment_text.c: a segment's flags, options and addresses as text, in
 * packetdrill's notation where it has one, for logs, errors and reports.
 *
 * Flags: one letter per flag in the order F S R P U E W A (FIN, SYN, RST,
 * PSH, URG, ECE, CWR, AE), then "." for ACK: "S", "S.", ".", "P.", "F.",
 * "FP.", "R", "R.", "SEW", "SE.".  No flag at all is "-".
 *
 * Options: comma-separated, in wire order:
 *   eol, nop, mss 1460, wscale 7, sackOK, sack 1:100 200:300,
 *   TS val 100 ecr 0, md5 <16 bytes hex>, ao keyid 1 rnext 2 mac <hex>,
 *   FO (cookie request) or FO <cookie hex> (kind 34),
 *   FOEXP or FOEXP <cookie hex> (kind 254, magic 0xf989).
 * Any other option, and a known kind whose length is wrong for it, is shown
 * raw so that nothing on the wire is hidden: "kind 99 len 4 0x1234" (value
 * bytes in hex; "kind 99 len 2" when there are none).
 *
 * Output longer than cap is cut, always NUL-terminated.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "segment.h"

/* A string being appended to; stops quietly at cap - 1 characters. */
struct sbuf {
	char	*buf;
	size_t	 cap;
	size_t	 n;
};

static void	sb_printf(struct sbuf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	sb_hex(struct sbuf *, const uint8_t *, size_t);
static void	opt_str(struct sbuf *, const struct seg_opt *);
static int	opt_known_str(struct sbuf *, const struct seg_opt *);
static void	opt_tfo_str(struct sbuf *, const char *, const uint8_t *, int);
static uint32_t	get32(const uint8_t *);

char *
seg_flags_str(uint16_t flags, char *buf, size_t cap)
{
	static const struct {
		uint16_t	bit;
		char		c;
	} order[] = {
		{ SEG_FIN, 'F' }, { SEG_SYN, 'S' }, { SEG_RST, 'R' },
		{ SEG_PSH, 'P' }, { SEG_URG, 'U' }, { SEG_ECE, 'E' },
		{ SEG_CWR, 'W' }, { SEG_AE, 'A' }, { SEG_ACK, '.' },
	};
	struct sbuf	sb = { buf, cap, 0 };
	size_t		i;

	if (cap > 0)
		buf[0] = '\0';
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (flags & order[i].bit)
			sb_printf(&sb, "%c", order[i].c);
	if (sb.n == 0)
		sb_printf(&sb, "-");
	return buf;
}

char *
seg_opts_str(const struct seg *s, char *buf, size_t cap)
{
	struct sbuf	sb = { buf, cap, 0 };
	int		i;

	if (cap > 0)
		buf[0] = '\0';
	for (i = 0; i < s->nopts && i < SEG_OPT_MAX; i++) {
		if (i > 0)
			sb_printf(&sb, ",");
		opt_str(&sb, &s->opts[i]);
	}
	return buf;
}

char *
seg_addr_str(int family, const uint8_t *addr, char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	if (cap > (socklen_t)-1 ||
	    inet_ntop(family, addr, buf, (socklen_t)cap) == NULL)
		snprintf(buf, cap, "?");
	return buf;
}

static void
opt_str(struct sbuf *sb, const struct seg_opt *o)
{
	size_t	vlen;

	if (opt_known_str(sb, o))
		return;
	sb_printf(sb, "kind %u len %u", o->kind, o->len);
	vlen = o->len > 2 ? (size_t)o->len - 2 : 0;
	if (vlen > sizeof(o->data))
		vlen = sizeof(o->data);
	if (vlen > 0) {
		sb_printf(sb, " 0x");
		sb_hex(sb, o->data, vlen);
	}
}

/*
 * The named form of a known kind with a valid length (the rules of the
 * decoder in segment.c); 0 when it must be shown raw.
 */
static int
opt_known_str(struct sbuf *sb, const struct seg_opt *o)
{
	const uint8_t	*d = o->data;
	int		 i;

	switch (o->kind) {
	case TCPOPT_EOL:
		sb_printf(sb, "eol");
		return 1;
	case TCPOPT_NOP:
		sb_printf(sb, "nop");
		return 1;
	case TCPOPT_MSS:
		if (o->len != 4)
			return 0;
		sb_printf(sb, "mss %u", (unsigned)(d[0] << 8 | d[1]));
		return 1;
	case TCPOPT_WSCALE:
		if (o->len != 3)
			return 0;
		sb_printf(sb, "wscale %u", d[0]);
		return 1;
	case TCPOPT_SACK_PERM:
		if (o->len != 2)
			return 0;
		sb_printf(sb, "sackOK");
		return 1;
	case TCPOPT_SACK:
		if (o->len < 10 || o->len > 2 + 8 * SEG_SACK_MAX ||
		    (o->len - 2) % 8 != 0)
			return 0;
		sb_printf(sb, "sack");
		for (i = 0; i < (o->len - 2) / 8; i++)
			sb_printf(sb, " %u:%u", get32(d + 8 * i),
			    get32(d + 8 * i + 4));
		return 1;
	case TCPOPT_TIMESTAMP:
		if (o->len != 10)
			return 0;
		sb_printf(sb, "TS val %u ecr %u", get32(d), get32(d + 4));
		return 1;
	case TCPOPT_MD5:
		if (o->len != 18)
			return 0;
		sb_printf(sb, "md5 ");
		sb_hex(sb, d, 16);
		return 1;
	case TCPOPT_AO:
		if (o->len < 4)
			return 0;
		sb_printf(sb, "ao keyid %u rnext %u mac ", d[0], d[1]);
		sb_hex(sb, d + 2, (size_t)o->len - 4);
		return 1;
	case TCPOPT_FASTOPEN:
		if (o->len != 2 && (o->len < 6 || o->len > 2 + SEG_TFO_MAX))
			return 0;
		opt_tfo_str(sb, "FO", d, o->len - 2);
		return 1;
	case TCPOPT_EXP:
		if (o->len < 4 || d[0] != 0xf9 || d[1] != 0x89 ||
		    (o->len != 4 && (o->len < 8 || o->len > 4 + SEG_TFO_MAX)))
			return 0;
		opt_tfo_str(sb, "FOEXP", d + 2, o->len - 4);
		return 1;
	default:
		return 0;
	}
}

static void
opt_tfo_str(struct sbuf *sb, const char *name, const uint8_t *cookie, int len)
{
	sb_printf(sb, "%s", name);
	if (len > 0) {
		sb_printf(sb, " ");
		sb_hex(sb, cookie, (size_t)len);
	}
}

static void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	ap;
	int	r;

	if (sb->cap == 0 || sb->n >= sb->cap - 1)
		return;
	va_start(ap, fmt);
	r = vsnprintf(sb->buf + sb->n, sb->cap - sb->n, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	sb->n += (size_t)r;
	if (sb->n > sb->cap - 1)
		sb->n = sb->cap - 1;
}

static void
sb_hex(struct sbuf *sb, const uint8_t *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		sb_printf(sb, "%02x", p[i]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}
