/* Container ids: 64 lowercase hex characters from the kernel's CSPRNG (Docker's form), and
 * the check that a string is one. */
#ifndef LIB_CORE_IDGEN_H
#define LIB_CORE_IDGEN_H

#define CONTAINER_ID_LEN 64

/* Fills buf (CONTAINER_ID_LEN + 1 bytes) with lowercase hex from the kernel's CSPRNG. */
int idgen_random_hex(char *buf);
/* True if s is exactly 64 lowercase hex characters. */
int idgen_is_full_id(const char *s);

#endif
