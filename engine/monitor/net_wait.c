/* isulad-monitor net-wait STATE_DIR LIMIT_MS: liblxc's first lxc.hook.start-host of a
 * container on a CNI network; the init starts once the daemon has set its network namespace
 * up (lib/engine/net_gate.h). */
#include <stdio.h>

#include "core/units.h"
#include "engine/net_gate.h"
#include "monitor.h"

int monitor_net_wait(int argc, char **argv)
{
	int64_t limit = 0;
	if (argc < 2 || parse_int64(argv[1], &limit) < 0) {
		fprintf(stderr, "usage: isulad-monitor net-wait STATE_DIR LIMIT_MS\n");
		return 2;
	}
	if (net_gate_wait(argv[0], limit) < 0) {
		fprintf(stderr,
		        "isulad-monitor net-wait: the container's network was not set up\n");
		return 1;
	}
	return 0;
}
