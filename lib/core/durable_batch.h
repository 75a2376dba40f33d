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
/* Starts this thread's batch in place: every write is renamed into place at once (readers,
 * and a daemon killed later, see it as with an unsynced write), and the commit only makes
 * the batch durable. For an operation whose answer comes after more work that needs the
 * files in place (a run: the create's files, then the start): their fsyncs happen while
 * the rest runs. -1 (EBUSY) when a batch is open already. */
int durable_batch_begin_in_place(void);
/* In place: makes the batch's files written so far durable now, and the directories given
 * to fsync_dir so far, and keeps the batch open for more. The files' directories are synced
 * at the commit, once each, with every entry the operation made in them. The first failure
 * is kept for the commit to report too. 0, or -1 with errno; 0 without an in-place batch
 * (nothing to do). */
int durable_batch_sync_now(void);
/* Makes every write of the batch durable and visible, and ends it. 0, or -1 with errno of
 * the first failure: files renamed before it are in place, the others are not (and their
 * temp files are removed). */
int durable_batch_commit(void);
/* Ends the batch without changing any file (its temp files are removed); in place, the
 * files stay as they were written, not made durable. */
void durable_batch_abort(void);

/* Whether this thread has a batch open. */
bool durable_batch_open(void);
/* For atomic_write_file: true when this thread's batch took the content (the temp file
 * tmp, open as fd, is the batch's now); false when no batch is open. */
bool durable_batch_take(const char *path, const char *tmp, int fd);
/* For fsync_dir: true when this thread's batch will sync dir after its renames. */
bool durable_batch_take_dir(const char *dir);

#endif
