/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rewrites exclude- and user-list rules so that SELinux record types pass and every other type's fate stays.
 *
 * The kernel's semantics (kernel/auditfilter.c, audit_filter()): for the exclude list, rules are tried
 * in list order; a rule matches when all its fields match (a rule without fields never does), and the
 * first match drops the record whatever the rule's action ("never" included). So the list drops a
 * type exactly when some rule matches it: for a rule R with msgtype set M (and its other fields,
 * held fixed), replacing R by rules with the same other fields and msgtype sets covering M minus the
 * SELinux types keeps everything else. Those sets are M cut by the three intervals around the SELinux
 * types, [0,1106], [1108,1399] and [1500,2^32-1], each written with R's own msgtype fields where they
 * still matter plus the bounds of the interval.
 *
 * Loading (augenrules, auditctl -R) must not change either: a second identical -a fails with EEXIST
 * and auditctl stops there (unless -i or -c came first), and -d deletes an identical rule or fails. So
 * replacement rules identical to a rule loaded before them are left out, a later rule identical to a
 * replacement is marked too (the replacement already does its work), and rules that take part in a
 * duplicate or a -d are left as they are, with a warning.
 *
 * The user list (kernel/audit.c, audit_receive_msg(), runs it on messages from user space, USER_AVC the
 * only SELinux one, before the exclude list) is a first-match list: the first rule whose fields all
 * match decides, "never" drops, "always" keeps, and a field audit_filter() does not evaluate ends the
 * list and keeps the record. So a "never" rule that can match USER_AVC gets "-F msgtype!=1107" at its
 * end: for every other type it matches exactly as before, for USER_AVC it no longer does, and no other
 * rule changes. Every line of the same rule (-a, -A, -d) is rewritten alike, so that what is a
 * duplicate or deleted stays so; a rule that matches USER_AVC alone, with no other line of it (and
 * no -d, which fails then), is left out instead. */

#include "audit-lines.h"
#include "audit-type.h"
#include "strutil.h"

typedef enum Action {
        ACTION_KEEP,
        ACTION_REWRITE,    /* replaced by its pieces (maybe none) */
        ACTION_NEUTRALIZE, /* identical to a piece loaded before it: marked, no replacement */
} Action;

typedef struct Piece {
        AuditLine rule;
        char *text;
        bool omitted; /* identical to a rule loaded before it */
} Piece;

typedef struct LinePlan {
        Action action;
        bool conflict; /* identical to another rule, one of which auditctl refuses */
        Piece *pieces;
        size_t n_pieces;
        size_t same_as; /* NEUTRALIZE: the line whose piece it repeats */
} LinePlan;

typedef struct Rewrite {
        const AuditText *in;
        AuditTextLine *lines;
        size_t n;
        LinePlan *plans;
        Diags *warnings;
} Rewrite;

/* The intervals around the SELinux types, [0,1106], [1108,1399] and [1500,2^32-1], as msgtype bounds. */
static const struct {
        AuditField lower, upper; /* without text: none */
} intervals[] = {
        { {}, { AUDIT_FIELD_MSGTYPE, AUDIT_OP_LT, 1107, (char *) "1107", (char *) "-F msgtype<1107" } },
        { { AUDIT_FIELD_MSGTYPE, AUDIT_OP_GT, 1107, (char *) "1107", (char *) "-F msgtype>1107" },
          { AUDIT_FIELD_MSGTYPE, AUDIT_OP_LT, 1400, (char *) "1400", (char *) "-F msgtype<1400" } },
        { { AUDIT_FIELD_MSGTYPE, AUDIT_OP_GT, 1499, (char *) "1499", (char *) "-F msgtype>1499" }, {} },
};

static bool meets_selinux(const AuditTypeSet *s) {
        return audit_type_set_meets(s, AUDIT_TYPE_USER_AVC, AUDIT_TYPE_USER_AVC) ||
               audit_type_set_meets(s, AUDIT_TYPE_SELINUX_FIRST, AUDIT_TYPE_SELINUX_LAST);
}

