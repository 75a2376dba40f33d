#include "core/base64.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char g_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const void *data, size_t len)
{
	const unsigned char *in = data;
	char *out = malloc((len + 2) / 3 * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = g_alphabet[(v >> 18) & 63];
		out[o++] = g_alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < len ? g_alphabet[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? g_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

static int sextet(char c)
{
	const char *p = c ? strchr(g_alphabet, c) : NULL;
	return p ? (int)(p - g_alphabet) : -1;
}

char *base64_decode(const char *text, size_t *len)
{
	size_t n = strlen(text);
	if (n % 4 != 0)
		return NULL;
	char *out = malloc(n / 4 * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		int pad = (text[i + 3] == '=') + (text[i + 2] == '=');
		if (pad > 0 && i + 4 != n)
			goto bad;
		uint32_t v = 0;
		for (int k = 0; k < 4; k++) {
			int s = (k >= 4 - pad) ? 0 : sextet(text[i + k]);
			if (s < 0)
				goto bad;
			v = (v << 6) | (uint32_t)s;
		}
		out[o++] = (char)(v >> 16);
		if (pad < 2)
			out[o++] = (char)(v >> 8);
		if (pad < 1)
			out[o++] = (char)v;
	}
	out[o] = '\0';
	if (len)
		*len = o;
	return out;
bad:
	free(out);
	return NULL;
}
