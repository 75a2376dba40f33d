/* The path rules of `docker cp`, shared by the client (and tested on their own): splitting
 * CONTAINER:PATH arguments (paths are cleaned with core/path_clean), and deciding where an archive
 * is extracted and whether its top entry is renamed. */
#ifndef LIB_ENGINE_CP_PATH_H
#define LIB_ENGINE_CP_PATH_H

#include <stdbool.h>

/* Splits "ctr:/path" into *container (malloc'd) and *path (points into arg). A local path
 * (*container NULL) is one that is absolute, has no ':', or starts with '.' before the ':'
 * ("./a:b"), as docker decides. Returns 0, or -1 when out of memory. */
int cp_split_arg(const char *arg, char **container, const char **path);

/* Docker's SplitPathDirEntry: dir and last entry of the cleaned path, keeping a trailing
 * "/." as the entry "." (so "a/." means "the contents of a"). Both malloc'd; 0 or -1. */
int cp_split_dir_entry(const char *path, char **dir, char **base);
/* The path says it must be a directory: it ends in '/' or "/.". */
bool cp_asserts_dir(const char *path);

struct cp_info {
	const char *path;
	bool exists;
	bool is_dir;
};

/* Where to extract an archive of src (whose top entry is named after src's last entry) so
 * that it lands at dst like docker cp: *dst_dir is the directory to extract into, and when
 * *rebase_to is set the archive's top entry *rebase_from must be renamed to it. All out
 * strings are malloc'd (or NULL). Returns 0, or -1 with err set to docker's message:
 * "cannot copy directory" (dir onto an existing non-directory), "no such directory" (a
 * file onto a missing path ending in '/'), "not a directory" (onto "file/"). */
int cp_prepare(const struct cp_info *src, const struct cp_info *dst, char **dst_dir,
               char **rebase_from, char **rebase_to, const char **err);

#endif
