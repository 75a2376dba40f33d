#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

int error_set(struct error *e, int code, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int error_exit_code(int code)
{
	switch (code) {
	case ERR_CMD_NOT_FOUND:
		return 127;
	case ERR_CMD_CANNOT_RUN:
		return 126;
	default:
		return 125;
	}
}
