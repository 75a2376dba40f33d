/* Several atomic file writes of one operation made durable together. Each write of a file
 * costs its own journal commit when it is fsynced on its own; in a batch every new content
 * goes to its temp file at once, and the commit fsyncs all the temp files (the first fsync
 * commits them all), renames them into place in the order they were written, then fsyncs
 * each directory once. Until the commit no file changes: a crash (or a failed commit) leaves
 * the old files and at most temp files, which the daemon sweeps at start.
 *
 * The batch belongs to the thread that began it: atomic_write_file and fsync_dir in that
 * thread join it (a directory sync happens after the renames), other threads write as usual.
 * Two writes of one path in a batch keep the last content. */
#ifndef LIB_CORE_DURABLE_BATCH_H
#define LIB_CORE_DURABLE_BATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Starts this thread's batch; -1 (EBUSY) when one is open already. */
int durable_batch_begin(void);
/* Makes every write of the batch durable and visible, and ends it. 0, or -1 with errno of
 * the first failure: files renamed before it are in place, the others are not (and their
 * temp files are removed). */
int durable_batch_commit(void);
/* Ends the batch without changing any file (its temp files are removed). */
void durable_batch_abort(void);

/* For atomic_write_file: true when this thread's batch took the content (the temp file
 * tmp, open as fd, is the batch's now); false when no batch is open. */
bool durable_batch_take(const char *path, const char *tmp, int fd);
/* For fsync_dir: true when this thread's batch will sync dir after its renames. */
bool durable_batch_take_dir(const char *dir);

#endif
