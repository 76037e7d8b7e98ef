/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The store action: copy the image's policy store and compiled policy out of /usr, follow OS updates,
 * return to the image's store. */

#include <fcntl.h>
#include <assert.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "chase.h"
#include "log.h"
#include "messages.h"
#include "policy.h"
#include "store-internal.h"
#include "store.h"
#include "strutil.h"

#define ACTION "store"

/* One tree to put in place: the store or the compiled policy. */
typedef struct TreeCopy {
        const char *target;    /* the entry replaced: the tree itself, or the store root holding it */
        const char *subdir;    /* with a store root: the tree's name in it (the policy type); else NULL */
        const char *image;     /* the image's tree to copy */
        const char *image_root; /* with a store root: the image's store root, whose other entries get links */
        int carry_fd;          /* the previous copy, to carry local changes from; -EBADF: none */
        char **carry;          /* what to carry, relative to the tree */
        const StoreOrigin *previous; /* the previous copy's record: what it replaced */
        bool rebuild;          /* the carried changes need a policy rebuild */
        bool store;            /* a policy store (its record keeps the image's module priorities) */
} TreeCopy;

static int open_tree(int root_fd, const char *path) {
        return chase_and_open(root_fd, path, 0, O_RDONLY | O_DIRECTORY, 0, NULL);
}

static char *path_join(const char *a, const char *b) {
        return strjoin(a, streq(a, "/") ? "" : "/", b);
}

/* The parent directory of 'path' (opened for writing entries) and the last component. The parent
 * must be real: a tree is never staged inside the image. */
static int open_parent(int root_fd, const char *path, int *ret_fd, char **ret_name) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *resolved = NULL;
        char *slash;
        int r, fd;

        r = chase(root_fd, path, CHASE_NOFOLLOW | CHASE_MISSING_OK, &dir_fd, &name, &resolved);
        if (r < 0)
                return r;
        slash = strrchr(resolved, '/');
        if (slash)
                *slash = '\0';
        if (path_in_image(isempty(resolved) ? "/" : resolved))
                return -EROFS;
        fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        *ret_name = TAKE_PTR(name);
        return 0;
}

/* A symlink named 'name' in 'dir_fd', labelled for 'label_path'. */
static int make_link(int dir_fd, const char *name, const char *target, Labeler *lab, const char *label_path) {
        _cleanup_free_ char *label = NULL, *proc = NULL;
        int r;

        if (symlinkat(target, dir_fd, name) < 0)
                return negative_errno();
        if (!lab)
                return 0;
        r = labeler_lookup(lab, label_path, S_IFLNK, &label);
        if (r < 0 || !label)
                return r;
        proc = strprintf("/proc/self/fd/%d/%s", dir_fd, name);
        if (!proc)
                return -ENOMEM;
        return lsetxattr(proc, "security.selinux", label, strlen(label) + 1, 0) < 0 ? negative_errno() : 0;
}

/* The image's store root may hold more than our policy type (other types' stores): the new real
 * store root keeps them reachable, read-only as before, through links into the image. */
static int link_other_entries(int root_fd, const TreeCopy *t, int staged_fd, const char *old_target,
                              Labeler *lab) {
        _cleanup_close_ int fd = open_tree(root_fd, t->image_root);
        _cleanup_strv_free_ char **names = NULL;
        DIR *d;
        int r = 0;

        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d)
                return negative_errno();
        TAKE_FD(fd);
        for (struct dirent *de; r >= 0 && (de = readdir(d));) {
                _cleanup_free_ char *target = NULL, *label_path = NULL;

                if (de->d_name[0] == '.' || streq(de->d_name, t->subdir) || endswith(de->d_name, ".LOCK"))
                        continue;
                /* The old link's target is relative to the store root's parent; the new link is one
                 * level deeper. */
                target = old_target[0] == '/' ? strjoin(old_target, "/", de->d_name)
                                              : strjoin("../", old_target, "/", de->d_name);
                label_path = path_join(t->target, de->d_name);
                r = target && label_path ? make_link(staged_fd, de->d_name, target, lab, label_path) : -ENOMEM;
        }
        closedir(d);
        return r;
}

