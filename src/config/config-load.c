/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Config sources: drop-in directories with systemd's masking rules, provisioning configs, the
 * kernel command line; read in precedence order and layered. */

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "chase.h"
#include "config-load.h"
#include "config-paths.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "string-table.h"
#include "strutil.h"

typedef struct DropInDir {
        ConfigLevel level;
        bool in_run; /* relative to the runtime directory, not the root */
        const char *dir;
        const char *shown;
} DropInDir;

/* Lowest precedence first, as systemd orders its drop-in directories: the administrator's /etc
 * overrides the runtime's /run, which overrides the image's /usr/lib. */
static const DropInDir dropin_dirs[] = {
        { CONFIG_LEVEL_IMAGE, false, CONFIG_DIR_IMAGE, CONFIG_DIR_IMAGE },
        { CONFIG_LEVEL_RUNTIME, true, CONFIG_DIR_RUNTIME, CONFIG_DIR_RUNTIME_SHOWN },
        { CONFIG_LEVEL_ADMIN, false, CONFIG_DIR_ADMIN, CONFIG_DIR_ADMIN },
};

/* Read only when the file is a "#cloud-config" document; only its "seprov:" key is seprov's. */
static const char *const cloud_config_files[] = {
        CLOUD_CONFIG_FLATCAR,
        CLOUD_CONFIG_CLOUD_INIT,
};

typedef struct DropIn {
        char *name;
        const DropInDir *dir;
} DropIn;

void config_sources_done(ConfigSources *s) {
        assert(s);

        for (size_t i = 0; i < s->n; i++)
                free(s->items[i].path);
        free(s->items);
        *s = (ConfigSources){};
}

static const char *const config_level_names[_CONFIG_LEVEL_MAX] = {
        [CONFIG_LEVEL_IMAGE] = "image",
        [CONFIG_LEVEL_RUNTIME] = "runtime",
        [CONFIG_LEVEL_ADMIN] = "admin",
        [CONFIG_LEVEL_PROVISIONING] = "provisioning",
        [CONFIG_LEVEL_CMDLINE_FILE] = "seprov.config",
};

DEFINE_STRING_TABLE_TO_STRING(config_level, ConfigLevel, config_level_names, _CONFIG_LEVEL_MAX);

static const char *const source_state_names[_SOURCE_STATE_MAX] = {
        [SOURCE_USED] = "used",       [SOURCE_MASKED] = "masked",   [SOURCE_MASK] = "mask",
        [SOURCE_IGNORED] = "ignored", [SOURCE_INVALID] = "invalid", [SOURCE_EMPTY] = "empty",
};

DEFINE_STRING_TABLE_TO_STRING(source_state, SourceState, source_state_names, _SOURCE_STATE_MAX);

static int source_add(ConfigSources *s, const char *path, ConfigLevel level, SourceState state, ConfigFormat format) {
        ConfigSource *n;
        char *p;

        if (!s)
                return 0;
        p = strdup(path);
        n = p ? reallocarray(s->items, s->n + 1, sizeof(ConfigSource)) : NULL;
        if (!n) {
                free(p);
                return -ENOMEM;
        }
        s->items = n;
        s->items[s->n++] = (ConfigSource){ .path = p, .level = level, .state = state, .format = format };
        return 0;
}

static int dropins_add(DropIn **list, size_t *n, const DropInDir *dir, const char *name) {
        DropIn *l = reallocarray(*list, *n + 1, sizeof(DropIn));
        if (!l)
                return -ENOMEM;
        *list = l;
        l[*n] = (DropIn){ .name = strdup(name), .dir = dir };
        if (!l[*n].name)
                return -ENOMEM;
        (*n)++;
        return 0;
}

typedef struct DropInScan {
        const DropInDir *dir;
        DropIn **list;
        size_t *n;
} DropInScan;

