#include "engine/device_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool device_perms_valid(const char *perms)
{
	if (!perms || !*perms || strlen(perms) > 3)
		return false;
	for (const char *p = perms; *p; p++) {
		if (!strchr("rwm", *p) || strchr(p + 1, *p))
			return false;
	}
	return true;
}

/* A device number of a rule: digits (at most 10, a 32-bit number) or "*"; advances *p. */
static bool rule_number(const char **p)
{
	if (**p == '*') {
		(*p)++;
		return true;
	}
	size_t n = strspn(*p, "0123456789");
	if (n == 0 || n > 10 || (n == 10 && strncmp(*p, "4294967295", 10) > 0))
		return false;
	*p += n;
	return true;
}

int device_cgroup_rule_check(const char *rule, char *err, size_t errlen)
{
	const char *p = rule;
	bool ok = p && strchr("abc", p[0]) && p[0] && p[1] == ' ';
	if (ok) {
		p += 2;
		ok = rule_number(&p) && *p++ == ':' && rule_number(&p) && *p++ == ' ' &&
		     device_perms_valid(p);
	}
	if (!ok)
		snprintf(
		    err, errlen,
		    "Invalid value \"%s\" for --device-cgroup-rule: expected TYPE MAJOR:MINOR "
		    "PERMS (TYPE a, b or c; MAJOR and MINOR numbers or *; PERMS of r, w and m)",
		    rule ? rule : "");
	return ok ? 0 : -1;
}

/* An absolute path without "." or ".." components, empty components or characters that the
 * lxc config cannot carry (white space). */
static bool clean_abs_path(const char *p)
{
	if (!p || p[0] != '/' || strpbrk(p, " \t\r\n\\"))
		return false;
	const char *s = p;
	while (*s) {
		s++; /* past the '/' */
		size_t n = strcspn(s, "/");
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += n;
	}
	return true;
}

static void normalize_perms(const char *in, char out[4])
{
	size_t n = 0;
	for (const char *l = "rwm"; *l; l++) {
		if (strchr(in, *l))
			out[n++] = *l;
	}
	out[n] = '\0';
}

int device_spec_from_parts(const char *host, const char *ctr, const char *perms,
                           struct device_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!ctr || !*ctr)
		ctr = host;
	if (!perms || !*perms)
		perms = "rwm";
	if (!clean_abs_path(host)) {
		snprintf(
		    err, errlen,
		    "Invalid device \"%s\": the host path must be an absolute path without . or "
		    ".. components or spaces",
		    host ? host : "");
		return -1;
	}
	if (!clean_abs_path(ctr) || strncmp(ctr, "/dev/", 5) != 0) {
		snprintf(err, errlen,
		         "Invalid device path in the container \"%s\": it must be an absolute path "
		         "under /dev without . or .. components or spaces",
		         ctr);
		return -1;
	}
	if (!device_perms_valid(perms)) {
		snprintf(
		    err, errlen,
		    "Invalid device permissions \"%s\" for %s: use letters of rwm (read, write, "
		    "mknod), each at most once",
		    perms, host);
		return -1;
	}
	out->host = strdup(host);
	out->ctr = strdup(ctr);
	normalize_perms(perms, out->perms);
	if (!out->host || !out->ctr) {
		device_spec_free(out);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int device_spec_split(const char *spec, char **copy, const char **host, const char **ctr,
                      const char **perms)
{
	*host = *ctr = *perms = NULL;
	if (!(*copy = strdup(spec)))
		return -1;
	char *parts[3] = {*copy, NULL, NULL};
	size_t n = 1;
	for (char *colon = strchr(*copy, ':'); colon; colon = strchr(colon + 1, ':')) {
		*colon = '\0';
		if (n < 3)
			parts[n] = colon + 1;
		n++;
	}
	if (n > 3)
		return -1;
	*host = parts[0];
	if (n == 3) {
		*ctr = parts[1];
		*perms = parts[2];
	} else if (n == 2 && device_perms_valid(parts[1])) {
		*perms = parts[1];
	} else if (n == 2) {
		*ctr = parts[1];
	}
	return 0;
}

int device_spec_parse(const char *spec, struct device_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	char *copy = NULL;
	const char *host, *ctr, *perms;
	int ret = -1;
	if (device_spec_split(spec ? spec : "", &copy, &host, &ctr, &perms) < 0 && !copy)
		snprintf(err, errlen, "out of memory");
	else if (!host || !*host)
		snprintf(err, errlen,
		         "Invalid device specification \"%s\": expected "
		         "/dev/HOST[:/dev/CONTAINER][:PERMISSIONS]",
		         spec ? spec : "");
	else
		ret = device_spec_from_parts(host, ctr, perms, out, err, errlen);
	free(copy);
	return ret;
}

void device_spec_free(struct device_spec *d)
{
	free(d->host);
	free(d->ctr);
	d->host = d->ctr = NULL;
}
