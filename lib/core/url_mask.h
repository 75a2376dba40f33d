/* A URL for display with its credentials hidden, as `docker info` shows proxies:
 * "http://user:pass@proxy:3128" becomes "http://xxxxx:xxxxx@proxy:3128". */
#ifndef LIB_CORE_URL_MASK_H
#define LIB_CORE_URL_MASK_H

/* malloc'd; NULL when out of memory. Text without "user[:password]@" is returned as is. */
char *url_mask_credentials(const char *url);

#endif
