/* Fuzzes parsers of texts a container (or its runtime) writes and the host reads: the first
 * byte picks one, the rest is split at the first NUL byte. 0: -u/--user against the rootfs's
 * /etc/passwd and /etc/group (lib/host/passwd: spec, then passwd, then group after further
 * NULs); 1: the OCI state a hook reads on stdin (lib/engine/hook_state), running and
 * stopped; 2: host `ps` output whose commands the container chose (engine/daemon/ps_output),
 * cut for pids 1, 42 and 4242. Invariants: a refusal says why; a resolved user is what a
 * numeric spec says; a running state has a pid > 0; a ps table has as many cells in each row
 * as titles, and only rows of the given pids; nothing leaks (ASan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "engine/daemon/ps_output.h"
#include "engine/hook_state.h"
#include "host/passwd.h"

/* The NUL-separated parts of data (each its own malloc'd, exact-size C string). */
static void split(const uint8_t *data, size_t size, char **p, int n)
{
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		const uint8_t *nul = at < size ? memchr(data + at, 0, size - at) : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;
		size_t len = at < size ? end - at : 0;
		p[i] = malloc(len + 1);
		if (!p[i])
			abort();
		memcpy(p[i], data + at, len);
		p[i][len] = '\0';
		at = nul ? end + 1 : size;
	}
}

static void user(char **p)
{
	uid_t uid = 77;
	gid_t gid = 77;
	char err[512] = "";
	if (user_spec_resolve(p[0], *p[1] ? p[1] : NULL, *p[2] ? p[2] : NULL, &uid, &gid, err,
	                      sizeof(err)) < 0) {
		if (!err[0])
			abort();
		return;
	}
	unsigned long u, g;
	char tail;
	if (sscanf(p[0], "%lu:%lu%c", &u, &g, &tail) == 2 &&
	    strspn(p[0], "0123456789:") == strlen(p[0]) && u <= 0x7fffffff && g <= 0x7fffffff &&
	    (uid != u || gid != g))
		abort();
}

static void state(const char *json)
{
	struct hook_state s;
	char err[512] = "";
	if (hook_state_parse(json, &s, err, sizeof(err)) == 0) {
		if (s.pid <= 0)
			abort();
		hook_state_free(&s);
	} else if (!err[0]) {
		abort();
	}
	err[0] = '\0';
	if (hook_state_parse_stopped(json, &s, err, sizeof(err)) == 0) {
		if (s.pid < 0)
			abort();
		hook_state_free(&s);
	} else if (!err[0]) {
		abort();
	}
}

static void ps(const char *text)
{
	static const pid_t pids[] = {1, 42, 4242};
	struct ps_table t;
	char err[512] = "";
	if (ps_table_parse(text, pids, 3, &t, err, sizeof(err)) < 0) {
		if (!err[0])
			abort();
		return;
	}
	for (size_t r = 0; r < t.nrows; r++) {
		for (size_t c = 0; c < t.ntitles; c++) {
			if (!t.rows[r][c])
				abort();
		}
		if (t.rows[r][t.ntitles])
			abort();
	}
	ps_table_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 64 * 1024)
		return 0;
	char *p[3];
	split(data + 1, size - 1, p, 3);
	switch (data[0] % 3) {
	case 0:
		user(p);
		break;
	case 1:
		state(p[0]);
		break;
	default:
		ps(p[0]);
		break;
	}
	for (int i = 0; i < 3; i++)
		free(p[i]);
	return 0;
}
