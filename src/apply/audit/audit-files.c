/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reads /etc/audit/rules.d through the root: the files augenrules would load, in its order. */

#include <fcntl.h>
#include <inttypes.h>
#include <sys/xattr.h>

#include "audit-files.h"
#include "audit-rules.h"
#include "chase.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "log.h"
#include "selinux-xattr.h"
#include "strutil.h"

char *audit_files_link_header(uint64_t hash, const char *target) {
        assert(target);

        return strprintf(AUDIT_MARK_LINK "%016" PRIx64 ": %s\n", hash, target);
}

static void file_done(AuditFile *f) {
        free(f->name);
        free(f->path);
        free(f->resolved);
        free(f->link_target);
        free(f->label);
        free(f->data);
        free(f->header_target);
}

void audit_dir_done(AuditDir *d) {
        assert(d);

        for (size_t i = 0; i < d->n; i++)
                file_done(&d->files[i]);
        free(d->files);
        free(d->resolved);
        closep(&d->fd);
        *d = (AuditDir){ .fd = -EBADF };
}

static int parse_header(AuditFile *f) {
        const char *p = f->data, *nl;
        char *end;

        if (f->is_link || !(p = startswith(p, AUDIT_MARK_LINK)) || !(nl = memchr(f->data, '\n', f->size)))
                return 0;
        errno = 0;
        f->header_hash = strtoull(p, &end, 16);
        if (errno != 0 || end != p + 16 || !startswith(end, ": ") || end + 2 >= nl)
                return 0;
        f->header_target = strndup(end + 2, nl - end - 2);
        if (!f->header_target)
                return -ENOMEM;
        f->has_header = !memchr(f->header_target, '\0', nl - end - 2);
        f->header_len = (size_t) (nl - f->data) + 1;
        return 0;
}

/* An entry that is no link: read straight from the directory, without resolving the path again. */
static int read_plain(int dir_fd, const char *name, const char *where, AuditFile *f) {
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        int r;

        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &f->st) < 0)
                return negative_errno();
        if (!S_ISREG(f->st.st_mode))
                return -EBADFD;
        r = read_full_fd(fd, AUDIT_FILE_MAX, &f->data, &f->size);
        if (r < 0)
                return r;
        f->resolved = strdup(where);
        return f->resolved ? 0 : -ENOMEM;
}

/* Reads one entry. Returns 1 (read), 0 (augenrules cannot load it: warned), or a negative errno. */
static int file_read(int root_fd, const AuditDir *d, const char *name, AuditFile *f, Diags *warnings) {
        _cleanup_free_ char *where = path_join(d->resolved, name);
        struct stat lst;
        int r;

        f->name = strdup(name);
        f->path = path_join(AUDIT_RULES_DIR, name);
        if (!where || !f->name || !f->path)
                return -ENOMEM;
        if (fstatat(d->fd, name, &lst, AT_SYMLINK_NOFOLLOW) < 0)
                return log_error_errno(errno, "Failed to stat %s: %m", f->path);
        f->is_link = S_ISLNK(lst.st_mode);
        if (f->is_link) {
                r = readlinkat_malloc(d->fd, name, &f->link_target);
                if (r < 0)
                        return log_error_errno(r, "Failed to read link %s: %m", f->path);
        }
        if (f->is_link)
                r = read_full_file_at(root_fd, where, AUDIT_FILE_MAX, &f->data, &f->size, &f->st, &f->resolved);
        else
                r = read_plain(d->fd, name, where, f);
        if (r == -ENOENT || r == -EBADFD || r == -ELOOP || r == -ENOTDIR)
                return diag_warning(warnings, f->path, /* line= */ 0, /* column= */ 0,
                                    "not a readable regular file (%s); augenrules skips it too", strerror(-r))
                               ?: 0;
        if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", f->path);
        r = selinux_xattr_get(d->fd, name, &f->label);
        if (r < 0)
                return log_error_errno(r, "Failed to read the label of %s: %m", f->path);
        r = parse_header(f);
        return r < 0 ? r : 1;
}

/* augenrules runs "for rules in $(ls -1v DIR | grep '\.rules$')": hidden names are not listed, and a
 * name the shell splits or expands is not loaded. */
static int name_loadable(const char *name, Diags *warnings) {
        if (name[0] == '.' || !endswith(name, ".rules"))
                return 0;
        if (name[strcspn(name, " \t\n*?[")] != '\0') {
                _cleanup_free_ char *p = path_join(AUDIT_RULES_DIR, name);
                if (!p)
                        return -ENOMEM;
                return diag_warning(warnings, p, /* line= */ 0, /* column= */ 0,
                                    "augenrules cannot load a file with this name; skipped")
                               ?: 0;
        }
        return 1;
}

static int cmp_names(const void *a, const void *b) {
        const char *x = *(char *const *) a, *y = *(char *const *) b;
        return filevercmp(x, y) ?: strcmp(x, y); /* ls -v breaks ties with strcmp() */
}

typedef struct ListNames {
        char **names;
        Diags *warnings;
} ListNames;

static int list_name(int dir_fd, const char *name, void *userdata) {
        ListNames *l = userdata;
        int r = name_loadable(name, l->warnings);

        return r > 0 ? strv_extend(&l->names, name) : r;
}

static int list_names(const AuditDir *d, char ***ret, Diags *warnings) {
        _cleanup_strv_free_ char **names = NULL;
        int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;
        ListNames l = { .warnings = warnings };

        if (fd < 0)
                return log_error_errno(errno, "Failed to open %s: %m", AUDIT_RULES_DIR);
        r = dir_for_each(fd, list_name, &l);
        names = l.names;
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", AUDIT_RULES_DIR);
        if (names)
                qsort(names, strv_length(names), sizeof(char *), cmp_names);
        *ret = TAKE_PTR(names);
        return 0;
}

static int dir_open(int root_fd, AuditDir *d) {
        _cleanup_close_ int parent = -EBADF;
        _cleanup_free_ char *name = NULL;
        int r;

        r = chase(root_fd, AUDIT_RULES_DIR, /* flags= */ 0, &parent, &name, &d->resolved);
        if (r == -ENOENT)
                return r;
        if (r < 0)
                return log_error_errno(r, "Failed to resolve %s: %m", AUDIT_RULES_DIR);
        d->fd = openat(parent, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (d->fd < 0)
                return log_error_errno(errno, "Failed to open %s: %m", AUDIT_RULES_DIR);
        return 0;
}

int audit_dir_read(int root_fd, AuditDir *ret, Diags *warnings) {
        _cleanup_(audit_dir_done) AuditDir d = { .fd = -EBADF };
        _cleanup_strv_free_ char **names = NULL;
        size_t n;
        int r;

        assert(ret);

        r = dir_open(root_fd, &d);
        if (r >= 0)
                r = list_names(&d, &names, warnings);
        if (r < 0)
                return r;
        n = strv_length(names);
        d.files = calloc(n + 1, sizeof(AuditFile));
        if (!d.files)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                r = file_read(root_fd, &d, names[i], &d.files[d.n], warnings);
                if (r <= 0) {
                        file_done(&d.files[d.n]);
                        d.files[d.n] = (AuditFile){};
                }
                if (r < 0)
                        return r;
                d.n += r;
        }
        *ret = d;
        d = (AuditDir){ .fd = -EBADF };
        return 0;
}
