/* API handlers: one function per Docker Engine API route. */
#ifndef ENGINE_ROUTES_H
#define ENGINE_ROUTES_H

#include <stdbool.h>
#include <yajl/yajl_tree.h>

#include "container.h"
#include "server.h"

/* The container the path's {id} names (id, name or unique prefix), referenced; NULL after
 * answering 404 (or 400 for an ambiguous prefix). */
struct container *route_find_container(const struct request *req, struct response *resp);
/* The same, a broken container included (inspect and rm); route_find_container answers 409
 * for one. */
struct container *route_find_any_container(const struct request *req, struct response *resp);
/* The request's body as a JSON object (free with yajl_tree_free); NULL after answering 400. */
yajl_val route_json_object(const struct request *req, struct response *resp);

/* The request's ?filters={"key": [...]}: NULL when absent (*ok true), or NULL with *ok false
 * after answering 400 (not a JSON object, or a key not in known, which is NULL-terminated). */
yajl_val route_filters(const struct request *req, struct response *resp, const char *const *known,
                       bool *ok);
/* A "label" filter's value, "KEY" or "KEY=VALUE", against "k=v" labels. */
bool route_label_match(char *const *labels, const char *want);

void route_ping(const struct request *req, struct response *resp);
void route_version(const struct request *req, struct response *resp);
void route_info(const struct request *req, struct response *resp);
void route_container_create(const struct request *req, struct response *resp);
void route_container_start(const struct request *req, struct response *resp);
void route_container_stop(const struct request *req, struct response *resp);
void route_container_restart(const struct request *req, struct response *resp);
void route_container_kill(const struct request *req, struct response *resp);
void route_container_delete(const struct request *req, struct response *resp);
void route_container_wait(const struct request *req, struct response *resp);
void route_container_inspect(const struct request *req, struct response *resp);
void route_container_list(const struct request *req, struct response *resp);
void route_exec_create(const struct request *req, struct response *resp);
void route_exec_start(const struct request *req, struct response *resp);
void route_exec_inspect(const struct request *req, struct response *resp);
void route_exec_resize(const struct request *req, struct response *resp);
void route_container_attach(const struct request *req, struct response *resp);
void route_container_resize(const struct request *req, struct response *resp);
void route_container_archive_get(const struct request *req, struct response *resp);
void route_container_archive_put(const struct request *req, struct response *resp);
void route_container_logs(const struct request *req, struct response *resp);
void route_container_pause(const struct request *req, struct response *resp);
void route_container_unpause(const struct request *req, struct response *resp);
void route_container_rename(const struct request *req, struct response *resp);
void route_container_update(const struct request *req, struct response *resp);
void route_container_top(const struct request *req, struct response *resp);
void route_container_stats(const struct request *req, struct response *resp);
void route_network_list(const struct request *req, struct response *resp);
void route_network_inspect(const struct request *req, struct response *resp);
void route_network_create(const struct request *req, struct response *resp);
void route_network_delete(const struct request *req, struct response *resp);

#endif
