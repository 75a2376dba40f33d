/* PLACEHOLDER: replaced by the path work. */
#include "hotplug/path.h"
int hotplug_paths_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                          struct error *e)
{
	return r->n_binds ? error_set(e, ERR_INTERNAL, "paths: not built yet") : 0;
}
int hotplug_paths_release(const char *id, const struct hotplug_record *r, struct error *e)
{
	return 0;
}
