/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading whole files through the root. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Reads all of 'fd' (at most 'max' bytes) into a NUL-terminated buffer.
 * Returns 0, -EFBIG when larger than 'max', or another negative errno. */
int read_full_fd(int fd, size_t max, char **ret, size_t *ret_size);

/* Opens 'path' under 'root_fd' (see chase(); never blocking on a FIFO) and reads it whole. It must
 * be a regular file: anything else is -EBADFD. *ret_st (optional) gets its stat, *ret_path (optional) the resolved
 * path. Returns 0 or a negative errno. */
int read_full_file_at(int root_fd, const char *path, size_t max, char **ret, size_t *ret_size, struct stat *ret_st,
                      char **ret_path);

/* Maps 'path' under 'root_fd' (opened as read_full_file_at() does; at most 'max' bytes) privately and
 * writable: changes stay in this process (copy-on-write), and the pages it does not change are the
 * page cache's, neither copied nor faulted in as new memory. For a large file read to be patched in a
 * few places and written elsewhere. The file must not shrink while mapped (SIGBUS): for files under a
 * lock their writers take, or that they replace rather than rewrite. An empty file gives a mapping of
 * its own. Free with unmap_full_file(). Returns 0 or a negative errno. */
int map_full_file_at(int root_fd, const char *path, size_t max, void **ret, size_t *ret_size);

/* Unmaps what map_full_file_at() mapped ('p' NULL: nothing). Returns NULL. */
void *unmap_full_file(void *p, size_t size);

/* Called by read_lines_at() with each line, NUL-terminated without its newline; it may change the
 * line. Returns 0 to go on, or a negative errno to stop. */
typedef int (*line_func_t)(char *line, void *userdata);

/* Reads 'path' under 'dir_fd' as read_full_file_at() does and calls 'f' with each line that is not
 * empty, in order, until one call fails. Returns 0, -ENOENT when there is no such file, the first
 * failed call's negative errno, or another negative errno. */
int read_lines_at(int dir_fd, const char *path, size_t max, line_func_t f, void *userdata);

/* How write_file_atomic_at() creates the file. uid/gid (uid_t) -1 leave them as created. */
typedef struct WriteOptions {
        mode_t mode;
        uid_t uid;
        gid_t gid;
        const char *label; /* an SELinux context for the security.selinux xattr, or NULL */
        bool runtime;      /* a file under /run (tmpfs): atomic, but no fsync() to survive a crash */
        bool sync_later;   /* atomic, no fsync() now: the caller syncs the filesystem (syncfs()) before
                            * anything relies on the file surviving a crash */
} WriteOptions;

/* Writes 'name' in 'dir_fd' (an O_PATH fd is fine) atomically: a hidden temporary file in the same
 * directory (".<name>.seprov-XXXXXXXX") is written, given mode, owner and label, fsync()ed and
 * renamed over 'name'; then the directory is fsync()ed. A reader sees the old or the new file, never
 * a mix. On failure the temporary file is removed and 'name' is untouched; temporary files a crash
 * left behind are removed by the next write of the same name. Returns 0 or a negative errno. */
int write_file_atomic_at(int dir_fd, const char *name, const void *data, size_t size, const WriteOptions *opts);

/* Puts a hard link 'name' in 'dir_fd' to the file 'old_name' in 'old_dir_fd' (same filesystem)
 * atomically, over whatever file is there: linked under a temporary name like
 * write_file_atomic_at()'s, renamed into place, the directory synced. Returns 0 or a negative errno;
 * on failure 'name' is untouched. */
int link_atomic_at(int old_dir_fd, const char *old_name, int dir_fd, const char *name);

/* Makes a new directory 'prefix' followed by 8 random hex digits in 'dir_fd', with 'mode' (as
 * mkdtemp() does, below a directory fd). *ret_name gets its name. Returns an fd of it (O_DIRECTORY)
 * or a negative errno. */
int mkdtemp_at(int dir_fd, const char *prefix, mode_t mode, char **ret_name);

/* Reads the target of the symlink 'name' in 'dir_fd' into a new string. Returns 0 or a negative errno. */
int readlinkat_malloc(int dir_fd, const char *name, char **ret);

/* A random number for a temporary name, from the kernel's pool (never blocking: early at boot,
 * the clock's nanoseconds and the pid stand in). Returns it. */
uint32_t random_u32(void);

/* fsync()s the directory 'dir_fd' refers to (which may be an O_PATH fd). Returns 0 or -errno. */
int fsync_directory(int dir_fd);

/* Puts a symlink 'name' -> 'target' in 'dir_fd' atomically, over whatever is there: made under a
 * temporary name like write_file_atomic_at()'s, given opts->uid/gid and opts->label (opts->mode is
 * ignored: a link's mode means nothing), renamed into place, the directory synced. Needs /proc to
 * label the link. Returns 0 or a negative errno; on failure 'name' is untouched. */
int symlink_atomic_at(int dir_fd, const char *name, const char *target, const WriteOptions *opts);
