/* isulad-tools add-device | remove-device | list-device | update-device (seed 000 §2.3.12,
 * research/tools.md §1.5): flags and the container ID may come in any order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_args.h"
#include "hotplug/device.h"
#include "tool.h"

#define PROG "isulad-tools"

/* The QoS flags, in the order of enum hp_qos_kind's options below. */
enum { O_WEIGHT, O_READ_BPS, O_READ_IOPS, O_WRITE_BPS, O_WRITE_IOPS, N_QOS_OPTS };
static const enum hp_qos_kind g_qos_kind[N_QOS_OPTS] = {HP_WEIGHT, HP_READ_BPS, HP_READ_IOPS,
                                                        HP_WRITE_BPS, HP_WRITE_IOPS};
#define QOS_OPTIONS                                                                                \
	[O_WEIGHT] = {"blkio-weight-device", 0, CLI_LIST, "DEV:WEIGHT",                            \
	              "Block IO weight (relative device weight, 10 to 1000, 0 removes it)"},       \
	[O_READ_BPS] = {"device-read-bps", 0, CLI_LIST, "DEV:RATE",                                \
	                "Limit read rate (bytes per second) from a device, e.g. /dev/sdb:10m"},    \
	[O_READ_IOPS] = {"device-read-iops", 0, CLI_LIST, "DEV:RATE",                              \
	                 "Limit read rate (IO per second) from a device"},                         \
	[O_WRITE_BPS] = {"device-write-bps", 0, CLI_LIST, "DEV:RATE",                              \
	                 "Limit write rate (bytes per second) to a device"},                       \
	[O_WRITE_IOPS] = {"device-write-iops", 0, CLI_LIST, "DEV:RATE",                            \
	                  "Limit write rate (IO per second) to a device"}

