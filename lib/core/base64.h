/* Standard base64 (RFC 4648, with padding), as the Docker API uses in headers. */
#ifndef LIB_CORE_BASE64_H
#define LIB_CORE_BASE64_H

#include <stddef.h>

/* malloc'd NUL-terminated encoding of data. */
char *base64_encode(const void *data, size_t len);
/* malloc'd NUL-terminated decoding; NULL on bad input. *len (optional) gets its size. */
char *base64_decode(const char *text, size_t *len);

#endif
