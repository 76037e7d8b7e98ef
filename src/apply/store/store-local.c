/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What makes a writable store differ from the image's: modules at local priorities, disabled
 * modules, booleans.local and the other *.local customisations, disable_dontaudit. */

#include <fcntl.h>
#include <sys/stat.h>

#include "dir-for-each.h"
#include "fileio.h"
#include "store-internal.h"
#include "strutil.h"

#define LOCAL_FILE_MAX (16 * 1024 * 1024)

static bool strv_equal(char *const *a, char *const *b) {
        size_t n = strv_length(a);

        if (n != strv_length(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return true;
}

void local_changes_done(LocalChanges *c) {
        assert(c);

        strv_free(c->paths);
        strv_free(c->descriptions);
        strv_free(c->modules);
        *c = (LocalChanges){};
}

static int local_add(LocalChanges *c, const char *path, char *description) {
        if (!description)
                return -ENOMEM;
        if (strv_extend(&c->paths, path) < 0) {
                free(description);
                return -ENOMEM;
        }
        return strv_consume(&c->descriptions, description);
}

/* The content of 'rel' in the tree 'fd', or NULL when missing or empty. */
static int read_small(int fd, const char *rel, char **ret) {
        size_t n = 0;
        int r;

        *ret = NULL;
        if (fd < 0)
                return 0;
        r = read_full_file_at(fd, rel, LOCAL_FILE_MAX, ret, &n, /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (n == 0)
                *ret = mfree(*ret);
        return 0;
}

/* A customisation file: local when present and not what the image has. */
static bool is_custom_file(const char *name) {
        return endswith(name, ".local") || streq(name, "disable_dontaudit") || streq(name, "preserve_tunables");
}

typedef struct LocalFiles {
        int store_fd, image_fd;
        LocalChanges *changes;
} LocalFiles;

static int local_file(int dir_fd, const char *name, void *userdata) {
        LocalFiles *w = userdata;
        _cleanup_free_ char *rel = NULL, *mine = NULL, *theirs = NULL;
        bool custom;
        int r;

        if (!is_custom_file(name))
                return 0;
        rel = strjoin("active/", name);
        if (!rel)
                return -ENOMEM;
        r = read_small(w->store_fd, rel, &mine);
        if (r >= 0)
                r = read_small(w->image_fd, rel, &theirs);
        custom = mine && (!theirs || !streq(mine, theirs));
        /* disable_dontaudit counts by its presence, whatever it holds. */
        if (streq(name, "disable_dontaudit"))
                custom = w->image_fd < 0 || faccessat(w->image_fd, rel, F_OK, AT_SYMLINK_NOFOLLOW) < 0;
        if (r >= 0 && custom)
                r = local_add(w->changes, rel, strdup(name));
        return r < 0 ? r : 0;
}

static int local_files(int store_fd, int image_fd, LocalChanges *c) {
        int fd = openat(store_fd, "active", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        if (fd < 0)
                return errno == ENOENT ? 0 : negative_errno();
        return dir_for_each(fd, local_file, &(LocalFiles){ .store_fd = store_fd, .image_fd = image_fd, .changes = c });
}

static int list_name(int dir_fd, const char *name, void *userdata) {
        return name[0] == '.' ? 0 : strv_extend(userdata, name);
}

/* The names in the directory 'rel' of 'fd', sorted; an empty list when it is missing. */
static int list_names(int fd, const char *rel, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int dfd, r;

        *ret = NULL;
        if (fd < 0)
                return 0;
        dfd = openat(fd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return errno == ENOENT ? 0 : negative_errno();
        r = dir_for_each(dfd, list_name, &l);
        if (r < 0)
                return r;
        strv_sort(l);
        *ret = TAKE_PTR(l);
        return 0;
}

/* Module priorities the image does not have (a fresh store has only the distribution's, 100), and
 * modules disabled locally. */
static int local_modules(int store_fd, int image_fd, char **image_priorities, LocalChanges *c) {
        _cleanup_strv_free_ char **mine = NULL, **listed = NULL, **off = NULL, **image_off = NULL;
        char **theirs;
        int r;

        r = list_names(store_fd, "active/modules", &mine);
        if (r >= 0 && !image_priorities)
                r = list_names(image_fd, "active/modules", &listed);
        theirs = image_priorities ?: listed;
        if (r >= 0)
                r = list_names(store_fd, "active/modules/disabled", &off);
        if (r >= 0)
                r = list_names(image_fd, "active/modules/disabled", &image_off);
        STRV_FOREACH (p, mine) {
                _cleanup_strv_free_ char **names = NULL;
                _cleanup_free_ char *rel = NULL, *joined = NULL;

                if (r < 0)
                        break;
                if (streq(*p, "disabled") || strv_contains(theirs, *p) ||
                    (image_fd < 0 && !image_priorities && streq(*p, "100")))
                        continue;
                rel = strjoin("active/modules/", *p);
                if (!rel)
                        return -ENOMEM;
                r = list_names(store_fd, rel, &names);
                STRV_FOREACH (n, names) {
                        if (r >= 0)
                                r = strextend(&joined, "%s%s", joined ? ", " : "", *n);
                        if (r >= 0)
                                r = strv_consume(&c->modules, strprintf("%s@%s", *n, *p));
                }
                if (r >= 0)
                        r = local_add(c, rel, strprintf("modules at priority %s: %s", *p, strna(joined)));
        }
        if (r >= 0 && !strv_equal(off, image_off)) {
                _cleanup_free_ char *joined = NULL;

                STRV_FOREACH (n, off)
                        if (r >= 0 && !strv_contains(image_off, *n))
                                r = strextend(&joined, "%s%s", joined ? ", " : "", *n);
                STRV_FOREACH (n, image_off)
                        if (r >= 0 && !strv_contains(off, *n))
                                r = strextend(&joined, "%s%s (enabled)", joined ? ", " : "", *n);
                /* The whole list moves together: a module the image disables may be enabled here. */
                if (r >= 0)
                        r = local_add(c, "active/modules/disabled",
                                      strprintf("modules disabled or enabled locally: %s", strna(joined)));
        }
        return r;
}

int store_local_image_priorities(int image_fd, char ***ret) {
        _cleanup_strv_free_ char **l = NULL, **prios = NULL;
        int r = list_names(image_fd, "active/modules", &l);

        assert(ret);

        STRV_FOREACH (p, l)
                if (r >= 0 && !streq(*p, "disabled"))
                        r = strv_extend(&prios, *p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(prios);
        return 0;
}

int local_changes_find(int store_fd, int image_fd, char **image_priorities, LocalChanges *ret) {
        _cleanup_(local_changes_done) LocalChanges c = {};
        int r;

        assert(ret);

        r = local_files(store_fd, image_fd, &c);
        if (r < 0)
                return r;
        r = local_modules(store_fd, image_fd, image_priorities, &c);
        if (r < 0)
                return r;
        *ret = c;
        c = (LocalChanges){};
        return 0;
}
