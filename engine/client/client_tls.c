/* isula's TLS flags and defaults (seed: --tlsverify --tlscacert --tlscert --tlskey, with
 * ~/.iSulad/{ca,cert,key}.pem and ISULAD_TLS_VERIFY=1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"

static char g_paths[3][4096];

/* "--name" (bool) or "--name=V" / "--name V" (value): 1 and *val when argv[*i] is it. */
static int match(const char *name, bool has_value, int argc, char **argv, int *i, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
		return 0;
	a += 2 + n;
	if (!has_value) {
		if (*a == '\0')
			*val = "true";
		else if (*a == '=')
			*val = a + 1;
		else
			return 0;
		return 1;
	}
	if (*a == '=') {
		*val = a + 1;
		return 1;
	}
	if (*a != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "flag needs an argument: --%s\n", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

static int parse_bool(const char *flag, const char *v, bool *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = false;
	else {
		fprintf(stderr, "invalid value \"%s\" for flag --%s: expected true or false\n", v,
		        flag);
		return -1;
	}
	return 0;
}

/* The default file under ~/.iSulad, or NULL when it does not exist (cert and key are only
 * sent when present: verifying the server alone is the seed's mode 2). */
static const char *default_file(int k, const char *name, bool must)
{
	const char *home = getenv("HOME");
	snprintf(g_paths[k], sizeof(g_paths[k]), "%s/.iSulad/%s", home && *home ? home : "/root",
	         name);
	return must || access(g_paths[k], F_OK) == 0 ? g_paths[k] : NULL;
}

int client_take_tls_flags(struct client *cl, int *argc, char **argv)
{
	const char *env = getenv("ISULAD_TLS_VERIFY");
	bool tls = false, verify = env && *env && strcmp(env, "0") != 0;
	const char *ca = NULL, *cert = NULL, *key = NULL;
	int out = 1;
	/* The command: for run, create and exec everything after their first argument (the
	 * image or the container) is the container command's own, --tls words included. */
	const char *cmd = NULL;
	for (int i = 1; i < *argc; i++) {
		bool rest = strcmp(argv[i], "--") == 0;
		if (!rest && argv[i][0] != '-' && cmd) {
			rest = strcmp(cmd, "run") == 0 || strcmp(cmd, "create") == 0 ||
			       strcmp(cmd, "exec") == 0;
		} else if (!rest && argv[i][0] != '-' && i > 1 &&
		           (strcmp(argv[i - 1], "-H") == 0 || strcmp(argv[i - 1], "--host") == 0)) {
			argv[out++] = argv[i]; /* -H's value */
			continue;
		} else if (!rest && argv[i][0] != '-') {
			cmd = argv[i];
		}
		if (rest) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		const char *v = NULL;
		int r;
		if ((r = match("tlsverify", false, *argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_bool("tlsverify", v, &verify) < 0)
				return -1;
		} else if ((r = match("tlscacert", true, *argc, argv, &i, &v)) != 0) {
			ca = v;
		} else if ((r = match("tlscert", true, *argc, argv, &i, &v)) != 0) {
			cert = v;
		} else if ((r = match("tlskey", true, *argc, argv, &i, &v)) != 0) {
			key = v;
		} else if ((r = match("tls", false, *argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_bool("tls", v, &tls) < 0)
				return -1;
		} else {
			argv[out++] = argv[i];
			continue;
		}
		if (r < 0)
			return -1;
	}
	argv[out] = NULL;
	*argc = out;
	cl->use_tls = tls || verify;
	cl->tls.verify = verify;
	cl->tls.ca = ca ? ca : default_file(0, "ca.pem", true);
	cl->tls.cert = cert ? cert : default_file(1, "cert.pem", false);
	cl->tls.key = key ? key : default_file(2, "key.pem", false);
	return 0;
}
