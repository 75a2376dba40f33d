#include "daemon_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_unsupported.h"
#include "core/cli_args.h"
#include "engine/container_log.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "core/log.h"
#include "core/strv.h"
#include "core/units.h"
#include "core/tcp_addr.h"

enum {
	OPT_HOST,
	OPT_GRAPH,
	OPT_STATE,
	OPT_PIDFILE,
	OPT_LOG_LEVEL,
	OPT_LOG_DRIVER,
	OPT_LOG_OPT,
	OPT_HOOK_SPEC,
	OPT_SECCOMP_PROFILE,
	OPT_CGROUP_PARENT,
	OPT_START_TIMEOUT,
	OPT_GROUP,
	OPT_CONFIG_FILE,
	OPT_TLS,
	OPT_TLSVERIFY,
	OPT_TLSCACERT,
	OPT_TLSCERT,
	OPT_TLSKEY,
	OPT_INSECURE_TCP,
	OPT_CNI_BIN_DIR,
	OPT_CNI_CONF_DIR,
	OPT_BRIDGE,
	OPT_BIP,
	OPT_VERSION,
	OPT_HELP,
	OPT_COUNT
};

static const struct cli_option g_opts[OPT_COUNT] = {
    [OPT_HOST] = {"host", 'H', CLI_LIST, "HOST", "The socket name used to create the server"},
    [OPT_GRAPH] = {"graph", 'g', CLI_STRING, "DIR", "Root directory of the iSulad runtime"},
    [OPT_STATE] = {"state", 'S', CLI_STRING, "DIR", "Root directory for execution state files"},
    [OPT_PIDFILE] = {"pidfile", 'p', CLI_STRING, "FILE", "Save pid into this file"},
    [OPT_LOG_LEVEL] = {"log-level", 'l', CLI_STRING, "LEVEL",
                       "Set log level, the levels can be: FATAL ALERT CRIT ERROR WARN NOTICE "
                       "INFO DEBUG TRACE"},
    [OPT_LOG_DRIVER] = {"log-driver", 0, CLI_STRING, "DRIVER",
                        "Set daemon log driver, such as: file, stdout"},
    [OPT_LOG_OPT] = {"log-opt", 0, CLI_LIST, "KEY=VALUE",
                     "Set daemon log driver options, such as: log-path=/tmp/logs/"},
    [OPT_HOOK_SPEC] = {"hook-spec", 0, CLI_STRING, "FILE",
                       "Default hook spec file applied to all containers"},
    [OPT_SECCOMP_PROFILE] = {"seccomp-profile", 0, CLI_STRING, "FILE",
                             "Default seccomp profile of the containers, Docker's JSON format "
                             "(default " ISULAD_DEFAULT_SECCOMP_PROFILE
                             " when present, else the built-in one)"},
    [OPT_CGROUP_PARENT] = {"cgroup-parent", 0, CLI_STRING, "PATH",
                           "Set parent cgroup for all containers"},
    [OPT_START_TIMEOUT] = {"start-timeout", 0, CLI_STRING, "DURATION",
                           "timeout duration for waiting on a container to start before it is "
                           "killed"},
    [OPT_GROUP] = {"group", 'G', CLI_STRING, "GROUP",
                   "Group for the unix socket(default is isulad)"},
    [OPT_CONFIG_FILE] = {"config-file", 0, CLI_STRING, "FILE",
                         "Daemon configuration file (default /etc/isulad/daemon.json)"},
    [OPT_TLS] = {"tls", 0, CLI_BOOL, NULL,
                 "Use TLS; implied by --tlsverify (used only with -H tcp://IP:PORT)"},
    [OPT_TLSVERIFY] = {"tlsverify", 0, CLI_BOOL, NULL, "Use TLS and verify the remote"},
    [OPT_TLSCACERT] = {"tlscacert", 0, CLI_STRING, "FILE",
                       "Trust certs signed only by this CA (default \"" DEFAULT_TLS_CA "\")"},
    [OPT_TLSCERT] = {"tlscert", 0, CLI_STRING, "FILE",
                     "Path to TLS certificate file (default \"" DEFAULT_TLS_CERT "\")"},
    [OPT_TLSKEY] = {"tlskey", 0, CLI_STRING, "FILE",
                    "Path to TLS key file (default \"" DEFAULT_TLS_KEY "\")"},
    [OPT_INSECURE_TCP] = {"insecure-tcp", 0, CLI_BOOL, NULL,
                          "Allow tcp:// hosts without TLS (anyone who can connect controls "
                          "the daemon)"},
    [OPT_CNI_BIN_DIR] = {"cni-bin-dir", 0, CLI_STRING, "DIR",
                         "The full path of the directory in which to search for CNI plugin "
                         "binaries (several separated by ':'). Default: /opt/cni/bin:"
                         "/usr/lib/cni:/usr/libexec/cni"},
    [OPT_CNI_CONF_DIR] = {"cni-conf-dir", 0, CLI_STRING, "DIR",
                          "The full path of the directory in which to search for CNI config "
                          "files. Default: /etc/cni/net.d"},
    [OPT_BRIDGE] = {"bridge", 'b', CLI_STRING, "NONE",
                    "\"none\" turns the default network \"bridge\" off"},
    [OPT_BIP] = {"bip", 0, CLI_STRING, "CIDR",
                 "The default network's gateway address and prefix (172.17.0.1/16)"},
    [OPT_VERSION] = {"version", 'V', CLI_BOOL, NULL, "Print the version"},
    [OPT_HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
};

void daemon_config_usage(void)
{
	cli_print_help(stdout, "isulad [OPTIONS]", g_opts, OPT_COUNT);
}

/* daemon.json keys the seed documents. Keys we do not act on yet are accepted (with their
 * type checked) so a documented file never stops the daemon, except those that ask for
 * an authorization plugin we do not know (check_authz_plugin). */
enum key_type { K_STRING, K_BOOL, K_ARRAY, K_OBJECT, K_INT, K_ANY };
static const struct {
	const char *key;
	enum key_type type;
} g_known_keys[] = {
    {"hosts", K_ARRAY},
    {"graph", K_STRING},
    {"state", K_STRING},
    {"pidfile", K_STRING},
    {"log-level", K_STRING},
    {"log-driver", K_STRING},
    {"log-opts", K_OBJECT},
    {"hook-spec", K_STRING},
    {"seccomp-profile", K_STRING},
    {"cgroup-parent", K_STRING},
    {"start-timeout", K_STRING},
    {"group", K_STRING},
    {"engine", K_STRING},
    {"default-runtime", K_STRING},
    {"runtimes", K_OBJECT},
    {"storage-driver", K_STRING},
    {"storage-opts", K_ARRAY},
    {"registry-mirrors", K_ARRAY},
    {"insecure-registries", K_ARRAY},
    {"pod-sandbox-image", K_STRING},
    {"image-opt-timeout", K_STRING},
    {"native.umask", K_STRING},
    {"network-plugin", K_STRING},
    {"cni-bin-dir", K_STRING},
    {"cni-conf-dir", K_STRING},
    {"bridge", K_STRING},
    {"bip", K_STRING},
    {"image-layer-check", K_ANY},
    {"use-decrypted-key", K_ANY},
    {"insecure-skip-verify-enforce", K_ANY},
    {"tls", K_BOOL},
    {"tls-verify", K_BOOL},
    {"tlsverify", K_BOOL},
    {"tls-config", K_OBJECT},
    {"authorization-plugin", K_STRING},
    {"authorization-plugin-socket", K_STRING},
    {"insecure-tcp", K_BOOL},
    {"default-ulimits", K_OBJECT},
    {"websocket-server-listening-port", K_ANY},
    {"selinux-enabled", K_BOOL},
    {"container-log", K_OBJECT},
    {"api-max-connections", K_INT},
    {"api-idle-timeout", K_STRING},
};

static const char *type_name(enum key_type t)
{
	static const char *names[] = {"a string",  "a boolean",  "an array",
	                              "an object", "an integer", "a value"};
	return names[t];
}

static bool type_matches(yajl_val v, enum key_type t)
{
	switch (t) {
	case K_STRING:
		return YAJL_IS_STRING(v);
	case K_BOOL:
		return YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v);
	case K_ARRAY:
		return YAJL_IS_ARRAY(v);
	case K_OBJECT:
		return YAJL_IS_OBJECT(v);
	case K_INT:
		return YAJL_IS_INTEGER(v);
	case K_ANY:
		return true;
	}
	return false;
}

