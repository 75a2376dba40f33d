/* Leveled logging to stderr or a file, shared by every binary. */
#ifndef LIB_CORE_LOG_H
#define LIB_CORE_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* level_name: one of FATAL ALERT CRIT ERROR WARN NOTICE INFO DEBUG TRACE (iSulad names). */
int log_level_parse(const char *level_name, enum log_level *out);
void log_init(enum log_level level, const char *path);
/* A log file that rotates: once it holds max_size bytes or more, path.N-2 becomes path.N-1,
 * ..., path becomes path.1 and a new path is started, for max_files files in all (max_files
 * <= 1 or max_size <= 0: never rotated). Every file gets mode (not masked by the umask).
 * Returns 0, or -1 with errno when path cannot be opened (nothing changed then). */
int log_init_rotating(enum log_level level, const char *path, long long max_size, int max_files,
                      unsigned mode);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOG_ERROR(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
