/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pieces of the writable store: labelling, the copy engine, staging and swapping, the origin record. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "apply.h"
#include "layout.h"
#include "macro.h"
#include "label.h"
#include "store.h"

/* Names only seprov uses: a leftover staging tree is recognised by its prefix and nothing else. */
#define STORE_STAGING_PREFIX ".#seprov-staging."
#define STORE_ORIGIN_FILE    ".seprov-origin" /* in a copied tree: what it was copied from */

/* store-copy.c: copies a tree with owners, modes, timestamps and xattrs, writing computed labels. */
typedef struct CopyOptions {
        Labeler *labeler;       /* NULL: keep the source's labels */
        const char *label_base; /* where the copy will live once swapped in, for label lookups */
} CopyOptions;

/* Copies the directory tree 'src_fd' into the existing, empty directory 'dst_fd', the top directory's
 * own mode, owner, xattrs and times included. Regular files, directories and symlinks only. File data
 * moves with FICLONE where the filesystem has it, else copy_file_range(). Nothing is fsync()ed here:
 * the caller syncs the filesystem once before swapping the tree in. Returns 0 or a negative errno
 * (logged, with the path). */
int store_copy_tree(int src_fd, int dst_fd, const CopyOptions *o);

/* Copies the entry 'rel' (a file or a whole subtree) of the tree 'src_fd' to the same place in the
 * tree 'dst_fd', replacing what is there; its parent must exist in 'dst_fd'. Returns 0 or -errno
 * (logged). */
int store_copy_entry(int src_fd, int dst_fd, const char *rel, const CopyOptions *o);

/* staging.c: staging beside the target, atomic exchange, removal. */

/* Creates a hidden staging directory for 'name' in 'dir_fd'. Returns an O_RDONLY fd of it and its
 * name in *ret_name, or a negative errno. */
int staging_create(int dir_fd, const char *name, char **ret_name);

/* An entry staged beside its target: the directory holding both, their names. */
typedef struct Staged {
        int dir_fd;
        char *name;   /* the target's name, which may be missing */
        char *staged; /* the staging entry's name */
} Staged;

/* Removes the staging entry (if still there) and frees. */
void staged_done(Staged *s);

/* Syncs the filesystems of the staged entries (once each), then puts each in place of its target in
 * one atomic exchange (a directory or symlink may replace a directory or symlink), in order, and
 * removes what was there. *ret_done (optional) gets how many were put in place. Returns 0 or a
 * negative errno (logged); a target not yet exchanged is as it was. */
int staged_commit(Staged *list, size_t n, size_t *ret_done);

/* Removes every leftover staging entry in 'dir_fd' (dry_run: only counts them). Returns how many
 * there were, or a negative errno. */
int staging_cleanup(int dir_fd, bool dry_run);

/* The directories that may hold staging entries (see staging_cleanup()), as paths inside the root:
 * beside the store root (when it replaces a link), in the store root, and in /etc/selinux.
 * Returns 0 or -ENOMEM. */
int staging_dirs(const Layout *l, char ***ret);

/* store-origin.c: what a copy was taken from, kept inside the copy itself. */
typedef struct StoreOrigin {
        char *source;            /* the image's tree in /usr it was copied from */
        char *identity;          /* a digest of that tree's content, cheap to recompute */
        char *replaced;          /* the symlink the copy replaced, e.g. "/var/lib/selinux", or NULL */
        char *replaced_target;   /* that symlink's target */
        bool rebuild_pending;    /* local changes were carried over and the policy is not rebuilt yet */
        char **image_priorities; /* a store's: the module priorities the image had */
} StoreOrigin;

void store_origin_done(StoreOrigin *o);

/* Reads the record in the tree 'tree_fd'. Returns 0, -ENOENT when there is none, or another negative errno. */
int store_origin_read(int tree_fd, StoreOrigin *ret);

/* Writes the record into the tree 'tree_fd' with the given label (NULL: none): 'replace' an existing
 * one atomically and durably, or create it in a staging tree that is synced later.
 * Returns 0 or a negative errno. */
int store_origin_write(int tree_fd, const StoreOrigin *o, const char *label, bool replace);

/* The identity of the tree 'fd' (an image store or compiled policy): a digest over names, sizes and
 * modification times of the files libsemanage and PID 1 read, and the content of the small ones
 * (commit_num, modules_checksum). Returns 0 or a negative errno. */
int store_origin_identity(int fd, char **ret);

/* store-copy.c: the top directory's own mode, owner, label, xattrs and times, after its entries. */
int store_copy_dir_attrs(int src_fd, int dst_fd, const CopyOptions *o);

/* store-local.c: the local changes of a writable store, against the image's store. */
typedef struct LocalChanges {
        char **paths;        /* relative to the store: what an OS update carries into the new copy */
        char **descriptions; /* one per local change, for messages and status */
        char **modules;      /* the modules at local priorities, "name@priority" */
} LocalChanges;

void local_changes_done(LocalChanges *c);

