/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Plans the audit rules action over /etc/audit/rules.d, and reports the state of those rules. */

#include "audit-files.h"
#include "audit-rewrite.h"
#include "audit-rules.h"
#include "fileio.h"
#include "fnv1a.h"
#include "layout.h"
#include "log.h"
#include "strutil.h"

/* What seprov makes of one file. */
typedef struct Work {
        AuditFile *f;
        char *base; /* the image's rules: the file restored, or the link target's new content */
        size_t base_size;
        unsigned n_restored; /* blocks put back */
        char *image;         /* has_header: the link target's content now, when readable */
        size_t image_size;
        uint64_t hash; /* has_header: the hash to write */
} Work;

static void work_done(Work *w) {
        free(w->base);
        free(w->image);
}

static bool bytes_equal(const char *a, size_t la, const char *b, size_t lb) {
        return la == lb && (la == 0 || memcmp(a, b, la) == 0);
}

static int read_image(int root_fd, const AuditDir *d, Work *w) {
        const char *t = w->f->header_target;
        _cleanup_free_ char *p = t[0] == '/' ? strdup(t) : path_join(d->resolved, t);
        int r;

        if (!p)
                return -ENOMEM;
        r = read_full_file_at(root_fd, p, AUDIT_FILE_MAX, &w->image, &w->image_size, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                log_debug_errno(r, "Cannot read %s, the image's file for %s, ignoring: %m", p, w->f->path);
        return 0;
}

/* The image's rules for a file: restored from seprov's marks; for a copy of a link whose image file
 * changed while the copy did not, the image's new content. */
static int work_base(int root_fd, const AuditDir *d, Work *w) {
        const AuditFile *f = w->f;
        size_t skip = f->has_header ? f->header_len : 0;
        uint64_t h;
        int r;

        r = audit_restore_text(f->data + skip, f->size - skip, &w->base, &w->base_size, &w->n_restored);
        if (r < 0 || !f->has_header)
                return r;
        r = read_image(root_fd, d, w);
        if (r < 0)
                return r;
        h = fnv1a64(FNV1A64_OFFSET, w->base, w->base_size);
        w->hash = f->header_hash;
        if (h != f->header_hash || !w->image)
                return 0; /* edited by someone: theirs now */
        if (!bytes_equal(w->image, w->image_size, w->base, w->base_size)) {
                log_debug("%s: the image's file changed, taking its new content.", f->path);
                free(w->base);
                r = audit_restore_text(w->image, w->image_size, &w->base, &w->base_size, /* ret_blocks= */ NULL);
                if (r < 0)
                        return r;
        }
        w->hash = fnv1a64(FNV1A64_OFFSET, w->base, w->base_size);
        return 0;
}

static int count_marks(const char *data, size_t size, unsigned *ret) {
        _cleanup_free_ char *x = NULL;
        size_t n;

        return audit_restore_text(data, size, &x, &n, ret);
}

/* 'head' then 'size' bytes of 'data' (which may hold NUL bytes), NUL-terminated. */
static char *concat(const char *head, const char *data, size_t size) {
        size_t l = strlen(head);
        char *r = malloc(l + size + 1);

        if (!r)
                return NULL;
        memcpy(r, head, l);
        if (size > 0)
                memcpy(r + l, data, size);
        r[l + size] = '\0';
        return r;
}

static int plan_add(AuditPlan *p, AuditChangeKind kind, const AuditFile *f, const char *path, char *data, size_t size,
                    const char *link_target, unsigned n_rules, char *why) {
        AuditFileChange c = {
                .kind = kind,
                .name = strdup(f->name),
                .path = strdup(path),
                .data = data,
                .size = size,
                .link_target = link_target ? strdup(link_target) : NULL,
                .mode = f->st.st_mode & 07777,
                .uid = f->st.st_uid,
                .gid = f->st.st_gid,
                .label = f->label ? strdup(f->label) : NULL,
                .n_rules = n_rules,
                .why = why,
        };
        AuditFileChange *n = reallocarray(p->changes, p->n_changes + 1, sizeof(AuditFileChange));

        if (n)
                p->changes = n;
        if (!n || !c.name || !c.path || !why || (link_target && !c.link_target) || (f->label && !c.label)) {
                free(c.name);
                free(c.path);
                free(c.data);
                free(c.link_target);
                free(c.label);
                free(c.why);
                return -ENOMEM;
        }
        p->changes[p->n_changes++] = c;
        return 0;
}

static char *why_rules(const AuditPlan *p, unsigned n) {
        if (p->selinux_events)
                return strprintf("%u rule%s marked so that SELinux records (1107, 1400-1499) pass", n,
                                 n == 1 ? "" : "s");
        return strprintf("%u rule%s put back as the image has %s", n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}

static int refuse_usr(const AuditFile *f, const char *path) {
        return log_error_errno(EROFS, "Cannot write %s: it resolves to %s, in read-only /usr.", f->path, path);
}

/* A copy of a link: the link again when the image's file holds exactly what is wanted; else the copy,
 * with its header, kept or rewritten. */
static int decide_copy(AuditPlan *p, const Work *w, char *want, size_t size, unsigned n) {
        const AuditFile *f = w->f;
        _cleanup_free_ char *h = NULL, *data = NULL;

        if (w->image && bytes_equal(w->image, w->image_size, want, size))
                return plan_add(p, AUDIT_CHANGE_RELINK, f, f->path, /* data= */ NULL, /* size= */ 0, f->header_target,
                                n, strprintf("back to the link to %s, as the image has it", f->header_target));
        if (!p->selinux_events &&
            diag_warning(&p->warnings, f->path, /* line= */ 0, /* column= */ 0,
                         "differs from the image's %s (edited?), so it stays a regular file", f->header_target) < 0)
                return -ENOMEM;
        h = audit_files_link_header(w->hash, f->header_target);
        data = h ? concat(h, want, size) : NULL;
        if (!data)
                return -ENOMEM;
        if (bytes_equal(data, strlen(h) + size, f->data, f->size))
                return 0;
        if (layout_path_in_image(f->resolved))
                return refuse_usr(f, f->resolved);
        return plan_add(p, AUDIT_CHANGE_WRITE, f, f->resolved, TAKE_PTR(data), strlen(h) + size,
                        /* link_target= */ NULL, n, why_rules(p, n));
}

/* A link into /usr, whose target seprov cannot write: a regular file takes its place. */
static int decide_link(AuditPlan *p, const AuditDir *d, const Work *w, const char *want, size_t size, unsigned n) {
        const AuditFile *f = w->f;
        _cleanup_free_ char *h =
                audit_files_link_header(fnv1a64(FNV1A64_OFFSET, w->base, w->base_size), f->link_target);
        _cleanup_free_ char *entry = path_join(d->resolved, f->name), *why = why_rules(p, n);
        char *data;

        if (!h || !entry || !why)
                return -ENOMEM;
        if (layout_path_in_image(entry))
                return refuse_usr(f, entry);
        data = concat(h, want, size);
        if (!data)
                return -ENOMEM;
        return plan_add(p, AUDIT_CHANGE_REPLACE_LINK, f, entry, data, strlen(h) + size, f->link_target, n,
                        strprintf("%s; the link to %s in read-only /usr becomes a regular file", why, f->link_target));
}

static int decide_file(AuditPlan *p, const AuditDir *d, const Work *w, char *want, size_t size) {
        const AuditFile *f = w->f;
        unsigned n = w->n_restored;
        char *data;
        int r;

        if (p->selinux_events) {
                r = count_marks(want, size, &n);
                if (r < 0)
                        return r;
        }
        p->n_rules += n;
        if (f->has_header)
                return decide_copy(p, w, want, size, n);
        if (bytes_equal(want, size, f->data, f->size))
                return 0;
        if (f->is_link && layout_path_in_image(f->resolved))
                return decide_link(p, d, w, want, size, n);
        if (layout_path_in_image(f->resolved))
                return refuse_usr(f, f->resolved);
        data = concat("", want, size);
        if (!data)
                return -ENOMEM;
        return plan_add(p, AUDIT_CHANGE_WRITE, f, f->resolved, data, size, /* link_target= */ NULL, n,
                        why_rules(p, n));
}

static int plan_files(int root_fd, const AuditDir *d, Work *w, AuditPlan *p) {
        AuditText *in = calloc(d->n + 1, sizeof(AuditText)), *out = NULL;
        int r = in ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < d->n; i++) {
                w[i].f = &d->files[i];
                r = work_base(root_fd, d, &w[i]);
                in[i] = (AuditText){ .name = d->files[i].path, .data = w[i].base, .size = w[i].base_size };
        }
        if (r >= 0 && p->selinux_events)
                r = audit_rewrite_texts(in, d->n, &out, /* ret_rewritten= */ NULL, &p->warnings);
        for (size_t i = 0; r >= 0 && i < d->n; i++)
                r = out ? decide_file(p, d, &w[i], out[i].data, out[i].size)
                        : decide_file(p, d, &w[i], w[i].base, w[i].base_size);
        audit_texts_free(out, d->n);
        free(in);
        return r;
}

int audit_rules_plan(int root_fd, bool selinux_events, AuditPlan *ret) {
        _cleanup_(audit_plan_done) AuditPlan p = { .selinux_events = selinux_events };
        _cleanup_(audit_dir_done) AuditDir d = { .fd = -EBADF };
        Work *w;
        int r;

        assert(ret);

        r = audit_dir_read(root_fd, &d, &p.warnings);
        if (r == -ENOENT) {
                log_debug("%s does not exist: no audit rules to rewrite.", AUDIT_RULES_DIR);
                p.missing = true;
        } else if (r < 0)
                return r;
        else {
                p.dir = strdup(d.resolved);
                p.n_files = (unsigned) d.n;
                w = calloc(d.n + 1, sizeof(Work));
                r = p.dir && w ? plan_files(root_fd, &d, w, &p) : -ENOMEM;
                for (size_t i = 0; w && i < d.n; i++)
                        work_done(&w[i]);
                free(w);
                if (r == -ENOMEM)
                        return log_oom();
                if (r < 0)
                        return r;
        }
        *ret = p;
        p = (AuditPlan){};
        return 0;
}

void audit_plan_done(AuditPlan *p) {
        assert(p);

        for (size_t i = 0; i < p->n_changes; i++) {
                AuditFileChange *c = &p->changes[i];
                free(c->name);
                free(c->path);
                free(c->data);
                free(c->link_target);
                free(c->label);
                free(c->why);
        }
        free(p->changes);
        free(p->dir);
        diags_clear(&p->warnings);
        *p = (AuditPlan){};
}

static int state_of(const AuditDir *d, AuditState *s) {
        AuditText *in = calloc(d->n + 1, sizeof(AuditText));
        AuditDrop drop;
        int r = in ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < d->n; i++) {
                unsigned n = 0;
                in[i] = (AuditText){ .name = d->files[i].path, .data = d->files[i].data, .size = d->files[i].size };
                r = count_marks(in[i].data, in[i].size, &n);
                s->n_marked += n;
        }
        if (r >= 0)
                r = audit_load_drops(in, d->n, &drop);
        if (r >= 0 && drop.selinux) {
                s->selinux_dropped = true;
                s->dropped_type = drop.type;
                s->dropped_by = strprintf("%s:%u", d->files[drop.file].path, drop.line);
                s->dropped_types = strdup(drop.types);
                r = s->dropped_by && s->dropped_types ? 0 : -ENOMEM;
        }
        if (r >= 0) {
                s->n_rejected = drop.n_rejected;
                s->n_unclear = drop.n_unclear;
        }
        free(in);
        return r;
}

int audit_rules_state(int root_fd, AuditState *ret) {
        _cleanup_(audit_dir_done) AuditDir d = { .fd = -EBADF };
        AuditState s = {};
        Diags ignored = {};
        int r;

        assert(ret);

        r = audit_dir_read(root_fd, &d, &ignored);
        diags_clear(&ignored);
        if (r == -ENOENT)
                s.missing = true;
        else if (r < 0)
                return r;
        else {
                r = state_of(&d, &s);
                if (r < 0) {
                        audit_state_done(&s);
                        return log_oom();
                }
        }
        *ret = s;
        return 0;
}

void audit_state_done(AuditState *s) {
        assert(s);

        free(s->dropped_by);
        free(s->dropped_types);
        *s = (AuditState){};
}
