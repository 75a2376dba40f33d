/* The route flows of isulad-tools add-route and remove-route (see route.h): the rules are
 * recorded first, then applied in the running container's network namespace; a failed rule
 * undoes the rules of the same call and restores the record. */
#include <stdlib.h>
#include <string.h>

#include "hotplug/route.h"

#define ADD_PREFIX "failed to add route: "
#define REMOVE_PREFIX "failed to remove route: "

/* Puts the command's words before e's message; returns -1. */
static int prefixed(struct error *e, const char *prefix)
{
	char msg[sizeof(e->msg)];
	snprintf(msg, sizeof(msg), "%s", e->msg);
	return error_set(e, e->code, "%s%s", prefix, msg);
}

int hp_routes_check(const struct hp_route *rules, size_t n, struct error *e)
{
	char buf[256];
	for (size_t i = 0; i < n; i++) {
		if (hp_route_validate(&rules[i], e) < 0)
			return prefixed(e, ADD_PREFIX);
		for (size_t j = 0; j < i; j++)
			if (hp_route_match(&rules[j], &rules[i]) ||
			    hp_route_match(&rules[i], &rules[j]))
				return error_set(e, ERR_INVALID, ADD_PREFIX "route %s alread exist",
				                 hp_route_str(&rules[i], buf, sizeof(buf)));
	}
	return 0;
}

/* A copy of r (NULL fields stay NULL). 0, or -1 (ENOMEM, c freeable). */
static int route_copy(const struct hp_route *r, struct hp_route *c)
{
	memset(c, 0, sizeof(*c));
	return (r->dest && !(c->dest = strdup(r->dest))) ||
	               (r->src && !(c->src = strdup(r->src))) ||
	               (r->gw && !(c->gw = strdup(r->gw))) || (r->dev && !(c->dev = strdup(r->dev)))
	           ? -1
	           : 0;
}

typedef int (*route_op)(struct hp_net *net, const struct hp_route *r, struct error *e);

/* Runs op on each rule in the container's namespace, all or none: after a failure, undo
 * reverts the ones done. 0, or -1 with e. */
static int run_all(const struct hotplug_target *t, const struct hp_route *rules, size_t n,
                   route_op op, route_op undo, struct error *e)
{
	struct hp_net net;
	size_t done = 0;
	if (hp_net_open_target(t, &net, e) < 0)
		return -1;
	for (; done < n; done++)
		if (op(&net, &rules[done], e) < 0)
			break;
	if (done < n) {
		struct error ignored;
		while (done > 0)
			undo(&net, &rules[--done], &ignored);
	}
	hp_net_close(&net);
	return done < n ? -1 : 0;
}

/* Adds the rules to the container's namespace; all or none. */
static int apply_all(const struct hotplug_target *t, const struct hp_route *rules, size_t n,
                     struct error *e)
{
	return run_all(t, rules, n, hp_route_apply, hp_route_unapply, e);
}

/* Deletes the routes from the container's namespace; all or none. */
static int unapply_all(const struct hotplug_target *t, const struct hp_route *routes, size_t n,
                       struct error *e)
{
	return run_all(t, routes, n, hp_route_unapply, hp_route_apply, e);
}

int hotplug_routes_add(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                       const struct hp_route *rules, size_t n, FILE *out, struct error *e)
{
	char buf[256];
	size_t before = r->n_routes;
	if (hp_routes_check(rules, n, e) < 0)
		return -1;
	if (before + n > HOTPLUG_MAX_ROUTES)
		return error_set(e, ERR_INVALID, ADD_PREFIX "at most %d routes in a container",
		                 HOTPLUG_MAX_ROUTES);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < before; j++)
			if (hp_route_match(&rules[i], &r->routes[j]))
				return error_set(e, ERR_EXISTS, ADD_PREFIX "route %s alread exist",
				                 hp_route_str(&r->routes[j], buf, sizeof(buf)));
	/* Recorded first; the record keeps its own copies. */
	for (size_t i = 0; i < n; i++) {
		struct hp_route c;
		if (route_copy(&rules[i], &c) < 0 ||
		    hp_array_push(&r->routes, &r->n_routes, sizeof(c), &c) < 0) {
			hp_route_free(&c);
			error_set(e, ERR_INTERNAL, "out of memory");
			goto restore;
		}
	}
	if (hotplug_record_save(t->dir, r, e) < 0)
		goto restore;
	if (live && apply_all(t, rules, n, e) < 0) {
		prefixed(e, ADD_PREFIX);
		goto restore;
	}
	for (size_t i = 0; out && i < n; i++)
		fprintf(out, "Add route to container %s, route: %s done\n", t->name,
		        hp_route_str(&rules[i], buf, sizeof(buf)));
	return 0;
restore:;
	struct error ignored;
	while (r->n_routes > before)
		hp_route_free(&r->routes[--r->n_routes]);
	hotplug_record_save(t->dir, r, &ignored);
	return -1;
}

int hotplug_routes_remove(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                          const struct hp_route *rules, size_t n, FILE *out, struct error *e)
{
	char buf[256];
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < r->n_routes && !hp_route_match(&rules[i], &r->routes[j]))
			j++;
		if (j == r->n_routes)
			return error_set(e, ERR_NOT_FOUND,
			                 REMOVE_PREFIX
			                 "Route(%s) is not added by isulad-tools, can "
			                 "not remove it, please check input parameter.",
			                 hp_route_str(&rules[i], buf, sizeof(buf)));
	}
	/* The record without every route a rule matches (shallow copies: the strings stay
	 * owned by the original array until the change holds). */
	size_t n_orig = r->n_routes, n_kept = 0, n_gone = 0;
	struct hp_route *orig = r->routes;
	struct hp_route *kept = calloc(n_orig + 1, sizeof(*kept));
	struct hp_route *gone = calloc(n_orig + 1, sizeof(*gone));
	int ret = -1;
	if (!kept || !gone) {
		error_set(e, ERR_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < n_orig; j++) {
		bool match = false;
		for (size_t i = 0; i < n && !match; i++)
			match = hp_route_match(&rules[i], &orig[j]);
		if (match)
			gone[n_gone++] = orig[j];
		else
			kept[n_kept++] = orig[j];
	}
	r->routes = kept;
	r->n_routes = n_kept;
	if (hotplug_record_save(t->dir, r, e) < 0 ||
	    (live && unapply_all(t, gone, n_gone, e) < 0 && prefixed(e, REMOVE_PREFIX) < 0)) {
		struct error ignored;
		r->routes = orig;
		r->n_routes = n_orig;
		hotplug_record_save(t->dir, r, &ignored);
		goto out;
	}
	for (size_t i = 0; out && i < n_gone; i++)
		fprintf(out, "Remove route from container %s, route: %s done\n", t->name,
		        hp_route_str(&gone[i], buf, sizeof(buf)));
	for (size_t i = 0; i < n_gone; i++)
		hp_route_free(&gone[i]);
	free(orig);
	kept = NULL; /* the record's now */
	ret = 0;
out:
	free(kept);
	free(gone);
	return ret;
}
