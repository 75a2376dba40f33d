/* isulad-tools add-nic, remove-nic, list-nic, update-nic (research/tools.md §1.6): the flags
 * parsed here, the flows (record, live change, rollback) in lib/hotplug/nic_ops.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_args.h"
#include "core/units.h"
#include "hotplug/nic.h"
#include "tool.h"

enum { O_TYPE, O_NAME, O_IP, O_MAC, O_BRIDGE, O_MTU, O_QLEN, O_CONFIG_ONLY, O_HELP, O_N };
static const struct cli_option g_add_opts[] = {
    [O_TYPE] = {"type", 0, CLI_STRING, "TYPE", "The NIC's type: veth or eth"},
    [O_NAME] = {"name", 0, CLI_STRING, "[HOST:]CTR",
                "The NIC's names on the host and in the container"},
    [O_IP] = {"ip", 0, CLI_STRING, "CIDR", "The NIC's IP address, e.g. 172.17.28.5/24"},
    [O_MAC] = {"mac", 0, CLI_STRING, "MAC", "The NIC's MAC address"},
    [O_BRIDGE] = {"bridge", 0, CLI_STRING, "BRIDGE", "The host bridge of a veth's host end"},
    [O_MTU] = {"mtu", 0, CLI_STRING, "MTU", "The NIC's MTU (default 1500)"},
    [O_QLEN] = {"qlen", 0, CLI_STRING, "QLEN", "The NIC's transmit queue length (default 1000)"},
    [O_CONFIG_ONLY] = {"update-config-only", 0, CLI_BOOL, NULL,
                       "Only record the change; it is applied at the next start"},
    [O_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

enum { L_PRETTY, L_FILTER, L_HELP, L_N };
static const struct cli_option g_list_opts[] = {
    [L_PRETTY] = {"pretty", 'p', CLI_BOOL, NULL, "Indent the JSON output"},
    [L_FILTER] = {"filter", 'f', CLI_STRING, "JSON", "Only the NICs matching these fields"},
    [L_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

/* Parses a command's flags; NULL after printing the error (or the help: *rc 0). The one
 * positional argument, the container, goes to *ctr. */
static struct cli_values *parse(const char *cmd, const struct cli_option *opts, size_t nopts,
                                int help, int argc, char **argv, const char **ctr, int *rc)
{
	struct cli_values *v =
	    tool_parse(cmd, "[OPTIONS] <container_id>", opts, nopts, (size_t)help, argc, argv, rc);
	if (!v)
		return NULL;
	*rc = 1;
	if (cli_npositional(v) != 1) {
		tool_fail("isulad-tools: \"%s\" must accept a container-id", cmd);
	} else if (!*(*ctr = cli_positional(v, 0))) {
		tool_fail("container-id can't be empty");
	} else {
		return v;
	}
	cli_values_free(v);
	return NULL;
}

/* An integer flag's value into *out when given. 0, or 1 after printing the error. */
static int int_flag(struct cli_values *v, size_t idx, int *out)
{
	const char *s = cli_string(v, idx);
	int64_t n;
	if (!s)
		return 0;
	if (parse_int64(s, &n) < 0 || n < INT32_MIN || n > INT32_MAX)
		return tool_fail("invalid value \"%s\" for flag --%s: expected an integer", s,
		                 g_add_opts[idx].long_name);
	*out = (int)n;
	return 0;
}

static char *dup_flag(struct cli_values *v, size_t idx)
{
	const char *s = cli_string(v, idx);
	return s && *s ? strdup(s) : NULL;
}

int cmd_add_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("add-nic", g_add_opts, O_N, O_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	struct hp_nic n = {.mtu = HP_NIC_DEFAULT_MTU, .qlen = HP_NIC_DEFAULT_QLEN};
	struct error e = {0};
	struct tool_session s;
	rc = 1;
	n.type = strdup(cli_string(v, O_TYPE) ? cli_string(v, O_TYPE) : "");
	n.ip = dup_flag(v, O_IP);
	n.mac = dup_flag(v, O_MAC);
	n.bridge = dup_flag(v, O_BRIDGE);
	if (!n.type || int_flag(v, O_MTU, &n.mtu) || int_flag(v, O_QLEN, &n.qlen))
		goto out;
	if (hp_nic_split_name(cli_string(v, O_NAME), &n.host_name, &n.ctr_name, &e) < 0) {
		tool_fail("%s", e.msg);
		goto out;
	}
	if (strcmp(n.type, "veth") == 0 && !n.host_name && n.ctr_name && *n.ctr_name &&
	    !(n.host_name = hp_nic_default_host_name(n.ctr_name))) {
		tool_fail("out of memory");
		goto out;
	}
	if (hp_nic_validate(&n, &e) < 0) {
		tool_fail("invalid network option: %s", e.msg);
		goto out;
	}
	if (tool_session_open(tool, ref, cli_bool(v, O_CONFIG_ONLY), &s))
		goto out;
	if (hotplug_nic_add(&s.t, &s.r, s.live, &n, stdout, &e) < 0)
		tool_fail("%s", e.msg);
	else
		rc = 0;
	tool_session_close(&s);
out:
	hp_nic_free(&n);
	cli_values_free(v);
	return rc;
}

