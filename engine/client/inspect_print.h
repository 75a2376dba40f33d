/* Go's printing of decoded JSON values, for `isula inspect -f` (inspect_template.c). */
#ifndef CLIENT_INSPECT_PRINT_H
#define CLIENT_INSPECT_PRINT_H

#include <yajl/yajl_tree.h>

#include "core/strbuf.h"

/* Compact JSON as Go's encoding/json writes it with SetEscapeHTML(false), as Docker's
 * {{json}} does: object keys in document order, integral numbers as integers, others in the
 * shortest form that reads back to the same double; NULL as null. */
void inspect_print_json(struct strbuf *b, yajl_val v);
/* One string of that JSON, quoted and escaped (U+2028 and U+2029 too, as Go does). */
void inspect_print_json_string(struct strbuf *b, const char *s);
/* Go's %v of the value: strings raw, objects as map[k1:v1 k2:v2] with sorted keys, arrays as
 * [a b c], null as <nil>. */
void inspect_print_plain(struct strbuf *b, yajl_val v);

#endif
