/* The one gate for generated liblxc config lines: every "lxc.KEY = VALUE" line the engine
 * writes goes through lxc_conf_line, which refuses a value liblxc would read differently
 * from what was meant (a newline starts a new line, i.e. an arbitrary lxc.hook; liblxc trims
 * blanks and strips quotes; mount entries are split on blanks; hooks run through sh -c). The
 * create checks use the same predicate to answer 400 before anything is created. */
#ifndef LIB_ENGINE_LXC_CONF_H
#define LIB_ENGINE_LXC_CONF_H

#include <stddef.h>

#include "core/strbuf.h"

/* The post-stop hook of a container without OCI poststop hooks: it only refuses liblxc's
 * in-monitor reboot (the daemon restarts a rebooted container freshly; the monitor tells a
 * reboot by its init's SIGHUP) by failing when LXC_TARGET is reboot. Shell code, so a stop
 * costs no exec of the monitor; liblxc runs a hook as `sh -c "exec HOOK NAME lxc post-stop"`,
 * so the hook is a command (a shell, whose $0.. take those words), not shell syntax. The
 * one hook value with shell syntax the checker lets through. */
#define LXC_HOOK_REFUSE_REBOOT "/bin/sh -c 'test \"$LXC_TARGET\" != reboot'"

/* Why value cannot be the value of the line of key (a static message: "contains a control
 * character"...), or NULL when it can. key may be NULL (the rules every key shares). */
const char *lxc_conf_value_problem(const char *key, const char *value);
/* Why s cannot be one blank-separated field of a line (a mount entry's source or target),
 * or NULL. */
const char *lxc_conf_field_problem(const char *s);
/* s for an error message: control characters and backslashes escaped (\n, \x01), cut to
 * about len bytes. Returns buf. */
char *lxc_conf_quote(const char *s, char *buf, size_t len);

/* Rendering one config (per thread): begin, any number of lines, end. A refused value writes
 * nothing and makes end fail with err naming the key and the value. */
void lxc_conf_begin(void);
void lxc_conf_line(struct strbuf *out, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* 0, or -1 with err set when a line was refused since begin. */
int lxc_conf_end(char *err, size_t errlen);

#endif