static int origin_for(const TreeCopy *t, int image_fd, const char *old_link, StoreOrigin *o) {
        int r;

        *o = (StoreOrigin) { .rebuild_pending = t->rebuild };
        o->source = strdup(t->image);
        if (!o->source)
                return -ENOMEM;
        r = tree_identity(image_fd, &o->identity);
        if (r < 0)
                return r;
        if (t->store) {
                _cleanup_strv_free_ char **prios = NULL;

                /* The leading "" says the list is there, even when the image has no module. */
                r = image_priorities(image_fd, &prios);
                if (r >= 0)
                        r = strv_extend(&o->image_priorities, "");
                STRV_FOREACH(p, prios)
                        if (r >= 0)
                                r = strv_extend(&o->image_priorities, *p);
                if (r < 0)
                        return r;
        }
        /* What the first copy replaced stays recorded through every OS update, for store: image. */
        if (t->previous && t->previous->replaced) {
                o->replaced = strdup(t->previous->replaced);
                o->replaced_target = strdup(strna(t->previous->replaced_target));
        } else if (old_link) {
                o->replaced = strdup(t->target);
                o->replaced_target = strdup(old_link);
        } else
                return 0;
        return o->replaced && o->replaced_target ? 0 : -ENOMEM;
}

static int write_origin(int tree_fd, const StoreOrigin *o, Labeler *lab, const char *tree_path, bool replace) {
        _cleanup_free_ char *label = NULL, *path = path_join(tree_path, STORE_ORIGIN_FILE);
        int r;

        if (!path)
                return -ENOMEM;
        if (lab) {
                r = labeler_lookup(lab, path, S_IFREG, &label);
                if (r < 0)
                        return r;
        }
        return store_origin_write(tree_fd, o, label, replace);
}

/* Fills the staging directory: the record first (so the copy gives the tree's top directory the
 * image's times last), the image's tree, the carried local changes, then for a store root the links
 * to its other entries and its own attributes. */
