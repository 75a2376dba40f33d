/* --hugetlb-limit [PAGESIZE:]LIMIT (iSulad's; e.g. 2MB:32MB): a huge page size and a limit in
 * bytes, both with Docker's size units. The API field is iSulad's HostConfig.Hugetlbs
 * [{"PageSize": "2MB", "Limit": 33554432}] (PageSize "" for the host's default). */
#ifndef LIB_ENGINE_HUGETLB_SPEC_H
#define LIB_ENGINE_HUGETLB_SPEC_H

#include <stddef.h>
#include <stdint.h>

/* *page_size malloc'd (the text as given, "" when none), *limit > 0. 0, or -1 with err. */
int hugetlb_spec_parse(const char *spec, char **page_size, int64_t *limit, char *err,
                       size_t errlen);
/* A page size's text ("2MB", "2m", "1GB", "2048k") as bytes: a power of two of at least
 * 4096. 0, or -1. */
int hugetlb_page_size_parse(const char *text, uint64_t *bytes);

#endif
