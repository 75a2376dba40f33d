/* One daemon per pid file: an exclusive flock held for the daemon's lifetime. */
#ifndef LIB_CORE_PIDFILE_H
#define LIB_CORE_PIDFILE_H

#include <stddef.h>

/* Creates the file (and its directory) and locks it. The fd, or -1 with a message in err
 * ("another PROG is running: pid file PATH is locked (pid N)"). The lock passes to a child
 * across fork, so a daemon may lock before it detaches. */
int pidfile_lock(const char *path, const char *prog, char *err, size_t errlen);
/* Replaces the content with the calling process's pid. 0, or -1 with errno set. */
int pidfile_write(int fd);

#endif