static int stage_tree(int root_fd, const TreeCopy *t, int staged_fd, Labeler *lab, const char *old_link) {
        _cleanup_(store_origin_done) StoreOrigin o = {};
        _cleanup_close_ int image_fd = -EBADF, tree_fd = -EBADF, image_root_fd = -EBADF;
        _cleanup_free_ char *tree_path = t->subdir ? path_join(t->target, t->subdir) : strdup(t->target);
        CopyOptions opts = { .labeler = lab, .label_base = tree_path };
        int r;

        if (!tree_path)
                return log_oom();
        image_fd = open_tree(root_fd, t->image);
        if (image_fd < 0)
                return log_error_errno(image_fd, "Cannot open the image's %s: %m", t->image);
        if (t->subdir && mkdirat(staged_fd, t->subdir, 0700) < 0)
                return log_error_errno(errno, "Cannot create %s: %m", tree_path);
        tree_fd = openat(staged_fd, t->subdir ?: ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (tree_fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", tree_path);
        r = origin_for(t, image_fd, old_link, &o);
        if (r >= 0)
                r = write_origin(tree_fd, &o, lab, tree_path, false);
        if (r < 0)
                return log_error_errno(r, "Cannot write the origin record of %s: %m", tree_path);
        r = copy_tree(image_fd, tree_fd, &opts);
        STRV_FOREACH(p, t->carry)
                if (r >= 0)
                        r = copy_entry(t->carry_fd, tree_fd, *p, &opts);
        if (r < 0 || !t->subdir)
                return r;
        if (old_link && t->image_root) {
                r = link_other_entries(root_fd, t, staged_fd, old_link, lab);
                if (r < 0)
                        return log_error_errno(r, "Cannot link the other entries of %s: %m", t->image_root);
        }
        image_root_fd = open_tree(root_fd, t->image_root ?: t->image);
        if (image_root_fd < 0)
                return log_error_errno(image_root_fd, "Cannot open %s: %m", t->image_root ?: t->image);
        return copy_dir_attrs(image_root_fd, staged_fd, &(CopyOptions) { .labeler = lab, .label_base = t->target });
}

/* Stages the tree beside its target, for staged_commit(). On failure nothing is left behind.
 * Returns 0 or a negative errno (logged). */
static int tree_stage(Apply *a, const TreeCopy *t, Labeler *lab, Staged *ret) {
        _cleanup_(staged_done) Staged s = { .dir_fd = -EBADF };
        _cleanup_close_ int staged_fd = -EBADF;
        _cleanup_free_ char *old_link = NULL;
        int r;

        r = open_parent(a->ctx->root_fd, t->target, &s.dir_fd, &s.name);
        if (r < 0)
                return log_error_errno(r, "Cannot stage a copy beside %s: %m", t->target);
        r = readlinkat_malloc(s.dir_fd, s.name, &old_link);
        if (r < 0 && r != -EINVAL && r != -ENOENT)
                return log_error_errno(r, "Cannot read %s: %m", t->target);
        staged_fd = staging_create(s.dir_fd, s.name, &s.staged);
        if (staged_fd < 0)
                return log_error_errno(staged_fd, "Cannot create a staging directory beside %s: %m", t->target);
        r = stage_tree(a->ctx->root_fd, t, staged_fd, lab, old_link);
        if (r < 0)
                return r;
        *ret = s;
        s = (Staged) { .dir_fd = -EBADF };
        return 0;
}

static void staged_list_done(Staged *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                staged_done(&list[i]);
}

/* Stages every tree, then puts them all in place with one sync. On failure the targets not yet
 * exchanged are as they were (*ret_done says how many were), and no staging tree is left.
 * Returns 0 or -errno (logged). */
static int trees_put(Apply *a, const TreeCopy *trees, size_t n, Labeler *lab, size_t *ret_done) {
        Staged staged[2] = { { .dir_fd = -EBADF }, { .dir_fd = -EBADF } };
        int r = 0;

        assert(n <= ELEMENTSOF(staged));
        *ret_done = 0;
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = tree_stage(a, &trees[i], lab, &staged[i]);
        if (r >= 0)
                r = staged_commit(staged, n, ret_done);
        staged_list_done(staged, n);
        return r;
}

static int labeler_get(Apply *a, Labeler **lab) {
        _cleanup_free_ char *policy = NULL;

        if (*lab)
                return 0;
        policy = strjoin("/etc/selinux/", a->layout.type);
        if (!policy)
                return log_oom();
        return labeler_open(a->ctx->root_fd, a->ctx->root, policy,
                            STRV_MAKE(a->layout.store_root.path, policy), lab);
}

static int report_failed(Apply *a, uint64_t since, int r, const char *what) {
        (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since, "%s failed: %s", what,
                             strerror(-r));
        return r;
}

/* The store's tree: the store root itself when it is the image's link (or missing), so the new real
 * store root replaces it; else the store directory. */
static void store_tree(const Layout *l, TreeCopy *t) {
        bool root = (l->store_root.is_link && l->store_root.kind == PATH_IMAGE) || l->store_root.kind == PATH_MISSING;

        *t = (TreeCopy) {
                .target = root ? l->store_root.path : l->store.path,
                .subdir = root ? l->type : NULL,
                .image = l->image_store,
                .image_root = root && l->store_root.kind == PATH_IMAGE ? l->store_root.resolved : NULL,
                .carry_fd = -EBADF,
                .store = true,
        };
}

static int store_make_writable(Apply *a, const StoreStatus *s, Labeler **lab) {
        const Layout *l = &a->layout;
        bool do_store = s->state != STORE_STATE_WRITABLE && s->state != STORE_STATE_STALE;
        bool do_policy = l->policy.kind == PATH_IMAGE && l->image_policy;
        uint64_t since = now_usec();
        TreeCopy trees[2];
        size_t n = 0, done = 0;
        int r = 0, q;

        if (do_store && !l->image_store)
                return report_failed(a, since, -ENOENT, "store: writable: no image store to copy");
        if (!do_store && !do_policy)
                return report_action(&a->report, ACTION, OUTCOME_UNCHANGED, SEPROV_MESSAGE_STORE, since,
                                     "%s is writable", l->store.path);
        if (a->dry_run) {
                if (do_store)
                        r = report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                          "would copy %s to a writable %s", l->image_store, l->store.path);
                if (do_policy)
                        r = report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                          "would copy %s to a writable %s", l->image_policy, l->policy.path);
                return r;
        }
        r = labeler_get(a, lab);
        if (r < 0)
                return report_failed(a, since, r, "store: writable");
        if (do_store)
                store_tree(l, &trees[n++]);
        if (do_policy)
                trees[n++] = (TreeCopy) { .target = l->policy.path, .image = l->image_policy, .carry_fd = -EBADF };
        q = trees_put(a, trees, n, *lab, &done);
        for (size_t i = 0; i < n; i++) {
                const char *from = trees[i].store ? l->image_store : l->image_policy;
                const char *to = trees[i].store ? l->store.path : l->policy.path;

                if (i < done)
                        r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                                          "copied %s to a writable %s", from, to);
                else
                        r = report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since,
                                          "copying %s to a writable %s failed: %s", from, to, strerror(-q));
                if (r < 0)
                        return r;
        }
        if (done > 0)
                r = apply_refresh_layout(a);
        return q < 0 ? q : r;
}