static int rule_types(const AuditLine *r, AuditTypeSet *ret) {
        _cleanup_free_ const AuditField **f = calloc(r->n_fields + 1, sizeof(AuditField *));

        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < r->n_fields; i++)
                f[i] = &r->fields[i];
        return audit_type_set_of(f, r->n_fields, ret);
}

/* Why a rule that goes on into the next file is left as it is: a block would end the line. */
static const char joined_why[] =
        "augenrules joins the next file's first line to it (no newline at the end of this file)";

/* "-F msgtype!=1107", added to user-list rules. */
static const AuditField not_user_avc = { AUDIT_FIELD_MSGTYPE, AUDIT_OP_NE, AUDIT_TYPE_USER_AVC, (char *) "1107",
                                         (char *) "-F msgtype!=1107" };

static bool is_subj(const AuditField *f) {
        return f->type >= AUDIT_FIELD_SUBJ_USER && f->type <= AUDIT_FIELD_SUBJ_CLR;
}

static void piece_done(Piece *p) {
        audit_line_done(&p->rule);
        free(p->text);
}

static void plan_done(LinePlan *p) {
        for (size_t i = 0; i < p->n_pieces; i++)
                piece_done(&p->pieces[i]);
        free(p->pieces);
}

static int field_copy(const AuditField *f, AuditField *ret) {
        *ret = *f;
        ret->value_text = strdup(f->value_text);
        ret->text = strdup(f->text);
        if (!ret->value_text || !ret->text) {
                free(ret->value_text);
                free(ret->text);
                return -ENOMEM;
        }
        return 0;
}

/* A replacement rule: the rule's list option, then the kept fields, as written. */
static int piece_build(const AuditLine *r, const AuditField *const *kept, size_t n, Piece *ret) {
        Piece p = { .rule = { .kind = AUDIT_LINE_RULE, .list = r->list, .verb = r->verb, .never = r->never } };
        int k = 0;

        p.rule.list_text = strdup(r->list_text);
        p.text = strdup(r->list_text);
        p.rule.fields = calloc(n + 1, sizeof(AuditField));
        if (!p.rule.list_text || !p.text || !p.rule.fields)
                k = -ENOMEM;
        for (size_t i = 0; k >= 0 && i < n; i++) {
                k = field_copy(kept[i], &p.rule.fields[i]);
                if (k >= 0)
                        p.rule.n_fields++;
                if (k >= 0)
                        k = strextend(&p.text, " %s", kept[i]->text);
        }
        if (k < 0) {
                piece_done(&p);
                return k;
        }
        *ret = p;
        return 0;
}

/* Whether 'keep' (over 'cand') still describes 'target' and keeps the kernel's view of a subj_*
 * field: without a loaded LSM rule such a field counts as a match unless it is the first field. */
static int keep_ok(const AuditField *const *cand, const bool *keep, size_t n, const AuditTypeSet *target,
                   bool first_subj) {
        _cleanup_free_ const AuditField **kept = calloc(n + 1, sizeof(AuditField *));
        AuditTypeSet s;
        size_t m = 0;
        bool ok;
        int r;

        if (!kept)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (keep[i])
                        kept[m++] = cand[i];
        if (m == 0 || is_subj(kept[0]) != first_subj)
                return 0;
        r = audit_type_set_of(kept, m, &s);
        if (r < 0)
                return r;
        ok = audit_type_set_equal(&s, target);
        audit_type_set_done(&s);
        return ok;
}

/* Drops candidates one by one while the set stays 'target': the added bounds first, then the rule's
 * own msgtype fields. Its other fields always stay. */
static int minimize(const AuditField *const *cand, bool *keep, size_t n, size_t n_orig, const AuditTypeSet *target,
                    bool first_subj) {
        for (size_t step = 0; step < n; step++) {
                /* Order: the bounds (after n_orig), last first; then the rule's fields in order. */
                size_t i = step < n - n_orig ? n - 1 - step : step - (n - n_orig);
                int r;

                if (cand[i]->type != AUDIT_FIELD_MSGTYPE)
                        continue;
                keep[i] = false;
                r = keep_ok(cand, keep, n, target, first_subj);
                if (r < 0)
                        return r;
                keep[i] = r == 0;
        }
        return 0;
}