int cmd_remove_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("remove-nic", g_add_opts, O_N, O_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	char *host = NULL, *ctr = NULL;
	struct error e = {0};
	struct tool_session s;
	const char *type = cli_string(v, O_TYPE);
	rc = 1;
	if (cli_is_set(v, O_IP) || cli_is_set(v, O_MAC) || cli_is_set(v, O_BRIDGE) ||
	    cli_is_set(v, O_MTU) || cli_is_set(v, O_QLEN) || cli_is_set(v, O_CONFIG_ONLY)) {
		tool_fail("Incorrect Usage: remove-nic takes only --type and --name");
		goto out;
	}
	if (type && *type && strcmp(type, "veth") != 0 && strcmp(type, "eth") != 0) {
		tool_fail("invalid network option: unsupported type %s", type);
		goto out;
	}
	if (hp_nic_split_name(cli_string(v, O_NAME), &host, &ctr, &e) < 0) {
		tool_fail("%s", e.msg);
		goto out;
	}
	if (!*ctr) {
		tool_fail("failed to get container nic name");
		goto out;
	}
	if (tool_session_open(tool, ref, false, &s))
		goto out;
	if (hotplug_nic_remove(&s.t, &s.r, s.live, host, ctr, type, stdout, &e) < 0)
		tool_fail("%s", e.msg);
	else
		rc = 0;
	tool_session_close(&s);
out:
	free(host);
	free(ctr);
	cli_values_free(v);
	return rc;
}

int cmd_list_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("list-nic", g_list_opts, L_N, L_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	struct hp_nic f;
	struct error e = {0};
	struct tool_session s;
	const char *ftext = cli_string(v, L_FILTER);
	rc = 1;
	if (ftext && hp_nic_filter_parse(ftext, &f, &e) < 0) {
		tool_fail("%s", e.msg);
	} else {
		if (tool_session_open(tool, ref, true, &s) == 0) {
			rc = tool_print_text(
			    hp_nic_list_render(&s.r, ftext ? &f : NULL, cli_bool(v, L_PRETTY)));
			tool_session_close(&s);
		}
		if (ftext)
			hp_nic_free(&f);
	}
	cli_values_free(v);
	return rc;
}

/* update-nic's new value of a setting: NULL when its flag is not given, "" to clear it. */
static const char *change(const struct cli_values *v, size_t idx)
{
	const char *s = cli_string(v, idx);
	return !cli_is_set(v, idx) ? NULL : s ? s : "";
}

int cmd_update_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("update-nic", g_add_opts, O_N, O_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	struct error e = {0};
	struct tool_session s;
	const char *name = cli_string(v, O_NAME);
	int mtu = 0, qlen = -1;
	rc = 1;
	if (cli_is_set(v, O_TYPE)) {
		tool_fail("Incorrect Usage: update-nic does not take --type");
		goto out;
	}
	if (!name || !*name) {
		tool_fail("Network interface name in container must be provided");
		goto out;
	}
	if (int_flag(v, O_MTU, &mtu) || int_flag(v, O_QLEN, &qlen))
		goto out;
	if (cli_is_set(v, O_QLEN) && qlen < 0) {
		tool_fail("invalid network option: Qlen must not be less than 0");
		goto out;
	}
	if (tool_session_open(tool, ref, cli_bool(v, O_CONFIG_ONLY), &s))
		goto out;
	struct hp_nic_change c = {name,
	                          change(v, O_IP),
	                          change(v, O_MAC),
	                          change(v, O_BRIDGE),
	                          mtu,
	                          cli_is_set(v, O_QLEN) ? qlen : -1};
	if (hotplug_nic_update(&s.t, &s.r, s.live, &c, stdout, &e) < 0)
		tool_fail("%s", e.msg);
	else
		rc = 0;
	tool_session_close(&s);
out:
	cli_values_free(v);
	return rc;
}