enum { A_FOLLOW = N_QOS_OPTS, A_FORCE, A_CONFIG_ONLY, A_HELP, N_ADD_OPTS };
static const struct cli_option g_add_opts[] = {
    QOS_OPTIONS,
    [A_FOLLOW] = {"follow-partition", 0, CLI_BOOL, NULL,
                  "If the device is a disk, also add its partitions"},
    [A_FORCE] = {"force", 0, CLI_BOOL, NULL,
                 "Replace a file that already exists at the device's path in the container"},
    [A_CONFIG_ONLY] = {"update-config-only", 0, CLI_BOOL, NULL,
                       "Only record the devices, for the next start of the container"},
    [A_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

enum { R_FOLLOW, R_HELP, N_REMOVE_OPTS };
static const struct cli_option g_remove_opts[] = {
    [R_FOLLOW] = {"follow-partition", 0, CLI_BOOL, NULL,
                  "If the device is a disk, also remove its partitions"},
    [R_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

enum { L_PRETTY, L_SUB, L_HELP, N_LIST_OPTS };
static const struct cli_option g_list_opts[] = {
    [L_PRETTY] = {"pretty", 'p', CLI_BOOL, NULL, "Print the JSON indented"},
    [L_SUB] = {"sub-partition", 0, CLI_BOOL, NULL, "Also list the partitions of disks"},
    [L_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

enum { U_HELP = N_QOS_OPTS, N_UPDATE_OPTS };
static const struct cli_option g_update_opts[] = {
    QOS_OPTIONS,
    [U_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

/* The QoS flags' values; 0, or 1 after printing the error with prefix. */
static int parse_qos(const struct cli_values *v, const char *prefix, struct hp_qos_arg **out,
                     size_t *n)
{
	size_t total = 0;
	for (size_t o = 0; o < N_QOS_OPTS; o++)
		total += cli_list_len(v, o);
	*n = 0;
	*out = calloc(total ? total : 1, sizeof(**out));
	if (!*out)
		return tool_fail("%sout of memory", prefix);
	for (size_t o = 0; o < N_QOS_OPTS; o++) {
		for (size_t i = 0; i < cli_list_len(v, o); i++) {
			struct error e = {0};
			if (hp_qos_arg_parse(g_qos_kind[o], cli_list_at(v, o, i), &(*out)[*n], &e) <
			    0)
				return tool_fail("%s%s", prefix, e.msg);
			(*n)++;
		}
	}
	return 0;
}

static void free_qos(struct hp_qos_arg *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hp_qos_arg_free(&q[i]);
	free(q);
}

/* The device arguments (positionals 1...); 0, or 1 after printing the error. */
static int parse_devices(const struct cli_values *v, struct hp_device_arg **out, size_t *n)
{
	size_t total = cli_npositional(v) - 1;
	*n = 0;
	*out = calloc(total, sizeof(**out));
	if (!*out)
		return tool_fail("out of memory");
	for (size_t i = 0; i < total; i++) {
		struct error e = {0};
		const char *text = cli_positional(v, i + 1);
		if (hp_device_arg_parse(text, &(*out)[i], &e) < 0)
			return tool_fail("Failed to parse device: %s, %s", text, e.msg);
		(*n)++;
	}
	return 0;
}

static void free_devices(struct hp_device_arg *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hp_device_arg_free(&d[i]);
	free(d);
}

int cmd_add_device(const struct tool *tool, int argc, char **argv)
{
	int rc = 0;
	struct cli_values *v =
	    tool_parse("add-device",
	               "[OPTIONS] <container_id> hostdevice[:containerdevice][:permission] "
	               "[...]",
	               g_add_opts, N_ADD_OPTS, A_HELP, argc, argv, &rc);
	if (!v)
		return rc;
	struct hp_device_arg *devs = NULL;
	struct hp_qos_arg *qos = NULL;
	size_t n_devs = 0, n_qos = 0;
	struct tool_session s;
	if (cli_npositional(v) < 2) {
		rc = tool_fail(PROG ": \"add-device\" requires a minimum of 2 args");
	} else if ((rc = parse_devices(v, &devs, &n_devs)) == 0 &&
	           (rc = parse_qos(v, "Failed to add device: ", &qos, &n_qos)) == 0 &&
	           (rc = tool_session_open(tool, cli_positional(v, 0), cli_bool(v, A_CONFIG_ONLY),
	                                   &s)) == 0) {
		struct hp_device_add req = {
		    devs, n_devs, qos, n_qos, cli_bool(v, A_FOLLOW), cli_bool(v, A_FORCE)};
		struct error e = {0};
		if (hotplug_devices_add(&s.t, &s.r, s.live, &req, stdout, &e) < 0)
			rc = tool_fail("%s", e.msg);
		tool_session_close(&s);
	}
	free_devices(devs, n_devs);
	free_qos(qos, n_qos);
	cli_values_free(v);
	return rc;
}

int cmd_remove_device(const struct tool *tool, int argc, char **argv)
{
	int rc = 0;
	struct cli_values *v = tool_parse(
	    "remove-device", "[OPTIONS] <container_id> hostdevice[:containerdevice] [...]",
	    g_remove_opts, N_REMOVE_OPTS, R_HELP, argc, argv, &rc);
	if (!v)
		return rc;
	struct hp_device_arg *devs = NULL;
	size_t n_devs = 0;
	struct tool_session s;
	if (cli_npositional(v) < 2) {
		rc = tool_fail(PROG ": \"remove-device\" requires a minimum of 2 args");
	} else if ((rc = parse_devices(v, &devs, &n_devs)) == 0 &&
	           (rc = tool_session_open(tool, cli_positional(v, 0), false, &s)) == 0) {
		struct error e = {0};
		if (hotplug_devices_remove(&s.t, &s.r, s.live, devs, n_devs, cli_bool(v, R_FOLLOW),
		                           stdout, &e) < 0)
			rc = tool_fail("%s", e.msg);
		tool_session_close(&s);
	}
	free_devices(devs, n_devs);
	cli_values_free(v);
	return rc;
}

int cmd_list_device(const struct tool *tool, int argc, char **argv)
{
	int rc = 0;
	struct cli_values *v = tool_parse("list-device", "[OPTIONS] <container_id>", g_list_opts,
	                                  N_LIST_OPTS, L_HELP, argc, argv, &rc);
	if (!v)
		return rc;
	struct tool_session s;
	if (cli_npositional(v) != 1) {
		rc = tool_fail(PROG ": \"list-device\" must accept a container-id%s",
		               cli_npositional(v) > 1
		                   ? "\nDon't put container-id in the middle of options"
		                   : "");
	} else if ((rc = tool_session_open(tool, cli_positional(v, 0), true, &s)) == 0) {
		rc = tool_print_text(
		    hotplug_devices_list(&s.r, cli_bool(v, L_PRETTY), cli_bool(v, L_SUB)));
		tool_session_close(&s);
	}
	cli_values_free(v);
	return rc;
}

int cmd_update_device(const struct tool *tool, int argc, char **argv)
{
	int rc = 0;
	struct cli_values *v = tool_parse("update-device", "[OPTIONS] <container_id>",
	                                  g_update_opts, N_UPDATE_OPTS, U_HELP, argc, argv, &rc);
	if (!v)
		return rc;
	struct hp_qos_arg *qos = NULL;
	size_t n_qos = 0;
	struct tool_session s;
	if (cli_npositional(v) < 1) {
		rc = tool_fail(PROG ": \"update-device\" requires a minimum of 1 args");
	} else if (cli_npositional(v) > 1) {
		rc = tool_fail(PROG
		               ": \"update-device\" accepts one container-id, not also \"%s\" "
		               "(devices are named in the QoS options: --device-read-bps DEV:RATE)",
		               cli_positional(v, 1));
	} else if ((rc = parse_qos(v, "Failed to update device: ", &qos, &n_qos)) == 0) {
		if (n_qos == 0) {
			rc = tool_fail("update device should specify at least one device QOS "
			               "configuration");
		} else if ((rc = tool_session_open(tool, cli_positional(v, 0), false, &s)) == 0) {
			struct error e = {0};
			if (hotplug_devices_update(&s.t, &s.r, s.live, qos, n_qos, stdout, &e) < 0)
				rc = tool_fail("%s", e.msg);
			tool_session_close(&s);
		}
	}
	free_qos(qos, n_qos);
	cli_values_free(v);
	return rc;
}
