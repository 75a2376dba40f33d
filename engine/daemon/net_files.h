/* The container's /etc/resolv.conf and /etc/hosts: checks of --dns, --dns-search,
 * --dns-option and --add-host values, and the text of both files. */
#ifndef LIB_NET_FILES_H
#define LIB_NET_FILES_H

#include <stdbool.h>
#include <stddef.h>

/* An IPv4 or IPv6 address in numeric form. */
bool ip_address_valid(const char *s);

/* "host:ip" (ip may be IPv6, optionally in brackets: "h:::1", "h:[::1]"). On success *host
 * and *ip are malloc'd; -1 with err naming the value otherwise. */
int extra_host_parse(const char *spec, char **host, char **ip, char *err, size_t errlen);

/* Each check: 0, or -1 with err naming the value and what is allowed. */
int dns_server_check(const char *s, char *err, size_t errlen);
/* A domain name (labels of letters, digits and '-', at most 255 characters), or "." which
 * means "no search domain". */
int dns_search_check(const char *s, char *err, size_t errlen);
/* One resolver option word such as "ndots:2" or "rotate": no white space. */
int dns_option_check(const char *s, char *err, size_t errlen);

/* resolv.conf for the container: host_text (the host's file, may be NULL) with its
 * nameserver, search/domain and options lines replaced by the given ones where any are given.
 * A search list of just "." drops the search line. malloc'd. */
char *resolv_conf_render(const char *host_text, char *const *servers, char *const *search,
                         char *const *options);

/* The host's resolv.conf without its loopback name servers (127.x, ::1: a resolver of the
 * host, which a container with a network namespace of its own cannot reach). malloc'd. */
char *resolv_without_loopback(const char *host_text);

/* /etc/hosts: the localhost entries, "127.0.1.1 hostname", then one line per "host:ip" of
 * extra (already checked). malloc'd. */
char *hosts_render(const char *hostname, char *const *extra);

#endif
