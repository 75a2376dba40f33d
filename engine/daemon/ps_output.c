#include "ps_output.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"

/* Whitespace-separated fields of line; with max > 0, field max-1 takes the rest. */
static char **split_fields(const char *line, size_t max)
{
	char **v = NULL;
	size_t n = 0;
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *end = p;
		if (max > 0 && n + 1 == max) {
			end = p + strlen(p);
			while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
		} else {
			while (*end && *end != ' ' && *end != '\t')
				end++;
		}
		char *cell = strndup(p, (size_t)(end - p));
		if (!cell || strv_push(&v, cell) < 0) {
			free(cell);
			strv_free(v);
			return NULL;
		}
		free(cell);
		n++;
		p = end;
	}
	if (!v)
		v = calloc(1, sizeof(char *));
	return v;
}

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++) {
		if (pids[i] == pid)
			return true;
	}
	return false;
}

static int add_row(struct ps_table *t, char **row)
{
	char ***rows = realloc(t->rows, (t->nrows + 1) * sizeof(*rows));
	if (!rows) {
		strv_free(row);
		return -1;
	}
	t->rows = rows;
	/* Short lines are padded so that every row has a cell per title. */
	while (strv_len(row) < t->ntitles) {
		if (strv_push(&row, "") < 0) {
			strv_free(row);
			return -1;
		}
	}
	t->rows[t->nrows++] = row;
	return 0;
}

int ps_table_parse(const char *text, const pid_t *pids, size_t npids, struct ps_table *out,
                   char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	char *copy = strdup(text ? text : "");
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char *save = NULL;
	char *line = strtok_r(copy, "\n", &save);
	out->titles = line ? split_fields(line, 0) : NULL;
	out->ntitles = strv_len(out->titles);
	size_t pid_col = out->ntitles;
	for (size_t i = 0; i < out->ntitles; i++) {
		if (strcmp(out->titles[i], "PID") == 0) {
			pid_col = i;
			break;
		}
	}
	int ret = 0;
	if (pid_col == out->ntitles) {
		snprintf(err, errlen, "Couldn't find PID field in ps output");
		ret = -1;
	}
	while (ret == 0 && (line = strtok_r(NULL, "\n", &save))) {
		char **row = split_fields(line, out->ntitles);
		if (!row || !row[0]) {
			strv_free(row);
			continue;
		}
		char *end = NULL;
		const char *cell = strv_len(row) > pid_col ? row[pid_col] : "";
		long pid = strtol(cell, &end, 10);
		if (!*cell || *end) {
			snprintf(err, errlen, "Unexpected pid '%s' in ps output", cell);
			strv_free(row);
			ret = -1;
		} else if (!has_pid(pids, npids, pid)) {
			strv_free(row);
		} else if (add_row(out, row) < 0) {
			snprintf(err, errlen, "out of memory");
			ret = -1;
		}
	}
	free(copy);
	if (ret < 0)
		ps_table_free(out);
	return ret;
}

void ps_table_free(struct ps_table *t)
{
	strv_free(t->titles);
	for (size_t i = 0; i < t->nrows; i++)
		strv_free(t->rows[i]);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
