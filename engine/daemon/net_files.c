#include "net_files.h"

#include "core/strbuf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ip_address_valid(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];
	return s && (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1);
}

static bool host_name_ok(const char *h)
{
	if (!*h)
		return false;
	for (const char *p = h; *p; p++) {
		if (isspace((unsigned char)*p) || *p == '#' || !isprint((unsigned char)*p))
			return false;
	}
	return true;
}

int extra_host_parse(const char *spec, char **host, char **ip, char *err, size_t errlen)
{
	*host = *ip = NULL;
	const char *colon = spec ? strchr(spec, ':') : NULL;
	if (!colon) {
		snprintf(err, errlen, "Invalid --add-host \"%s\": expected HOST:IP",
		         spec ? spec : "");
		return -1;
	}
	char *h = strndup(spec, (size_t)(colon - spec));
	const char *a = colon + 1;
	size_t alen = strlen(a);
	if (alen > 2 && a[0] == '[' && a[alen - 1] == ']') {
		a++;
		alen -= 2;
	}
	char *addr = strndup(a, alen);
	if (!h || !addr) {
		free(h);
		free(addr);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!host_name_ok(h)) {
		snprintf(
		    err, errlen,
		    "Invalid --add-host \"%s\": the host name must be non-empty, without spaces "
		    "or #",
		    spec);
	} else if (!ip_address_valid(addr)) {
		snprintf(err, errlen, "Invalid --add-host \"%s\": \"%s\" is not an IP address",
		         spec, addr);
	} else {
		*host = h;
		*ip = addr;
		return 0;
	}
	free(h);
	free(addr);
	return -1;
}

int dns_server_check(const char *s, char *err, size_t errlen)
{
	if (ip_address_valid(s))
		return 0;
	snprintf(err, errlen, "Invalid --dns \"%s\": not an IP address", s ? s : "");
	return -1;
}

static bool label_ok(const char *l, size_t n)
{
	if (n == 0 || n > 63 || l[0] == '-' || l[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)l[i]) && l[i] != '-')
			return false;
	}
	return true;
}

int dns_search_check(const char *s, char *err, size_t errlen)
{
	if (s && strcmp(s, ".") == 0)
		return 0;
	bool ok = s && *s && strlen(s) <= 255;
	for (const char *p = s; ok && *p;) {
		size_t n = strcspn(p, ".");
		ok = label_ok(p, n);
		p += n;
		if (*p == '.')
			p++;
	}
	if (ok)
		return 0;
	snprintf(err, errlen,
	         "Invalid --dns-search \"%s\": expected a domain name (labels of letters, digits "
	         "and -, at most 255 characters) or .",
	         s ? s : "");
	return -1;
}

int dns_option_check(const char *s, char *err, size_t errlen)
{
	bool ok = s && *s;
	for (const char *p = s; ok && *p; p++)
		ok = isgraph((unsigned char)*p);
	if (ok)
		return 0;
	snprintf(err, errlen,
	         "Invalid --dns-option \"%s\": expected one resolver option such as ndots:2, "
	         "without spaces",
	         s ? s : "");
	return -1;
}

static bool starts_with_word(const char *line, size_t n, const char *word)
{
	size_t w = strlen(word);
	return n > w && strncmp(line, word, w) == 0 && (line[w] == ' ' || line[w] == '\t');
}

char *resolv_without_loopback(const char *host_text)
{
	struct strbuf b = {0}, *f = &b;
	for (const char *p = host_text; p && *p;) {
		size_t n = strcspn(p, "\n");
		bool loop = false;
		if (starts_with_word(p, n, "nameserver")) {
			const char *a = p + strlen("nameserver");
			while (*a == ' ' || *a == '\t')
				a++;
			loop = strncmp(a, "127.", 4) == 0 ||
			       (strncmp(a, "::1", 3) == 0 &&
			        (a[3] == '\n' || a[3] == '\0' || a[3] == ' ' || a[3] == '\t'));
		}
		if (!loop)
			strbuf_printf(f, "%.*s\n", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
	return strbuf_take(&b);
}

char *resolv_conf_render(const char *host_text, char *const *servers, char *const *search,
                         char *const *options)
{
	struct strbuf b = {0}, *f = &b;
	for (const char *p = host_text; p && *p;) {
		size_t n = strcspn(p, "\n");
		bool drop =
		    (servers && servers[0] && starts_with_word(p, n, "nameserver")) ||
		    (search && search[0] &&
		     (starts_with_word(p, n, "search") || starts_with_word(p, n, "domain"))) ||
		    (options && options[0] && starts_with_word(p, n, "options"));
		if (!drop)
			strbuf_printf(f, "%.*s\n", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
	for (size_t i = 0; servers && servers[i]; i++)
		strbuf_printf(f, "nameserver %s\n", servers[i]);
	bool no_search = search && search[0] && strcmp(search[0], ".") == 0 && !search[1];
	if (search && search[0] && !no_search) {
		strbuf_puts(f, "search");
		for (size_t i = 0; search[i]; i++) {
			if (strcmp(search[i], ".") != 0)
				strbuf_printf(f, " %s", search[i]);
		}
		strbuf_putc(f, '\n');
	}
	if (options && options[0]) {
		strbuf_puts(f, "options");
		for (size_t i = 0; options[i]; i++)
			strbuf_printf(f, " %s", options[i]);
		strbuf_putc(f, '\n');
	}
	return strbuf_take(&b);
}

char *hosts_render(const char *hostname, char *const *extra)
{
	struct strbuf b = {0}, *f = &b;
	strbuf_printf(f,
	              "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
	              "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
	              "ff02::2\tip6-allrouters\n127.0.1.1\t%s\n",
	              hostname);
	for (size_t i = 0; extra && extra[i]; i++) {
		char *h, *ip, err[256];
		if (extra_host_parse(extra[i], &h, &ip, err, sizeof(err)) == 0)
			strbuf_printf(f, "%s\t%s\n", ip, h);
		free(h);
		free(ip);
	}
	return strbuf_take(&b);
}