/* "authorization-plugin": only the authz-broker is known; any other name stops the daemon
 * (an authorization it cannot ask must not give an open daemon). An empty value is off. */
static int check_authz_plugin(yajl_val root, const char *file, char *err, size_t errlen)
{
	const char *authz = json_get_str(root, "authorization-plugin");
	if (!authz || !*authz || strcmp(authz, AUTHZ_PLUGIN_NAME) == 0)
		return 0;
	snprintf(err, errlen, "%s: Invalid authorization plugin '%s' (the only one is \"%s\")",
	         file, authz, AUTHZ_PLUGIN_NAME);
	return -1;
}

/* "tls-config": {"CAFile": ..., "CertFile": ..., "KeyFile": ...}; empty values mean the default. */
static int parse_tls_config(struct daemon_config *cfg, yajl_val tc, const char *file, char *err,
                            size_t errlen)
{
	for (size_t i = 0; tc && i < tc->u.object.len; i++) {
		const char *key = tc->u.object.keys[i];
		yajl_val v = tc->u.object.values[i];
		char **dst = strcmp(key, "CAFile") == 0     ? &cfg->tls_ca
		             : strcmp(key, "CertFile") == 0 ? &cfg->tls_cert
		             : strcmp(key, "KeyFile") == 0  ? &cfg->tls_key
		                                            : NULL;
		if (!dst || !(YAJL_IS_STRING(v) || YAJL_IS_NULL(v))) {
			snprintf(err, errlen,
			         "%s: invalid key \"tls-config.%s\": expected \"CAFile\", "
			         "\"CertFile\" and \"KeyFile\" (strings)",
			         file, key);
			return -1;
		}
		const char *val = YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
		if (val && *val) {
			free(*dst);
			*dst = strdup(val);
		}
	}
	return 0;
}

