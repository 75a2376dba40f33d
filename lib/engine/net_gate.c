#include "engine/net_gate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "engine/oci_hook_exec.h"

static int gate_file(const char *state_dir, const char *name, const char *text)
{
	char *path = path_join(state_dir, name);
	int ret = path ? atomic_replace_file(path, text, strlen(text), 0600) : -1;
	free(path);
	return ret;
}

int net_gate_release(const char *state_dir, const char *why)
{
	if (!why)
		return gate_file(state_dir, NET_READY_FILE, "");
	/* The reason first: the start's error is read from it once the hook has failed. */
	gate_file(state_dir, OCI_HOOK_ERROR_FILE, why);
	return gate_file(state_dir, NET_FAILED_FILE, why);
}

int net_gate_abandon(const char *state_dir, const char *why)
{
	char *ready = path_join(state_dir, NET_READY_FILE);
	char *failed = path_join(state_dir, NET_FAILED_FILE);
	int ret = -1;
	if (ready && failed)
		ret = path_exists(ready) || path_exists(failed) ? 0 : 1;
	free(ready);
	free(failed);
	if (ret == 1 && net_gate_release(state_dir, why) < 0)
		ret = -1;
	return ret;
}

void net_gate_reset(const char *state_dir)
{
	const char *names[] = {NET_READY_FILE, NET_FAILED_FILE};
	for (size_t i = 0; i < 2; i++) {
		char *path = path_join(state_dir, names[i]);
		if (path)
			unlink(path);
		free(path);
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int net_gate_wait(const char *state_dir, int64_t limit_ms)
{
	char *ready = path_join(state_dir, NET_READY_FILE);
	char *failed = path_join(state_dir, NET_FAILED_FILE);
	int64_t deadline = now_ms() + (limit_ms > 0 ? limit_ms : 120000);
	int ret = -1;
	while (ready && failed && now_ms() < deadline) {
		if (access(ready, F_OK) == 0) {
			ret = 0;
			break;
		}
		if (access(failed, F_OK) == 0)
			break;
		struct timespec ts = {0, 1000000}; /* 1 ms: ADD takes tens of them */
		nanosleep(&ts, NULL);
	}
	free(ready);
	free(failed);
	return ret;
}