/* The piece of 'r' for interval k, if it matches anything there. Returns 1 (made), 0, or -ENOMEM. */
static int make_piece(const AuditLine *r, size_t k, Piece *ret) {
        _cleanup_free_ const AuditField **cand = calloc(r->n_fields + 2, sizeof(AuditField *));
        _cleanup_free_ bool *keep = calloc(r->n_fields + 2, sizeof(bool));
        _cleanup_free_ const AuditField **kept = calloc(r->n_fields + 2, sizeof(AuditField *));
        AuditTypeSet target = {};
        size_t n = 0, m = 0;
        int q;

        if (!cand || !keep || !kept)
                return -ENOMEM;
        for (size_t i = 0; i < r->n_fields; i++)
                cand[n++] = &r->fields[i];
        if (intervals[k].lower.text)
                cand[n++] = &intervals[k].lower;
        if (intervals[k].upper.text)
                cand[n++] = &intervals[k].upper;
        for (size_t i = 0; i < n; i++)
                keep[i] = true;

        q = audit_type_set_of(cand, n, &target);
        if (q < 0)
                return q;
        if (!target.empty)
                q = minimize(cand, keep, n, r->n_fields, &target, r->n_fields > 0 && is_subj(&r->fields[0]));
        if (q >= 0 && !target.empty) {
                for (size_t i = 0; i < n; i++)
                        if (keep[i])
                                kept[m++] = cand[i];
                q = piece_build(r, kept, m, ret);
        }
        q = q < 0 ? q : !target.empty;
        audit_type_set_done(&target);
        return q;
}

static int make_pieces(const AuditLine *r, LinePlan *p) {
        Piece *pieces = calloc(ELEMENTSOF(intervals), sizeof(Piece));
        size_t n = 0;

        if (!pieces)
                return -ENOMEM;
        for (size_t k = 0; k < ELEMENTSOF(intervals); k++) {
                int q = make_piece(r, k, &pieces[n]);
                if (q < 0) {
                        for (size_t i = 0; i < n; i++)
                                piece_done(&pieces[i]);
                        free(pieces);
                        return q;
                }
                n += q;
        }
        p->pieces = pieces;
        p->n_pieces = n;
        return 0;
}

static const char *line_file(const Rewrite *w, size_t i) {
        return w->in[w->lines[i].file].name;
}

static int warn(Rewrite *w, size_t i, const char *format, ...) _printf_(3, 4);
static int warn(Rewrite *w, size_t i, const char *format, ...) {
        _cleanup_free_ char *m = NULL;

        m = STRPRINTF_VA(format);
        if (!m)
                return -ENOMEM;
        return diag_warning(w->warnings, line_file(w, i), w->lines[i].number, /* column= */ 0, "%s; left as it is", m);
}

static bool is_insert(const AuditLine *l) {
        return l->kind == AUDIT_LINE_RULE && l->list == AUDIT_LIST_EXCLUDE && (l->verb == 'a' || l->verb == 'A');
}

static bool is_user_rule(const AuditLine *l) {
        return l->kind == AUDIT_LINE_RULE && l->list == AUDIT_LIST_USER;
}

/* Rules of which auditctl refuses one as a duplicate: a later -a identical to an earlier -a or -A
 * (the kernel compares a new -A rule with nothing, as its prepend flag is still set). */
static void mark_conflicts(Rewrite *w) {
        for (size_t j = 0; j < w->n; j++) {
                const AuditLine *b = &w->lines[j].parsed;

                if (!is_insert(b) || b->verb != 'a')
                        continue;
                for (size_t i = 0; i < j; i++)
                        if (is_insert(&w->lines[i].parsed) && audit_line_same_rule(&w->lines[i].parsed, b)) {
                                w->plans[i].conflict = true;
                                w->plans[j].conflict = true;
                        }
        }
}