static int check_keys(yajl_val root, const char *file, char *err, size_t errlen)
{
	for (size_t i = 0; i < root->u.object.len; i++) {
		const char *key = root->u.object.keys[i];
		size_t k = 0, n = sizeof(g_known_keys) / sizeof(g_known_keys[0]);
		while (k < n && strcmp(g_known_keys[k].key, key) != 0)
			k++;
		if (k == n) {
			snprintf(err, errlen, "%s: unknown key \"%s\"", file, key);
			return -1;
		}
		if (config_unsupported_key(file, key, root->u.object.values[i], err, errlen) < 0)
			return -1;
		if (!type_matches(root->u.object.values[i], g_known_keys[k].type)) {
			snprintf(err, errlen, "%s: invalid value for key \"%s\": expected %s", file,
			         key, type_name(g_known_keys[k].type));
			return -1;
		}
	}
	if (check_authz_plugin(root, file, err, errlen) < 0)
		return -1;
	yajl_val hosts = json_get(root, "hosts");
	for (size_t i = 0; hosts && i < hosts->u.array.len; i++) {
		if (!YAJL_IS_STRING(hosts->u.array.values[i])) {
			snprintf(err, errlen,
			         "%s: invalid value for key \"hosts\": expected strings", file);
			return -1;
		}
	}
	yajl_val opts = json_get(root, "log-opts");
	for (size_t i = 0; opts && i < opts->u.object.len; i++) {
		if (!YAJL_IS_STRING(opts->u.object.values[i])) {
			snprintf(err, errlen,
			         "%s: invalid value for key \"log-opts.%s\": expected "
			         "a string",
			         file, opts->u.object.keys[i]);
			return -1;
		}
	}
	return 0;
}

