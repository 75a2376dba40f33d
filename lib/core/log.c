#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static enum log_level g_level = LOG_LVL_WARN;
static FILE *g_out;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
/* Rotation (log_init_rotating): the file's path, its bound and the number of files kept. */
static char g_path[PATH_MAX];
static long long g_max_size;
static int g_max_files;
static unsigned g_mode;

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

static FILE *open_log(const char *path, unsigned mode)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode & 07777);
	if (fd < 0)
		return NULL;
	if (fchmod(fd, mode & 07777) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	FILE *f = fdopen(fd, "a");
	if (!f) {
		close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

int log_init_rotating(enum log_level level, const char *path, long long max_size, int max_files,
                      unsigned mode)
{
	if (strlen(path) + 8 >= sizeof(g_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	FILE *f = open_log(path, mode);
	if (!f)
		return -1;
	g_level = level;
	g_out = f;
	snprintf(g_path, sizeof(g_path), "%s", path);
	g_max_size = max_size;
	g_max_files = max_files;
	g_mode = mode;
	return 0;
}

/* Under g_lock: shifts path.N-2 .. path.1 and path up by one and starts a new path. When the
 * new file cannot be opened the old one is kept (appending is better than losing messages). */
static void rotate_locked(void)
{
	char from[PATH_MAX + 16], to[PATH_MAX + 16];
	for (int i = g_max_files - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", g_path);
		else
			snprintf(from, sizeof(from), "%s.%d", g_path, i - 1);
		snprintf(to, sizeof(to), "%s.%d", g_path, i);
		if (rename(from, to) < 0 && errno != ENOENT)
			return;
	}
	FILE *f = open_log(g_path, g_mode);
	if (!f)
		return;
	fclose(g_out);
	g_out = f;
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
	if (g_max_files > 1 && g_max_size > 0 && out == g_out && ftell(out) >= g_max_size)
		rotate_locked();
	pthread_mutex_unlock(&g_lock);
	va_end(ap);
}
