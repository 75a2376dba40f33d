/* The arguments of the device commands, parsed as the original parses them: device mappings
 * (ParseMapping) and QoS options (libdevice/options.go), with its messages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/path_clean.h"
#include "engine/device_spec.h"
#include "hotplug/device.h"
#include "hotplug/device_impl.h"

/* The longest argument read. */
#define ARG_MAX_LEN 4096

static const char *const g_words[HP_QOS_KINDS] = {[HP_READ_IOPS] = "read iops",
                                                  [HP_WRITE_IOPS] = "write iops",
                                                  [HP_READ_BPS] = "read bps",
                                                  [HP_WRITE_BPS] = "write bps",
                                                  [HP_WEIGHT] = "blkio weight"};

const char *hp_qos_words(enum hp_qos_kind k)
{
	return (unsigned)k < HP_QOS_KINDS ? g_words[k] : "";
}

void hp_device_arg_free(struct hp_device_arg *a)
{
	free(a->text);
	free(a->host);
	free(a->ctr);
	memset(a, 0, sizeof(*a));
}

int hp_device_arg_parse(const char *text, struct hp_device_arg *out, struct error *e)
{
	memset(out, 0, sizeof(*out));
	if (strlen(text) > ARG_MAX_LEN || str_has_control(text))
		return error_set(e, ERR_INVALID, "invalid device specification: %.64s...", text);
	char *copy = NULL;
	const char *host, *ctr, *perms;
	int ret = 0;
	if (device_spec_split(text, &copy, &host, &ctr, &perms) < 0)
		ret = copy ? error_set(e, ERR_INVALID, "invalid device specification: %s", text)
		           : error_set(e, ERR_INTERNAL, "out of memory");
	if (ret == 0 && !ctr)
		ctr = "";
	if (ret == 0 && !perms)
		perms = "rwm";
	if (ret == 0 && !device_perms_valid(perms))
		ret = error_set(e, ERR_INVALID, "invalid permission: %s", perms);
	else if (ret == 0 && *host && host[0] != '/')
		ret = error_set(e, ERR_INVALID, "hostpath should be an absolute path: %s", host);
	else if (ret == 0 && *ctr && ctr[0] != '/')
		ret =
		    error_set(e, ERR_INVALID, "containerpath should be an absolute path: %s", ctr);
	else if (ret == 0 && !*host && !*ctr)
		ret = error_set(e, ERR_INVALID,
		                "either of host path and container path should be assigned");
	if (ret == 0) {
		out->text = strdup(text);
		out->host = *host ? path_clean(host) : NULL;
		out->ctr = *ctr ? path_clean(ctr) : NULL;
		strcpy(out->perms, perms);
		if (!out->text || (*host && !out->host) || (*ctr && !out->ctr))
			ret = error_set(e, ERR_INTERNAL, "out of memory");
		else if (out->ctr && strlen(out->ctr) > HP_CTR_PATH_MAX)
			ret = error_set(e, ERR_INVALID,
			                "containerpath is longer than %d bytes: %.64s...",
			                HP_CTR_PATH_MAX, ctr);
		else if (out->ctr && strcmp(out->ctr, "/") == 0)
			ret = error_set(e, ERR_INVALID, "containerpath should be a file path: %s",
			                ctr);
	}
	free(copy);
	if (ret < 0)
		hp_device_arg_free(out);
	return ret;
}

void hp_qos_arg_free(struct hp_qos_arg *q)
{
	free(q->path);
	q->path = NULL;
}

/* ^(\d+(\.\d+)?)([kKmMgGtTpP])?[bB]?$ with 1024-based units, at most INT64_MAX. */
static int parse_rate(const char *s, uint64_t *out)
{
	const char *p = s;
	long double v = 0, scale = 1;
	size_t digits = 0;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		v = v * 10 + (*p - '0');
	if (!digits || digits > 20)
		return -1;
	if (*p == '.') {
		size_t frac = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, frac++) {
			scale /= 10;
			v += (*p - '0') * scale;
		}
		if (!frac || frac > 20)
			return -1;
	}
	const char *units = "kmgtp";
	const char *u = *p ? strchr(units, *p | 0x20) : NULL;
	if (u && *p != '\0') {
		for (const char *x = units; x <= u; x++)
			v *= 1024;
		p++;
	}
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p || v > (long double)INT64_MAX)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static int parse_uint(const char *s, uint64_t *out)
{
	if (!*s || strlen(s) > 19 || strspn(s, "0123456789") != strlen(s))
		return -1;
	*out = strtoull(s, NULL, 10);
	return 0;
}

int hp_qos_arg_parse(enum hp_qos_kind kind, const char *text, struct hp_qos_arg *out,
                     struct error *e)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	const char *colon = strrchr(text, ':');
	if (!colon || colon == text || strlen(text) > ARG_MAX_LEN || str_has_control(text))
		return error_set(e, ERR_INVALID, "Bad format: %s", text);
	const char *value = colon + 1;
	int bad;
	if (kind == HP_WEIGHT)
		bad = parse_uint(value, &out->value) < 0 || (out->value != 0 && out->value < 10) ||
		      out->value > 1000;
	else if (kind == HP_READ_BPS || kind == HP_WRITE_BPS)
		bad = parse_rate(value, &out->value) < 0;
	else
		bad = parse_uint(value, &out->value) < 0 || out->value > INT64_MAX;
	if (bad && kind == HP_WEIGHT)
		return error_set(e, ERR_INVALID, "Invalid weight for device: %s", text);
	if (bad && (kind == HP_READ_BPS || kind == HP_WRITE_BPS))
		return error_set(
		    e, ERR_INVALID,
		    "Invalid rate for device: %s. The correct format is "
		    "<device-path>:<number>[<unit>]. Number must be a positive integer. "
		    "Unit is optional and can be kb, mb, or gb",
		    text);
	if (bad)
		return error_set(e, ERR_INVALID,
		                 "Invalid rate for device: %s. The correct format is "
		                 "<device-path>:<number>. Number must be a positive integer",
		                 text);
	out->path = strndup(text, (size_t)(colon - text));
	if (!out->path)
		return error_set(e, ERR_INTERNAL, "out of memory");
	return 0;
}
