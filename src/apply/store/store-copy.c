/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The copy engine for policy trees: owners, modes, timestamps and xattrs kept, labels computed, data
 * copied in the kernel. One thread walks the tree, creating directories and links and computing
 * labels, while the others (one per CPU) copy the files it finds, with a handful of system calls each.
 * (Starting each file's writeback at once with sync_file_range() was measured: it made the copy
 * slower by more than it shortened the final sync.) */

#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "chase.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "log.h"
#include "rm-rf.h"
#include "selinux-xattr.h"
#include "store-internal.h"

#define COPY_THREADS_MAX 4

typedef struct FileJob {
        char *rel; /* relative to the tree roots */
        struct stat st;
        char *label; /* NULL: keep the source's */
} FileJob;

typedef struct DirTimes {
        char *rel; /* "." for the top */
        struct timespec ts[2];
} DirTimes;

typedef struct Copier {
        const CopyOptions *o;
        int src_root, dst_root;
        uid_t uid;
        gid_t gid;
        char path[PATH_MAX]; /* the entry being walked, as the booted system will see it */
        size_t len, rel_off; /* its length; where the part relative to the tree roots starts */
        FileJob *jobs;
        size_t n_jobs;
        DirTimes *dirs;
        size_t n_dirs;
        atomic_bool reflink; /* FICLONE still worth trying on this filesystem */
        /* The walk adds jobs while the workers take them; all under the lock. */
        pthread_mutex_t lock;
        pthread_cond_t more;
        bool walk_done;
        size_t next;
        int error;
        size_t failed_job;
} Copier;

/* Errors that mean "not this way here, try the next", not "failed". */
static bool copy_fallback_errno(int e) {
        return e == EOPNOTSUPP || e == ENOTTY || e == EXDEV || e == EINVAL || e == ENOSYS || e == ETXTBSY;
}

static const char *copier_rel(const Copier *c) {
        return c->len > c->rel_off ? c->path + c->rel_off + 1 : ".";
}

static int path_push(Copier *c, const char *name, size_t *saved) {
        size_t n = strlen(name);

        if (c->len + 1 + n >= sizeof(c->path))
                return -ENAMETOOLONG;
        *saved = c->len;
        c->path[c->len++] = '/';
        memcpy(c->path + c->len, name, n + 1);
        c->len += n;
        return 0;
}

static void path_pop(Copier *c, size_t saved) {
        c->len = saved;
        c->path[saved] = '\0';
}

/* A Copier that owns nothing yet, for _cleanup_(copier_done) before copier_init(). */
#define COPIER_NULL \
        { .lock = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER }

static int copier_init(Copier *c, const CopyOptions *o, int src_root, int dst_root) {
        size_t n = strlen(o->label_base);

        if (n >= sizeof(c->path))
                return -ENAMETOOLONG;
        *c = (Copier) COPIER_NULL;
        c->o = o;
        c->src_root = src_root;
        c->dst_root = dst_root;
        c->len = c->rel_off = n;
        c->uid = geteuid();
        c->gid = getegid();
        memcpy(c->path, o->label_base, n + 1);
        atomic_init(&c->reflink, true);
        return 0;
}

static void file_job_done(FileJob *j) {
        free(j->rel);
        free(j->label);
}

static void copier_done(Copier *c) {
        for (size_t i = 0; i < c->n_jobs; i++)
                file_job_done(&c->jobs[i]);
        free(c->jobs);
        for (size_t i = 0; i < c->n_dirs; i++)
                free(c->dirs[i].rel);
        free(c->dirs);
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->more);
}

static int lookup_label(Copier *c, mode_t mode, char **ret) {
        *ret = NULL;
        return c->o->labeler ? labeler_lookup(c->o->labeler, c->path, mode, ret) : 0;
}

/* The xattrs other than the label, which is computed instead (or copied when there is none). */
static int copy_xattrs(int in, int out, bool keep_label) {
        char list[4096], value[4096];
        ssize_t n = flistxattr(in, list, sizeof(list));

        if (n < 0)
                return errno == ENOTSUP ? 0 : negative_errno();
        for (const char *name = list; name < list + n; name += strlen(name) + 1) {
                ssize_t v;

                if (!keep_label && streq(name, XATTR_SELINUX))
                        continue;
                v = fgetxattr(in, name, value, sizeof(value));
                if (v < 0)
                        return negative_errno();
                if (fsetxattr(out, name, value, (size_t) v, 0) < 0)
                        return negative_errno();
        }
        return 0;
}

