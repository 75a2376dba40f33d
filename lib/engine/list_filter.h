/* The filters of list and events requests (`isula ps -f`, `network ls -f`, `events`): the
 * client's KEY=VALUE flags as the JSON object of ?filters=, the daemon's check of that object
 * and the matching of its values. */
#ifndef LIB_ENGINE_LIST_FILTER_H
#define LIB_ENGINE_LIST_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_tree.h>

/* {"key":["v1","v2"],...} from flags KEY=VALUE (a key given twice gets both values), malloc'd;
 * NULL with err naming the flag that has no "=" or an empty key. */
char *list_filters_from_flags(char *const *flags, size_t n, char *err, size_t errlen);

/* Parses ?filters=: a JSON object whose keys are all in known (NULL-terminated). NULL with err
 * saying why: yajl's message, "filters must be a JSON object", or "Invalid filter 'KEY':
 * allowed are ..." naming the known ones. */
yajl_val list_filters_parse(const char *text, const char *const *known, char *err, size_t errlen);

/* Whether the filter f lets an item through on key: yes when f has no such key (or null), or
 * when pred(item, want) holds for one of its values: an array of strings, an object's keys
 * (Docker's {"key": {"value": true}}) or a single string; an empty list lets everything
 * through, a value of another type (a number) nothing. */
bool list_filter_any(yajl_val f, const char *key, bool (*pred)(const void *item, const char *want),
                     const void *item);

#endif
