/* libarchive, loaded with dlopen on first use. Linking it would load it and its ~15
 * dependencies (libxml2, ICU, libstdc++ ...) at every start of `isula`, which more than
 * doubles the start-up time of every command for the one command (cp) that needs it.
 * Code that includes this header calls the archive_* functions as usual, after a
 * successful archive_dl_load(). */
#ifndef LIB_ENGINE_ARCHIVE_DL_H
#define LIB_ENGINE_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>

#define ARCHIVE_DL_FUNCS(X)                                                                        \
	X(archive_entry_atime)                                                                     \
	X(archive_entry_atime_is_set)                                                              \
	X(archive_entry_atime_nsec)                                                                \
	X(archive_entry_copy_pathname)                                                             \
	X(archive_entry_copy_stat)                                                                 \
	X(archive_entry_copy_symlink)                                                              \
	X(archive_entry_filetype)                                                                  \
	X(archive_entry_free)                                                                      \
	X(archive_entry_gid)                                                                       \
	X(archive_entry_hardlink)                                                                  \
	X(archive_entry_linkify)                                                                   \
	X(archive_entry_linkresolver_free)                                                         \
	X(archive_entry_linkresolver_new)                                                          \
	X(archive_entry_linkresolver_set_strategy)                                                 \
	X(archive_entry_mtime)                                                                     \
	X(archive_entry_mtime_nsec)                                                                \
	X(archive_entry_new)                                                                       \
	X(archive_entry_pathname)                                                                  \
	X(archive_entry_perm)                                                                      \
	X(archive_entry_rdev)                                                                      \
	X(archive_entry_size)                                                                      \
	X(archive_entry_symlink)                                                                   \
	X(archive_entry_uid)                                                                       \
	X(archive_errno)                                                                           \
	X(archive_error_string)                                                                    \
	X(archive_format)                                                                          \
	X(archive_read_data_block)                                                                 \
	X(archive_read_free)                                                                       \
	X(archive_read_new)                                                                        \
	X(archive_read_next_header)                                                                \
	X(archive_read_open)                                                                       \
	X(archive_read_support_filter_all)                                                         \
	X(archive_read_support_format_gnutar)                                                      \
	X(archive_read_support_format_tar)                                                         \
	X(archive_set_error)                                                                       \
	X(archive_write_close)                                                                     \
	X(archive_write_data)                                                                      \
	X(archive_write_free)                                                                      \
	X(archive_write_header)                                                                    \
	X(archive_write_new)                                                                       \
	X(archive_write_open)                                                                      \
	X(archive_write_set_bytes_in_last_block)                                                   \
	X(archive_write_set_bytes_per_block)                                                       \
	X(archive_write_set_format_option)                                                         \
	X(archive_write_set_format_pax_restricted)

#define ARCHIVE_DL_FIELD(name) __typeof__(name) *name;
struct archive_dl {
	ARCHIVE_DL_FUNCS(ARCHIVE_DL_FIELD)
};
#undef ARCHIVE_DL_FIELD

extern struct archive_dl g_archive_dl;

/* Loads libarchive once (thread-safe). 0, or -1 with err saying what is missing. */
int archive_dl_load(char *err, size_t errlen);

/* From here on, archive_x(...) calls go through the loaded pointers (one line per entry
 * of ARCHIVE_DL_FUNCS). */
#ifndef ARCHIVE_DL_IMPL
// clang-format off
#define archive_entry_atime (g_archive_dl.archive_entry_atime)
#define archive_entry_atime_is_set (g_archive_dl.archive_entry_atime_is_set)
#define archive_entry_atime_nsec (g_archive_dl.archive_entry_atime_nsec)
#define archive_entry_copy_pathname (g_archive_dl.archive_entry_copy_pathname)
#define archive_entry_copy_stat (g_archive_dl.archive_entry_copy_stat)
#define archive_entry_copy_symlink (g_archive_dl.archive_entry_copy_symlink)
#define archive_entry_filetype (g_archive_dl.archive_entry_filetype)
#define archive_entry_free (g_archive_dl.archive_entry_free)
#define archive_entry_gid (g_archive_dl.archive_entry_gid)
#define archive_entry_hardlink (g_archive_dl.archive_entry_hardlink)
#define archive_entry_linkify (g_archive_dl.archive_entry_linkify)
#define archive_entry_linkresolver_free (g_archive_dl.archive_entry_linkresolver_free)
#define archive_entry_linkresolver_new (g_archive_dl.archive_entry_linkresolver_new)
#define archive_entry_linkresolver_set_strategy (g_archive_dl.archive_entry_linkresolver_set_strategy)
#define archive_entry_mtime (g_archive_dl.archive_entry_mtime)
#define archive_entry_mtime_nsec (g_archive_dl.archive_entry_mtime_nsec)
#define archive_entry_new (g_archive_dl.archive_entry_new)
#define archive_entry_pathname (g_archive_dl.archive_entry_pathname)
#define archive_entry_perm (g_archive_dl.archive_entry_perm)
#define archive_entry_rdev (g_archive_dl.archive_entry_rdev)
#define archive_entry_size (g_archive_dl.archive_entry_size)
#define archive_entry_symlink (g_archive_dl.archive_entry_symlink)
#define archive_entry_uid (g_archive_dl.archive_entry_uid)
#define archive_errno (g_archive_dl.archive_errno)
#define archive_error_string (g_archive_dl.archive_error_string)
#define archive_format (g_archive_dl.archive_format)
#define archive_read_data_block (g_archive_dl.archive_read_data_block)
#define archive_read_free (g_archive_dl.archive_read_free)
#define archive_read_new (g_archive_dl.archive_read_new)
#define archive_read_next_header (g_archive_dl.archive_read_next_header)
#define archive_read_open (g_archive_dl.archive_read_open)
#define archive_read_support_filter_all (g_archive_dl.archive_read_support_filter_all)
#define archive_read_support_format_gnutar (g_archive_dl.archive_read_support_format_gnutar)
#define archive_read_support_format_tar (g_archive_dl.archive_read_support_format_tar)
#define archive_set_error (g_archive_dl.archive_set_error)
#define archive_write_close (g_archive_dl.archive_write_close)
#define archive_write_data (g_archive_dl.archive_write_data)
#define archive_write_free (g_archive_dl.archive_write_free)
#define archive_write_header (g_archive_dl.archive_write_header)
#define archive_write_new (g_archive_dl.archive_write_new)
#define archive_write_open (g_archive_dl.archive_write_open)
#define archive_write_set_bytes_in_last_block (g_archive_dl.archive_write_set_bytes_in_last_block)
#define archive_write_set_bytes_per_block (g_archive_dl.archive_write_set_bytes_per_block)
#define archive_write_set_format_option (g_archive_dl.archive_write_set_format_option)
#define archive_write_set_format_pax_restricted (g_archive_dl.archive_write_set_format_pax_restricted)
// clang-format on
#endif

#endif