static int dropins_scan_entry(int dir_fd, const char *name, void *userdata) {
        DropInScan *s = userdata;

        /* Hidden files are editors' and seprov's own temporary files. */
        if (name[0] == '.')
                return 0;
        return dropins_add(s->list, s->n, s->dir, name);
}

static int dropins_scan_dir(int base_fd, const DropInDir *dir, DropIn **list, size_t *n, Diags *diags) {
        int fd = chase_and_open_dir(base_fd, dir->dir);

        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return diag_error(diags, dir->shown, /* line= */ 0, /* column= */ 0, "cannot read this directory: %s",
                                  strerror(-fd));
        return dir_for_each(fd, dropins_scan_entry, &(DropInScan){ .dir = dir, .list = list, .n = n });
}

static int dropin_cmp(const void *a, const void *b) {
        const DropIn *x = a, *y = b;
        int c = strcmp(x->name, y->name);
        return c != 0 ? c : (int) x->dir->level - (int) y->dir->level;
}

/* systemd's masking: an empty file or a symlink to /dev/null. Returns 1 when masking, 0 when not. */
static int file_is_mask(int base_fd, const char *path) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *target = NULL;
        struct stat st;
        int r;

        r = chase(base_fd, path, CHASE_NOFOLLOW, &dir_fd, &name, /* ret_path= */ NULL);
        if (r != 0)
                return r < 0 ? r : -ENOENT;
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        if (S_ISLNK(st.st_mode) && readlinkat_malloc(dir_fd, name, &target) >= 0 && streq(target, "/dev/null"))
                return 1;
        r = chase_and_stat(base_fd, path, /* flags= */ 0, &st, /* ret_path= */ NULL);
        if (r < 0)
                return r;
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
                return 1;
        return S_ISREG(st.st_mode) && st.st_size == 0;
}

/* Reads one file and layers it over 'ret'. Problems go to 'diags'; returns 0 or -ENOMEM. */
static int layer_file(int base_fd, const char *path, const char *shown, ConfigLevel level, ConfigFormat *format,
                      Config *ret, ConfigSources *sources, Diags *diags) {
        _cleanup_free_ char *text = NULL;
        _cleanup_(config_done) Config layer = {};
        size_t len;
        int r;

        bool provisioning = *format == CONFIG_FORMAT_IGNITION || *format == CONFIG_FORMAT_CLOUD_CONFIG;

        r = read_full_file_at(base_fd, path, provisioning ? PROVISIONING_FILE_MAX : CONFIG_FILE_MAX, &text, &len,
                              /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r < 0) {
                const char *why = r == -EBADFD  ? "not a regular file"
                                  : r == -EFBIG ? (provisioning ? "larger than 64 MiB" : "larger than 1 MiB")
                                                : strerror(-r);
                if (diag_error(diags, shown, /* line= */ 0, /* column= */ 0, "cannot read: %s", why) < 0)
                        return -ENOMEM;
                return source_add(sources, shown, level, SOURCE_INVALID, *format);
        }
        if (*format < 0)
                *format = config_parse_detect_format(shown, text);
        r = config_parse_text(text, len, shown, *format, &layer, format, diags);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return source_add(sources, shown, level, SOURCE_INVALID, *format);
        r = config_merge(ret, &layer);
        if (r < 0)
                return r;
        /* An Ignition config or user data for other tools only: read, but not one of seprov's. */
        if ((*format == CONFIG_FORMAT_IGNITION || *format == CONFIG_FORMAT_CLOUD_CONFIG) && config_is_empty(&layer))
                return source_add(sources, shown, level, SOURCE_EMPTY, *format);
        return source_add(sources, shown, level, SOURCE_USED, *format);
}