/* "container-log": {"driver": "json-file"|"none", "opts": {"KEY": "VALUE", ...}} */
static int parse_container_log(struct daemon_config *cfg, yajl_val cl, const char *file, char *err,
                               size_t errlen)
{
	for (size_t i = 0; cl && i < cl->u.object.len; i++) {
		const char *key = cl->u.object.keys[i];
		yajl_val v = cl->u.object.values[i];
		if (strcmp(key, "driver") == 0 && YAJL_IS_STRING(v)) {
			const char *d = YAJL_GET_STRING(v);
			if (strcmp(d, "none") == 0) {
				strv_push(&cfg->container_log_opts, "disable-log=true");
			} else if (strcmp(d, "json-file") != 0) {
				snprintf(err, errlen,
				         "%s: invalid value for key \"container-log.driver\": %s: "
				         "allowed are json-file and none",
				         file, d);
				return -1;
			}
			continue;
		}
		if (strcmp(key, "opts") != 0 || !YAJL_IS_OBJECT(v)) {
			snprintf(err, errlen,
			         "%s: invalid key \"container-log.%s\": expected \"driver\" (a "
			         "string) and \"opts\" (an object)",
			         file, key);
			return -1;
		}
		for (size_t k = 0; k < v->u.object.len; k++) {
			yajl_val o = v->u.object.values[k];
			char kv[1024];
			if (!YAJL_IS_STRING(o)) {
				snprintf(err, errlen,
				         "%s: invalid value for key \"container-log.opts.%s\": "
				         "expected a string",
				         file, v->u.object.keys[k]);
				return -1;
			}
			snprintf(kv, sizeof(kv), "%s=%s", v->u.object.keys[k], YAJL_GET_STRING(o));
			strv_push(&cfg->container_log_opts, kv);
		}
	}
	struct container_log_settings s;
	char msg[512];
	container_log_defaults(&s);
	if (container_log_apply(&s, cfg->container_log_opts, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "%s: container-log: %s", file, msg);
		return -1;
	}
	return 0;
}

static void take_str(char **dst, const char *src)
{
	if (!src)
		return;
	free(*dst);
	*dst = strdup(src);
}

static int apply_file(struct daemon_config *cfg, const char *file, bool required, char *err,
                      size_t errlen)
{
	char *text = read_file(file, 1 << 20, NULL);
	if (!text) {
		if (errno == ENOENT && !required)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
		return -1;
	}
	/* An empty file configures nothing, like "{}" (packagers ship one). */
	if (text[strspn(text, " \t\r\n")] == '\0') {
		free(text);
		return 0;
	}
	char perr[512] = "";
	yajl_val root = json_parse(text, perr, sizeof(perr));
	free(text);
	if (!root || !YAJL_IS_OBJECT(root)) {
		char *nl = strchr(perr, '\n');
		if (nl)
			*nl = '\0';
		snprintf(err, errlen, "%s: malformed JSON: %s", file,
		         root ? "not an object" : perr);
		if (root)
			yajl_tree_free(root);
		return -1;
	}
	int ret = check_keys(root, file, err, errlen);
	if (ret == 0)
		ret = parse_container_log(cfg, json_get(root, "container-log"), file, err, errlen);
	if (ret == 0)
		ret = parse_tls_config(cfg, json_get(root, "tls-config"), file, err, errlen);
	if (ret == 0) {
		/* Both spellings of tlsverify (DESIGN §9); either set to true turns it on. */
		cfg->tls = json_get_bool(root, "tls", cfg->tls);
		cfg->tls_verify = json_get_bool(root, "tlsverify", cfg->tls_verify) ||
		                  json_get_bool(root, "tls-verify", false);
		cfg->insecure_tcp = json_get_bool(root, "insecure-tcp", cfg->insecure_tcp);
		const char *authz = json_get_str(root, "authorization-plugin");
		cfg->authz = authz && *authz;
		take_str(&cfg->authz_socket, json_get_str(root, "authorization-plugin-socket"));
	}
	if (ret == 0) {
		take_str(&cfg->graph, json_get_str(root, "graph"));
		take_str(&cfg->state, json_get_str(root, "state"));
		take_str(&cfg->pidfile, json_get_str(root, "pidfile"));
		take_str(&cfg->log_level, json_get_str(root, "log-level"));
		take_str(&cfg->log_driver, json_get_str(root, "log-driver"));
		take_str(&cfg->hook_spec, json_get_str(root, "hook-spec"));
		take_str(&cfg->seccomp_profile, json_get_str(root, "seccomp-profile"));
		take_str(&cfg->cgroup_parent, json_get_str(root, "cgroup-parent"));
		take_str(&cfg->group, json_get_str(root, "group"));
		take_str(&cfg->cni_bin_dir, json_get_str(root, "cni-bin-dir"));
		take_str(&cfg->cni_conf_dir, json_get_str(root, "cni-conf-dir"));
		take_str(&cfg->bridge, json_get_str(root, "bridge"));
		take_str(&cfg->bip, json_get_str(root, "bip"));
		int64_t maxc = json_get_int(root, "api-max-connections", -1);
		if (json_get(root, "api-max-connections") && (maxc < 1 || maxc > 1000000)) {
			snprintf(
			    err, errlen,
			    "%s: invalid value for key \"api-max-connections\": %lld: expected "
			    "1..1000000",
			    file, (long long)maxc);
			ret = -1;
		} else if (maxc > 0) {
			cfg->api_max_connections = maxc;
		}
		const char *idle = json_get_str(root, "api-idle-timeout");
		int64_t idle_ms = 0;
		if (idle && (parse_duration_ms(idle, &idle_ms) < 0 || idle_ms < 0 ||
		             idle_ms > (int64_t)86400 * 1000 || idle_ms % 1000 != 0)) {
			snprintf(err, errlen,
			         "%s: invalid value for key \"api-idle-timeout\": %s: expected a "
			         "duration of whole seconds from 1s to 24h, or 0 for none",
			         file, idle);
			ret = -1;
		} else if (idle) {
			cfg->api_idle_timeout_s = idle_ms / 1000;
		}
		const char *timeout = json_get_str(root, "start-timeout");
		if (timeout && parse_duration_ms(timeout, &cfg->start_timeout_ms) < 0) {
			snprintf(err, errlen, "%s: invalid value for key \"start-timeout\": %s",
			         file, timeout);
			ret = -1;
		}
		char **hosts = json_get_strv(root, "hosts");
		if (hosts) {
			strv_free(cfg->hosts);
			cfg->hosts = hosts;
		}
		yajl_val opts = json_get(root, "log-opts");
		for (size_t i = 0; opts && i < opts->u.object.len; i++) {
			char kv[1024];
			snprintf(kv, sizeof(kv), "%s=%s", opts->u.object.keys[i],
			         YAJL_GET_STRING(opts->u.object.values[i]));
			strv_push(&cfg->log_opts, kv);
		}
	}
	yajl_tree_free(root);
	return ret;
}