/* Owner, label and other xattrs of a new file or directory, from its source. */
static int copy_attrs(const Copier *c, int in, int out, const struct stat *st, const char *label) {
        int r;

        if (st->st_uid != c->uid || st->st_gid != c->gid) {
                if (fchown(out, st->st_uid, st->st_gid) < 0)
                        return negative_errno();
                /* chown clears the set-id bits creation gave. */
                if ((st->st_mode & (S_ISUID | S_ISGID)) && fchmod(out, st->st_mode & 07777) < 0)
                        return negative_errno();
        }
        r = copy_xattrs(in, out, !label);
        if (r < 0)
                return r;
        return selinux_xattr_set(out, /* name= */ NULL, label);
}

static int copy_data_rw(int in, int out) {
        char buf[64 * 1024];

        for (;;) {
                ssize_t n = read(in, buf, sizeof(buf));
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        return 0;
                for (ssize_t done = 0; done < n;) {
                        ssize_t w = write(out, buf + done, (size_t) (n - done));
                        if (w < 0)
                                return negative_errno();
                        done += w;
                }
        }
}

static int copy_data(Copier *c, int in, int out, off_t size) {
        if (size == 0)
                return 0;

        if (atomic_load(&c->reflink)) {
                if (ioctl(out, FICLONE, in) >= 0)
                        return 0;
                if (!copy_fallback_errno(errno))
                        return negative_errno();
                atomic_store(&c->reflink, false); /* not on this filesystem: stop asking */
        }
        for (off_t left = size; left > 0;) {
                ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t) left, 0);
                if (n < 0) {
                        if (copy_fallback_errno(errno) && left == size)
                                return copy_data_rw(in, out);
                        return negative_errno();
                }
                if (n == 0) /* the source shrank: copy what is there */
                        break;
                left -= n;
        }
        return 0;
}

static int copy_file(Copier *c, const FileJob *j) {
        _cleanup_close_ int in = -EBADF, out = -EBADF;
        struct timespec ts[2] = { j->st.st_atim, j->st.st_mtim };
        int r;

        in = chase_open_beneath(c->src_root, j->rel, O_RDONLY | O_NOCTTY, /* mode= */ 0);
        if (in < 0)
                return in;
        out = chase_open_beneath(c->dst_root, j->rel, O_WRONLY | O_CREAT | O_EXCL, j->st.st_mode & 07777);
        if (out < 0)
                return out;
        r = copy_data(c, in, out, j->st.st_size);
        if (r < 0)
                return r;
        r = copy_attrs(c, in, out, &j->st, j->label);
        if (r < 0)
                return r;
        return futimens(out, ts) < 0 ? negative_errno() : 0;
}

static void copier_fail(Copier *c, int r, size_t job) {
        pthread_mutex_lock(&c->lock);
        if (c->error == 0) {
                c->error = r;
                c->failed_job = job;
        }
        pthread_cond_broadcast(&c->more);
        pthread_mutex_unlock(&c->lock);
}

/* Takes files to copy until the walk is done and none is left, or something failed. */
static void *copy_worker(void *userdata) {
        Copier *c = userdata;

        for (;;) {
                FileJob j;
                size_t i;
                int r;

                pthread_mutex_lock(&c->lock);
                while (c->next >= c->n_jobs && !c->walk_done && c->error == 0)
                        pthread_cond_wait(&c->more, &c->lock);
                if (c->next >= c->n_jobs || c->error < 0) {
                        pthread_mutex_unlock(&c->lock);
                        return NULL;
                }
                i = c->next++;
                j = c->jobs[i]; /* the array may move; the strings it points to do not */
                pthread_mutex_unlock(&c->lock);
                r = copy_file(c, &j);
                if (r < 0)
                        copier_fail(c, r, i);
        }
}

/* Helper threads copy files while this one walks, then with it. Returns how many started. */
static size_t copy_workers_start(Copier *c, pthread_t *threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        size_t n = (size_t) MAX(MIN(cpus, COPY_THREADS_MAX), 1), started = 0;

        for (; started + 1 < n; started++)
                if (pthread_create(&threads[started], NULL, copy_worker, c) != 0)
                        break;
        return started;
}

/* The walk is done: this thread copies too, until nothing is left. Returns 0 or the first error. */
static int copy_workers_finish(Copier *c, pthread_t *threads, size_t started, int walk_error) {
        if (walk_error < 0)
                copier_fail(c, walk_error, SIZE_MAX);
        pthread_mutex_lock(&c->lock);
        c->walk_done = true;
        pthread_cond_broadcast(&c->more);
        pthread_mutex_unlock(&c->lock);
        copy_worker(c);
        for (size_t i = 0; i < started; i++)
                pthread_join(threads[i], NULL);
        return c->error;
}

