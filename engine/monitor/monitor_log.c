/* What the monitor and its hooks report: lines in the container's monitor log (its own stderr
 * belongs to the container while liblxc runs it), and the reason a hook fails a start, left
 * in the state dir for the daemon's error message. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "engine/exit_record.h"
#include "engine/oci_hook_exec.h"
#include "monitor.h"

void monitor_log(const char *state_dir, const char *fmt, ...)
{
	/* Our stderr is the container's while liblxc runs it: this goes to our own log. */
	char *log = path_join(state_dir, MONITOR_LOG_FILE);
	int fd = log ? open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	free(log);
	if (fd < 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	dprintf(fd, "isulad-monitor: ");
	vdprintf(fd, fmt, ap);
	dprintf(fd, "\n");
	va_end(ap);
	close(fd);
}

void monitor_start_error(const char *state_dir, const char *err)
{
	monitor_log(state_dir, "%s", err);
	char *path = path_join(state_dir, OCI_HOOK_ERROR_FILE);
	if (path)
		atomic_replace_file(path, err, strlen(err), 0600);
	free(path);
}
