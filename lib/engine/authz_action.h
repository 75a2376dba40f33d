/* The authz action name of an API request (method + URI), shared by the daemon (which names
 * each request it asks the broker about) and authz-broker (Docker's AuthZReq carries only the
 * method and the URI). The table is the original broker's route parser (research tools.md
 * §4.4) with iSulad's own names where iSulad sends one (docker_version, pull, image_load, ...);
 * README.md "authz-broker" lists it. */
#ifndef LIB_ENGINE_AUTHZ_ACTION_H
#define LIB_ENGINE_AUTHZ_ACTION_H

#include <stdbool.h>

/* The action of METHOD URI, or "" when no row matches (a policy's "" action still matches
 * it). The URI may carry an API version prefix (/v1.41/...) and a query string; a "{}" part
 * of a route is one or more characters of [A-Za-z0-9_.:/-] (image names hold '/'). */
const char *authz_action(const char *method, const char *uri);

/* The request method isulad sends beside "user:action" (header X-Request-Method, for readonly
 * policies): 1 to 16 upper-case letters. The daemon sends nothing else, the broker takes
 * nothing else. */
#define AUTHZ_METHOD_HEADER "X-Request-Method"
bool authz_method_ok(const char *method);

#endif