static int add_job(Copier *c, const struct stat *st) {
        _cleanup_(file_job_done) FileJob j = { .st = *st };
        FileJob *n;
        int r;

        r = lookup_label(c, st->st_mode, &j.label);
        if (r < 0)
                return r;
        j.rel = strdup(copier_rel(c));
        if (!j.rel)
                return -ENOMEM;
        pthread_mutex_lock(&c->lock);
        n = reallocarray(c->jobs, c->n_jobs + 1, sizeof(FileJob));
        if (n) {
                c->jobs = n;
                c->jobs[c->n_jobs++] = j;
                j = (FileJob){};
                pthread_cond_signal(&c->more);
        }
        pthread_mutex_unlock(&c->lock);
        return n ? 0 : -ENOMEM;
}

static int add_dir_times(Copier *c, const struct stat *st) {
        DirTimes *n = reallocarray(c->dirs, c->n_dirs + 1, sizeof(DirTimes));

        if (!n)
                return -ENOMEM;
        c->dirs = n;
        n[c->n_dirs] = (DirTimes){ .rel = strdup(copier_rel(c)), .ts = { st->st_atim, st->st_mtim } };
        if (!n[c->n_dirs].rel)
                return -ENOMEM;
        c->n_dirs++;
        return 0;
}

/* Directories get their times last, children before parents, once nothing changes inside them. */
static int set_dir_times(Copier *c) {
        for (size_t i = c->n_dirs; i > 0; i--)
                if (utimensat(c->dst_root, c->dirs[i - 1].rel, c->dirs[i - 1].ts, AT_SYMLINK_NOFOLLOW) < 0) {
                        int r = negative_errno();
                        snprintf(c->path, sizeof(c->path), "%s/%s", c->o->label_base, c->dirs[i - 1].rel);
                        return r;
                }
        return 0;
}

static int copy_symlink(Copier *c, int sfd, int dfd, const char *name, const struct stat *st) {
        _cleanup_free_ char *target = NULL, *label = NULL;
        struct timespec ts[2] = { st->st_atim, st->st_mtim };
        int r;

        r = readlinkat_malloc(sfd, name, &target);
        if (r < 0)
                return r;
        if (symlinkat(target, dfd, name) < 0)
                return negative_errno();
        if ((st->st_uid != c->uid || st->st_gid != c->gid) &&
            fchownat(dfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        r = lookup_label(c, st->st_mode, &label);
        if (r < 0)
                return r;
        /* A symlink has no fd for fsetxattr(); reach it through its directory's fd. */
        r = selinux_xattr_set(dfd, name, label);
        if (r < 0)
                return r;
        return utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0 ? negative_errno() : 0;
}

static int walk_dir(Copier *c, int sfd, int dfd);

/* A new directory: created with its mode, owner, label and xattrs now, its times at the end. */
static int walk_subdir(Copier *c, int sfd, int dfd, const char *name, const struct stat *st) {
        _cleanup_close_ int in = -EBADF, out = -EBADF;
        _cleanup_free_ char *label = NULL;
        int r;

        in = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0)
                return negative_errno();
        if (mkdirat(dfd, name, st->st_mode & 07777) < 0)
                return negative_errno();
        out = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (out < 0)
                return negative_errno();
        /* mkdir() ignores the set-id bits. */
        if ((st->st_mode & (S_ISUID | S_ISGID)) && fchmod(out, st->st_mode & 07777) < 0)
                return negative_errno();
        r = lookup_label(c, st->st_mode, &label);
        if (r >= 0)
                r = copy_attrs(c, in, out, st, label);
        if (r >= 0)
                r = add_dir_times(c, st);
        if (r >= 0)
                r = walk_dir(c, in, out);
        return r;
}

static int walk_child(Copier *c, int sfd, int dfd, const char *name) {
        struct stat st;
        size_t saved;
        int r;

        r = path_push(c, name, &saved);
        if (r < 0)
                return r;
        if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        if (S_ISREG(st.st_mode))
                r = add_job(c, &st);
        else if (S_ISLNK(st.st_mode))
                r = copy_symlink(c, sfd, dfd, name, &st);
        else if (S_ISDIR(st.st_mode))
                r = walk_subdir(c, sfd, dfd, name, &st);
        else
                r = -EBADFD; /* a device, FIFO or socket has no place in a policy tree */
        if (r < 0)
                return r;
        path_pop(c, saved);
        return 0;
}

typedef struct Walk {
        Copier *copier;
        int dfd;
} Walk;

static int walk_entry(int sfd, const char *name, void *userdata) {
        Walk *w = userdata;
        return walk_child(w->copier, sfd, w->dfd, name);
}

static int walk_dir(Copier *c, int sfd, int dfd) {
        int fd = openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0)
                return negative_errno();
        return dir_for_each(fd, walk_entry, &(Walk){ .copier = c, .dfd = dfd });
}