/* Clears the record's rebuild=pending once the policy is rebuilt. */
static int store_clear_pending(Apply *a, Labeler *lab) {
        _cleanup_(store_origin_done) StoreOrigin o = {};
        _cleanup_close_ int fd = open_tree(a->ctx->root_fd, a->layout.store.path);
        int r;

        if (fd < 0)
                return fd;
        r = store_origin_read(fd, &o);
        if (r < 0)
                return r;
        o.rebuild_pending = false;
        return write_origin(fd, &o, lab, a->layout.store.path, true);
}

static int store_rebuild(Apply *a, Labeler **lab, const char *why) {
        uint64_t since = now_usec();
        int r;

        if (a->dry_run)
                return report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                     "would rebuild the policy (%s)", why);
        r = labeler_get(a, lab);
        if (r >= 0)
                r = policy_rebuild(a);
        if (r >= 0)
                r = store_clear_pending(a, *lab);
        if (r < 0)
                return report_failed(a, since, r, "rebuilding the policy");
        return report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                             "rebuilt the policy (%s)", why);
}

/* What an OS update carries into the new copy: the local changes and seprov's own manifest. */
static int update_carry(int store_fd, int image_fd, char **prios, LocalChanges *c) {
        int r = local_changes_find(store_fd, image_fd, prios, c);

        if (r < 0)
                return r;
        if (faccessat(store_fd, STORE_MANAGED_FILE, F_OK, AT_SYMLINK_NOFOLLOW) >= 0)
                return strv_extend(&c->paths, STORE_MANAGED_FILE);
        return 0;
}

/* What an OS update works from: the previous copies' records, the local changes to carry. */
typedef struct Update {
        StoreOrigin store, policy;
        LocalChanges carry;
        int store_fd;
} Update;

static void update_done(Update *u) {
        store_origin_done(&u->store);
        store_origin_done(&u->policy);
        local_changes_done(&u->carry);
        closep(&u->store_fd);
}

/* The store after an OS update: a fresh copy of the new image's store with the local changes carried
 * over; the policy rebuild they need is recorded as pending in the copy until it is done. */
static int update_store_tree(Apply *a, const StoreStatus *s, Update *u, TreeCopy *ret) {
        _cleanup_close_ int image_fd = -EBADF;
        const Layout *l = &a->layout;
        int r;

        u->store_fd = open_tree(a->ctx->root_fd, l->store.path);
        if (u->store_fd < 0)
                return log_error_errno(u->store_fd, "Cannot open %s: %m", l->store.path);
        r = store_origin_read(u->store_fd, &u->store);
        if (r < 0)
                return log_error_errno(r, "Cannot read the origin of %s: %m", l->store.path);
        image_fd = open_tree(a->ctx->root_fd, u->store.source);
        if (image_fd < 0)
                return log_error_errno(image_fd, "The image no longer has %s: %m", u->store.source);
        r = update_carry(u->store_fd, image_fd, u->store.image_priorities, &u->carry);
        if (r < 0)
                return log_error_errno(r, "Cannot list the local changes of %s: %m", l->store.path);
        *ret = (TreeCopy) {
                .target = l->store.path,
                .image = u->store.source,
                .carry_fd = u->store_fd,
                .carry = u->carry.paths,
                .previous = &u->store,
                .store = true,
                /* The compiled policy must follow the carried changes; one that is not seprov's copy
                 * (an /etc overlay) cannot be refreshed by copying, only by a rebuild. */
                .rebuild = strv_length(u->carry.descriptions) > 0 || !s->policy_copied_from,
        };
        return 0;
}

static int update_policy_tree(Apply *a, const StoreStatus *s, Update *u, TreeCopy *ret) {
        _cleanup_close_ int fd = open_tree(a->ctx->root_fd, a->layout.policy.path);
        int r = fd < 0 ? fd : store_origin_read(fd, &u->policy);

        if (r < 0)
                return log_error_errno(r, "Cannot read the origin of %s: %m", a->layout.policy.path);
        *ret = (TreeCopy) { .target = a->layout.policy.path, .image = s->policy_copied_from, .carry_fd = -EBADF,
                            .previous = &u->policy };
        return 0;
}

