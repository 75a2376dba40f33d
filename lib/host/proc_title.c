#include "host/proc_title.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/strv.h"

/* One past the last byte of the strings of v that follow each other from *end on. */
static char *contiguous_end(char *end, char **v)
{
	for (size_t i = 0; v && v[i]; i++) {
		if (v[i] != end)
			break;
		end = v[i] + strlen(v[i]) + 1;
	}
	return end;
}

/* The environment moved to the heap, without the room variable: the original strings are
 * about to be written over. Rebuilt through setenv, so that libc owns it (a later setenv,
 * liblxc's, may replace the array). */
static int move_environ(void)
{
	char **copy = strv_dup(environ);
	if (!copy)
		return -1;
	size_t vlen = strlen(PROC_TITLE_ROOM_VAR);
	clearenv();
	int ret = 0;
	for (size_t i = 0; copy[i]; i++) {
		char *eq = strchr(copy[i], '=');
		if (!eq || (eq - copy[i] == (ptrdiff_t)vlen &&
		            strncmp(copy[i], PROC_TITLE_ROOM_VAR, vlen) == 0))
			continue;
		*eq = '\0';
		if (setenv(copy[i], eq + 1, 1) < 0)
			ret = -1;
	}
	strv_free(copy);
	return ret;
}

int proc_title_set(const char *args, size_t len, char **argv)
{
	/* The room, found at the first call (argv and the environment as exec left them); a
	 * later call (a forked spare monitor shows its standby title, then its job's) reuses it. */
	static char *start;
	static size_t room;
	if (len == 0 || args[len - 1] != '\0' || (!start && (!argv || !argv[0]))) {
		errno = EINVAL;
		return -1;
	}
	if (!start) {
		char *end = contiguous_end(contiguous_end(argv[0], argv), environ);
		if (move_environ() < 0)
			return -1;
		start = argv[0];
		room = (size_t)(end - start);
	}
	size_t shown = room;
	long page = sysconf(_SC_PAGESIZE);
	if (page > 0 && shown > (size_t)page)
		shown = (size_t)page; /* the kernel reads one page of a title */
	size_t n = len - 1 < shown - 1 ? len - 1 : shown - 1;
	memset(start, 0, room);
	for (size_t i = 0; i < n; i++)
		start[i] = args[i] ? args[i] : ' ';
	return 0;
}