/* A -d line identical to 'rule', or SIZE_MAX. */
static size_t find_delete(const Rewrite *w, const AuditLine *rule) {
        for (size_t i = 0; i < w->n; i++)
                if (w->lines[i].parsed.kind == AUDIT_LINE_RULE && w->lines[i].parsed.verb == 'd' &&
                    audit_line_same_rule(&w->lines[i].parsed, rule))
                        return i;
        return SIZE_MAX;
}

static int warn_unreadable(Rewrite *w, size_t i) {
        const AuditLine *l = &w->lines[i].parsed;

        if (l->kind == AUDIT_LINE_REJECTED)
                return warn(w, i, "%s: auditctl refuses this rule and stops loading the rules there", l->reason);
        if (l->kind == AUDIT_LINE_UNCLEAR)
                return warn(w, i, "%s: seprov cannot tell what this %s rule drops", l->reason,
                            l->list == AUDIT_LIST_USER ? "user-list" : "exclude");
        return 0;
}

static size_t find_same(const Rewrite *w, size_t j) {
        for (size_t i = 0; i < w->n; i++)
                if (i != j && is_insert(&w->lines[i].parsed) &&
                    audit_line_same_rule(&w->lines[i].parsed, &w->lines[j].parsed))
                        return i;
        return j;
}

/* Whether the pieces can stand where the rule stood. Returns 1, 0 (warned), or -ENOMEM. */
static int pieces_fit(Rewrite *w, size_t i) {
        const LinePlan *p = &w->plans[i];
        size_t d;

        if (strlen(AUDIT_MARK_WAS) + w->lines[i].len >= AUDITCTL_LINE_SIZE - 1)
                return warn(w, i, "too long to keep as a comment line") ?: 0;
        for (size_t k = 0; k < p->n_pieces; k++) {
                if (strlen(p->pieces[k].text) >= AUDITCTL_LINE_SIZE - 1)
                        return warn(w, i, "its replacement would be longer than auditctl reads") ?: 0;
                if (p->pieces[k].rule.n_fields > AUDITCTL_MAX_FIELDS)
                        return warn(w, i, "its replacement would need more than %d fields", AUDITCTL_MAX_FIELDS) ?: 0;
                d = find_delete(w, &p->pieces[k].rule);
                if (d != SIZE_MAX)
                        return warn(w, i, "its replacement would be deleted by the -d at %s:%u", line_file(w, d),
                                    w->lines[d].number)
                                       ?: 0;
        }
        return 1;
}

/* Whether a user-list rule drops USER_AVC for some process: "never", and its msgtype fields take 1107.
 * *ret_only: 1107 is all they take, and no field ends the list. Returns 1, 0, or -ENOMEM. */
static int user_drops(const AuditLine *l, bool *ret_only) {
        AuditTypeSet m;
        bool uneval = false;
        int r;

        if (!is_user_rule(l) || !l->never || l->n_fields == 0)
                return 0;
        r = rule_types(l, &m);
        if (r < 0)
                return r;
        r = audit_type_set_contains(&m, AUDIT_TYPE_USER_AVC);
        for (size_t i = 0; i < l->n_fields; i++)
                uneval = uneval || l->fields[i].type == AUDIT_FIELD_UNEVAL;
        *ret_only = r && m.lo == m.hi && !uneval;
        audit_type_set_done(&m);
        return r;
}

/* Whether line i of a user rule can take its piece (NULL: is left out): room for one more field, a
 * line auditctl reads whole, and no rule in the set already the same as the piece. Returns 1, 0
 * (warned), or -ENOMEM. */