static int store_update(Apply *a, const StoreStatus *s, Labeler **lab) {
        _cleanup_(update_done) Update u = { .store_fd = -EBADF };
        const Layout *l = &a->layout;
        uint64_t since = now_usec();
        bool rebuild = s->rebuild_pending;
        TreeCopy trees[2];
        size_t n = 0, done = 0;
        int r;

        if (a->dry_run) {
                r = report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                  "the image's policy changed: would copy it again and carry the local changes over");
                return r < 0 ? r : store_rebuild(a, lab, "OS update");
        }
        r = labeler_get(a, lab);
        if (r >= 0 && s->state == STORE_STATE_STALE)
                r = update_store_tree(a, s, &u, &trees[n++]);
        if (r >= 0 && s->policy_stale)
                r = update_policy_tree(a, s, &u, &trees[n++]);
        if (r >= 0)
                r = trees_put(a, trees, n, *lab, &done);
        if (r < 0) {
                /* What was put in place stays (each tree is whole); the next run does the rest. */
                if (done > 0)
                        (void) apply_refresh_layout(a);
                return report_failed(a, since, r, "following the OS update");
        }
        if (s->state == STORE_STATE_STALE) {
                size_t carried = strv_length(u.carry.descriptions);

                rebuild = rebuild || trees[0].rebuild;
                r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                                  "copied the updated %s to %s, %zu local change%s carried over", s->copied_from,
                                  l->store.path, carried, carried == 1 ? "" : "s");
        }
        if (r >= 0 && s->policy_stale)
                r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                                  "copied the updated %s to %s", s->policy_copied_from, l->policy.path);
        if (r >= 0)
                r = apply_refresh_layout(a);
        if (r < 0)
                return r;
        return rebuild ? store_rebuild(a, lab, "OS update") : 0;
}

/* Puts back what a copy replaced (the image's link), or removes a copy that replaced nothing. */
static int tree_unput(Apply *a, const char *tree_path, Labeler *lab) {
        _cleanup_(store_origin_done) StoreOrigin o = {};
        _cleanup_(staged_done) Staged st = { .dir_fd = -EBADF };
        _cleanup_close_ int fd = -EBADF, parent_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *staged = NULL;
        int r;

        fd = open_tree(a->ctx->root_fd, tree_path);
        r = fd < 0 ? fd : store_origin_read(fd, &o);
        if (r < 0)
                return log_error_errno(r, "Cannot read the origin record of %s: %m", tree_path);
        r = open_parent(a->ctx->root_fd, o.replaced ?: tree_path, &parent_fd, &name);
        if (r < 0)
                return log_error_errno(r, "Cannot open the directory of %s: %m", o.replaced ?: tree_path);
        staged = strprintf(STORE_STAGING_PREFIX "%s.link", name);
        if (!staged)
                return log_oom();
        (void) rm_rf_at(parent_fd, staged);
        if (!o.replaced) {
                /* Nothing was there: the copy goes, in one rename, then the tree. */
                if (renameat(parent_fd, name, parent_fd, staged) < 0)
                        return log_error_errno(errno, "Cannot remove %s: %m", tree_path);
                r = rm_rf_at(parent_fd, staged);
                if (r < 0)
                        log_warning_errno(r, "Failed to remove the old %s, ignoring (removed at the next run): %m",
                                          tree_path);
                return 0;
        }
        r = make_link(parent_fd, staged, o.replaced_target, lab, o.replaced);
        if (r < 0) {
                (void) unlinkat(parent_fd, staged, 0);
                return log_error_errno(r, "Cannot put the image's link %s back: %m", o.replaced);
        }
        st = (Staged) { .dir_fd = TAKE_FD(parent_fd), .name = TAKE_PTR(name), .staged = TAKE_PTR(staged) };
        return staged_commit(&st, 1, NULL);
}

static char *join_descriptions(char **l) {
        _cleanup_free_ char *s = NULL;

        STRV_FOREACH(p, l)
                if (strextend(&s, "%s%s", s ? "; " : "", *p) < 0)
                        return NULL;
        return TAKE_PTR(s) ?: strdup("");
}