/* Compares the store 'store_fd' with the image's store 'image_fd' (-EBADF: none; then every
 * customisation counts). Modules count as local by priority: those in a priority the image had when
 * copied ('image_priorities', from the origin record; NULL: the image's today) are the image's.
 * Returns 0 or a negative errno. */
int local_changes_find(int store_fd, int image_fd, char **image_priorities, LocalChanges *ret);

/* The module priorities of the store 'image_fd' (e.g. "100"). Returns 0 or a negative errno. */
int store_local_image_priorities(int image_fd, char ***ret);

/* store-put.c: trees put in place, for the store action's parts (store.c, store-update.c,
 * store-return.c). */

/* One tree to put in place: the store or the compiled policy. */
typedef struct TreeCopy {
        const char *target;          /* the entry replaced: the tree itself, or the store root holding it */
        const char *subdir;          /* with a store root: the tree's name in it (the policy type); else NULL */
        const char *image;           /* the image's tree to copy */
        const char *image_root;      /* with a store root: the image's store root, whose other entries get links */
        int carry_fd;                /* the previous copy, to carry local changes from; -EBADF: none */
        char **carry;                /* what to carry, relative to the tree */
        const StoreOrigin *previous; /* the previous copy's record: what it replaced */
        bool rebuild;                /* the carried changes need a policy rebuild */
        bool store;                  /* a policy store (its record keeps the image's module priorities) */
} TreeCopy;

/* Stages every tree, then puts them all in place with one sync. On failure the targets not yet
 * exchanged are as they were (*ret_done says how many were), and no staging tree is left.
 * Returns 0 or a negative errno (logged). */
int store_put_trees(Apply *a, const TreeCopy *trees, size_t n, Labeler *lab, size_t *ret_done);

/* A symlink 'name' -> 'target' in 'dir_fd', labelled as file_contexts says for 'label_path' (no
 * label without 'lab'). Returns 0 or a negative errno. */
int store_put_link(int dir_fd, const char *name, const char *target, Labeler *lab, const char *label_path);

/* Puts back what the copy 'tree_path' replaced (the image's link, from its record), or removes a
 * copy that replaced nothing. Returns 0 or a negative errno (logged). */
int store_put_undo(Apply *a, const char *tree_path, Labeler *lab);

/* Writes the record 'o' into the tree 'tree_fd' (at 'tree_path' as the booted system sees it),
 * labelled; 'replace': atomically over an existing one. Returns 0 or a negative errno. */
int store_put_origin(int tree_fd, const StoreOrigin *o, Labeler *lab, const char *tree_path, bool replace);

/* store-root.c: the store root's entries. */

#define STORE_ROOT_SCRATCH "final" /* libsemanage builds each commit in <store-root>/final/<type> */

/* What a real store root made from the image's holds for each of the image's entries. */
typedef enum StoreRootEntry {
        STORE_ROOT_ENTRY_SKIP,    /* hidden entries and lock files: not carried over */
        STORE_ROOT_ENTRY_STORE,   /* the policy type's store: copied, writable */
        STORE_ROOT_ENTRY_SCRATCH, /* libsemanage's scratch directory: a real, empty directory */
        STORE_ROOT_ENTRY_LINK,    /* other types' stores, anything unknown: a link into the image */
} StoreRootEntry;

/* The rule for the store root's entry 'name' when the policy type is 'type'. */
StoreRootEntry store_root_entry_kind(const char *name, const char *type);

/* Gives the staged store root 'staged_fd' of the tree 't' (t->image_root, t->subdir set) every
 * entry of the image's store root but the store itself, as store_root_entry_kind() says.
 * 'old_target' is the target of the link the new store root replaces. Returns 0 or -errno. */
int store_root_populate(int root_fd, const TreeCopy *t, int staged_fd, const char *old_target, Labeler *lab);

/* Mends a real store root whose scratch directory is a link into the read-only image (what earlier
 * versions of seprov made), in one atomic exchange; dry run: plans it. Returns 0 or a negative
 * errno, after reporting. */
int store_root_mend(Apply *a, Labeler **lab);

/* store.c: shared by the store action's parts. */

/* The labeler for what the store action writes (below the store root and the compiled policy),
 * opened on first use. Returns 0 or a negative errno (logged). */
int store_labeler(Apply *a, Labeler **lab);

/* Reports the store action as failed ("WHAT failed: ERROR"), with 'why' (NULL: strerror(r)) as the
 * error. Returns 'r'. */
int store_report_failed(Apply *a, uint64_t since, int r, const char *what);
int store_report_failed_why(Apply *a, uint64_t since, int r, const char *what, const char *why);

/* Rebuilds the policy (dry run: plans it) and clears the record's rebuild=pending.
 * Returns 0 or a negative errno, after reporting. */
int store_rebuild(Apply *a, Labeler **lab, const char *why);

/* store-update.c: follows an OS update (see store.h). Returns 0 or -errno, after reporting. */
int store_update(Apply *a, const StoreState *s, Labeler **lab);

/* store-return.c: store: image. Returns 0, -EBUSY (local changes), or -errno, after reporting. */
int store_return(Apply *a, const StoreState *s, Labeler **lab);
