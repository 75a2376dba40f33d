#include "proc_parse.h"

#include <stdlib.h>
#include <string.h>

static const char *line_value(const char *text, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = text; p && *p;) {
		if (strncmp(p, key, n) == 0)
			return p + n;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

int proc_status_nspid_ppid(const char *status, pid_t *nspid_last, pid_t *ppid)
{
	const char *ns = line_value(status, "NSpid:");
	const char *pp = line_value(status, "PPid:");
	if (!ns || !pp)
		return -1;
	long last = -1;
	for (;;) {
		char *end;
		long v = strtol(ns, &end, 10);
		if (end == ns)
			break;
		last = v;
		ns = end;
		if (*ns == '\n')
			break;
	}
	if (last < 0)
		return -1;
	*nspid_last = (pid_t)last;
	*ppid = (pid_t)strtol(pp, NULL, 10);
	return 0;
}
