/* Hot-plugged routes of a container's main table: the rules of add-route/remove-route (a
 * JSON array of {"dest","src","gw","dev"}), their matching and their application in the
 * container's network namespace (research/tools.md §1.7). */
#ifndef LIB_HOTPLUG_ROUTE_H
#define LIB_HOTPLUG_ROUTE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "hotplug/netns_pin.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

/* The longest rule text accepted (far above HOTPLUG_MAX_ROUTES rules). */
#define HP_ROUTE_TEXT_MAX (256 << 10)
/* A field's longest value (an IPv6 CIDR is 43 bytes). */
#define HP_ROUTE_FIELD_MAX 64

/* Parses len bytes of text (need not end in NUL; a NUL inside is an error) as a rule list:
 * a JSON array of objects whose keys are dest, src, gw and dev (case-insensitively, as the
 * original's Go decoding), with string values. Bounded: at most HP_ROUTE_TEXT_MAX bytes,
 * HOTPLUG_MAX_ROUTES rules, HP_ROUTE_FIELD_MAX bytes a field, JSON_MAX_DEPTH levels.
 * On success *out (malloc'd, hp_route_free each entry) holds *n >= 1 rules (empty strings
 * are NULL). 0, or -1 with e: "rule can't be empty" or "malformed rule format: ...". */
int hp_routes_parse(const char *text, size_t len, struct hp_route **out, size_t *n,
                    struct error *e);
/* A list-route filter: one object of the same keys. 0, or -1 with e ("malformed filter
 * format: ..."). */
int hp_route_filter_parse(const char *text, struct hp_route *f, struct error *e);
void hp_routes_free(struct hp_route *v, size_t n);

/* Checks a rule to be applied: dest "default", empty or a CIDR; src and gw IP addresses;
 * dev a link name; at least one of src, gw and dev; one address family. 0, or -1 with e. */
int hp_route_validate(const struct hp_route *r, struct error *e);
/* The original's IsSameRoute: every non-empty field of query equals route's (dest "" and
 * "default" are the same). */
bool hp_route_match(const struct hp_route *query, const struct hp_route *route);
/* "{dest:D,src:S,gw:G,dev:V}" into buf. */
const char *hp_route_str(const struct hp_route *r, char *buf, size_t len);
/* The routes matching f (NULL: all) as a JSON array of {"dest","src","gw","dev"} with a
 * newline, indented when pretty; "" when none. malloc'd, NULL when out of memory. */
char *hp_route_list_render(const struct hotplug_record *r, const struct hp_route *f, bool pretty);

/* Adds the route to the container's namespace. 0, or -1 with e ("failed to get link by name
 * %s: ...", the kernel's refusal). */
int hp_route_apply(struct hp_net *net, const struct hp_route *r, struct error *e);
/* Deletes it; a route already gone is fine. 0, or -1 with e. */
int hp_route_unapply(struct hp_net *net, const struct hp_route *r, struct error *e);

/* ---- isulad-tools' commands (route_ops.c)
 *
 * Each records first, then, when live, changes the running container's namespace; a failed
 * rule undoes the rules of the same call and the previous record is saved back. Their error
 * messages are whole lines in the original tools' words ("failed to add route: ..."), their
 * progress lines go to out (NULL: none), naming the container as t->name. */

/* add-route's checks of its rules alone: each hp_route_validate's, and no two matching each
 * other. 0, or -1 with e ("failed to add route: ..."). */
int hp_routes_check(const struct hp_route *rules, size_t n, struct error *e);
/* add-route: the rules (hp_routes_check), at most HOTPLUG_MAX_ROUTES in the record and none
 * matching a recorded route, are recorded, then added to the container. 0, or -1 with e. */
int hotplug_routes_add(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                       const struct hp_route *rules, size_t n, FILE *out, struct error *e);
/* remove-route: every recorded route one of the rules matches (each rule must match one)
 * leaves the record, then the container. 0, or -1 with e. */
int hotplug_routes_remove(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                          const struct hp_route *rules, size_t n, FILE *out, struct error *e);
#endif
