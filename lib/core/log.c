#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static enum log_level g_level = LOG_LVL_WARN;
static FILE *g_out;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int log_level_parse(const char *name, enum log_level *out)
{
	static const struct {
		const char *name;
		enum log_level level;
	} table[] = {
	    {"FATAL", LOG_LVL_ERROR}, {"ALERT", LOG_LVL_ERROR}, {"CRIT", LOG_LVL_ERROR},
	    {"ERROR", LOG_LVL_ERROR}, {"WARN", LOG_LVL_WARN},   {"NOTICE", LOG_LVL_INFO},
	    {"INFO", LOG_LVL_INFO},   {"DEBUG", LOG_LVL_DEBUG}, {"TRACE", LOG_LVL_DEBUG},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcasecmp(name, table[i].name) == 0) {
			*out = table[i].level;
			return 0;
		}
	}
	return -1;
}

void log_init(enum log_level level, const char *path)
{
	g_level = level;
	if (path) {
		FILE *f = fopen(path, "ae");
		if (f) {
			setvbuf(f, NULL, _IOLBF, 0);
			g_out = f;
		}
	}
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
	if (level > g_level)
		return;
	FILE *out = g_out ? g_out : stderr;
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d %H:%M:%S", &tm);
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&g_lock);
	fprintf(out, "%s.%03ld %s: ", stamp, ts.tv_nsec / 1000000, names[level]);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	pthread_mutex_unlock(&g_lock);
	va_end(ap);
}
