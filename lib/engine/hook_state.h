/* The container state an OCI hook reads on its stdin (runtime-spec "state"):
 * {"ociVersion","id","status","pid","bundle","annotations"}, plus the "root" that iSulad's
 * liblxc adds for hooks that run before the container has entered its rootfs. */
#ifndef LIB_ENGINE_HOOK_STATE_H
#define LIB_ENGINE_HOOK_STATE_H

#include <stddef.h>

struct hook_state {
	char *id;     /* NULL if absent */
	char *status; /* NULL if absent */
	char *bundle; /* NULL if absent */
	char *root;   /* the rootfs path inside the container's mount namespace; NULL if absent */
	int pid;      /* the container's init on the host, > 0 */
};

/* Parses the state; a missing or non-positive "pid", or a field of the wrong type, is an
 * error naming the field. Returns 0, or -1 with a message in err. */
int hook_state_parse(const char *json, struct hook_state *out, char *err, size_t errlen);
/* The same for a stopped container's state (poststop): "pid" may be absent, null or 0 (pid 0). */
int hook_state_parse_stopped(const char *json, struct hook_state *out, char *err, size_t errlen);
/* The largest state read from a hook's stdin. */
#define HOOK_STATE_MAX (1 << 20)
/* The whole of fd (a hook's stdin: the state), NUL-terminated, at most HOOK_STATE_MAX bytes;
 * NULL with err. */
char *hook_state_read(int fd, char *err, size_t errlen);
void hook_state_free(struct hook_state *s);

#endif