static int user_piece_fits(Rewrite *w, size_t i, const Piece *piece) {
        const AuditLine *l = &w->lines[i].parsed;

        if (w->lines[i].joined)
                return warn(w, i, "it drops USER_AVC, but %s", joined_why) ?: 0;
        if (piece && l->n_fields >= AUDITCTL_MAX_FIELDS)
                return warn(w, i, "it drops USER_AVC, but it has %d fields, and no room for \"%s\"",
                            AUDITCTL_MAX_FIELDS, not_user_avc.text)
                               ?: 0;
        if (strlen(AUDIT_MARK_WAS) + w->lines[i].len >= AUDITCTL_LINE_SIZE - 1 ||
            (piece && strlen(piece->text) >= AUDITCTL_LINE_SIZE - 1))
                return warn(w, i, "it drops USER_AVC, but its replacement would be longer than auditctl reads") ?: 0;
        for (size_t j = 0; piece && j < w->n; j++)
                if (audit_line_same_rule(&w->lines[j].parsed, &piece->rule))
                        return warn(w, i, "it drops USER_AVC, but %s:%u is already the rule seprov would write",
                                    line_file(w, j), w->lines[j].number)
                                       ?: 0;
        return 1;
}

/* Whether the other lines of line i's rule can be rewritten alike. Returns 1, 0 (warned), or -ENOMEM. */
static int user_others_fit(Rewrite *w, size_t i, const Piece *piece) {
        const AuditLine *l = &w->lines[i].parsed;
        Diags *saved = w->warnings;
        int r = 1;

        for (size_t j = 0; r > 0 && j < w->n; j++) {
                Diags none = {};

                if (j == i || !audit_line_same_rule(&w->lines[j].parsed, l))
                        continue;
                w->warnings = &none; /* each line warns on its own turn */
                r = user_piece_fits(w, j, piece);
                w->warnings = saved;
                diags_clear(&none);
                if (r == 0)
                        r = warn(w, i, "it drops USER_AVC, but %s:%u, the same rule, cannot be rewritten alike",
                                 line_file(w, j), w->lines[j].number)
                                    ?: 0;
        }
        return r;
}

/* A user-list line: every line of the same rule gets the same plan, or none does. */
static int decide_user(Rewrite *w, size_t i) {
        const AuditLine *l = &w->lines[i].parsed;
        LinePlan *p = &w->plans[i];
        _cleanup_free_ const AuditField **f = NULL;
        Piece piece = {};
        bool only = false, alone = true, out;
        int r;

        r = user_drops(l, &only);
        if (r <= 0)
                return r;
        for (size_t j = 0; j < w->n; j++)
                alone = alone && (j == i || !audit_line_same_rule(&w->lines[j].parsed, l));
        /* A lone -d deletes nothing and stops auditctl: it must stay, and keep failing. */
        out = only && alone && l->verb != 'd';
        if (!out) {
                f = calloc(l->n_fields + 2, sizeof(AuditField *));
                if (!f)
                        return -ENOMEM;
                for (size_t k = 0; k < l->n_fields; k++)
                        f[k] = &l->fields[k];
                f[l->n_fields] = &not_user_avc;
                r = piece_build(l, f, l->n_fields + 1, &piece);
                if (r < 0)
                        return r;
        }
        r = user_piece_fits(w, i, out ? NULL : &piece);
        if (r > 0)
                r = user_others_fit(w, i, &piece);
        if (r > 0 && !out) {
                p->pieces = calloc(1, sizeof(Piece));
                r = p->pieces ? 1 : -ENOMEM;
        }
        if (r <= 0) {
                piece_done(&piece);
                return r;
        }
        if (!out) {
                p->pieces[0] = piece;
                p->n_pieces = 1;
        }
        p->action = ACTION_REWRITE;
        return 0;
}

