/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The relabel walk: a few threads take directories from one queue, look each entry's label up in
 * file_contexts and write it where the file has another. */

#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chase.h"
#include "dir-for-each.h"
#include "label.h"
#include "log.h"
#include "relabel.h"
#include "report.h"
#include "selinux-xattr.h"
#include "strutil.h"

/* A directory to read, root-relative without the leading "/" ("" is the root), and the labeller its
 * entries are looked up with (NULL: the walk's). */
typedef struct WalkItem {
        char *rel;
        Labeler *labeler;
} WalkItem;

typedef struct Walk {
        Labeler *labeler;
        int root_fd;
        const char *root, *policy_dir;
        /* A whole root: each directory two levels down gets a labeller of its own, holding only the
         * specs that can match there (labeler_open()'s subset): selabel tries every spec of a path's
         * first component in turn, 2700 for /usr in Debian's policy, and a walk spends most of its
         * time there. */
        bool split;
        Labeler **subsets;
        size_t n_subsets;
        const RelabelOptions *o;
        dev_t *devs;
        size_t n_devs;

        pthread_mutex_t lock; /* the queue, the error, the callbacks */
        pthread_cond_t cond;
        WalkItem *queue;
        size_t n_queue, size_queue;
        unsigned busy; /* threads reading a directory: while any is, more may come */
        int error;

        atomic_uint_fast64_t done, changed, errors, skipped_mounts;
        uint64_t started, total;
        atomic_uint_fast64_t last_progress;
} Walk;

static bool walk_device_allowed(const Walk *w, dev_t d) {
        for (size_t i = 0; i < w->n_devs; i++)
                if (w->devs[i] == d)
                        return true;
        return false;
}

/* Records a problem with one entry; the walk goes on. Called without the lock. */
static void walk_fail(Walk *w, const char *path, int r) {
        uint64_t n = atomic_fetch_add(&w->errors, 1);

        if (n < 10)
                log_warning_errno(r, "Cannot relabel %s: %m", path);
        else if (n == 10)
                log_warning("More files cannot be relabelled; not naming each.");
        pthread_mutex_lock(&w->lock);
        if (w->error == 0)
                w->error = r;
        pthread_mutex_unlock(&w->lock);
}

static int walk_push(Walk *w, const char *rel, Labeler *labeler) {
        char *s = strdup(rel);

        if (!s)
                return -ENOMEM;
        pthread_mutex_lock(&w->lock);
        if (w->n_queue == w->size_queue) {
                size_t size = MAX(w->size_queue * 2, (size_t) 64);
                WalkItem *q = reallocarray(w->queue, size, sizeof(WalkItem));
                if (!q) {
                        pthread_mutex_unlock(&w->lock);
                        free(s);
                        return -ENOMEM;
                }
                w->queue = q;
                w->size_queue = size;
        }
        w->queue[w->n_queue++] = (WalkItem){ .rel = s, .labeler = labeler };
        pthread_cond_signal(&w->cond);
        pthread_mutex_unlock(&w->lock);
        return 0;
}

static void walk_progress(Walk *w) {
        uint64_t now, last;
        RelabelProgress p;

        if (!w->o->progress || w->o->progress_interval_usec == 0)
                return;
        now = report_now_usec();
        last = atomic_load(&w->last_progress);
        if (now - last < w->o->progress_interval_usec ||
            !atomic_compare_exchange_strong(&w->last_progress, &last, now))
                return;
        p = (RelabelProgress){
                .done = atomic_load(&w->done),
                .changed = atomic_load(&w->changed),
                .total = w->total,
                .elapsed_usec = now - w->started,
        };
        if (p.total < p.done)
                p.total = p.done;
        if (p.done > 0 && p.total > p.done)
                p.left_usec = (uint64_t) ((double) p.elapsed_usec * (double) (p.total - p.done) / (double) p.done);
        pthread_mutex_lock(&w->lock);
        w->o->progress(&p, w->o->userdata);
        pthread_mutex_unlock(&w->lock);
}

/* Labels one entry (its path as the booted system sees it in 'path') of 'dir_fd'. */
static int walk_label(Walk *w, Labeler *l, int dir_fd, const char *name, const char *path, mode_t mode) {
        _cleanup_free_ char *want = NULL, *have = NULL;
        int r;

        r = labeler_differs(l, dir_fd, name, path, mode, &have, &want);
        if (r <= 0)
                return r;
        if (!w->o->dry_run) {
                r = selinux_xattr_set(dir_fd, name, want);
                if (r == -EROFS) { /* a read-only mount of the same filesystem (a bind mount) */
                        log_debug("Relabel: %s is read-only, left alone.", path);
                        return 0;
                }
                if (r < 0)
                        return r;
        }
        atomic_fetch_add(&w->changed, 1);
        if (w->o->changed) {
                pthread_mutex_lock(&w->lock);
                w->o->changed(path, have, want, w->o->userdata);
                pthread_mutex_unlock(&w->lock);
        }
        return 0;
}