static int layer_dropin(const ConfigLoad *load, const DropIn *d, Config *ret, ConfigSources *sources, Diags *diags) {
        _cleanup_free_ char *path = path_join(d->dir->dir, d->name);
        _cleanup_free_ char *shown = path_join(d->dir->shown, d->name);
        int base_fd = d->dir->in_run ? load->run_fd : load->root_fd;
        ConfigFormat format = _CONFIG_FORMAT_INVALID;
        int r;

        if (!path || !shown)
                return -ENOMEM;
        /* Other names (a README, a backup) are skipped silently, as systemd skips them in its
         * drop-in directories; show-config lists them as ignored. */
        if (!endswith(d->name, ".json") && !endswith(d->name, ".yaml") && !endswith(d->name, ".yml"))
                return source_add(sources, shown, d->dir->level, SOURCE_IGNORED, format);
        r = file_is_mask(base_fd, path);
        if (r > 0)
                return source_add(sources, shown, d->dir->level, SOURCE_MASK, format);
        format = endswith(d->name, ".json") ? CONFIG_FORMAT_JSON : _CONFIG_FORMAT_INVALID;
        return layer_file(base_fd, path, shown, d->dir->level, &format, ret, sources, diags);
}

static int layer_dropins(const ConfigLoad *load, Config *ret, ConfigSources *sources, Diags *diags) {
        DropIn *list = NULL;
        size_t n = 0;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(dropin_dirs); i++) {
                int base_fd = dropin_dirs[i].in_run ? load->run_fd : load->root_fd;
                if (base_fd >= 0)
                        r = dropins_scan_dir(base_fd, &dropin_dirs[i], &list, &n, diags);
        }
        if (n > 0)
                qsort(list, n, sizeof(DropIn), dropin_cmp);

        for (size_t i = 0; r >= 0 && i < n; i++) {
                bool masked = i + 1 < n && streq(list[i].name, list[i + 1].name);
                if (masked) {
                        _cleanup_free_ char *shown = path_join(list[i].dir->shown, list[i].name);
                        r = shown ? source_add(sources, shown, list[i].dir->level, SOURCE_MASKED,
                                               _CONFIG_FORMAT_INVALID)
                                  : -ENOMEM;
                } else
                        r = layer_dropin(load, &list[i], ret, sources, diags);
        }
        for (size_t i = 0; i < n; i++)
                free(list[i].name);
        free(list);
        return r;
}

/* Whether Ignition's cache has a top-level "seprov" key: 1, 0, or a negative errno. A cache that does
 * not parse counts as having one, so that layering it reports the problem. */
static int ignition_cache_has_seprov(int run_fd) {
        _cleanup_free_ char *text = NULL;
        _cleanup_node_free_ Node *root = NULL;
        Diags ignored = {};
        size_t len;
        int r;

        r = read_full_file_at(run_fd, IGNITION_CONFIG, PROVISIONING_FILE_MAX, &text, &len, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r < 0)
                return 1;
        r = parse_json_provisioning(text, len, IGNITION_CONFIG_SHOWN, "seprov", &root, &ignored);
        diags_clear(&ignored);
        if (r == -ENOMEM)
                return r;
        return r < 0 || node_get(root, "seprov") != NULL;
}

/* The config as Ignition fetched it, where seprov can read it again on the running system: Ignition's
 * system config (which Ignition prefers to the platform's), else qemu's fw_cfg on platform "qemu".
 * For an offline root (an image looked at on its build host), the image's own system config: there
 * is no running system of its own, and the one seprov runs on is not where its Ignition reads. */
static const char *ignition_local_source(const ConfigLoad *load, int *ret_fd) {
        static const char *const qemu[] = { IGNITION_QEMU_FW_CFG, IGNITION_QEMU_FW_CFG_FLATCAR };
        int fd = load->host_fd >= 0 ? load->host_fd : load->root_fd;
        struct stat st;

        *ret_fd = fd;
        if (chase_and_stat(fd, IGNITION_SYSTEM_CONFIG, /* flags= */ 0, &st, /* ret_path= */ NULL) >= 0)
                return IGNITION_SYSTEM_CONFIG;
        if (load->host_fd < 0 || !load->args || !streq_ptr(load->args->ignition_platform, "qemu"))
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(qemu); i++)
                if (chase_and_stat(fd, qemu[i], /* flags= */ 0, &st, /* ret_path= */ NULL) >= 0)
                        return qemu[i];
        return NULL;
}

