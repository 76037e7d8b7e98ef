/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Relabelling the files of a root from the target policy's file_contexts: the whole root, given
 * subtrees, or exactly the paths a change of file context rules can reach. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* How far a relabel is; 'total' is an estimate (the inodes in use on the filesystems walked), 0 when
 * unknown; 'left_usec' is 0 until it can be estimated. */
typedef struct RelabelProgress {
        uint64_t done, total, changed;
        uint64_t elapsed_usec, left_usec;
} RelabelProgress;

typedef void (*relabel_progress_t)(const RelabelProgress *p, void *userdata);
/* A path whose label changes (or would, in a dry run), with its label before (NULL: none) and after.
 * Called with the walk's lock held, one call at a time. */
typedef void (*relabel_changed_t)(const char *path, const char *from, const char *to, void *userdata);

typedef struct RelabelOptions {
        char *const *subtrees;           /* paths as the booted system sees them; NULL: the whole root */
        bool dry_run;                    /* only look, and report the changes through 'changed' */
        unsigned threads;                /* 0: one per online CPU, at most RELABEL_THREADS_MAX */
        uint64_t progress_interval_usec; /* 0: no progress */
        relabel_progress_t progress;
        relabel_changed_t changed;
        void *userdata;
        int scratch_fd; /* for labeler_open()'s subset; -EBADF: none */
} RelabelOptions;

#define RELABEL_THREADS_MAX 16u

typedef struct RelabelStats {
        uint64_t files;          /* entries looked at */
        uint64_t changed;        /* entries relabelled (or, in a dry run, to relabel) */
        uint64_t errors;         /* entries that could not be looked at or relabelled */
        uint64_t skipped_mounts; /* filesystems found in the walk and not entered */
        uint64_t usec;
} RelabelStats;

/* The devices (st_dev) a relabel of the root may enter: the root's own filesystem, and the
 * filesystems mounted below it that keep labels on disk and are writable: not proc, sysfs, tmpfs,
 * devtmpfs, cgroup, overlays of containers and the like, nor read-only mounts (an image's /usr
 * carries its labels). Read from /proc/self/mountinfo with libmount; without it, the root's
 * filesystem alone. 'root_fd' is the root, 'root' its path. *ret_inodes (optional) gets the inodes
 * in use on them all (statvfs()), the estimate of a full relabel's files. Returns the number of
 * devices (>= 1), *ret the array, or a negative errno. */
int relabel_devices(int root_fd, const char *root, dev_t **ret, uint64_t *ret_inodes);

/* Whether a filesystem of type 'fstype' mounted at 'target' (a path inside the root) with the VFS
 * options 'options' is one a relabel enters. */
bool relabel_fs_persistent(const char *fstype, const char *target, const char *options);

/* Gives every existing file of 'o->subtrees' (or the whole root) in 'root_fd' the label the
 * file_contexts of the compiled policy 'policy_dir' ("/etc/selinux/TYPE") says, where its
 * security.selinux attribute differs (symlinks are not followed; files file_contexts gives no label,
 * or <<none>>, are left alone, as setfiles leaves them). Never enters a filesystem relabel_devices()
 * does not list. Several threads share a queue of directories. *ret_stats (optional) says what was
 * done. Returns 0; -ENOENT when the policy has no file_contexts; or the first error met (after the
 * walk went on with the rest: a file that cannot be relabelled does not stop the others), logged. */
int relabel_run(int root_fd, const char *root, const char *policy_dir, const RelabelOptions *o,
                RelabelStats *ret_stats);

/* The subtrees a change of file context rules can reach: for each regex of 'regexes' (file_contexts
 * specs added, changed or removed), the directory of its literal start; for each path of
 * 'equivalences' (the source paths of equivalences added or removed), the path itself. Nested ones
 * are merged; a regex with no literal start gives "/". Returns 0 and *ret (a new strv, sorted), or
 * -ENOMEM. */
int relabel_subtrees_for(char *const *regexes, char *const *equivalences, char ***ret);

/* Adds to 'l', for each of its subtrees below the original of an equivalence of the policy 'policy_dir'
 * ("alias original" lines of its file_contexts.subs_dist and .subs, as selabel reads them), the same
 * place under the alias: lookups there are rewritten to the original, so a rule for the original
 * labels files under the alias too. Merges nested ones. Returns 0, or a negative errno (logged but
 * -ENOMEM). */
int relabel_subtrees_add_aliases(int root_fd, const char *policy_dir, char ***l);

/* relabel_run() on exactly what relabel_subtrees_for() gives for 'regexes' and 'equivalences' (o->subtrees
 * is ignored): after an apply changed file context rules, only the existing paths whose label
 * changes are relabelled. Returns as relabel_run() does. */
int relabel_targeted(int root_fd, const char *root, const char *policy_dir, char *const *regexes,
                     char *const *equivalences, const RelabelOptions *o, RelabelStats *ret_stats);
