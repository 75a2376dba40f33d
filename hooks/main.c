/* syscontainer-hooks --state prestart|poststart|poststop [--log FILE]: the OCI hook of system
 * containers (wired with isula run --hook-spec, see hookspec.json). prestart re-applies what
 * isulad-tools recorded for the container (devices and their QoS, paths, NICs and routes) and
 * loads its KERNEL_MODULES on the host; poststop returns its physical NICs to the host and
 * removes what it left there. The container's state is the OCI state JSON on stdin. A prestart
 * failure fails the start with a message on stderr naming the resource. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli_args.h"
#include "core/json.h"
#include "core/log.h"
#include "core/strv.h"
#include "core/version.h"
#include "engine/hook_state.h"
#include "engine/oci_hook_exec.h"
#include "host/kernel_modules.h"
#include "hotplug/device.h"
#include "hotplug/nic.h"
#include "hotplug/path.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

enum { OPT_STATE, OPT_LOG, OPT_RELABEL, OPT_HELP, OPT_VERSION };
static const struct cli_option g_opts[] = {
    [OPT_STATE] = {"state", 0, CLI_STRING, "STAGE",
                   "The hook's stage: prestart, poststart or poststop"},
    [OPT_LOG] = {"log", 0, CLI_STRING, "FILE", "Append log messages to FILE"},
    [OPT_RELABEL] = {"with-relabel", 0, CLI_BOOL, NULL,
                     "SELinux relabelling (not supported: refused when true)"},
    [OPT_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
    [OPT_VERSION] = {"version", 'v', CLI_BOOL, NULL, "Print version information"},
};
#define NOPTS (sizeof(g_opts) / sizeof(g_opts[0]))

/* A failure: on stderr (liblxc and the engine put it in the start error) and in the log. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "syscontainer-hooks: %s\n", msg);
	LOG_ERROR("%s", msg);
	return 1;
}

/* -e KERNEL_MODULES=a,b of the container (its spec's process env): loaded on the host. */
static int load_modules(const char *bundle)
{
	yajl_val spec = NULL;
	char err[512];
	int ret = oci_bundle_spec(bundle, &spec, err, sizeof(err));
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return fail("[module-hook] cannot read the container's spec: %s", err);
	char **env = json_get_strv(json_get(spec, "process"), "env");
	char **names = NULL;
	int rc = 0;
	if (kernel_modules_from_env(env, &names, err, sizeof(err)) < 0)
		rc = fail("[module-hook] Failed to modprobe modules: %s", err);
	for (size_t i = 0; rc == 0 && names && names[i]; i++) {
		char msg[512];
		if (kernel_module_load(names[i], msg, sizeof(msg)) < 0)
			rc = fail("[module-hook] Failed to modprobe module \"%s\" to host: %s",
			          names[i], msg);
	}
	strv_free(names);
	strv_free(env);
	yajl_tree_free(spec);
	return rc;
}

static int prestart(const struct hook_state *st)
{
	struct hotplug_target t;
	struct hotplug_record r;
	struct error e = {0};
	if (hotplug_target_from_hook(st, &t, &e) < 0)
		return fail("container %.12s: %s", st->id ? st->id : "", e.msg);
	int rc = 1;
	int lock = hotplug_record_lock(t.dir, HOTPLUG_LOCK_WAIT_MS, &e);
	if (lock < 0 || hotplug_record_load(t.dir, &r, &e) < 0) {
		fail("container %.12s: %s", t.id, e.msg);
		goto unlock;
	}
	/* The modules first: their failure then fails the start before anything moved. */
	if (t.pid <= 0) {
		fail("container %.12s: its init (pid %d) has gone", t.id, st->pid);
	} else if (load_modules(t.dir) == 0) {
		if (hotplug_devices_reapply(&t, &r, &e) < 0 ||
		    hotplug_paths_reapply(&t, &r, &e) < 0 ||
		    hotplug_network_reapply(&t, &r, &e) < 0)
			fail("container %.12s: %s", t.id, e.msg);
		/* Device numbers may have changed: the record keeps the new ones. */
		else if (hotplug_record_save(t.dir, &r, &e) < 0)
			fail("container %.12s: %s", t.id, e.msg);
		else
			rc = 0;
	}
	hotplug_record_free(&r);
unlock:
	hotplug_record_unlock(lock);
	hotplug_target_free(&t);
	if (rc == 0)
		LOG_INFO("container %.12s: prestart done", st->id);
	return rc;
}

