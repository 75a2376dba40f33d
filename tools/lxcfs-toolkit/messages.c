/* The toolkit's messages: errors to stderr and progress to stdout, each also to the --log file
 * when one is given. */
#include <stdarg.h>
#include <stdio.h>

#include "core/log.h"
#include "toolkit.h"

static void tk_vsay(const struct toolkit *tk, FILE *out, enum log_level level, const char *prefix,
                    const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(out, "%s%s\n", prefix, msg);
	if (tk->logging)
		log_msg(level, "%s", msg);
}

void tk_error(const struct toolkit *tk, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tk_vsay(tk, stderr, LOG_LVL_ERROR, "lxcfs-toolkit: ", fmt, ap);
	va_end(ap);
}

void tk_info(const struct toolkit *tk, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tk_vsay(tk, stdout, LOG_LVL_INFO, "", fmt, ap);
	va_end(ap);
}
