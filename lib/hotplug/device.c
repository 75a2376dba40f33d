/* PLACEHOLDER: replaced by the device work. */
#include "hotplug/device.h"
int hotplug_devices_reapply(const struct hotplug_target *t, struct hotplug_record *r,
                            struct error *e)
{
	return r->n_devices ? error_set(e, ERR_INTERNAL, "devices: not built yet") : 0;
}
