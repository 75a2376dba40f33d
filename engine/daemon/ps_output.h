/* The output of host `ps`, cut into Docker's top shape: the titles of its header and, for
 * the processes of one container, one row of cells per process (the last cell keeps the
 * rest of the line, so commands with spaces stay whole). */
#ifndef LIB_PS_OUTPUT_H
#define LIB_PS_OUTPUT_H

#include <stddef.h>
#include <sys/types.h>

struct ps_table {
	char **titles; /* strv */
	size_t ntitles;
	char ***rows; /* nrows strvs of ntitles cells each */
	size_t nrows;
};

/* Keeps the rows whose PID column is in pids. 0, or -1 with err naming the problem (no PID
 * column, an unreadable PID). */
int ps_table_parse(const char *text, const pid_t *pids, size_t npids, struct ps_table *out,
                   char *err, size_t errlen);
void ps_table_free(struct ps_table *t);

#endif