static int decide(Rewrite *w, size_t i) {
        const AuditLine *l = &w->lines[i].parsed;
        LinePlan *p = &w->plans[i];
        AuditTypeSet m;
        size_t other;
        bool sel;
        int r;

        r = warn_unreadable(w, i);
        if (r >= 0 && is_user_rule(l))
                return decide_user(w, i);
        if (r < 0 || !is_insert(l) || l->n_fields == 0)
                return r; /* a rule without fields never matches anything */
        r = rule_types(l, &m);
        if (r < 0)
                return r;
        sel = meets_selinux(&m);
        audit_type_set_done(&m);
        if (!sel)
                return 0;
        if (p->conflict) {
                other = find_same(w, i);
                return warn(
                        w, i,
                        "it drops SELinux records, but it is the same rule as %s:%u and auditctl refuses one of them",
                        line_file(w, other), w->lines[other].number);
        }
        other = find_delete(w, l);
        if (other != SIZE_MAX)
                return warn(w, i, "it drops SELinux records, but the -d at %s:%u deletes it", line_file(w, other),
                            w->lines[other].number);
        if (w->lines[i].joined)
                return warn(w, i, "it drops SELinux records, but %s", joined_why);
        r = make_pieces(l, p);
        if (r >= 0)
                r = pieces_fit(w, i);
        if (r > 0)
                p->action = ACTION_REWRITE;
        return r < 0 ? r : 0;
}

typedef struct Inserted {
        const AuditLine *rule;
        size_t line;
        bool piece;
} Inserted;

static const Inserted *inserted_find(const Inserted *l, size_t n, const AuditLine *rule, bool piece_only) {
        for (size_t i = 0; i < n; i++)
                if ((!piece_only || l[i].piece) && audit_line_same_rule(l[i].rule, rule))
                        return &l[i];
        return NULL;
}

/* Goes through the lines in load order, as the kernel would see the rewritten rules. */
static int dedup(Rewrite *w) {
        _cleanup_free_ Inserted *ins = calloc(3 * w->n + 1, sizeof(Inserted));
        size_t n = 0;
        int r;

        if (!ins)
                return -ENOMEM;
        for (size_t i = 0; i < w->n; i++) {
                const AuditLine *l = &w->lines[i].parsed;
                LinePlan *p = &w->plans[i];
                const Inserted *x;

                if (is_user_rule(l))
                        continue; /* rewritten alike: duplicates stay duplicates */
                if (p->action == ACTION_REWRITE) {
                        for (size_t k = 0; k < p->n_pieces; k++) {
                                Piece *q = &p->pieces[k];
                                if (q->rule.verb == 'a' && inserted_find(ins, n, &q->rule, /* piece_only= */ false))
                                        q->omitted = true;
                                else
                                        ins[n++] = (Inserted){ &q->rule, i, true };
                        }
                } else if (is_insert(l)) {
                        x = l->verb == 'a' && !p->conflict ? inserted_find(ins, n, l, /* piece_only= */ true) : NULL;
                        if (x && w->lines[i].joined) {
                                /* No block can hold it (a block would end the line), and auditctl will
                                 * refuse it as a second copy of the rule seprov wrote. */
                                r = warn(w, i, "it is the rule seprov wrote for %s:%u, but %s", line_file(w, x->line),
                                         w->lines[x->line].number, joined_why);
                                if (r < 0)
                                        return r;
                                ins[n++] = (Inserted){ l, i, false };
                        } else if (x) {
                                p->action = ACTION_NEUTRALIZE;
                                p->same_as = x->line;
                        } else
                                ins[n++] = (Inserted){ l, i, false };
                } else if (l->kind == AUDIT_LINE_RULE && l->verb == 'd') {
                        for (size_t k = 0; k < n; k++)
                                if (audit_line_same_rule(ins[k].rule, l)) {
                                        memmove(ins + k, ins + k + 1, (n - k - 1) * sizeof(Inserted));
                                        n--;
                                        break;
                                }
                }
        }
        return 0;
}

static int header(const Rewrite *w, size_t i, char **ret) {
        const LinePlan *p = &w->plans[i];
        size_t kept = 0;

        if (is_user_rule(&w->lines[i].parsed))
                *ret = strdup(p->n_pieces == 0 ? "USER_AVC (1107) passes the user list; the image's rule matched "
                                                 "nothing else. It was:"
                                               : "USER_AVC (1107) passes the user list; the image's rule was:");
        else if (p->action == ACTION_NEUTRALIZE)
                *ret = strprintf("the rule seprov wrote for %s:%u already drops these records; the image's rule was:",
                                 line_file(w, p->same_as), w->lines[p->same_as].number);
        else {
                for (size_t k = 0; k < p->n_pieces; k++)
                        kept += !p->pieces[k].omitted;
                *ret = strprintf("SELinux records (1107, 1400-1499) pass%s",
                                 p->n_pieces == 0 ? "; the image's rule dropped nothing else. It was:"
                                 : kept == 0      ? "; rules above drop the rest. The image's rule was:"
                                                  : "; the image's rule was:");
        }
        return *ret ? 0 : -ENOMEM;
}

