/* FNV-1a (64 bits): a fast hash of bytes, for hash tables and telling contents apart (not
 * against an adversary choosing them to collide). */
#ifndef LIB_CORE_HASH_H
#define LIB_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_BASIS UINT64_C(0xcbf29ce484222325)

/* h (FNV1A64_BASIS to start, or a previous result to go on) extended by the n bytes at p. */
uint64_t fnv1a64(uint64_t h, const void *p, size_t n);

#endif
