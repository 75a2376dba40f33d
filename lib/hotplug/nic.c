/* PLACEHOLDER: replaced by the nic work. */
#include "hotplug/nic.h"
int hotplug_network_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                            struct error *e)
{
	return r->n_nics || r->n_routes ? error_set(e, ERR_INTERNAL, "nics: not built yet") : 0;
}
int hotplug_network_release(const char *id, const struct hotplug_record *r, struct error *e)
{
	return 0;
}
