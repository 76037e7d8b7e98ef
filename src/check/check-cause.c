/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cause of each group of denials: its first record's access computed with libsepol against the
 * policy the machine loads, and named as an operator fixes it (an allow rule, a boolean, a label, a
 * role, nothing). */

#include <fcntl.h>

#include "check-cause.h"
#include "fileio.h"
#include "layout.h"
#include "log.h"
#include "string-table.h"
#include "strutil.h"

static const char *const cause_names[_CHECK_CAUSE_MAX] = {
        [CHECK_CAUSE_RULE] = "rule",
        [CHECK_CAUSE_BOOLEAN] = "boolean",
        [CHECK_CAUSE_CONSTRAINT] = "constraint",
        [CHECK_CAUSE_ALLOWED] = "allowed",
        [CHECK_CAUSE_UNKNOWN_TYPE] = "unknown-type",
        [CHECK_CAUSE_UNLABELED] = "unlabeled",
        [CHECK_CAUSE_ROLE] = "role",
};

DEFINE_STRING_TABLE_TO_STRING(check_cause, CheckCause, cause_names, _CHECK_CAUSE_MAX);

static int policy_read(int dir_fd, const char *path, const char *shown, KPolicy **ret) {
        _cleanup_free_ char *why = NULL;
        int r;

        r = kpolicy_read_at(dir_fd, path, ret, &why);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Cannot read the policy %s: %s", shown, why ?: "unreadable");
        return 0;
}

static int policy_file_read(const char *file, KPolicy **ret, char **ret_path) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = open(file[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", file[0] == '/' ? "/" : "the current directory");
        r = policy_read(fd, file, file, ret);
        if (r < 0)
                return r;
        *ret_path = strdup(file);
        return *ret_path ? 0 : log_oom();
}

int check_cause_policy_read(const char *root, const char *policy_file, KPolicy **ret, char **ret_path) {
        _cleanup_(layout_done) Layout layout = {};
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        int r;

        assert(ret);
        assert(ret_path);

        if (policy_file)
                return policy_file_read(policy_file, ret, ret_path);
        root_fd = open(root ?: "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", root ?: "/");
        r = layout_discover(root_fd, &layout);
        if (r < 0)
                return log_error_errno(r, "Cannot read the SELinux layout of %s: %m", root ?: "/");
        r = kpolicy_find(root_fd, layout.type, &path);
        if (r == -ENOENT) {
                log_warning("No compiled policy in /etc/selinux/%s/policy/%s%s: the causes are not computed "
                            "(--policy=FILE names one).",
                            layout.type, root ? " under " : "", root ?: "");
                return r;
        }
        if (r < 0)
                return log_error_errno(r, "Cannot look for the compiled policy in /etc/selinux/%s/policy/: %m",
                                       layout.type);
        r = policy_read(root_fd, path, path, ret);
        if (r < 0)
                return r;
        *ret_path = TAKE_PTR(path);
        return 0;
}

/* The MLS part of a context: what follows its third colon, or NULL. */
static const char *context_level(const char *context) {
        const char *s = context;

        for (int i = 0; s && i < 3; i++) {
                s = strchr(s, ':');
                if (s)
                        s++;
        }
        return s;
}

/* The constraint's text and, when source and target levels differ, both levels. */
static int constraint_describe(DenialGroup *g) {
        const char *sl = context_level(g->first.scontext), *tl = context_level(g->first.tcontext);

        if (sl && tl && !streq(sl, tl))
                g->constraint = strprintf("%s; the levels differ: source %s, target %s", g->access.what, sl, tl);
        else
                g->constraint = strdup(g->access.what);
        return g->constraint ? 0 : -ENOMEM;
}

static const CheckCause cause_of_result[] = {
        [KPOLICY_ACCESS_ALLOWED] = CHECK_CAUSE_ALLOWED,
        [KPOLICY_ACCESS_TE] = CHECK_CAUSE_RULE,
        [KPOLICY_ACCESS_BOOLEAN] = CHECK_CAUSE_BOOLEAN,
        [KPOLICY_ACCESS_CONSTRAINT] = CHECK_CAUSE_CONSTRAINT,
        [KPOLICY_ACCESS_ROLE] = CHECK_CAUSE_ROLE,
        [KPOLICY_ACCESS_BOUNDS] = CHECK_CAUSE_CONSTRAINT,
        [KPOLICY_ACCESS_UNKNOWN] = CHECK_CAUSE_UNKNOWN_TYPE,
        [KPOLICY_ACCESS_INVALID] = CHECK_CAUSE_UNKNOWN_TYPE,
};

/* SELINUX_ERR's "invalid context CONTEXT": the context a transition would have made, checked alone. */
static int selinux_err_cause(KPolicy *p, DenialGroup *g) {
        const char *c = g->first.detail ? strstr(g->first.detail, "invalid context ") : NULL;
        _cleanup_free_ char *context = NULL;
        char *const perms[] = { (char *) "transition", NULL };
        int r;

        if (!c) { /* a refused bounded transition: the typebounds, a constraint */
                g->cause = CHECK_CAUSE_CONSTRAINT;
                g->constraint = strdup(g->first.detail ?: "a kernel error");
                return g->constraint ? 0 : -ENOMEM;
        }
        context = strndup(c + strlen("invalid context "), strcspn(c + strlen("invalid context "), " "));
        if (!context)
                return -ENOMEM;
        r = kpolicy_access_explain(p, context, context, "process", perms, &g->access);
        if (r < 0)
                return r;
        switch (g->access.result) {
        case KPOLICY_ACCESS_UNKNOWN:
        case KPOLICY_ACCESS_INVALID:
        case KPOLICY_ACCESS_ROLE:
                g->cause = cause_of_result[g->access.result];
                break;
        default:
                g->cause = CHECK_CAUSE_ALLOWED; /* the context is valid in this policy */
        }
        return 0;
}

static int group_cause(KPolicy *p, DenialGroup *g) {
        const AvcRecord *r = &g->first;
        int k;

        if (r->kind == AVC_KIND_SELINUX_ERR)
                return selinux_err_cause(p, g);
        if (!r->scontext || !r->tcontext || !r->tclass || !r->perms)
                return 0;
        k = kpolicy_access_explain(p, r->scontext, r->tcontext, r->tclass, r->perms, &g->access);
        if (k < 0)
                return k;
        g->cause = cause_of_result[g->access.result];
        /* A target without a valid label is fixed by relabelling, whatever a rule would allow. */
        if (g->cause != CHECK_CAUSE_UNKNOWN_TYPE && r->ttype &&
            (streq(r->ttype, "unlabeled_t") || streq(r->ttype, "file_t")))
                g->cause = CHECK_CAUSE_UNLABELED;
        if (g->cause == CHECK_CAUSE_CONSTRAINT)
                return constraint_describe(g);
        return 0;
}

int check_cause_compute(KPolicy *p, DenialSet *set) {
        int r;

        assert(p);
        assert(set);

        for (size_t i = 0; i < set->n; i++) {
                r = group_cause(p, set->groups[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}