/* Errors are logged, never fatal: the container has stopped already. */
static int poststop(const struct hook_state *st)
{
	if (!st->bundle || !st->id)
		return fail("the container state has no %s", st->bundle ? "id" : "bundle");
	struct hotplug_record r;
	struct error e = {0};
	int lock = hotplug_record_lock(st->bundle, HOTPLUG_LOCK_WAIT_MS, &e);
	if (lock < 0 || hotplug_record_load(st->bundle, &r, &e) < 0) {
		fail("container %.12s: %s", st->id, e.msg);
	} else {
		if (hotplug_network_release(st->id, &r, &e) < 0)
			fail("container %.12s: %s", st->id, e.msg);
		if (hotplug_paths_release(st->id, &r, &e) < 0)
			fail("container %.12s: %s", st->id, e.msg);
		hotplug_record_free(&r);
	}
	hotplug_record_unlock(lock);
	LOG_INFO("container %.12s: poststop done", st->id);
	return 0;
}

int main(int argc, char **argv)
{
	char err[512];
	struct cli_values *v =
	    cli_parse(g_opts, NOPTS, argc - 1, argv + 1, false, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "syscontainer-hooks: %s\nSee 'syscontainer-hooks --help'.\n", err);
		return 1;
	}
	int rc = 1;
	const char *stage = cli_string(v, OPT_STATE);
	const char *log_path = cli_string(v, OPT_LOG);
	if (cli_bool(v, OPT_HELP)) {
		cli_print_help(stdout, "syscontainer-hooks --state STAGE [--log FILE] < STATE_JSON",
		               g_opts, NOPTS);
		rc = 0;
		goto out;
	}
	if (cli_bool(v, OPT_VERSION)) {
		printf("syscontainer-hooks version %s\ncommit: %s\n", ISULAD_VERSION, GIT_COMMIT);
		rc = 0;
		goto out;
	}
	if (log_path) {
		FILE *f = fopen(log_path, "ae");
		if (!f) {
			fprintf(stderr, "syscontainer-hooks: cannot open the log file %s: %m\n",
			        log_path);
			goto out;
		}
		fclose(f);
		log_init(LOG_LVL_DEBUG, log_path);
	} else {
		log_init(LOG_LVL_ERROR, "/dev/null"); /* failures go to stderr already */
	}
	if (cli_bool(v, OPT_RELABEL)) {
		rc = fail("--with-relabel: SELinux relabelling is not supported");
		goto out;
	}
	if (cli_npositional(v) > 0) {
		rc = fail("unexpected argument \"%s\"", cli_positional(v, 0));
		goto out;
	}
	if (!stage || (strcmp(stage, "prestart") != 0 && strcmp(stage, "poststart") != 0 &&
	               strcmp(stage, "poststop") != 0)) {
		rc = fail("invalid --state \"%s\": expected prestart, poststart or poststop",
		          stage ? stage : "");
		goto out;
	}
	char *text = hook_state_read(STDIN_FILENO, err, sizeof(err));
	struct hook_state st;
	bool stopped = strcmp(stage, "poststop") == 0;
	if (!text) {
		rc = fail("%s: %s", stage, err);
	} else if ((stopped ? hook_state_parse_stopped(text, &st, err, sizeof(err))
	                    : hook_state_parse(text, &st, err, sizeof(err))) < 0) {
		rc = fail("%s: bad container state on stdin: %s", stage, err);
	} else {
		if (strcmp(stage, "prestart") == 0)
			rc = prestart(&st);
		else if (stopped)
			rc = poststop(&st);
		else
			rc = 0; /* poststart: nothing to do */
		hook_state_free(&st);
	}
	free(text);
out:
	cli_values_free(v);
	return rc;
}