static char *join_hosts(char *const *v)
{
	size_t len = 3;
	for (size_t i = 0; v && v[i]; i++)
		len += strlen(v[i]) + 1;
	char *out = malloc(len);
	if (!out)
		return NULL;
	strcpy(out, "[");
	for (size_t i = 0; v && v[i]; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, v[i]);
	}
	strcat(out, "]");
	return out;
}

static int apply_flags(struct daemon_config *cfg, struct cli_values *v, const char *file, char *err,
                       size_t errlen)
{
	if (cli_list_len(v, OPT_HOST) > 0) {
		char **flag_hosts = NULL;
		for (size_t i = 0; i < cli_list_len(v, OPT_HOST); i++)
			strv_push(&flag_hosts, cli_list_at(v, OPT_HOST, i));
		if (cfg->hosts) {
			char *a = join_hosts(flag_hosts), *b = join_hosts(cfg->hosts);
			snprintf(err, errlen,
			         "unable to configure the isulad with file %s: the following "
			         "directives are specified both as a flag and in the configuration "
			         "file: hosts: (from flag: %s, from file: %s)",
			         file, a ? a : "", b ? b : "");
			free(a);
			free(b);
			strv_free(flag_hosts);
			return -1;
		}
		cfg->hosts = flag_hosts;
	}
	take_str(&cfg->graph, cli_string(v, OPT_GRAPH));
	take_str(&cfg->state, cli_string(v, OPT_STATE));
	take_str(&cfg->pidfile, cli_string(v, OPT_PIDFILE));
	take_str(&cfg->log_level, cli_string(v, OPT_LOG_LEVEL));
	take_str(&cfg->log_driver, cli_string(v, OPT_LOG_DRIVER));
	take_str(&cfg->hook_spec, cli_string(v, OPT_HOOK_SPEC));
	take_str(&cfg->seccomp_profile, cli_string(v, OPT_SECCOMP_PROFILE));
	take_str(&cfg->cgroup_parent, cli_string(v, OPT_CGROUP_PARENT));
	take_str(&cfg->group, cli_string(v, OPT_GROUP));
	take_str(&cfg->cni_bin_dir, cli_string(v, OPT_CNI_BIN_DIR));
	take_str(&cfg->cni_conf_dir, cli_string(v, OPT_CNI_CONF_DIR));
	take_str(&cfg->bridge, cli_string(v, OPT_BRIDGE));
	take_str(&cfg->bip, cli_string(v, OPT_BIP));
	take_str(&cfg->tls_ca, cli_string(v, OPT_TLSCACERT));
	take_str(&cfg->tls_cert, cli_string(v, OPT_TLSCERT));
	take_str(&cfg->tls_key, cli_string(v, OPT_TLSKEY));
	if (cli_is_set(v, OPT_TLS))
		cfg->tls = cli_bool(v, OPT_TLS);
	if (cli_is_set(v, OPT_TLSVERIFY))
		cfg->tls_verify = cli_bool(v, OPT_TLSVERIFY);
	if (cli_is_set(v, OPT_INSECURE_TCP))
		cfg->insecure_tcp = cli_bool(v, OPT_INSECURE_TCP);
	for (size_t i = 0; i < cli_list_len(v, OPT_LOG_OPT); i++) {
		const char *kv = cli_list_at(v, OPT_LOG_OPT, i);
		if (!strchr(kv, '=')) {
			snprintf(err, errlen, "invalid --log-opt \"%s\": expected KEY=VALUE", kv);
			return -1;
		}
		strv_push(&cfg->log_opts, kv);
	}
	const char *timeout = cli_string(v, OPT_START_TIMEOUT);
	if (timeout && parse_duration_ms(timeout, &cfg->start_timeout_ms) < 0) {
		snprintf(err, errlen,
		         "invalid --start-timeout \"%s\": expected a duration like 2m "
		         "or 30s",
		         timeout);
		return -1;
	}
	return 0;
}