int config_load_ignition_source(const ConfigLoad *load, int *ret_fd, const char **ret_path, const char **ret_shown) {
        struct stat st;
        const char *local;
        int fd, r;

        assert(load);
        assert(ret_fd);
        assert(ret_path);
        assert(ret_shown);

        if (load->run_fd < 0 ||
            chase_and_stat(load->run_fd, IGNITION_CONFIG, /* flags= */ 0, &st, /* ret_path= */ NULL) < 0)
                return -ENOENT;
        r = ignition_cache_has_seprov(load->run_fd);
        if (r < 0)
                return r;
        if (r > 0) {
                *ret_fd = load->run_fd;
                *ret_path = IGNITION_CONFIG;
                *ret_shown = IGNITION_CONFIG_SHOWN;
                return 1;
        }
        local = !(load->args && load->args->ignition_config_url) ? ignition_local_source(load, &fd) : NULL;
        if (!local)
                return 0;
        *ret_fd = fd;
        *ret_path = *ret_shown = local;
        return 1;
}

/* The "seprov" key of the config Ignition fetched, on a boot where Ignition ran (its cache exists).
 * Ignition rewrites its cache from its own schema, dropping unknown keys, so unless the cache has the
 * key, it is read from the source Ignition fetched from, when that source is local. On the boots
 * after, and when that source cannot be read again, the record of the key (ignition-record.c)
 * stands in for it. */
static int layer_ignition(const ConfigLoad *load, Config *ret, ConfigSources *sources, Diags *diags) {
        ConfigFormat f = CONFIG_FORMAT_IGNITION;
        const char *path = NULL, *shown = NULL;
        struct stat st;
        int fd = -EBADF, r, q;

        r = config_load_ignition_source(load, &fd, &path, &shown);
        if (r < 0 && r != -ENOENT)
                return r;
        if (r > 0 && fd == load->run_fd)
                return layer_file(fd, path, shown, CONFIG_LEVEL_PROVISIONING, &f, ret, sources, diags);
        if (r >= 0) {
                /* The cache is what Ignition ran with, even when the key is read from where it fetched it;
                 * without a key anywhere (and no URL Ignition fetched one from that is not read again),
                 * it has no seprov settings. */
                q = source_add(sources, IGNITION_CONFIG_SHOWN, CONFIG_LEVEL_PROVISIONING,
                               r > 0 || (load->args && load->args->ignition_config_url) ? SOURCE_USED : SOURCE_EMPTY,
                               f);
                if (q < 0)
                        return q;
        }
        if (r > 0)
                return layer_file(fd, path, shown, CONFIG_LEVEL_PROVISIONING, &f, ret, sources, diags);
        if (r == 0 && load->host_fd >= 0 && load->args && load->args->ignition_config_url) {
                q = diag_warning(
                        diags, IGNITION_CONFIG_SHOWN, /* line= */ 0, /* column= */ 0,
                        "Ignition fetched its config from ignition.config.url and keeps no \"seprov\" key in "
                        "its cache; if it had one, write seprov's config with storage.files into " CONFIG_DIR_ADMIN
                        " instead");
                if (q < 0)
                        return q;
        }
        if (chase_and_stat(load->root_fd, IGNITION_RECORD, /* flags= */ 0, &st, /* ret_path= */ NULL) < 0)
                return 0;
        f = CONFIG_FORMAT_JSON;
        return layer_file(load->root_fd, IGNITION_RECORD, IGNITION_RECORD, CONFIG_LEVEL_PROVISIONING, &f, ret, sources,
                          diags);
}

