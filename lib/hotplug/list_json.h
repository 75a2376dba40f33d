/* The JSON the list-* commands print: an array, compact or (pretty) indented with a tab as the
 * original tools' json.MarshalIndent, one final newline, and nothing at all for an empty list
 * (the originals print nothing then). */
#ifndef LIB_HOTPLUG_LIST_JSON_H
#define LIB_HOTPLUG_LIST_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>

/* A generator with the array opened, or NULL (out of memory). */
yajl_gen hp_list_begin(bool pretty);
/* Closes the array and frees g: the text (malloc'd; "" when shown is 0), or NULL. */
char *hp_list_end(yajl_gen g, size_t shown);
#endif
