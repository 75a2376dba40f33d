/* Thin helpers over yajl: typed lookups in parsed trees, and a generator wrapper. */
#ifndef LIB_CORE_JSON_H
#define LIB_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

/* The deepest nesting of arrays and objects json_parse accepts. yajl_tree_free (and every
 * walker of a parsed tree) recurses once per level: a deep document from outside would
 * overflow a thread's stack. 64 is far more than any document of the API needs. */
#define JSON_MAX_DEPTH 64

/* Whether text (NUL-terminated) nests at most max levels: 1 if so, 0 if deeper, -1 if it is
 * not valid JSON before reaching that depth (the tree parse reports why). Runs yajl's own
 * lexer (with comments allowed, as yajl_tree_parse does) without building anything. */
int json_depth_ok(const char *text, unsigned max);
/* yajl_tree_parse for anything read from outside (requests, answers, files): refuses
 * documents nested deeper than JSON_MAX_DEPTH before building a tree. NULL with a message in
 * err (when errlen > 0) on failure. Use this instead of yajl_tree_parse everywhere. */
yajl_val json_parse(const char *text, char *err, size_t errlen);

#ifndef JSON_IMPLEMENTATION
#pragma GCC poison yajl_tree_parse
#endif

/* Lookups of a direct member of an object; NULL/default when absent or of another type
 * (json_get_int: a number with a fraction is cut to an integer; one out of int64's range
 * gives the default). */
yajl_val json_get(yajl_val obj, const char *key);
const char *json_get_str(yajl_val obj, const char *key);
int64_t json_get_int(yajl_val obj, const char *key, int64_t dflt);
bool json_get_bool(yajl_val obj, const char *key, bool dflt);
/* Array of strings (or a single string) as a new strv; NULL if absent. */
char **json_get_strv(yajl_val obj, const char *key);

/* Generator helpers: each emits "key": value inside the current map. */
void jg_key(yajl_gen g, const char *key);
/* A string value (or key); invalid UTF-8 bytes become U+FFFD. */
void jg_str(yajl_gen g, const char *s);
void jg_strn(yajl_gen g, const char *s, size_t len);
void jg_kstr(yajl_gen g, const char *key, const char *val);
void jg_kint(yajl_gen g, const char *key, int64_t val);
void jg_kbool(yajl_gen g, const char *key, bool val);
void jg_kstrv(yajl_gen g, const char *key, char *const *v);
/* "KEY": {"k": "v", ...} from a strv of "k=v" entries. */
void jg_kmap_from_kv(yajl_gen g, const char *key, char *const *kv);
/* Copies a parsed tree value into the generator. */
void jg_value(yajl_gen g, yajl_val v);
/* Takes the generated buffer as a malloc'd string and frees the generator. */
char *jg_finish(yajl_gen g, size_t *len);
/* The same, with a newline after the JSON (one line of a JSON-lines stream). */
char *jg_finish_line(yajl_gen g);

#endif
