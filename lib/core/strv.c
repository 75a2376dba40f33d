#include "core/strv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int strv_push(char ***v, const char *s)
{
	size_t n = strv_len(*v);
	char *copy = strdup(s);
	if (!copy)
		return -1;
	char **nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv) {
		free(copy);
		return -1;
	}
	nv[n] = copy;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

char **strv_dup(char *const *v)
{
	char **out = calloc(strv_len(v) + 1, sizeof(char *));
	if (!out)
		return NULL;
	for (size_t i = 0; v && v[i]; i++) {
		out[i] = strdup(v[i]);
		if (!out[i]) {
			strv_free(out);
			return NULL;
		}
	}
	return out;
}

void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int strv_find_env(char *const *v, const char *key, size_t keylen)
{
	for (size_t i = 0; v && v[i]; i++) {
		if (strncmp(v[i], key, keylen) == 0 && v[i][keylen] == '=')
			return (int)i;
	}
	return -1;
}

int strv_pushf(char ***v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	int ret = strv_push(v, s);
	free(s);
	return ret;
}

char *strv_join_nul(char *const *v, size_t *len)
{
	size_t total = 0;
	for (size_t i = 0; v && v[i]; i++)
		total += strlen(v[i]) + 1;
	char *out = total ? malloc(total) : NULL;
	if (!out)
		return NULL;
	char *p = out;
	for (size_t i = 0; v[i]; i++) {
		size_t n = strlen(v[i]) + 1;
		memcpy(p, v[i], n);
		p += n;
	}
	*len = total;
	return out;
}

char **strv_split_nul(const char *buf, size_t len)
{
	if (!buf || len == 0 || buf[len - 1] != '\0')
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\0';
	char **v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	const char *p = buf;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(p);
		if (!(v[i] = strndup(p, l))) {
			strv_free(v);
			return NULL;
		}
		p += l + 1;
	}
	return v;
}
