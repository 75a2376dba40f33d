/* The one-line text form of a Docker/iSulad event, as `isula events` prints it:
 *   2022-05-10T17:20:34.661862100+08:00 container start <id> (image=none, name=x, pid=9007)
 * (local time with nanoseconds, attributes sorted by key, no parentheses without any). */
#ifndef LIB_EVENT_LINE_H
#define LIB_EVENT_LINE_H

#include <yajl/yajl_tree.h>

/* ev is one event object of GET /events; returns a malloc'd line (no newline) or NULL. */
char *event_format_line(yajl_val ev);

#endif
