/* isulad-tools: the container session every command opens (see tool.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "tool.h"

int tool_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

struct cli_values *tool_parse(const char *cmd, const char *usage, const struct cli_option *opts,
                              size_t n, size_t help, int argc, char **argv, int *rc)
{
	char err[512];
	struct cli_values *v = cli_parse(opts, n, argc, argv, false, err, sizeof(err));
	char line[256];
	snprintf(line, sizeof(line), "isulad-tools %s %s", cmd, usage);
	if (!v) {
		fprintf(stderr, "Incorrect Usage: %s\n\n", err);
		cli_print_help(stderr, line, opts, n);
		*rc = 1;
		return NULL;
	}
	if (cli_bool(v, help)) {
		cli_print_help(stdout, line, opts, n);
		cli_values_free(v);
		*rc = 0;
		return NULL;
	}
	return v;
}

int tool_print_text(char *text)
{
	if (!text)
		return tool_fail("out of memory");
	fputs(text, stdout);
	free(text);
	return 0;
}

/* ^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$, the original's rule (an ID prefix passes it too). */
static bool name_valid(const char *s)
{
	if (*s == '/')
		s++;
	size_t n = strlen(s);
	if (n < 2 || n > 255 ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	      (s[0] >= '0' && s[0] <= '9')))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* The capabilities the commands use (netlink, mounts and setns, mknod, the engine's 0600
 * files): checked first, so that a non-root caller learns why rather than meeting EPERM half
 * way through a change. */
static int require_capabilities(void)
{
	static const struct {
		cap_value_t cap;
		const char *name;
	} need[] = {{CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	            {CAP_NET_ADMIN, "CAP_NET_ADMIN"},
	            {CAP_MKNOD, "CAP_MKNOD"},
	            {CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"}};
	cap_t caps = cap_get_proc();
	if (!caps)
		return tool_fail("cannot read this process's capabilities: %m");
	const char *missing = NULL;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]) && !missing; i++) {
		cap_flag_value_t v = CAP_CLEAR;
		if (cap_get_flag(caps, need[i].cap, CAP_EFFECTIVE, &v) < 0 || v != CAP_SET)
			missing = need[i].name;
	}
	cap_free(caps);
	if (missing)
		return tool_fail("isulad-tools must run as root: it lacks %s", missing);
	return 0;
}

int tool_session_open(const struct tool *tool, const char *ref, bool config_only,
                      struct tool_session *s)
{
	memset(s, 0, sizeof(*s));
	s->lock = -1;
	s->t.pin.pidfd = -1;
	if (require_capabilities() != 0)
		return 1;
	if (!name_valid(ref))
		return tool_fail("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are "
		                 "allowed",
		                 ref);
	struct error e = {0};
	if (hotplug_target_from_engine(tool->host, ref, &s->t, &e) < 0)
		return tool_fail("%s", e.msg);
	if ((s->lock = hotplug_record_lock(s->t.dir, HOTPLUG_LOCK_WAIT_MS, &e)) < 0 ||
	    hotplug_record_load(s->t.dir, &s->r, &e) < 0) {
		tool_session_close(s);
		return tool_fail("%s", e.msg);
	}
	/* It may have stopped, restarted or started while this waited for the lock (a start
	 * hook holds it): find its init again, so that a change reaches the running one. */
	if (!hotplug_target_running(&s->t)) {
		struct hotplug_target now;
		if (hotplug_target_from_engine(tool->host, s->t.id, &now, &e) < 0) {
			tool_session_close(s);
			return tool_fail("%s", e.msg);
		}
		free(now.name);
		now.name = s->t.name;
		s->t.name = NULL;
		hotplug_target_free(&s->t);
		s->t = now;
	}
	s->live = !config_only && hotplug_target_running(&s->t);
	return 0;
}

int tool_session_save(struct tool_session *s)
{
	struct error e = {0};
	if (hotplug_record_save(s->t.dir, &s->r, &e) < 0)
		return tool_fail("%s", e.msg);
	return 0;
}

void tool_session_close(struct tool_session *s)
{
	hotplug_record_free(&s->r);
	hotplug_target_free(&s->t);
	hotplug_record_unlock(s->lock);
	s->lock = -1;
}
