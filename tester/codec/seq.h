/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * seq.h: 32-bit TCP sequence numbers and their modular comparison.
 *
 * "It is essential to remember that the actual sequence number space is
 * finite, though very large ... all arithmetic dealing with sequence numbers
 * must be performed modulo 2**32" (RFC 9293 section 3.4).  Two numbers are
 * compared by the sign of their 32-bit difference, so a comparison is only
 * meaningful when they lie less than 2^31 apart.
 */
#ifndef TCPCONFORM_SEQ_H
#define TCPCONFORM_SEQ_H

#include <stdint.h>

static inline int
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline int
seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline int
seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline int
seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* lo <= a <= hi, all modulo 2^32. */
static inline int
seq_between(uint32_t a, uint32_t lo, uint32_t hi)
{
	return seq_ge(a, lo) && seq_le(a, hi);
}

static inline uint32_t
seq_max(uint32_t a, uint32_t b)
{
	return seq_gt(a, b) ? a : b;
}

static inline uint32_t
seq_min(uint32_t a, uint32_t b)
{
	return seq_lt(a, b) ? a : b;
}

#endif /* TCPCONFORM_SEQ_H */