static int store_return(Apply *a, const StoreStatus *s, Labeler **lab) {
        const Layout *l = &a->layout;
        uint64_t since = now_usec();
        bool policy = !!s->policy_copied_from;
        _cleanup_free_ char *changes = NULL;
        int r;

        if (s->state == STORE_STATE_IMAGE && !policy)
                return report_action(&a->report, ACTION, OUTCOME_UNCHANGED, SEPROV_MESSAGE_STORE, since,
                                     "%s is the image's", l->store.path);
        if (s->state == STORE_STATE_MISSING)
                return report_failed(a, since, -ENOENT, "store: image: there is no store");
        if (s->state != STORE_STATE_IMAGE && !s->copied_from) {
                (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since,
                                     "store: image refused: %s is the system's own store, not a copy of an image's",
                                     l->store.path);
                return -EOPNOTSUPP;
        }
        if (s->local_changes && a->config->discard_local_changes != 1) {
                changes = join_descriptions(s->local_changes);
                (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since,
                                     "store: image refused: %s has local changes (%s); set discardLocalChanges: "
                                     "true to drop them",
                                     l->store.path, strna(changes));
                return -EBUSY;
        }
        if (a->dry_run)
                return report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                     "would return to the image's store%s",
                                     s->local_changes ? ", discarding the local changes" : "");
        r = labeler_get(a, lab);
        if (r >= 0 && s->state != STORE_STATE_IMAGE)
                r = tree_unput(a, l->store.path, *lab);
        if (r >= 0 && policy)
                r = tree_unput(a, l->policy.path, *lab);
        if (r < 0)
                return report_failed(a, since, r, "returning to the image's store");
        r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                          "returned to the image's store%s", s->local_changes ? ", local changes discarded" : "");
        /* A compiled policy that is /etc's own (not seprov's copy) was rebuilt from the writable store
         * and cannot be put back from the image by seprov. */
        if (r >= 0 && s->local_changes && !policy && l->policy.kind == PATH_REAL)
                r = report_warning(&a->report, SEPROV_MESSAGE_STORE,
                                   "%s is /etc's own and still holds the policy built with the discarded local "
                                   "changes: seprov cannot put the image's back",
                                   l->policy.path);
        return r < 0 ? r : apply_refresh_layout(a);
}

/* Staging entries an interrupted apply left behind (and only those: seprov's prefix). */
static int store_cleanup(Apply *a) {
        _cleanup_strv_free_ char **dirs = NULL;
        uint64_t since = now_usec();
        int r;

        r = store_staging_dirs(&a->layout, &dirs);
        if (r < 0)
                return log_oom();
        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *resolved = NULL;
                _cleanup_close_ int fd = chase_and_open(a->ctx->root_fd, *d, 0, O_RDONLY | O_DIRECTORY, 0, &resolved);
                int n;

                if (fd < 0 || path_in_image(resolved))
                        continue;
                n = staging_cleanup(fd, a->dry_run);
                if (n < 0) {
                        log_warning_errno(n, "Failed to remove leftover staging trees in %s, ignoring: %m", *d);
                        continue;
                }
                if (n > 0) {
                        r = report_action(&a->report, ACTION, a->dry_run ? OUTCOME_PLANNED : OUTCOME_CHANGED,
                                          SEPROV_MESSAGE_STORE, since, "%s %d leftover staging entr%s in %s",
                                          a->dry_run ? "would remove" : "removed", n, n == 1 ? "y" : "ies", *d);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int action_store(Apply *a) {
        _cleanup_(labeler_freep) Labeler *lab = NULL;
        _cleanup_(store_status_done) StoreStatus s = {};
        int r;

        r = store_cleanup(a);
        if (r < 0)
                return r;
        r = store_status(a->ctx->root_fd, &a->layout, &s);
        if (r < 0)
                return report_failed(a, now_usec(), r, "reading the store");
        if (a->config->store == STORE_IMAGE)
                return store_return(a, &s, &lab);
        if (s.state == STORE_STATE_STALE || s.policy_stale)
                return store_update(a, &s, &lab);
        if (a->config->store == STORE_WRITABLE) {
                r = store_make_writable(a, &s, &lab);
                if (r < 0)
                        return r;
        }
        if (s.rebuild_pending)
                return store_rebuild(a, &lab, "interrupted OS update");
        return 0;
}