typedef struct WalkDir {
        Walk *w;
        Labeler *labeler;
        char *path; /* PATH_MAX: the directory's path, each entry's appended in turn */
        size_t len;
        dev_t dev;
} WalkDir;

static int walk_entry(int dir_fd, const char *name, void *userdata) {
        WalkDir *d = userdata;
        Walk *w = d->w;
        struct stat st;
        int r;

        if (d->len + 1 + strlen(name) >= PATH_MAX) {
                walk_fail(w, name, -ENAMETOOLONG);
                return 0;
        }
        /* Below the root "/NAME", below any other directory "DIR/NAME". */
        snprintf(d->path + d->len, PATH_MAX - d->len, "%s%s", d->len == 1 ? "" : "/", name);
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno != ENOENT) /* gone since readdir() */
                        walk_fail(w, d->path, -errno);
                goto finish;
        }
        /* A mount point of a filesystem not to enter: neither it nor anything in it. */
        if (st.st_dev != d->dev && !walk_device_allowed(w, st.st_dev)) {
                log_debug("Relabel: not entering %s, another filesystem.", d->path);
                atomic_fetch_add(&w->skipped_mounts, 1);
                goto finish;
        }
        atomic_fetch_add(&w->done, 1);
        r = walk_label(w, d->labeler, dir_fd, name, d->path, st.st_mode);
        if (r < 0)
                walk_fail(w, d->path, r);
        if (S_ISDIR(st.st_mode)) {
                r = walk_push(w, d->path + 1, d->labeler == w->labeler ? NULL : d->labeler);
                if (r < 0) {
                        d->path[d->len] = '\0';
                        return r;
                }
        }
        walk_progress(w);
finish:
        d->path[d->len] = '\0';
        return 0;
}

/* The labeller of the subset for the directory 'rel' two levels down, or NULL to go on with the
 * walk's (elsewhere, or when the subset cannot be made: the labels are the same). */
static Labeler *walk_subset(Walk *w, const char *rel) {
        _cleanup_labeler_free_ Labeler *l = NULL;
        _cleanup_free_ char *path = NULL;
        const char *slash = strchr(rel, '/');
        Labeler **m;

        if (!w->split || !slash || strchr(slash + 1, '/'))
                return NULL;
        path = strjoin("/", rel);
        if (!path || labeler_open(w->root_fd, w->root, w->policy_dir, STRV_MAKE(path), w->o->scratch_fd, &l) < 0)
                return NULL;
        pthread_mutex_lock(&w->lock);
        m = reallocarray(w->subsets, w->n_subsets + 1, sizeof(Labeler *));
        if (m) {
                m[w->n_subsets++] = l;
                w->subsets = m;
        }
        pthread_mutex_unlock(&w->lock);
        return m ? TAKE_PTR(l) : NULL;
}

/* Reads the directory 'rel' (root-relative) and labels its entries. */
static int walk_dir(Walk *w, const char *rel, Labeler *labeler) {
        char path[PATH_MAX];
        struct stat st;
        int fd;

        /* No symlink on the way and nothing outside the root: the queue holds real directories. */
        fd = chase_open_beneath(w->root_fd, rel, O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0) {
                if (fd != -ENOENT)
                        walk_fail(w, rel, fd);
                return 0;
        }
        if (fstat(fd, &st) < 0) {
                int r = -errno;
                close(fd);
                walk_fail(w, rel, r);
                return 0;
        }
        snprintf(path, sizeof(path), "/%s", rel);
        if (!labeler)
                labeler = walk_subset(w, rel) ?: w->labeler;
        return dir_for_each(
                fd, walk_entry,
                &(WalkDir){ .w = w, .labeler = labeler, .path = path, .len = strlen(path), .dev = st.st_dev });
}

static void *walk_thread(void *userdata) {
        Walk *w = userdata;

        pthread_mutex_lock(&w->lock);
        for (;;) {
                _cleanup_free_ char *rel = NULL;
                Labeler *labeler;
                int r;

                while (w->n_queue == 0 && w->busy > 0)
                        pthread_cond_wait(&w->cond, &w->lock);
                if (w->n_queue == 0)
                        break;
                w->n_queue--;
                rel = w->queue[w->n_queue].rel;
                labeler = w->queue[w->n_queue].labeler;
                w->busy++;
                pthread_mutex_unlock(&w->lock);
                r = walk_dir(w, rel, labeler);
                pthread_mutex_lock(&w->lock);
                if (r < 0 && w->error == 0)
                        w->error = r;
                w->busy--;
                if (w->n_queue == 0 && w->busy == 0)
                        pthread_cond_broadcast(&w->cond);
        }
        pthread_mutex_unlock(&w->lock);
        return NULL;
}