static int render_block(const Rewrite *w, size_t i, AuditBuf *out) {
        const AuditTextLine *l = &w->lines[i];
        const LinePlan *p = &w->plans[i];
        _cleanup_free_ char *h = NULL;
        int r;

        r = header(w, i, &h);
        if (r >= 0)
                r = audit_buf_printf(out, AUDIT_MARK_HEADER "%s\n" AUDIT_MARK_WAS "%.*s\n", h, (int) l->len, l->start);
        for (size_t k = 0; r >= 0 && k < p->n_pieces; k++)
                if (!p->pieces[k].omitted)
                        r = audit_buf_printf(out, "%s\n", p->pieces[k].text);
        if (r >= 0)
                r = audit_buf_printf(out, "%s\n", l->newline ? AUDIT_MARK_END : AUDIT_MARK_END_NO_NL);
        return r;
}

static int render_file(const Rewrite *w, size_t file, AuditText *ret) {
        AuditBuf out = {};
        int r = audit_buf_put(&out, "", /* n= */ 0);

        for (size_t i = 0; r >= 0 && i < w->n; i++) {
                const AuditTextLine *l = &w->lines[i];

                if (l->file != file)
                        continue;
                if (w->plans[i].action == ACTION_KEEP)
                        r = audit_buf_put(&out, l->start, l->len + l->newline);
                else
                        r = render_block(w, i, &out);
        }
        ret->name = strdup(w->in[file].name);
        if (r < 0 || !ret->name) {
                free(out.data);
                free(ret->name);
                return -ENOMEM;
        }
        ret->data = out.data;
        ret->size = out.size;
        return 0;
}

static int rewrite_all(Rewrite *w, AuditText *out, size_t n, unsigned *ret_rewritten) {
        unsigned count = 0;
        int r;

        mark_conflicts(w);
        for (size_t i = 0; i < w->n; i++) {
                r = decide(w, i);
                if (r < 0)
                        return r;
        }
        r = dedup(w);
        if (r < 0)
                return r;
        for (size_t i = 0; i < w->n; i++)
                count += w->plans[i].action != ACTION_KEEP;
        for (size_t f = 0; f < n; f++) {
                r = render_file(w, f, &out[f]);
                if (r < 0)
                        return r;
        }
        if (ret_rewritten)
                *ret_rewritten = count;
        return 0;
}

int audit_rewrite_texts(const AuditText *in, size_t n, AuditText **ret, unsigned *ret_rewritten, Diags *warnings) {
        Rewrite w = { .in = in, .warnings = warnings };
        AuditText *out = calloc(n + 1, sizeof(AuditText));
        int r;

        assert(ret);

        if (!out)
                return -ENOMEM;
        r = audit_lines_split(in, n, &w.lines, &w.n);
        if (r >= 0) {
                w.plans = calloc(w.n + 1, sizeof(LinePlan));
                r = w.plans ? rewrite_all(&w, out, n, ret_rewritten) : -ENOMEM;
        }
        for (size_t i = 0; w.plans && i < w.n; i++)
                plan_done(&w.plans[i]);
        free(w.plans);
        audit_lines_free(w.lines, w.n);
        if (r < 0) {
                audit_texts_free(out, n);
                return r;
        }
        *ret = out;
        return 0;
}

void audit_texts_free(AuditText *t, size_t n) {
        for (size_t i = 0; t && i < n; i++) {
                free(t[i].name);
                free(t[i].data);
        }
        free(t);
}
