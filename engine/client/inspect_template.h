/* The Go text/template subset that `isula inspect -f` needs, evaluated over a yajl tree. */
#ifndef ISULAD_LIB_INSPECT_TEMPLATE_H
#define ISULAD_LIB_INSPECT_TEMPLATE_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

/*
 * Renders tmpl against root. Text outside {{ }} is copied verbatim (backslash escapes are the
 * shell's business). Inside an action, whitespace is free and one pipeline is allowed:
 *   {{.}}  {{.A.B.C}}                 field paths (exact-case object keys)
 *   {{json .A}}                        compact JSON (object keys in document order)
 *   {{index .A "key"}}  {{index .A 0}}  also several keys: {{index .A "b" 0}}
 *   {{.A | json}}                      pipes pass the value as the last argument
 *   "text", `raw`, 42                  literals, as arguments or printed
 *   comments: "{{" slash-star ... star-slash "}}", ignored
 * Printing follows Go's defaults: strings raw, integral numbers as integers, true/false,
 * objects as map[k1:v1 k2:v2] with sorted keys, arrays as [a b c], nested null as <nil>, and
 * a missing key or null at top level as <no value>.
 *
 * Returns malloc'd output, or NULL with err set to a message starting "template: " that names
 * the bad part (unclosed action, unknown function, wrong argument, index out of range, field of
 * a non-object, unsupported action such as range/if). The whole template is syntax-checked
 * before anything is evaluated, as Go does.
 */
char *inspect_template_render(const char *tmpl, yajl_val root, char *err, size_t errlen);

#endif