static int fill_defaults(struct daemon_config *cfg, char *err, size_t errlen)
{
	if (!cfg->hosts)
		strv_push(&cfg->hosts, DEFAULT_HOST);
	if (!cfg->graph)
		cfg->graph = strdup(DEFAULT_GRAPH);
	if (!cfg->state)
		cfg->state = strdup(DEFAULT_STATE);
	/* A daemon with its own state dir gets its own pid file, so two daemons can run side by
	 * side without having to repeat -p. */
	if (!cfg->pidfile)
		cfg->pidfile = strcmp(cfg->state, DEFAULT_STATE) == 0
		                   ? strdup(DEFAULT_PIDFILE)
		                   : path_join(cfg->state, "isulad.pid");
	if (!cfg->cgroup_parent)
		cfg->cgroup_parent = strdup(DEFAULT_CGROUP_PARENT);
	if (!cfg->log_level)
		cfg->log_level = strdup("ERROR");
	if (cfg->start_timeout_ms <= 0)
		cfg->start_timeout_ms = 2 * 60 * 1000;
	if (cfg->api_max_connections <= 0)
		cfg->api_max_connections = DEFAULT_API_MAX_CONNECTIONS;
	if (cfg->api_idle_timeout_s < 0)
		cfg->api_idle_timeout_s = DEFAULT_API_IDLE_TIMEOUT_S;
	enum log_level lvl;
	if (log_level_parse(cfg->log_level, &lvl) < 0) {
		snprintf(err, errlen,
		         "invalid log level \"%s\": allowed FATAL ALERT CRIT ERROR "
		         "WARN NOTICE INFO DEBUG TRACE",
		         cfg->log_level);
		return -1;
	}
	const char *dirs[] = {cfg->graph, cfg->state};
	for (size_t i = 0; i < 2; i++) {
		if (dirs[i][0] != '/') {
			snprintf(err, errlen, "invalid directory \"%s\": must be an absolute path",
			         dirs[i]);
			return -1;
		}
	}
	if (cfg->tls_verify)
		cfg->tls = true;
	if (!cfg->tls_ca)
		cfg->tls_ca = strdup(DEFAULT_TLS_CA);
	if (!cfg->tls_cert)
		cfg->tls_cert = strdup(DEFAULT_TLS_CERT);
	if (!cfg->tls_key)
		cfg->tls_key = strdup(DEFAULT_TLS_KEY);
	if (cfg->authz && !cfg->authz_socket)
		cfg->authz_socket = strdup(AUTHZ_DEFAULT_SOCKET);
	if (cfg->authz && (cfg->authz_socket[0] != '/' || strlen(cfg->authz_socket) > 100)) {
		snprintf(err, errlen,
		         "invalid \"authorization-plugin-socket\" \"%s\": must be an absolute "
		         "path of at most 100 characters",
		         cfg->authz_socket);
		return -1;
	}
	for (size_t i = 0; cfg->hosts[i]; i++) {
		const char *h = cfg->hosts[i];
		if (strncmp(h, "tcp://", 6) == 0) {
			if (tcp_addr_parse(h, NULL, NULL) < 0) {
				snprintf(
				    err, errlen,
				    "invalid host \"%s\": must start with tcp:// followed by a "
				    "valid IP address and port number",
				    h);
				return -1;
			}
			if (!cfg->tls && !cfg->insecure_tcp) {
				snprintf(
				    err, errlen,
				    "host \"%s\" has no TLS: anyone who can connect to it would "
				    "control the daemon. Use --tls or --tlsverify (daemon.json "
				    "\"tls\", \"tls-verify\"), or opt in with --insecure-tcp "
				    "(daemon.json \"insecure-tcp\": true)",
				    h);
				return -1;
			}
			continue;
		}
		if (strncmp(h, "unix://", 7) != 0 || h[7] != '/') {
			snprintf(
			    err, errlen,
			    "invalid host \"%s\": must start with unix:// followed "
			    "by a valid absolute path, or tcp:// followed by a valid IP address "
			    "and port number",
			    h);
			return -1;
		}
	}
	if (strv_len(cfg->hosts) > 10) {
		snprintf(err, errlen, "too many hosts: at most 10 can be given");
		return -1;
	}
	return 0;
}

