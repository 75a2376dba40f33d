/* The engine's containers as its daemon left them on disk (<graph>/engines/lcr/<id>/
 * config.v2.json): for tools that must work on running containers even while isulad is
 * down, such as lxcfs-toolkit after an lxcfs crash. */
#ifndef LIB_ENGINE_ENGINE_STATE_H
#define LIB_ENGINE_ENGINE_STATE_H

#include <stdbool.h>
#include <stddef.h>

struct engine_container {
	char *id;
	char *name;
	bool running; /* State.Running with a State.Pid */
	int pid;      /* the init on the host; 0 unless running */
};

struct engine_containers {
	struct engine_container *v; /* sorted by id */
	size_t n;
};

/* Reads every container of the engine rooted at graph; entries whose state cannot be read
 * are skipped (the daemon skips them too). Returns 0, or -1 with err naming the directory. */
int engine_containers_load(const char *graph, struct engine_containers *out, char *err,
                           size_t errlen);
/* The container ref names, as isula resolves it: full ID, then name, then unique ID
 * prefix. NULL with "No such container: REF" or the ambiguity (with candidates) in err. */
const struct engine_container *engine_containers_find(const struct engine_containers *all,
                                                      const char *ref, char *err, size_t errlen);
void engine_containers_free(struct engine_containers *all);

#endif
