#include "engine/exit_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "core/timeutil.h"

int exit_record_code(int status)
{
	if ((status & 0xff) == 0x7f)
		return 128 + ((status >> 8) & 0xff);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int exit_record_write(const char *state_dir, const struct exit_record *rec)
{
	char when[64], buf[256];
	time_format_rfc3339(&rec->finished_at, when, sizeof(when));
	int n = snprintf(buf, sizeof(buf),
	                 "{\"ExitCode\":%d,\"Reboot\":%s,\"Started\":%s,\"FinishedAt\":\"%s\"}\n",
	                 rec->exit_code, rec->reboot ? "true" : "false",
	                 rec->started ? "true" : "false", when);
	char *path = path_join(state_dir, EXIT_RECORD_FILE);
	int ret = path ? atomic_replace_file(path, buf, (size_t)n, 0600) : -1;
	free(path);
	return ret;
}

int exit_record_read(const char *state_dir, struct exit_record *rec)
{
	char *path = path_join(state_dir, EXIT_RECORD_FILE);
	char *text = path ? read_file(path, 4096, NULL) : NULL;
	yajl_val root = text ? json_parse(text, NULL, 0) : NULL;
	int ret = -1;
	memset(rec, 0, sizeof(*rec));
	if (root && json_get(root, "ExitCode")) {
		rec->exit_code = (int)json_get_int(root, "ExitCode", 0);
		rec->reboot = json_get_bool(root, "Reboot", false);
		rec->started = json_get_bool(root, "Started", false);
		const char *when = json_get_str(root, "FinishedAt");
		if (when)
			time_parse_rfc3339(when, &rec->finished_at);
		ret = 0;
	}
	if (root)
		yajl_tree_free(root);
	free(text);
	free(path);
	return ret;
}

void exit_record_clear(const char *state_dir)
{
	const char *files[] = {EXIT_RECORD_FILE, EXIT_TARGET_FILE};
	for (size_t i = 0; i < 2; i++) {
		char *path = path_join(state_dir, files[i]);
		if (path)
			unlink(path);
		free(path);
	}
}
