#include "engine/env_merge.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"

static size_t key_len(const char *line)
{
	size_t n = 0;
	if (!isalpha((unsigned char)line[0]) && line[0] != '_')
		return 0;
	while (isalnum((unsigned char)line[n]) || line[n] == '_' || line[n] == '.' ||
	       line[n] == '-')
		n++;
	return line[n] == '=' ? n : 0;
}

int env_merge_file(char ***env, const char *text)
{
	char *copy = strdup(text ? text : "");
	if (!copy)
		return -1;
	int added = 0;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t end = strlen(line);
		if (end > 0 && line[end - 1] == '\r')
			line[end - 1] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (strncmp(line, "export ", 7) == 0)
			line += 7;
		size_t klen = key_len(line);
		if (klen == 0 || strv_find_env(*env, line, klen) >= 0)
			continue;
		if (strv_push(env, line) < 0) {
			free(copy);
			return -1;
		}
		added++;
	}
	free(copy);
	return added;
}

char *env_render(char *const *env, size_t *len)
{
	size_t total = 1;
	for (size_t i = 0; env && env[i]; i++)
		total += strlen(env[i]) + 1;
	char *out = malloc(total), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; env && env[i]; i++) {
		if (strchr(env[i], '\n'))
			continue;
		size_t l = strlen(env[i]);
		memcpy(p, env[i], l);
		p[l] = '\n';
		p += l + 1;
	}
	*p = '\0';
	if (len)
		*len = (size_t)(p - out);
	return out;
}
