/* Fuzzes the small parsers of API and command-line arguments the daemon takes from callers:
 * the first byte picks one, the rest is its text. 0: a signal (kill ?signal=, --stop-signal;
 * lib/engine/signals); 1: a restart policy (--restart, RestartPolicy; restart_policy);
 * 2: a cp argument and path (lib/engine/cp_path). Invariants: an accepted signal is
 * 1..SIGRTMAX and its canonical name parses to it; an accepted policy's name parses back to
 * the same kind; a split path's parts are what the argument holds and a cp plan names a
 * directory or an error; nothing leaks (ASan). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cp_path.h"
#include "engine/restart_policy.h"
#include "engine/signals.h"
#include "tests/fuzz/fuzz_input.h"

static void sig(const char *s)
{
	int n = signal_parse(s);
	if (n < 0)
		return;
	char buf[32];
	if (n < 1 || n > SIGRTMAX || !signal_name(n, buf, sizeof(buf)) || signal_parse(buf) != n)
		abort();
}

static void restart(const char *s)
{
	struct restart_policy p;
	char err[256] = "";
	if (restart_policy_parse(s, &p, err, sizeof(err)) < 0) {
		if (!err[0])
			abort();
		return;
	}
	const char *name = restart_policy_name(p.kind);
	struct restart_policy q;
	if (!name || p.max_retries < 0 || restart_policy_parse(name, &q, err, sizeof(err)) < 0 ||
	    q.kind != p.kind)
		abort();
}

static void cp(const char *s, uint8_t sel)
{
	char *ctr = NULL;
	const char *path = NULL;
	if (cp_split_arg(s, &ctr, &path) == 0) {
		if (!path || path < s || path > s + strlen(s) || (ctr && !strstr(s, ctr)))
			abort();
		free(ctr);
	}
	char *dir = NULL, *base = NULL;
	if (cp_split_dir_entry(s, &dir, &base) == 0) {
		if (!dir || !base)
			abort();
		free(dir);
		free(base);
	}
	cp_asserts_dir(s);
	struct cp_info src = {.path = "/etc/hosts", .exists = true, .is_dir = sel & 2};
	struct cp_info dst = {.path = s, .exists = sel & 4, .is_dir = sel & 8};
	char *dst_dir = NULL, *from = NULL, *to = NULL;
	const char *err = NULL;
	if (cp_prepare(&src, &dst, &dst_dir, &from, &to, &err) == 0) {
		if (!dst_dir)
			abort();
	} else if (!err) {
		abort();
	}
	free(dst_dir);
	free(from);
	free(to);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	char *s = fuzz_cstr(data + 1, size - 1);
	if (!s)
		return 0;
	switch (data[0] % 3) {
	case 0:
		sig(s);
		break;
	case 1:
		restart(s);
		break;
	default:
		cp(s, data[0]);
		break;
	}
	free(s);
	return 0;
}
