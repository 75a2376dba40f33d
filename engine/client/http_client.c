#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "json.h"

static size_t collect(char *data, size_t size, size_t nmemb, void *userp)
{
	struct api_response *r = userp;
	size_t n = size * nmemb;
	char *nb = realloc(r->body, r->len + n + 1);
	if (!nb)
		return 0;
	memcpy(nb + r->len, data, n);
	r->body = nb;
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

int api_call(const struct client *cl, const char *method, const char *path, const char *body,
             struct api_response *out)
{
	memset(out, 0, sizeof(*out));
	const char *sock = cl->host;
	if (strncmp(sock, "unix://", 7) == 0)
		sock += 7;
	CURL *curl = curl_easy_init();
	if (!curl)
		return -1;
	char url[4096];
	snprintf(url, sizeof(url), "http://localhost/v1.41%s", path);
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (body)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	else if (strcmp(method, "POST") == 0)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
	CURLcode rc = curl_easy_perform(curl);
	int ret = 0;
	if (rc != CURLE_OK) {
		fprintf(stderr,
		        "Cannot connect to the iSulad daemon at %s (%s). Is the iSulad daemon "
		        "running on the host?\n",
		        cl->host, curl_easy_strerror(rc));
		ret = -1;
	} else {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return ret;
}

void api_response_free(struct api_response *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

void print_daemon_error(const struct api_response *r)
{
	yajl_val root = r->body ? yajl_tree_parse(r->body, NULL, 0) : NULL;
	const char *msg = json_get_str(root, "message");
	fprintf(stderr, "Error response from daemon: %s\n",
	        msg ? msg : (r->body && *r->body ? r->body : "unknown error"));
	if (root)
		yajl_tree_free(root);
}

char *url_escape(const char *s)
{
	char *e = curl_escape(s, 0);
	char *out = e ? strdup(e) : NULL;
	curl_free(e);
	return out;
}