/* Labels the top of a subtree and queues it. */
static int walk_subtree(Walk *w, const char *subtree) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *resolved = NULL;
        struct stat st;
        int r;

        /* Symlinks on the way are followed inside the root: the files are labelled by their real path. */
        r = chase(w->root_fd, subtree, CHASE_NOFOLLOW, &dir_fd, &name, &resolved);
        if (r == -ENOENT || r == -ENOTDIR)
                return 0; /* nothing there to relabel */
        if (r < 0)
                return log_error_errno(r, "Cannot look at %s: %m", subtree);
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : log_error_errno(errno, "Cannot look at %s: %m", resolved);
        if (!walk_device_allowed(w, st.st_dev)) {
                log_info("Not relabelling %s: it is on a filesystem a relabel does not enter.", resolved);
                atomic_fetch_add(&w->skipped_mounts, 1);
                return 0;
        }
        atomic_fetch_add(&w->done, 1);
        r = walk_label(w, w->labeler, dir_fd, name, resolved, st.st_mode);
        if (r < 0)
                walk_fail(w, resolved, r);
        if (!S_ISDIR(st.st_mode))
                return 0;
        r = walk_push(w, resolved + 1, /* labeler= */ NULL);
        return r < 0 ? log_oom() : 0;
}

static unsigned walk_threads(const RelabelOptions *o) {
        long n = o->threads > 0 ? (long) o->threads : sysconf(_SC_NPROCESSORS_ONLN);

        return (unsigned) MIN(MAX(n, 1L), (long) RELABEL_THREADS_MAX);
}

static int walk_run(Walk *w, char *const *subtrees) {
        pthread_t threads[RELABEL_THREADS_MAX];
        unsigned n = walk_threads(w->o), started = 0;
        int r = 0;

        STRV_FOREACH (s, subtrees) {
                r = walk_subtree(w, *s);
                if (r < 0)
                        return r;
        }
        for (; started < n; started++) {
                r = -pthread_create(&threads[started], NULL, walk_thread, w);
                if (r < 0)
                        break;
        }
        if (started == 0) /* this thread does it alone */
                walk_thread(w);
        for (unsigned i = 0; i < started; i++)
                pthread_join(threads[i], NULL);
        if (r < 0)
                log_debug_errno(r, "Relabel: started %u of %u threads: %m", started, n);
        return 0;
}

int relabel_run(int root_fd, const char *root, const char *policy_dir, const RelabelOptions *o,
                RelabelStats *ret_stats) {
        _cleanup_labeler_free_ Labeler *l = NULL;
        _cleanup_free_ dev_t *devs = NULL;
        char *const *subtrees;
        uint64_t inodes = 0;
        bool whole;
        Walk w;
        int r, n;

        assert(root);
        assert(policy_dir);
        assert(o);

        subtrees = o->subtrees ?: STRV_MAKE("/");
        /* The part of file_contexts the subtrees need, unless that is all of it. */
        whole = !o->subtrees || strv_contains(o->subtrees, "/");
        r = labeler_open(root_fd, root, policy_dir, whole ? NULL : o->subtrees, o->scratch_fd, &l);
        if (r < 0)
                return r;
        n = relabel_devices(root_fd, root, &devs, &inodes);
        if (n < 0)
                return n;
        w = (Walk){
                .labeler = l,
                .root_fd = root_fd,
                .root = root,
                .policy_dir = policy_dir,
                .split = whole && o->scratch_fd >= 0,
                .o = o,
                .devs = devs,
                .n_devs = (size_t) n,
                .lock = PTHREAD_MUTEX_INITIALIZER,
                .cond = PTHREAD_COND_INITIALIZER,
                .started = report_now_usec(),
                /* The progress lines' total: the inodes in use, for the whole root only. */
                .total = o->subtrees ? 0 : inodes,
        };
        w.last_progress = w.started;
        r = walk_run(&w, subtrees);
        while (w.n_queue > 0) /* left by a failure */
                free(w.queue[--w.n_queue].rel);
        free(w.queue);
        for (size_t i = 0; i < w.n_subsets; i++)
                labeler_free(w.subsets[i]);
        free(w.subsets);
        pthread_mutex_destroy(&w.lock);
        pthread_cond_destroy(&w.cond);
        if (ret_stats)
                *ret_stats = (RelabelStats){
                        .files = atomic_load(&w.done),
                        .changed = atomic_load(&w.changed),
                        .errors = atomic_load(&w.errors),
                        .skipped_mounts = atomic_load(&w.skipped_mounts),
                        .usec = report_now_usec() - w.started,
                };
        if (r < 0)
                return r;
        if (w.error == -ENOMEM)
                return log_oom();
        if (w.error < 0)
                return log_error_errno(w.error, "%" PRIu64 " files could not be relabelled, the first: %m",
                                       (uint64_t) atomic_load(&w.errors));
        return 0;
}
