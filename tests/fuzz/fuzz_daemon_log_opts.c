/* Fuzzes the daemon's log options checker (engine/daemon/daemon_log.c): the first line is the
 * driver, each further line a --log-opt "KEY=VALUE". Invariants: an accepted set has a size of
 * at least 1KB, 1 to 1000 files and an owner-writable mode of at most 0777; a refused one says
 * which option; nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/daemon/daemon_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *opts[64];
	size_t n = 0;
	char *driver = text, *nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		for (char *line = nl + 1; line && n < 63;) {
			char *next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			opts[n++] = line;
			line = next;
		}
	}
	opts[n] = NULL;
	struct daemon_log_opts o;
	char err[256] = "";
	if (daemon_log_parse(*driver ? driver : NULL, opts, &o, err, sizeof(err)) == 0) {
		if (o.max_size < 1024 || o.max_files < 1 || o.max_files > 1000 || o.mode > 0777 ||
		    (o.mode & 0600) != 0600)
			abort();
	} else if (!strstr(err, "invalid log")) {
		abort();
	}
	free(text);
	return 0;
}
