/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check --fix: what the denials need as seprov config. The booleans go into a drop-in for
 * /etc/seprov/config.d; the missing rules into one CIL module the drop-in installs, above the
 * image's modules. Nothing is written for the causes no config fixes (constraint, unknown-type,
 * unlabeled, role): the report says what to do for those. */

#include <fcntl.h>
#include <json-c/json.h>
#include <sys/stat.h>

#include "check-advice.h"
#include "check-fix.h"
#include "chase.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "json-util.h"
#include "layout.h"
#include "log.h"
#include "strutil.h"

#define CHECK_FIX_MODULE_PREFIX "seprov_check_"

void check_fix_done(CheckFix *f) {
        assert(f);

        f->booleans = strv_free(f->booleans);
        f->module = mfree(f->module);
        f->module_src = mfree(f->module_src);
}

/* Whether 'bools' already holds name=value of one of the group's booleans. */
static bool booleans_cover(char **bools, const KPolicyAccess *a) {
        for (size_t i = 0; i < a->n_booleans; i++) {
                _cleanup_free_ char *s =
                        strprintf("%s=%s", a->booleans[i].name, a->booleans[i].value ? "true" : "false");
                if (s && strv_contains(bools, s))
                        return true;
        }
        return false;
}

static int booleans_plan(const DenialSet *set, CheckFix *f) {
        for (size_t i = 0; i < set->n; i++) {
                const KPolicyAccess *a = &set->groups[i]->access;
                const KPolicyBoolean *b;
                _cleanup_free_ char *other = NULL;

                if (set->groups[i]->cause != CHECK_CAUSE_BOOLEAN || a->n_booleans == 0 ||
                    booleans_cover(f->booleans, a))
                        continue;
                b = &a->booleans[0];
                other = strprintf("%s=%s", b->name, b->value ? "false" : "true");
                if (!other)
                        return -ENOMEM;
                if (strv_contains(f->booleans, other)) { /* another group needs it the other way */
                        log_warning("Boolean %s: one group of denials needs it %s, another %s; the fix keeps %s.",
                                    b->name, b->value ? "true" : "false", b->value ? "false" : "true", other);
                        continue;
                }
                if (strv_consume(&f->booleans, strprintf("%s=%s", b->name, b->value ? "true" : "false")) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* "seprov_check_dhcpc_t_httpd_t": the rule groups' source types, sorted, each once. */
static int module_plan(const DenialSet *set, CheckFix *f) {
        _cleanup_strv_free_ char **types = NULL;
        _cleanup_free_ char *name = NULL;

        for (size_t i = 0; i < set->n; i++) {
                const DenialGroup *g = set->groups[i];
                if (g->cause != CHECK_CAUSE_RULE || !g->first.stype)
                        continue;
                f->n_rules++;
                if (!strv_contains(types, g->first.stype) && strv_extend(&types, g->first.stype) < 0)
                        return -ENOMEM;
        }
        if (!types)
                return 0;
        strv_sort(types);
        name = strdup(CHECK_FIX_MODULE_PREFIX);
        STRV_FOREACH (t, types)
                if (!name || strextend(&name, "%s%s", t == types ? "" : "_", *t) < 0)
                        return -ENOMEM;
        if (strlen(name) > 200) /* seprov's names have 255 bytes at most; libsemanage's paths less */
                name[200] = '\0';
        f->module_src = strprintf("%s/%s.cil", CHECK_FIX_MODULES, name);
        if (!f->module_src)
                return -ENOMEM;
        f->module = TAKE_PTR(name);
        return 0;
}

typedef struct PriorityScan {
        unsigned max;
        unsigned priority; /* of the directory being looked at */
} PriorityScan;

static int module_entry(int dir_fd, const char *name, void *userdata) {
        PriorityScan *s = userdata;

        if (!startswith(name, CHECK_FIX_MODULE_PREFIX))
                s->max = MAX(s->max, s->priority);
        return 0;
}

static int priority_entry(int dir_fd, const char *name, void *userdata) {
        PriorityScan *s = userdata;
        char *end;
        unsigned long v;
        int fd;

        errno = 0;
        v = strtoul(name, &end, 10);
        if (errno != 0 || *end != '\0' || v == 0 || v > 999)
                return 0;
        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return 0;
        s->priority = (unsigned) v;
        return dir_for_each(fd, module_entry, s) == -ENOMEM ? -ENOMEM : 0;
}

/* The highest priority of a module in the root's store that is not check's own; 0 when none. */
static unsigned store_priority_max(const char *root) {
        _cleanup_(layout_done) Layout layout = {};
        _cleanup_free_ char *modules = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        PriorityScan s = {};
        int fd;

        root_fd = open(root ?: "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0 || layout_discover(root_fd, &layout) < 0 || !layout.store.resolved)
                return 0;
        modules = path_join(layout.store.resolved, "active/modules");
        if (!modules)
                return 0;
        fd = chase_and_open_dir(root_fd, modules);
        if (fd < 0)
                return 0;
        (void) dir_for_each(fd, priority_entry, &s);
        return s.max;
}

int check_fix_plan(const DenialSet *set, const char *root, CheckFix *ret) {
        _cleanup_(check_fix_done) CheckFix f = {};
        int r;

        assert(set);
        assert(ret);

        r = booleans_plan(set, &f);
        if (r >= 0)
                r = module_plan(set, &f);
        if (r < 0)
                return r;
        for (size_t i = 0; i < set->n; i++)
                f.n_left += set->groups[i]->cause != CHECK_CAUSE_RULE &&
                            set->groups[i]->cause != CHECK_CAUSE_BOOLEAN &&
                            set->groups[i]->cause != CHECK_CAUSE_ALLOWED;
        if (f.module)
                f.priority = MIN(999u, MAX((unsigned) CHECK_FIX_PRIORITY, store_priority_max(root) + 1));
        *ret = f;
        f = (CheckFix){};
        return 0;
}

/* The drop-in's JSON text. */
static char *dropin_text(const CheckFix *f) {
        _cleanup_(json_object_putp) json_object *o = json_object_new_object();
        json_object *selinux = json_object_new_object(), *bools = json_object_new_array(), *mods = NULL;
        char *text;

        if (!o || !selinux || !bools) {
                json_object_put(selinux);
                json_object_put(bools);
                return NULL;
        }
        json_object_object_add(o, "version", json_object_new_string("1.0.0"));
        json_object_object_add(o, "selinux", selinux);
        json_object_object_add(selinux, "booleans", bools);
        STRV_FOREACH (b, f->booleans) {
                const char *eq = strchr(*b, '=');
                json_object *e = json_object_new_object();
                if (!e)
                        return NULL;
                json_object_object_add(e, "name", json_object_new_string_len(*b, (int) (eq - *b)));
                json_object_object_add(e, "value", json_object_new_boolean(streq(eq + 1, "true")));
                json_object_array_add(bools, e);
        }
        if (f->module) {
                json_object *m = json_object_new_object();
                mods = json_object_new_array();
                if (!m || !mods) {
                        json_object_put(m);
                        json_object_put(mods);
                        return NULL;
                }
                json_object_object_add(selinux, "modules", mods);
                json_object_object_add(m, "name", json_object_new_string(f->module));
                json_object_object_add(m, "source", json_object_new_string(f->module_src));
                json_object_object_add(m, "priority", json_object_new_int((int) f->priority));
                json_object_array_add(mods, m);
        }
        text = strjoin(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE),
                       "\n");
        return text;
}

/* The module's CIL text: each rule group's rule, each once, sorted. */
static char *module_text(const DenialSet *set) {
        _cleanup_strv_free_ char **rules = NULL;
        char *text =
                strdup(";; Written by seprov check --fix: the allow rules the denials' policy lacked.\n"
                       ";; Review each before deploying: a rule lets every process of its source type do this.\n");

        for (size_t i = 0; text && i < set->n; i++) {
                char *rule = NULL;
                if (set->groups[i]->cause != CHECK_CAUSE_RULE)
                        continue;
                if (check_advice_suggestion(set->groups[i], &rule) < 0)
                        return mfree(text);
                if (rule && strv_contains(rules, rule))
                        free(rule);
                else if (rule && strv_consume(&rules, rule) < 0)
                        return mfree(text);
        }
        strv_sort(rules);
        STRV_FOREACH (r, rules)
                if (text && strextend(&text, "%s\n", *r) < 0)
                        return NULL;
        return text;
}

/* Opens 'path' (relative, inside 'dir_fd'), making each missing directory with mode 0755. */
static int mkdir_p_open(int dir_fd, const char *path) {
        _cleanup_close_ int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);

        if (fd < 0)
                return -errno;
        for (const char *s = path; *s;) {
                size_t n = strcspn(s, "/");
                _cleanup_free_ char *c = strndup(s, n);
                int next;
                if (!c)
                        return -ENOMEM;
                if (n > 0) {
                        if (mkdirat(fd, c, 0755) < 0 && errno != EEXIST)
                                return -errno;
                        next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                        if (next < 0)
                                return -errno;
                        close(fd);
                        fd = next;
                }
                s += n + (s[n] == '/');
        }
        return TAKE_FD(fd);
}

static int fix_file_write(int dir_fd, const char *dir, const char *path, const char *text) {
        _cleanup_free_ char *parent = strndup(path + 1, strrchr(path, '/') - path - 1);
        const WriteOptions opts = { .mode = 0644, .uid = geteuid(), .gid = getegid() };
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (!parent || !text)
                return log_oom();
        fd = mkdir_p_open(dir_fd, parent);
        if (fd < 0)
                return log_error_errno(fd, "Cannot make %s/%s: %m", dir, parent);
        r = write_file_atomic_at(fd, strrchr(path, '/') + 1, text, strlen(text), &opts);
        if (r < 0)
                return log_error_errno(r, "Cannot write %s%s: %m", dir, path);
        return 0;
}

int check_fix_write(const CheckFix *f, const DenialSet *set, const char *dir) {
        _cleanup_free_ char *dropin = NULL, *module = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        int r;

        assert(f);
        assert(set);
        assert(dir);

        if (!f->booleans && !f->module)
                return 0;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Cannot make --fix=%s: %m", dir);
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return log_error_errno(errno, "Cannot open --fix=%s: %m", dir);
        if (f->module) {
                module = module_text(set);
                r = fix_file_write(dir_fd, dir, f->module_src, module);
                if (r < 0)
                        return r;
        }
        dropin = dropin_text(f);
        return fix_file_write(dir_fd, dir, CHECK_FIX_DROPIN, dropin);
}
