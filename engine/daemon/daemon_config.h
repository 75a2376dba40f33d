/* isulad's configuration: command-line flags over /etc/isulad/daemon.json over defaults. */
#ifndef ENGINE_DAEMON_CONFIG_H
#define ENGINE_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/paths.h"

struct daemon_config {
	char **hosts;
	char *graph, *state, *pidfile;
	char *log_level, *log_driver;
	char **log_opts; /* "k=v" */
	/* daemon.json "container-log": {"driver": "json-file"|"none", "opts": {"max-size": ...}}:
	 * the defaults of every container's log, as "k=v" (driver none: disable-log=true). */
	char **container_log_opts;
	char *hook_spec;
	/* "seccomp-profile" / --seccomp-profile: the containers' default seccomp profile; NULL:
	 * ISULAD_DEFAULT_SECCOMP_PROFILE when it exists, else the compiled-in one. */
	char *seccomp_profile;
	/* Networking: "cni-bin-dir" (':'-separated), "cni-conf-dir", "bridge" ("none": no
	 * default network), "bip" (its gateway/prefix). */
	char *cni_bin_dir, *cni_conf_dir, *bridge, *bip;
	char *cgroup_parent;
	char *group;
	int64_t start_timeout_ms;
	/* daemon.json "api-max-connections" and "api-idle-timeout" (a duration; "0": never). */
	int64_t api_max_connections;
	int64_t api_idle_timeout_s; /* -1 until set */
	/* TLS for the tcp:// hosts: tls_verify (implies tls) also requires client certificates
	 * signed by tls_ca. insecure_tcp: the opt-in for tcp:// hosts without TLS. */
	bool tls, tls_verify, insecure_tcp;
	char *tls_ca, *tls_cert, *tls_key;
	/* daemon.json "authorization-plugin": "authz-broker": every API request is asked to the
	 * broker on authz_socket ("authorization-plugin-socket", default AUTHZ_DEFAULT_SOCKET). */
	bool authz;
	char *authz_socket;
	char *config_file;
	bool show_version, show_help;
};

#define DEFAULT_CONFIG_FILE ISULAD_DEFAULT_CONFIG
#define DEFAULT_HOST ISULAD_DEFAULT_HOST
#define DEFAULT_GRAPH ISULAD_DEFAULT_GRAPH
#define DEFAULT_STATE ISULAD_DEFAULT_STATE
#define DEFAULT_PIDFILE "/var/run/isulad.pid"
#define DEFAULT_CGROUP_PARENT "/isulad"
/* The seed's --help defaults (INVENTORY §7 lists the other places the seeds name). */
#define DEFAULT_TLS_CA "/root/.iSulad/ca.pem"
#define DEFAULT_TLS_CERT "/root/.iSulad/cert.pem"
#define DEFAULT_TLS_KEY "/root/.iSulad/key.pem"
#define AUTHZ_PLUGIN_NAME "authz-broker"
#define AUTHZ_DEFAULT_SOCKET "/run/isulad/plugins/authz-broker.sock"
#define DEFAULT_API_MAX_CONNECTIONS 4096
#define DEFAULT_API_IDLE_TIMEOUT_S 300

/* Fills cfg from argv and the config file; on error returns -1 with a message naming the flag
 * or the daemon.json key. */
int daemon_config_load(int argc, char **argv, struct daemon_config *cfg, char *err, size_t errlen);
void daemon_config_free(struct daemon_config *cfg);
void daemon_config_usage(void);

#endif
