/* list-nic: its filter and its output (see nic.h). */
#include "hotplug/nic.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl/yajl_gen.h>

#include "core/json.h"
#include "hotplug/list_json.h"

#define FILTER_MAX (64 << 10)

static bool eq_opt(const char *want, const char *have)
{
	return !want || !*want || (have && strcmp(want, have) == 0);
}

bool hp_nic_filter_match(const struct hp_nic *f, const struct hp_nic *n)
{
	return eq_opt(f->ip, n->ip) &&
	       (!f->mac || !*f->mac || (n->mac && !strcasecmp(f->mac, n->mac))) &&
	       (f->mtu == 0 || f->mtu == n->mtu) && (f->qlen < 0 || f->qlen == n->qlen) &&
	       eq_opt(f->type, n->type) && eq_opt(f->bridge, n->bridge) &&
	       eq_opt(f->host_name, n->host_name) && eq_opt(f->ctr_name, n->ctr_name);
}

int hp_nic_filter_parse(const char *text, struct hp_nic *f, struct error *e)
{
	memset(f, 0, sizeof(*f));
	f->qlen = -1;
	char perr[256];
	if (strlen(text) > FILTER_MAX)
		return error_set(e, ERR_INVALID, "failed to parse filter: longer than %d bytes",
		                 FILTER_MAX);
	yajl_val v = json_parse(text, perr, sizeof(perr));
	if (!v)
		return error_set(e, ERR_INVALID, "failed to parse filter: %s", perr);
	int ret = 0;
	if (!YAJL_IS_OBJECT(v))
		ret = error_set(e, ERR_INVALID, "failed to parse filter: not a JSON object");
	static const char *const str_keys[] = {"Ip",     "Mac",         "Type",
	                                       "Bridge", "HostNicName", "CtrNicName"};
	char **str_fields[] = {&f->ip, &f->mac, &f->type, &f->bridge, &f->host_name, &f->ctr_name};
	for (size_t i = 0; ret == 0 && i < v->u.object.len; i++) {
		const char *k = v->u.object.keys[i];
		yajl_val val = v->u.object.values[i];
		bool known = false;
		for (size_t j = 0; j < 6 && !known; j++) {
			if (strcasecmp(k, str_keys[j]) != 0)
				continue;
			known = true;
			const char *sv = YAJL_IS_STRING(val) ? YAJL_GET_STRING(val) : NULL;
			if (!sv) {
				ret =
				    error_set(e, ERR_INVALID,
				              "failed to parse filter: \"%s\" is not a string", k);
			} else {
				free(*str_fields[j]);
				if (!(*str_fields[j] = strdup(sv)))
					ret = error_set(e, ERR_INTERNAL, "out of memory");
			}
		}
		if (known || ret < 0)
			continue;
		bool mtu = strcasecmp(k, "Mtu") == 0, qlen = strcasecmp(k, "Qlen") == 0;
		if (!mtu && !qlen) {
			ret = error_set(
			    e, ERR_INVALID,
			    "failed to parse filter: unknown key \"%s\" (expected Ip, Mac, "
			    "Mtu, Qlen, Type, Bridge, HostNicName or CtrNicName)",
			    k);
		} else if (!YAJL_IS_INTEGER(val) || YAJL_GET_INTEGER(val) < 0 ||
		           YAJL_GET_INTEGER(val) > INT32_MAX) {
			ret =
			    error_set(e, ERR_INVALID,
			              "failed to parse filter: \"%s\" is not a number from 0 to %d",
			              k, INT32_MAX);
		} else if (mtu) {
			f->mtu = (int)YAJL_GET_INTEGER(val);
		} else {
			f->qlen = (int)YAJL_GET_INTEGER(val);
		}
	}
	yajl_tree_free(v);
	if (ret < 0)
		hp_nic_free(f);
	return ret;
}

char *hp_nic_list_render(const struct hotplug_record *r, const struct hp_nic *f, bool pretty)
{
	yajl_gen g = hp_list_begin(pretty);
	if (!g)
		return NULL;
	size_t shown = 0;
	for (size_t i = 0; i < r->n_nics; i++) {
		const struct hp_nic *n = &r->nics[i];
		if (f && !hp_nic_filter_match(f, n))
			continue;
		shown++;
		yajl_gen_map_open(g);
		jg_kstr(g, "Ip", n->ip ? n->ip : "");
		jg_kstr(g, "Mac", n->mac ? n->mac : "");
		jg_kint(g, "Mtu", n->mtu);
		jg_kint(g, "Qlen", n->qlen);
		jg_kstr(g, "Type", n->type ? n->type : "");
		jg_kstr(g, "Bridge", n->bridge ? n->bridge : "");
		jg_kstr(g, "HostNicName", n->host_name ? n->host_name : "");
		jg_kstr(g, "CtrNicName", n->ctr_name ? n->ctr_name : "");
		yajl_gen_map_close(g);
	}
	return hp_list_end(g, shown);
}
