/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * hex.c: bytes as hex digits and back, once for every module: the agent's
 * protocol (tcpconform-agent compiles this file in), results.json, the
 * case language.  libc only.
 */
#include <stddef.h>

#include "hex.h"

int
hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
hex_decode(unsigned char *out, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = hex_val((unsigned char)s[2 * i])) < 0)
			return 2 * i;
		if ((lo = hex_val((unsigned char)s[2 * i + 1])) < 0)
			return 2 * i + 1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 2 * n;
}

size_t
hex_encode(char *dst, const unsigned char *src, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		dst[2 * i] = digits[src[i] >> 4];
		dst[2 * i + 1] = digits[src[i] & 0xf];
	}
	dst[2 * n] = '\0';
	return 2 * n;
}
