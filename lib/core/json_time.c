#include "core/json_time.h"

#include "core/json.h"
#include "core/timeutil.h"

void json_get_rfc3339(yajl_val obj, const char *key, struct timespec *ts)
{
	const char *s = json_get_str(obj, key);
	if (!s || time_parse_rfc3339(s, ts) < 0)
		ts->tv_sec = ts->tv_nsec = 0;
}
