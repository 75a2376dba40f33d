/* The engine's on-disk layout, which its companions (hooks, tools) read too: the containers
 * live in <graph>/engines/lcr/<id>/ (iSulad's layout). */
#ifndef LIB_ENGINE_ENGINE_LAYOUT_H
#define LIB_ENGINE_ENGINE_LAYOUT_H

/* <graph>/engines/lcr (malloc'd), or NULL. */
char *engine_lcr_dir(const char *graph);

#endif
