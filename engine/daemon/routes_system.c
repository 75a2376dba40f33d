/* /_ping, /version, /info. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host/cgroup_info.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "core/url_mask.h"
#include "routes.h"
#include "store.h"
#include "core/version.h"

void route_ping(const struct request *req, struct response *resp)
{
	resp->status = 200;
	resp->body = strdup("OK");
	resp->content_type = "text/plain; charset=utf-8";
}

void route_version(const struct request *req, struct response *resp)
{
	struct utsname u;
	uname(&u);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "Version", ISULAD_VERSION);
	jg_kstr(g, "ApiVersion", ISULAD_API_VERSION);
	jg_kstr(g, "MinAPIVersion", ISULAD_MIN_API_VERSION);
	jg_kstr(g, "GitCommit", GIT_COMMIT);
	jg_kstr(g, "BuildTime", BUILD_TIME);
	jg_kstr(g, "Os", "linux");
	jg_kstr(g, "Arch", strcmp(u.machine, "x86_64") == 0 ? "amd64" : u.machine);
	jg_kstr(g, "KernelVersion", u.release);
	jg_kstr(g, "RootPath", g_paths.graph);
	jg_kstr(g, "OCIConfigVersion", "1.0.2");
	yajl_gen_map_close(g);
	resp_json(resp, 200, jg_finish(g, NULL));
}

static void os_pretty_name(char *buf, size_t len)
{
	snprintf(buf, len, "Linux");
	char *text = read_file("/etc/os-release", 64 * 1024, NULL);
	char *p = text ? strstr(text, "PRETTY_NAME=") : NULL;
	if (p) {
		p += strlen("PRETTY_NAME=");
		if (*p == '"')
			p++;
		size_t n = strcspn(p, "\"\n");
		snprintf(buf, len, "%.*s", (int)n, p);
	}
	free(text);
}

void route_info(const struct request *req, struct response *resp)
{
	size_t n;
	struct container **all = store_list(&n);
	int running = 0, stopped = 0, paused = 0;
	store_lock();
	for (size_t i = 0; i < n; i++) {
		if (all[i]->state.status == STATUS_RUNNING && all[i]->state.paused)
			paused++;
		else if (all[i]->state.status == STATUS_RUNNING)
			running++;
		else
			stopped++;
	}
	store_unlock();
	store_put_all(all, n);
	struct utsname u;
	uname(&u);
	struct sysinfo si;
	sysinfo(&si);
	char os[256], host[256] = "";
	os_pretty_name(os, sizeof(os));
	gethostname(host, sizeof(host) - 1);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "ID", "");
	jg_kint(g, "Containers", (int64_t)n);
	jg_kint(g, "ContainersRunning", running);
	jg_kint(g, "ContainersPaused", paused);
	jg_kint(g, "ContainersStopped", stopped);
	jg_kint(g, "Images", 0);
	jg_kstr(g, "Driver", "");
	jg_kstr(g, "LoggingDriver", "json-file");
	jg_kstr(g, "CgroupDriver", "cgroupfs");
	jg_kstr(g, "CgroupVersion", cgroup_is_unified() ? "2" : "1");
	jg_kstr(g, "HugetlbPagesize", "2MB");
	jg_kstr(g, "KernelVersion", u.release);
	jg_kstr(g, "OperatingSystem", os);
	jg_kstr(g, "OSType", "linux");
	jg_kstr(g, "Architecture", u.machine);
	jg_kint(g, "NCPU", sysconf(_SC_NPROCESSORS_ONLN));
	jg_kint(g, "MemTotal", (int64_t)si.totalram * si.mem_unit);
	jg_kstr(g, "Name", host);
	jg_kstr(g, "ServerVersion", ISULAD_VERSION);
	jg_kstr(g, "DockerRootDir", g_paths.graph);
	jg_kstr(g, "IsuladRootDir", g_paths.graph);
	/* The daemon's proxies (what its CNI plugins and hooks inherit), credentials hidden. */
	static const char *const proxies[][3] = {{"HttpProxy", "HTTP_PROXY", "http_proxy"},
	                                         {"HttpsProxy", "HTTPS_PROXY", "https_proxy"},
	                                         {"NoProxy", "NO_PROXY", "no_proxy"}};
	for (size_t k = 0; k < sizeof(proxies) / sizeof(proxies[0]); k++) {
		const char *v = getenv(proxies[k][1]);
		if (!v || !*v)
			v = getenv(proxies[k][2]);
		char *shown = url_mask_credentials(v ? v : "");
		jg_kstr(g, proxies[k][0], shown ? shown : "");
		free(shown);
	}
	yajl_gen_map_close(g);
	resp_json(resp, 200, jg_finish(g, NULL));
}