/* Cloud-config user data that is a cloud-config. */
static int layer_cloud_config(const ConfigLoad *load, Config *ret, ConfigSources *sources, Diags *diags) {
        int r;

        for (size_t i = 0; i < ELEMENTSOF(cloud_config_files); i++) {
                _cleanup_close_ int fd = chase_and_open(load->root_fd, cloud_config_files[i], /* flags= */ 0,
                                                        O_RDONLY | O_NONBLOCK, /* mode= */ 0, /* ret_path= */ NULL);
                char head[14] = {};
                ConfigFormat f = CONFIG_FORMAT_CLOUD_CONFIG;

                if (fd < 0 || read(fd, head, sizeof head - 1) < 0 || !startswith(head, "#cloud-config"))
                        continue;
                r = layer_file(load->root_fd, cloud_config_files[i], cloud_config_files[i], CONFIG_LEVEL_PROVISIONING,
                               &f, ret, sources, diags);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int layer_cmdline_file(const ConfigLoad *load, Config *ret, ConfigSources *sources, Diags *diags) {
        ConfigFormat f = _CONFIG_FORMAT_INVALID;

        if (!load->args || !load->args->config)
                return 0;
        return layer_file(load->root_fd, load->args->config, load->args->config, CONFIG_LEVEL_CMDLINE_FILE, &f, ret,
                          sources, diags);
}

int config_load(const ConfigLoad *load, Config *ret, ConfigSources *sources, Diags *diags) {
        size_t errors;
        int r;

        assert(load);
        assert(ret);
        assert(diags);

        errors = diags->n_errors;
        config_init(ret);
        r = layer_dropins(load, ret, sources, diags);
        if (r >= 0)
                r = layer_ignition(load, ret, sources, diags);
        if (r >= 0)
                r = layer_cloud_config(load, ret, sources, diags);
        if (r >= 0)
                r = layer_cmdline_file(load, ret, sources, diags);
        if (r >= 0 && load->args)
                r = config_merge_kernel_args(ret, load->args);
        if (r >= 0 && diags->n_errors > errors)
                r = -EINVAL;
        if (r < 0)
                config_done(ret);
        return r;
}

int config_load_file(const char *path, Config *ret, ConfigFormat *ret_format, Diags *diags) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        _cleanup_(config_done) Config key = {};
        ConfigFormat format = _CONFIG_FORMAT_INVALID;
        bool in = streq(path, "-");
        const char *shown = in ? CONFIG_STDIN_SHOWN : path;
        size_t len;
        int r, q;

        assert(path);
        assert(ret);
        assert(diags);

        config_init(ret);
        /* A pipe or a terminal reads as a file does; only the name to show differs. */
        fd = in ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3) : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return negative_errno();
        r = read_full_fd(fd, PROVISIONING_FILE_MAX, &text, &len);
        if (r < 0)
                return r;
        r = config_parse_text(text, len, shown, config_parse_detect_format(shown, text), &key, &format, diags);
        if (r >= 0 && format != CONFIG_FORMAT_IGNITION && format != CONFIG_FORMAT_CLOUD_CONFIG &&
            len > CONFIG_FILE_MAX) {
                /* What apply would say of it as a drop-in. */
                r = diag_error(diags, shown, /* line= */ 0, /* column= */ 0, "cannot read: larger than 1 MiB");
                return r < 0 ? r : -EINVAL;
        }
        /* An Ignition config: the drop-ins it writes, then its own "seprov" key over them. What is
         * valid of an invalid one is kept too, for the checks that come after the schema's. */
        if (format == CONFIG_FORMAT_IGNITION) {
                q = config_ignition_dropins_check(text, len, shown, ret, diags);
                if (q == -ENOMEM || r >= 0)
                        r = q;
        }
        if (r >= 0 || r == -EINVAL) {
                q = config_merge(ret, &key);
                if (q < 0)
                        r = q;
        }
        if (r >= 0 && ret_format)
                *ret_format = format;
        if (r < 0 && r != -EINVAL)
                config_done(ret);
        return r;
}
