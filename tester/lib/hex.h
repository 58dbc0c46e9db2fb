/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * hex.h: bytes as hex digits and back (lib/); libc only, so that
 * tcpconform-agent can compile hex.c in.
 */
#ifndef TCPCONFORM_HEX_H
#define TCPCONFORM_HEX_H

#include <stddef.h>

/* The value of a hex digit, or -1. */
int	hex_val(int c);
/*
 * n bytes from the 2n hex digits at s (either case) into out.  Returns 2n,
 * or the index in s of the first character that is not a hex digit (the
 * bytes before it are decoded).
 */
size_t	hex_decode(unsigned char *out, const char *s, size_t n);
/* Lower-case hex of n bytes into dst (2n + 1 bytes with the NUL); 2n. */
size_t	hex_encode(char *dst, const unsigned char *src, size_t n);

#endif /* TCPCONFORM_HEX_H */