/* The walk, the parallel file copy, the directory times. On failure c->path names the culprit. */
static int copier_run(Copier *c, int sfd, int dfd, const char *name) {
        mode_t mask = umask(0); /* modes come from the source, not from our umask */
        int r;

        pthread_t threads[COPY_THREADS_MAX];
        size_t started = copy_workers_start(c, threads);

        r = name ? walk_child(c, sfd, dfd, name) : walk_dir(c, sfd, dfd);
        r = copy_workers_finish(c, threads, started, r);
        /* A failed walk named its entry in c->path already; a failed copy names its file. */
        if (r < 0 && c->failed_job != SIZE_MAX)
                snprintf(c->path, sizeof(c->path), "%s/%s", c->o->label_base, c->jobs[c->failed_job].rel);
        if (r >= 0)
                r = set_dir_times(c);
        umask(mask);
        return r;
}

/* The top directory's own mode, owner, label and other xattrs (its times are the caller's). */
static int copy_top_attrs(Copier *c, int src_fd, int dst_fd, struct stat *ret_st) {
        _cleanup_free_ char *label = NULL;
        int r;

        if (fstat(src_fd, ret_st) < 0 || fchmod(dst_fd, ret_st->st_mode & 07777) < 0)
                return negative_errno();
        r = lookup_label(c, ret_st->st_mode, &label);
        if (r < 0)
                return r;
        return copy_attrs(c, src_fd, dst_fd, ret_st, label);
}

int store_copy_tree(int src_fd, int dst_fd, const CopyOptions *o) {
        _cleanup_(copier_done) Copier c = COPIER_NULL;
        struct stat st;
        int r;

        assert(o);

        r = copier_init(&c, o, src_fd, dst_fd);
        if (r < 0)
                return log_error_errno(r, "Cannot copy to %s: %m", o->label_base);
        r = copy_top_attrs(&c, src_fd, dst_fd, &st);
        if (r >= 0)
                r = add_dir_times(&c, &st);
        if (r >= 0)
                r = copier_run(&c, src_fd, dst_fd, /* name= */ NULL);
        if (r < 0)
                log_error_errno(r, "Failed to copy %s: %m", c.path);
        return r;
}

int store_copy_entry(int src_fd, int dst_fd, const char *rel, const CopyOptions *o) {
        _cleanup_(copier_done) Copier c = COPIER_NULL;
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int sdir = -EBADF, ddir = -EBADF;
        const char *base;
        char *slash;
        size_t saved;
        int r;

        assert(rel);
        assert(o);

        dir = strdup(rel);
        if (!dir)
                return log_oom();
        slash = strrchr(dir, '/');
        base = slash ? rel + (slash - dir) + 1 : rel;
        if (slash)
                *slash = '\0';
        else
                dir[0] = '\0';
        r = copier_init(&c, o, src_fd, dst_fd);
        if (r >= 0 && !isempty(dir))
                r = path_push(&c, dir, &saved);
        if (r < 0)
                return log_error_errno(r, "Cannot copy %s: %m", rel);
        sdir = chase_open_beneath(src_fd, dir, O_RDONLY | O_DIRECTORY, /* mode= */ 0);
        ddir = sdir < 0 ? -EBADF : chase_open_beneath(dst_fd, dir, O_RDONLY | O_DIRECTORY, /* mode= */ 0);
        r = sdir < 0 ? sdir : ddir < 0 ? ddir : rm_rf_at(ddir, base);
        if (r == -ENOENT && sdir >= 0 && ddir >= 0)
                r = 0; /* nothing to replace */
        if (r >= 0)
                r = copier_run(&c, sdir, ddir, base);
        if (r < 0)
                log_error_errno(r, "Failed to copy %s: %m", c.path);
        return r;
}

int store_copy_dir_attrs(int src_fd, int dst_fd, const CopyOptions *o) {
        _cleanup_(copier_done) Copier c = COPIER_NULL;
        struct stat st;
        int r;

        assert(o);

        r = copier_init(&c, o, src_fd, dst_fd);
        if (r >= 0)
                r = copy_top_attrs(&c, src_fd, dst_fd, &st);
        if (r >= 0 && futimens(dst_fd, (const struct timespec[2]){ st.st_atim, st.st_mtim }) < 0)
                r = negative_errno();
        if (r < 0)
                return log_error_errno(r, "Failed to copy the attributes of %s: %m", o->label_base);
        return 0;
}
