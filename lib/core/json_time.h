/* An RFC 3339 time read from a JSON object (the state files' StartedAt, FinishedAt, Start...). */
#ifndef LIB_CORE_JSON_TIME_H
#define LIB_CORE_JSON_TIME_H

#include <time.h>
#include <yajl/yajl_tree.h>

/* obj[key] parsed into ts; zero when absent or not an RFC 3339 time. */
void json_get_rfc3339(yajl_val obj, const char *key, struct timespec *ts);

#endif
