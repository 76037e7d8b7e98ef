/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Discovers a root's SELinux layout: config, compiled policy, store, and the image's copies in /usr. */

#include <sys/stat.h>

#include "chase.h"
#include "fileio.h"
#include "layout.h"
#include "log.h"
#include "store-conf.h"
#include "string-table.h"
#include "strutil.h"

#define SMALL_FILE_MAX (1024 * 1024)

static const char *const path_kind_names[_PATH_KIND_MAX] = {
        [PATH_MISSING] = "missing",
        [PATH_REAL] = "real",
        [PATH_IMAGE] = "image",
};

DEFINE_STRING_TABLE_TO_STRING(path_kind, PathKind, path_kind_names, _PATH_KIND_MAX);

bool layout_path_in_image(const char *resolved) {
        const char *rest;

        assert(resolved);

        rest = startswith(resolved, "/usr");
        return rest && (*rest == '\0' || *rest == '/');
}

void layout_path_done(LayoutPath *p) {
        assert(p);

        free(p->path);
        free(p->resolved);
        *p = (LayoutPath){};
}

int layout_path_resolve(int root_fd, const char *path, LayoutPath *ret) {
        _cleanup_free_ char *resolved = NULL;
        LayoutPath p = {};
        struct stat st;
        int r;

        assert(path);
        assert(ret);

        p.path = strdup(path);
        if (!p.path)
                return -ENOMEM;
        r = chase_and_stat(root_fd, path, CHASE_NOFOLLOW, &st, /* ret_path= */ NULL);
        if (r >= 0)
                p.is_link = S_ISLNK(st.st_mode);
        r = chase_and_stat(root_fd, path, /* flags= */ 0, &st, &resolved);
        if (r == -ENOENT)
                p.kind = PATH_MISSING;
        else if (r < 0) {
                free(p.path);
                return r;
        } else {
                p.kind = layout_path_in_image(resolved) ? PATH_IMAGE : PATH_REAL;
                p.resolved = TAKE_PTR(resolved);
        }
        *ret = p;
        return 0;
}

void layout_done(Layout *l) {
        assert(l);

        selinux_config_done(&l->config);
        free(l->type);
        layout_path_done(&l->config_file);
        layout_path_done(&l->policy);
        layout_path_done(&l->store_root);
        layout_path_done(&l->store);
        free(l->image_store);
        free(l->image_policy);
        *l = (Layout){};
}

static int layout_read_config(int root_fd, Layout *l) {
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r;

        r = read_full_file_at(root_fd, SELINUX_CONFIG_PATH, SMALL_FILE_MAX, &text, &len, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        return selinux_config_parse(text, len, &l->config);
}

static int layout_store_root(int root_fd, char **ret) {
        _cleanup_(store_conf_done) StoreConf c = {};
        int r;

        r = store_conf_read(root_fd, &c);
        if (r < 0 && r != -ENOENT) /* none: libsemanage's defaults then */
                return r;
        *ret = c.store_root ? TAKE_PTR(c.store_root) : strdup(STORE_ROOT_DEFAULT);
        return *ret ? 0 : -ENOMEM;
}

/* The image's copy of something: where the live path leads when it leads into /usr, else
 * Flatcar's place for it when that exists in /usr. */
static int layout_image_copy(int root_fd, const LayoutPath *live, const char *conventional, char **ret) {
        _cleanup_free_ char *resolved = NULL;
        struct stat st;

        if (live->kind == PATH_IMAGE)
                return (*ret = strdup(live->resolved)) ? 0 : -ENOMEM;
        if (chase_and_stat(root_fd, conventional, /* flags= */ 0, &st, &resolved) >= 0 && S_ISDIR(st.st_mode) &&
            layout_path_in_image(resolved)) {
                *ret = TAKE_PTR(resolved);
                return 0;
        }
        *ret = NULL;
        return 0;
}

/* The compiled policy, /etc/selinux/<type>. */
static int layout_policy(int root_fd, Layout *l) {
        _cleanup_free_ char *policy = strjoin("/etc/selinux/", l->type);
        _cleanup_free_ char *image = strjoin("/usr/lib/selinux/", l->type);
        int r;

        if (!policy || !image)
                return -ENOMEM;
        r = layout_path_resolve(root_fd, policy, &l->policy);
        if (r < 0)
                return r;
        return layout_image_copy(root_fd, &l->policy, image, &l->image_policy);
}

/* The store, <store-root>/<type>. */
static int layout_store(int root_fd, Layout *l) {
        _cleanup_free_ char *store_root = NULL, *store = NULL, *image = NULL;
        int r;

        r = layout_store_root(root_fd, &store_root);
        if (r < 0)
                return r;
        r = layout_path_resolve(root_fd, store_root, &l->store_root);
        if (r < 0)
                return r;
        store = path_join(store_root, l->type);
        image = strjoin("/usr/lib/selinux/policy/", l->type);
        if (!store || !image)
                return -ENOMEM;
        r = layout_path_resolve(root_fd, store, &l->store);
        if (r < 0)
                return r;
        return layout_image_copy(root_fd, &l->store, image, &l->image_store);
}

bool layout_has_selinux(const Layout *l) {
        assert(l);

        return l->config_file.kind != PATH_MISSING || l->policy.kind != PATH_MISSING || l->image_policy;
}

int layout_discover(int root_fd, Layout *ret) {
        _cleanup_(layout_done) Layout l = { .config = { .mode = _SELINUX_MODE_INVALID } };
        int r;

        assert(ret);

        r = layout_read_config(root_fd, &l);
        if (r < 0)
                return r;
        r = layout_path_resolve(root_fd, SELINUX_CONFIG_PATH, &l.config_file);
        if (r < 0)
                return r;
        l.type = strdup(l.config.type ?: POLICY_TYPE_DEFAULT);
        if (!l.type)
                return -ENOMEM;
        r = layout_policy(root_fd, &l);
        if (r < 0)
                return r;
        r = layout_store(root_fd, &l);
        if (r < 0)
                return r;
        *ret = l;
        l = (Layout){};
        return 0;
}

static void layout_path_log_debug(const char *what, const LayoutPath *p) {
        log_debug("%s: %s, %s%s%s.", what, p->path ?: "(none)", path_kind_to_string(p->kind),
                  p->is_link ? ", a link to " : "", p->is_link ? strna(p->resolved) : "");
}

void layout_log_debug(const char *root, const Layout *l) {
        assert(root);
        assert(l);

        log_debug("Layout of %s: policy type %s.", root, l->type);
        layout_path_log_debug("SELinux config", &l->config_file);
        layout_path_log_debug("Compiled policy", &l->policy);
        layout_path_log_debug("Policy store", &l->store);
        log_debug("The image's store: %s; the image's compiled policy: %s.", l->image_store ?: "none",
                  l->image_policy ?: "none");
}