int daemon_config_load(int argc, char **argv, struct daemon_config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->api_idle_timeout_s = -1;
	if (config_unsupported_flags(argc, argv, err, errlen) < 0)
		return -1;
	struct cli_values *v = cli_parse(g_opts, OPT_COUNT, argc - 1, argv + 1, false, err, errlen);
	if (!v)
		return -1;
	int ret = -1;
	if (cli_npositional(v) > 0) {
		snprintf(err, errlen, "unexpected argument \"%s\"", cli_positional(v, 0));
		goto out;
	}
	cfg->show_help = cli_bool(v, OPT_HELP);
	cfg->show_version = cli_bool(v, OPT_VERSION);
	const char *file = cli_string(v, OPT_CONFIG_FILE);
	cfg->config_file = strdup(file ? file : DEFAULT_CONFIG_FILE);
	if (cfg->show_help || cfg->show_version) {
		ret = 0;
		goto out;
	}
	if (apply_file(cfg, cfg->config_file, file != NULL, err, errlen) < 0 ||
	    apply_flags(cfg, v, cfg->config_file, err, errlen) < 0 ||
	    fill_defaults(cfg, err, errlen) < 0)
		goto out;
	ret = 0;
out:
	cli_values_free(v);
	return ret;
}

void daemon_config_free(struct daemon_config *cfg)
{
	strv_free(cfg->hosts);
	strv_free(cfg->log_opts);
	strv_free(cfg->container_log_opts);
	free(cfg->graph);
	free(cfg->state);
	free(cfg->pidfile);
	free(cfg->log_level);
	free(cfg->log_driver);
	free(cfg->hook_spec);
	free(cfg->seccomp_profile);
	free(cfg->cni_bin_dir);
	free(cfg->cni_conf_dir);
	free(cfg->bridge);
	free(cfg->bip);
	free(cfg->cgroup_parent);
	free(cfg->group);
	free(cfg->config_file);
	free(cfg->tls_ca);
	free(cfg->tls_cert);
	free(cfg->tls_key);
	free(cfg->authz_socket);
	memset(cfg, 0, sizeof(*cfg));
}
