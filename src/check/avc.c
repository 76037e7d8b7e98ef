/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One SELinux audit record (AVC, USER_AVC, SELINUX_ERR), parsed from its text.
 *
 * The shapes, as the kernel and libaudit write them (journald's MESSAGE= has the type name in front):
 *   AVC          avc:  denied  { write } for  pid=4361 comm="cp" name="bin" dev="sda9" ino=198
 *                scontext=... tcontext=... tclass=dir permissive=0
 *   USER_AVC     pid=1 uid=0 auid=4294967295 ses=4294967295 subj=... msg='avc:  denied  { start } for
 *                auid=n/a uid=0 gid=0 path="/..." scontext=... tcontext=... tclass=service permissive=0
 *                exe="/usr/lib/systemd/systemd" sauid=0 hostname=? addr=? terminal=?'
 *   SELINUX_ERR  op=security_compute_sid invalid_context="..." scontext=... tcontext=... tclass=process
 *                op=security_bounded_transition seresult=denied oldcontext=... newcontext=...
 *                security_compute_sid:  invalid context ... for scontext=... (kernels before 4.x) */

#include "audit-fields.h"
#include "avc.h"
#include "string-table.h"
#include "strutil.h"

static const char *const kind_names[_AVC_KIND_MAX] = {
        [AVC_KIND_AVC] = "AVC",
        [AVC_KIND_USER_AVC] = "USER_AVC",
        [AVC_KIND_SELINUX_ERR] = "SELINUX_ERR",
};

/* avc_kind_from_string() gives -EINVAL, that is _AVC_KIND_INVALID, for another name. */
DEFINE_STRING_TABLE(avc_kind, AvcKind, kind_names, _AVC_KIND_MAX);

AvcKind avc_kind_from_audit_type(int type) {
        switch (type) {
        case AUDIT_TYPE_AVC:
                return AVC_KIND_AVC;
        case AUDIT_TYPE_USER_AVC:
                return AVC_KIND_USER_AVC;
        case AUDIT_TYPE_SELINUX_ERR:
                return AVC_KIND_SELINUX_ERR;
        default:
                return _AVC_KIND_INVALID;
        }
}

void avc_record_done(AvcRecord *r) {
        assert(r);

        r->perms = strv_free(r->perms);
        r->scontext = mfree(r->scontext);
        r->tcontext = mfree(r->tcontext);
        r->stype = mfree(r->stype);
        r->ttype = mfree(r->ttype);
        r->tclass = mfree(r->tclass);
        r->comm = mfree(r->comm);
        r->path = mfree(r->path);
        r->name = mfree(r->name);
        r->ino = mfree(r->ino);
        r->detail = mfree(r->detail);
}

const char *avc_record_path(const AvcRecord *r) {
        assert(r);

        return r->path ?: r->name;
}

char *avc_context_type(const char *context) {
        const char *a, *b, *c;

        assert(context);

        a = strchr(context, ':');
        b = a ? strchr(a + 1, ':') : NULL;
        if (!b)
                return strdup(context);
        c = strchrnul(b + 1, ':');
        return strndup(b + 1, (size_t) (c - b - 1));
}

static const char *skip_blanks(const char *s) {
        return s + strspn(s, " \t");
}

/* A field to keep: its key, whether it carries an untrusted (maybe hex-encoded) string, and where its
 * decoded value goes. A repeated field keeps its first value. */
typedef struct FieldSpec {
        const char *key;
        bool hex;
        char **value;
} FieldSpec;

/* Keeps the fields of 's' that 'specs' name; permissive=0/1 goes to *permissive when it is given.
 * Returns 0 or -ENOMEM. */
static int parse_fields(const char *s, const FieldSpec *specs, size_t n, int *permissive) {
        AuditField f;

        while (audit_field_next(&s, &f) > 0) {
                if (permissive && audit_field_is(&f, "permissive")) {
                        if (f.value_len == 1 && (f.value[0] == '0' || f.value[0] == '1'))
                                *permissive = f.value[0] - '0';
                        continue;
                }
                for (size_t i = 0; i < n; i++) {
                        if (!audit_field_is(&f, specs[i].key))
                                continue;
                        if (!*specs[i].value && !(*specs[i].value = audit_field_decode(&f, specs[i].hex)))
                                return -ENOMEM;
                        break;
                }
        }
        return 0;
}

/* "{ read write }": the permissions, sorted and without duplicates. */
static int parse_perms(const char **p, char ***ret) {
        _cleanup_strv_free_ char **perms = NULL;
        const char *s = skip_blanks(*p);
        size_t n = 0;

        if (*s != '{')
                return -EINVAL;
        for (s++;;) {
                size_t l;
                s = skip_blanks(s);
                if (*s == '}')
                        break;
                l = strcspn(s, " \t}");
                if (l == 0)
                        return -EINVAL; /* the text ended inside the braces */
                if (strv_consume(&perms, strndup(s, l)) < 0)
                        return -ENOMEM;
                s += l;
        }
        if (!perms)
                return -EINVAL;
        strv_sort(perms);
        for (size_t i = 0; perms[i]; i++) /* drop duplicates */
                if (n == 0 || !streq(perms[n - 1], perms[i]))
                        perms[n++] = perms[i];
                else
                        free(perms[i]);
        perms[n] = NULL;
        *p = s + 1;
        *ret = TAKE_PTR(perms);
        return 0;
}

/* The fields after "for". 'exe' gets USER_AVC's exe=, for want of a comm. */
static int parse_avc_fields(const char *s, AvcRecord *r, char **exe) {
        const FieldSpec specs[] = {
                { "scontext", false, &r->scontext }, { "tcontext", false, &r->tcontext },
                { "tclass", false, &r->tclass },     { "comm", true, &r->comm },
                { "path", true, &r->path },          { "name", true, &r->name },
                { "ino", false, &r->ino },           { "exe", true, exe },
        };

        return parse_fields(s, specs, ELEMENTSOF(specs), &r->permissive);
}

/* Where libselinux's own fields start in a USER_AVC's text: the last " scontext=". The object
 * manager's text comes before them and may carry the caller's (systemd logs cmdline="..." as it is,
 * quotes included), so a "scontext=" there is not to be trusted; after them come only libselinux's
 * tcontext=, tclass=, permissive= and libaudit's exe= (hex when odd), sauid=, hostname=, addr=,
 * terminal=. Returns NULL when there is none. */
static const char *user_avc_trusted(const char *s) {
        const char *found = NULL;

        for (const char *p = s; (p = strstr(p, "scontext=")); p++)
                if (p > s && (p[-1] == ' ' || p[-1] == '\t'))
                        found = p;
        return found;
}

/* USER_AVC: the contexts, class, verdict and program from libselinux's and libaudit's trailing
 * fields only; from the object manager's text before them, its path, up to the first field that
 * carries the caller's text. */
static int parse_user_avc_fields(const char *s, AvcRecord *r, char **exe) {
        const FieldSpec trusted[] = {
                { "scontext", false, &r->scontext },
                { "tcontext", false, &r->tcontext },
                { "tclass", false, &r->tclass },
                { "exe", true, exe },
        };
        const FieldSpec own[] = { { "path", true, &r->path } };
        const char *tail = user_avc_trusted(s), *caller;
        _cleanup_free_ char *head = NULL;

        if (!tail)
                return 0;
        caller = strstr(s, "cmdline=");
        head = strndup(s, (size_t) ((caller && caller < tail ? caller : tail) - s));
        if (!head)
                return -ENOMEM;
        if (parse_fields(head, own, ELEMENTSOF(own), /* permissive= */ NULL) < 0)
                return -ENOMEM;
        return parse_fields(tail, trusted, ELEMENTSOF(trusted), &r->permissive);
}

/* "avc:  denied  { perms } for  fields..." */
static int parse_avc_text(const char *s, bool user, AvcRecord *r) {
        _cleanup_free_ char *exe = NULL;
        int k;

        s = startswith(skip_blanks(s), "avc:");
        if (!s)
                return -EINVAL;
        s = skip_blanks(s);
        if (!startswith(s, "denied")) {
                size_t n = strcspn(s, " \t");
                /* Cut off in or before "denied": a denial that cannot be read, not a notice. */
                if (n == 0 || (n < strlen("denied") && strneq(s, "denied", n)))
                        return -EINVAL;
                return startswith(s, "granted") || !strchr(s, '{') ? 0 : -EINVAL; /* notices have no { } */
        }
        s += strlen("denied");
        k = parse_perms(&s, &r->perms);
        if (k < 0)
                return k;
        k = user ? parse_user_avc_fields(s, r, &exe) : parse_avc_fields(s, r, &exe);
        if (k < 0)
                return k;
        if (!r->scontext || !r->tcontext || !r->tclass)
                return -EINVAL;
        if (!r->comm && exe) { /* USER_AVC: the object manager that decided, by its program's name */
                const char *slash = strrchr(exe, '/');
                r->comm = strdup(slash ? slash + 1 : exe);
                if (!r->comm)
                        return -ENOMEM;
        }
        return 1;
}

/* USER_AVC: the object manager's text is in msg='...'; the fields around it describe the sender. */
static int parse_user_avc_text(const char *text, AvcRecord *r) {
        _cleanup_free_ char *msg = NULL;
        const FieldSpec specs[] = { { "msg", false, &msg } };

        if (parse_fields(text, specs, ELEMENTSOF(specs), /* permissive= */ NULL) < 0)
                return -ENOMEM;
        return parse_avc_text(msg ?: text, /* user= */ true, r);
}

typedef struct SelinuxErrFields {
        char *op, *invalid_context, *seresult, *oldcontext, *newcontext, *taskcontext;
} SelinuxErrFields;

static void selinux_err_fields_done(SelinuxErrFields *e) {
        free(e->op);
        free(e->invalid_context);
        free(e->seresult);
        free(e->oldcontext);
        free(e->newcontext);
        free(e->taskcontext);
}

static int parse_selinux_err_fields(const char *s, AvcRecord *r, SelinuxErrFields *e) {
        const FieldSpec specs[] = {
                { "op", false, &e->op },
                { "invalid_context", true, &e->invalid_context },
                { "seresult", false, &e->seresult },
                { "oldcontext", false, &e->oldcontext },
                { "newcontext", false, &e->newcontext },
                { "taskcontext", false, &e->taskcontext },
                { "scontext", false, &r->scontext },
                { "tcontext", false, &r->tcontext },
                { "tclass", false, &r->tclass },
                { "comm", true, &r->comm },
        };

        return parse_fields(s, specs, ELEMENTSOF(specs), /* permissive= */ NULL);
}

/* The words before " for " of the old free-text form, blanks collapsed. */
static char *selinux_err_old_detail(const char *s) {
        const char *end = strstr(s, " for ");
        size_t n = end ? (size_t) (end - s) : strlen(s);
        _cleanup_free_ char *d = strndup(s, n);
        char *out = d;

        if (!d)
                return NULL;
        for (const char *i = d; *i; i++)
                if (*i != ' ' || (out > d && out[-1] != ' '))
                        *out++ = *i;
        while (out > d && out[-1] == ' ')
                out--;
        *out = '\0';
        return TAKE_PTR(d);
}

static char *selinux_err_detail(const char *text, const SelinuxErrFields *e) {
        if (!e->op)
                return selinux_err_old_detail(skip_blanks(text));
        if (e->invalid_context)
                return strprintf("%s: invalid context %s", e->op, e->invalid_context);
        if (e->oldcontext && e->newcontext)
                return strprintf("%s %s: %s -> %s", e->op, e->seresult ?: "failed", e->oldcontext, e->newcontext);
        return strdup(e->op);
}

static int parse_selinux_err_text(const char *text, AvcRecord *r) {
        _cleanup_(selinux_err_fields_done) SelinuxErrFields e = {};
        const char *st, *tt;
        int k;

        if (isempty(skip_blanks(text)))
                return -EINVAL;
        k = parse_selinux_err_fields(text, r, &e);
        if (k < 0)
                return k;
        r->detail = selinux_err_detail(text, &e);
        if (!r->detail)
                return -ENOMEM;
        /* Transitions name the process and the object by other names; they group the same way. */
        st = r->scontext ?: e.taskcontext ?: e.oldcontext;
        tt = r->tcontext ?: e.newcontext;
        if ((st && !(r->stype = avc_context_type(st))) || (tt && !(r->ttype = avc_context_type(tt))))
                return -ENOMEM;
        return 1;
}

int avc_record_parse(AvcKind k, const char *text, AvcRecord *ret) {
        _cleanup_(avc_record_done) AvcRecord r = { .kind = k, .permissive = -1 };
        int q;

        assert(text);
        assert(ret);

        switch (k) {
        case AVC_KIND_AVC:
                q = parse_avc_text(text, /* user= */ false, &r);
                break;
        case AVC_KIND_USER_AVC:
                q = parse_user_avc_text(text, &r);
                break;
        case AVC_KIND_SELINUX_ERR:
                q = parse_selinux_err_text(text, &r);
                break;
        default:
                return -EINVAL;
        }
        if (q <= 0)
                return q;
        if (k != AVC_KIND_SELINUX_ERR &&
            (!(r.stype = avc_context_type(r.scontext)) || !(r.ttype = avc_context_type(r.tcontext))))
                return -ENOMEM;
        *ret = r;
        r = (AvcRecord){};
        return 1;
}

int audit_event_paths_add(AuditEventPaths *e, int type, const char *text) {
        _cleanup_free_ char *name = NULL, *inode = NULL, *cwd = NULL;
        const FieldSpec specs[] = { { "name", true, &name }, { "inode", false, &inode }, { "cwd", true, &cwd } };

        assert(e);
        assert(text);

        if (parse_fields(text, specs, ELEMENTSOF(specs), /* permissive= */ NULL) < 0)
                return -ENOMEM;
        if (type == AUDIT_TYPE_CWD) {
                if (cwd && !e->cwd)
                        e->cwd = TAKE_PTR(cwd);
                return 0;
        }
        if (type != AUDIT_TYPE_PATH || !name)
                return 0;
        if (strv_consume(&e->names, TAKE_PTR(name)) < 0)
                return -ENOMEM;
        return strv_consume(&e->inodes, inode ? TAKE_PTR(inode) : strdup(""));
}

/* Whether the last component of 'path' (trailing slashes aside) is 'name'. */
static bool last_component_is(const char *path, const char *name) {
        size_t l = strlen(path), n = strlen(name);

        while (l > 1 && path[l - 1] == '/')
                l--;
        return l >= n && memcmp(path + l - n, name, n) == 0 && (l == n || path[l - n - 1] == '/');
}

static char *path_of(const char *name, const char *cwd) {
        size_t l = strlen(name);

        while (l > 1 && name[l - 1] == '/')
                l--;
        if (name[0] == '/')
                return strndup(name, l);
        if (!cwd || cwd[0] != '/')
                return NULL;
        return strprintf("%s%s%.*s", cwd, endswith(cwd, "/") ? "" : "/", (int) l, name);
}

int avc_record_resolve_path(AvcRecord *r, const AuditEventPaths *e) {
        size_t n;
        ssize_t found = -1;
        char *p;

        assert(r);
        assert(e);

        n = strv_length(e->names);
        if (r->path || !r->name)
                return 0;
        for (size_t i = 0; r->ino && found < 0 && i < n; i++)
                if (streq(e->inodes[i], r->ino))
                        found = (ssize_t) i;
        for (size_t i = 0; found < 0 && i < n; i++)
                if (last_component_is(e->names[i], r->name))
                        found = (ssize_t) i;
        if (found < 0 || streq(e->names[found], "(null)"))
                return 0;
        p = path_of(e->names[found], e->cwd);
        if (!p)
                return e->names[found][0] == '/' || (e->cwd && e->cwd[0] == '/') ? -ENOMEM : 0;
        r->path = p;
        return 1;
}

void audit_event_paths_done(AuditEventPaths *e) {
        assert(e);

        free(e->cwd);
        e->cwd = NULL;
        e->names = strv_free(e->names);
        e->inodes = strv_free(e->inodes);
}
