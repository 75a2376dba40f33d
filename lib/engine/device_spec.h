/* --device HOST[:CONTAINER][:PERMISSIONS], as Docker parses it: one part is the host path
 * (also used in the container); with two, the second is the permissions if it reads as such,
 * else the container path; three are host:container:permissions. Permissions are letters
 * of "rwm", each at most once; the default is "rwm". */
#ifndef LIB_ENGINE_DEVICE_SPEC_H
#define LIB_ENGINE_DEVICE_SPEC_H

#include <stdbool.h>
#include <stddef.h>

struct device_spec {
	char *host;    /* absolute path on the host */
	char *ctr;     /* absolute path under /dev in the container */
	char perms[4]; /* subset of "rwm", in that order */
};

int device_spec_parse(const char *spec, struct device_spec *out, char *err, size_t errlen);
/* The splitting both device_spec_parse and isulad-tools' device arguments use: *host, *ctr and
 * *perms point into *copy (malloc'd, free it); *ctr and *perms are NULL when absent. -1 for
 * more than three parts, or when out of memory (*copy NULL). */
int device_spec_split(const char *spec, char **copy, const char **host, const char **ctr,
                      const char **perms);
/* Checks a spec that arrives already split (Docker API Devices entries); fills out the same
 * way (ctr defaults to host, perms to "rwm"). */
int device_spec_from_parts(const char *host, const char *ctr, const char *perms,
                           struct device_spec *out, char *err, size_t errlen);
/* --device-cgroup-rule, Docker's form: "TYPE MAJOR:MINOR PERMS", TYPE one of a b c, MAJOR and
 * MINOR a number or "*", PERMS as device_perms_valid. 0, or -1 with err naming the value. */
int device_cgroup_rule_check(const char *rule, char *err, size_t errlen);
/* True for a non-empty subset of "rwm" without repeats, in any order. */
bool device_perms_valid(const char *perms);
void device_spec_free(struct device_spec *d);

#endif
