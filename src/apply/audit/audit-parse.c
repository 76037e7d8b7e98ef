/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reads audit rule lines as auditctl -R does (its tokenizer, option parsing, list and field syntax and
 * libaudit's and the kernel's checks), to the extent the exclude and user lists need: other lines are
 * only classified, never interpreted. */

#include <ctype.h>
#include <strings.h>

#include "audit-parse.h"
#include "audit-type.h"
#include "strutil.h"

/* auditctl's short options (src/auditctl.c, setopt()); those followed by ':' take an argument. */
static const char auditctl_optstring[] = "hicslDvtC:e:f:r:b:a:A:d:S:F:m:R:w:W:k:p:q:";

typedef struct Opt {
        char c;          /* the option letter; '-' for a long option; 0 for a word that is no option */
        const char *arg; /* its argument, or NULL */
        char *text;      /* as written, one or two tokens joined by a space */
} Opt;

typedef struct Opts {
        Opt *items;
        size_t n;
} Opts;

static void opts_done(Opts *o) {
        for (size_t i = 0; i < o->n; i++)
                free(o->items[i].text);
        free(o->items);
}

static int opts_add(Opts *o, char c, const char *arg, const char *tok, const char *tok2) {
        Opt *n = reallocarray(o->items, o->n + 1, sizeof(Opt));
        char *text = tok2 ? strjoin(tok, " ", tok2) : strdup(tok);

        if (n)
                o->items = n;
        if (!n || !text) {
                free(text);
                return -ENOMEM;
        }
        o->items[o->n++] = (Opt){ .c = c, .arg = arg, .text = text };
        return 0;
}

/* Splits at spaces (only spaces: audit_strsplit()), in place. Returns the number of tokens. */
static size_t split_spaces(char *buf, char **tokens, size_t max) {
        size_t n = 0;

        for (char *p = buf; *p && n < max;) {
                char *end;

                p += strspn(p, " ");
                if (!*p)
                        break;
                end = strchrnul(p, ' ');
                tokens[n++] = p;
                if (*end)
                        *end++ = '\0';
                p = end;
        }
        return n;
}

/* One token starting with a single '-': options clustered as getopt() reads them. */
static int scan_short(Opts *o, char **tok, size_t n, size_t *i) {
        const char *t = tok[*i];

        for (const char *c = t + 1; *c; c++) {
                const char *s = *c == ':' ? NULL : strchr(auditctl_optstring, *c);
                char unknown[3] = { '-', *c, 0 };

                if (!s)
                        return opts_add(o, '?', /* arg= */ NULL, unknown, /* tok2= */ NULL);
                if (s[1] != ':') {
                        int r = opts_add(o, *c, /* arg= */ NULL, unknown, /* tok2= */ NULL);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (c[1])
                        return opts_add(o, *c, c + 1, t, /* tok2= */ NULL);
                if (*i + 1 >= n) /* getopt: missing argument */
                        return opts_add(o, '?', /* arg= */ NULL, t, /* tok2= */ NULL);
                (*i)++;
                return opts_add(o, *c, tok[*i], t, tok[*i]);
        }
        return 0;
}

/* auditctl's long options that take an argument (--backlog_wait_time, --signal) swallow the next
 * word when written without '='; getopt_long() also takes unambiguous abbreviations. */
static bool long_takes_arg(const char *name) {
        size_t l = strcspn(name, "=");
        return !name[l] && l > 0 && (strneq(name, "backlog_wait_time", l) || strneq(name, "signal", l));
}

static int scan_options(char **tok, size_t n, Opts *ret) {
        for (size_t i = 0; i < n; i++) {
                int r;

                if (tok[i][0] != '-' || !tok[i][1])
                        r = opts_add(ret, /* c= */ 0, tok[i], tok[i], /* tok2= */ NULL);
                else if (tok[i][1] == '-') {
                        bool arg = long_takes_arg(tok[i] + 2) && i + 1 < n;
                        r = opts_add(ret, '-', /* arg= */ NULL, tok[i], arg ? tok[i + 1] : NULL);
                        i += arg;
                } else
                        r = scan_short(ret, tok, n, &i);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool word_has_nocase(const char *s, const char *word) {
        return strcasestr(s, word) != NULL;
}

static bool is_filter_name(const char *s) {
        static const char *const names[] = { "task", "exit", "user", "exclude", "filesystem", "io_uring" };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcasecmp(s, names[i]) == 0)
                        return true;
        return false;
}

/* auditctl's audit_rule_setup(): "list,action" or "action,list". Returns 0 (and the list: an AuditList,
 * or -1 for another one, and the action), 1 for the deprecated "possible" action (auditctl skips the
 * line) or -EINVAL. */
static int parse_list_action(const char *arg, int *ret_list, bool *ret_never) {
        const char *comma = strchr(arg, ',');
        _cleanup_free_ char *first = NULL;
        const char *filter = NULL, *action = NULL;

        if (!comma || strchr(comma + 1, ','))
                return -EINVAL;
        first = strndup(arg, comma - arg);
        if (!first)
                return -ENOMEM;
        if (streq(first, "always") || streq(first, "never"))
                action = first;
        else if (streq(first, "possible"))
                return -EINVAL; /* then no action is ever set: auditctl says "bad keyword" */
        else
                filter = first;

        if (action)
                filter = comma + 1;
        else if (streq(comma + 1, "possible"))
                return 1;
        else if (streq(comma + 1, "always") || streq(comma + 1, "never"))
                action = comma + 1;
        else
                return -EINVAL;

        /* Filter names are looked up case-insensitively (libaudit's flag table); actions are not. */
        if (!is_filter_name(filter))
                return -EINVAL;
        *ret_list = strcasecmp(filter, "exclude") == 0 ? AUDIT_LIST_EXCLUDE
                    : strcasecmp(filter, "user") == 0  ? AUDIT_LIST_USER
                                                       : -1;
        *ret_never = streq(action, "never");
        return 0;
}

#define X _AUDIT_FIELD_MAX /* refused on that list */
#define U AUDIT_FIELD_UNEVAL

typedef struct FieldName {
        const char *name;
        AuditFieldType exclude, user; /* what it is on each list */
} FieldName;

/* libaudit's field table (lib/fieldtab.h), looked up case-insensitively. On the user list libaudit
 * (audit_rule_fieldpair_data()) refuses the exit-only fields; of the rest the kernel's audit_filter()
 * evaluates only msgtype, pid, uid, gid, auid, subj_* and exe. */
static const FieldName field_names[] = {
        { "msgtype", AUDIT_FIELD_MSGTYPE, AUDIT_FIELD_MSGTYPE },
        { "pid", AUDIT_FIELD_PID, AUDIT_FIELD_PID },
        { "uid", AUDIT_FIELD_UID, AUDIT_FIELD_UID },
        { "gid", AUDIT_FIELD_GID, AUDIT_FIELD_GID },
        { "auid", AUDIT_FIELD_LOGINUID, AUDIT_FIELD_LOGINUID },
        { "loginuid", AUDIT_FIELD_LOGINUID, AUDIT_FIELD_LOGINUID },
        { "subj_user", AUDIT_FIELD_SUBJ_USER, AUDIT_FIELD_SUBJ_USER },
        { "subj_role", AUDIT_FIELD_SUBJ_ROLE, AUDIT_FIELD_SUBJ_ROLE },
        { "subj_type", AUDIT_FIELD_SUBJ_TYPE, AUDIT_FIELD_SUBJ_TYPE },
        { "subj_sen", AUDIT_FIELD_SUBJ_SEN, AUDIT_FIELD_SUBJ_SEN },
        { "subj_clr", AUDIT_FIELD_SUBJ_CLR, AUDIT_FIELD_SUBJ_CLR },
        { "euid", X, U },
        { "suid", X, U },
        { "fsuid", X, U },
        { "egid", X, U },
        { "sgid", X, U },
        { "fsgid", X, U },
        { "pers", X, U },
        { "arch", X, U },
        { "ppid", X, X },
        { "obj_user", X, X },
        { "obj_role", X, X },
        { "obj_type", X, X },
        { "obj_lev_low", X, X },
        { "obj_lev_high", X, X },
        { "devmajor", X, X },
        { "devminor", X, X },
        { "inode", X, X },
        { "exit", X, X },
        { "success", X, X },
        { "path", X, X },
        { "perm", X, X },
        { "dir", X, X },
        { "filetype", X, X },
        { "a0", X, U },
        { "a1", X, U },
        { "a2", X, U },
        { "a3", X, U },
        { "key", X, X },
        { "obj_uid", X, U },
        { "obj_gid", X, U },
        { "sessionid", X, U },
        { "fstype", X, X },
        { "saddr_fam", X, U },
};

#undef X
#undef U

static const char *const op_strings[_AUDIT_OP_MAX] = {
        [AUDIT_OP_EQ] = "=",  [AUDIT_OP_NE] = "!=", [AUDIT_OP_LT] = "<",      [AUDIT_OP_GT] = ">",
        [AUDIT_OP_LE] = "<=", [AUDIT_OP_GE] = ">=", [AUDIT_OP_BITMASK] = "&", [AUDIT_OP_BITTEST] = "&=",
};

const char *audit_op_to_string(AuditOp op) {
        return op >= 0 && op < _AUDIT_OP_MAX ? op_strings[op] : "?";
}

/* libaudit's audit_rule_fieldpair_data() looks for the two-character operators first, each with
 * strstr() over the whole "field op value" text, then for the one-character ones. */
static const char *find_op(const char *pair, AuditOp *ret_op) {
        static const AuditOp order[] = { AUDIT_OP_NE, AUDIT_OP_GE, AUDIT_OP_LE, AUDIT_OP_BITTEST,
                                         AUDIT_OP_EQ, AUDIT_OP_GT, AUDIT_OP_LT, AUDIT_OP_BITMASK };

        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                const char *p = strstr(pair, op_strings[order[i]]);
                if (p) {
                        *ret_op = order[i];
                        return p;
                }
        }
        return NULL;
}

/* Sets l->kind and l->reason. Returns 0 or -ENOMEM. */
static int line_set(AuditLine *l, AuditLineKind kind, const char *format, ...) _printf_(3, 4);
static int line_set(AuditLine *l, AuditLineKind kind, const char *format, ...) {
        char *m;

        m = STRPRINTF_VA(format);
        if (!m)
                return -ENOMEM;
        free(l->reason);
        l->reason = m;
        l->kind = kind;
        return 0;
}

/* The value of msgtype=: a number as strtol(..., 0) reads it (libaudit does so when it starts with a
 * digit) or a type name. Returns 0, or sets the line's kind. */
static int parse_msgtype_value(AuditLine *l, const char *v, uint32_t *ret) {
        unsigned long long n;
        char *end;
        int r;

        if (isdigit((unsigned char) v[0])) {
                errno = 0;
                n = strtoull(v, &end, 0);
                if (*end || errno != 0 || n > UINT32_MAX)
                        /* auditctl takes what strtol() makes of it, silently; seprov does not guess. */
                        return line_set(l, AUDIT_LINE_UNCLEAR, "auditctl reads msgtype value \"%s\" leniently", v);
                *ret = (uint32_t) n;
                return 0;
        }
        r = audit_type_from_name(v, ret);
        if (r == -ENOENT)
                return line_set(l, AUDIT_LINE_REJECTED, "unknown message type \"%s\"", v);
        if (r < 0)
                return line_set(l, AUDIT_LINE_UNCLEAR, "auditctl reads msgtype value \"%s\" leniently", v);
        return 0;
}

/* Which operators the kernel's audit_field_valid() and libaudit take for each field (& and &= only on
 * syscall arguments and the personality; subj_user, subj_role, subj_type, arch and exe only = and !=).
 * Returns 1, 0, or -1 when seprov does not know. */
static int op_valid(AuditFieldType t, const char *name, AuditOp op) {
        bool eq = op == AUDIT_OP_EQ || op == AUDIT_OP_NE, bits = op == AUDIT_OP_BITMASK || op == AUDIT_OP_BITTEST;

        if (t == AUDIT_FIELD_UNEVAL && strcasecmp(name, "arch") == 0)
                return eq;
        if (t == AUDIT_FIELD_UNEVAL && bits)
                return strcasecmp(name, "pers") == 0 || (strlen(name) == 2 && strchr("aA", name[0])) ? 1 : -1;
        if (bits)
                return 0;
        if (t == AUDIT_FIELD_SUBJ_USER || t == AUDIT_FIELD_SUBJ_ROLE || t == AUDIT_FIELD_SUBJ_TYPE ||
            t == AUDIT_FIELD_EXE)
                return eq;
        return 1;
}

static const char *list_name(AuditList list) {
        return list == AUDIT_LIST_USER ? "user" : "exclude";
}

static int field_lookup(AuditLine *l, const char *name, AuditFieldType *ret) {
        for (size_t i = 0; i < ELEMENTSOF(field_names); i++)
                if (strcasecmp(field_names[i].name, name) == 0) {
                        AuditFieldType t = l->list == AUDIT_LIST_USER ? field_names[i].user : field_names[i].exclude;
                        if (t == _AUDIT_FIELD_MAX)
                                return line_set(l, AUDIT_LINE_REJECTED, "the %s list does not take field \"%s\"",
                                                list_name(l->list), name);
                        *ret = t;
                        return 0;
                }
        if (strcasecmp(name, "exe") == 0 && l->list == AUDIT_LIST_USER) {
                *ret = AUDIT_FIELD_EXE;
                return 0;
        }
        if (strcasecmp(name, "exe") == 0)
                return line_set(l, AUDIT_LINE_UNCLEAR,
                                "whether auditctl takes exe= on the exclude list depends on its version");
        return line_set(l, AUDIT_LINE_REJECTED, "unknown field \"%s\"", name);
}

/* One -F argument. Appends a field to l, or sets the line's kind. Returns 0 or -ENOMEM. */
static int parse_field(AuditLine *l, const Opt *o) {
        _cleanup_free_ char *name = NULL;
        AuditField f = {};
        const char *p, *v;
        AuditField *n;
        AuditOp op;
        int r;

        p = find_op(o->arg, &op);
        if (!p)
                return line_set(l, AUDIT_LINE_REJECTED, "no operator in \"%s\"", o->arg);
        name = strndup(o->arg, p - o->arg);
        if (!name)
                return -ENOMEM;
        v = p + strlen(op_strings[op]);
        if (!*name || !*v)
                return line_set(l, AUDIT_LINE_REJECTED, "incomplete field \"%s\"", o->arg);
        r = field_lookup(l, name, &f.type);
        if (r < 0 || l->kind != AUDIT_LINE_RULE)
                return r;
        r = op_valid(f.type, name, op);
        if (r == 0)
                return line_set(l, AUDIT_LINE_REJECTED, "the kernel refuses operator \"%s\" on %s", op_strings[op],
                                name);
        if (r < 0)
                return line_set(l, AUDIT_LINE_UNCLEAR, "operator \"%s\" on %s", op_strings[op], name);
        if (f.type == AUDIT_FIELD_MSGTYPE) {
                r = parse_msgtype_value(l, v, &f.value);
                if (r < 0 || l->kind != AUDIT_LINE_RULE)
                        return r;
        }
        if (l->n_fields >= AUDITCTL_MAX_FIELDS)
                return line_set(l, AUDIT_LINE_REJECTED, "more than %d fields", AUDITCTL_MAX_FIELDS);

        f.op = op;
        f.value_text = strdup(v);
        f.text = strdup(o->text);
        n = reallocarray(l->fields, l->n_fields + 1, sizeof(AuditField));
        if (n)
                l->fields = n;
        if (!f.value_text || !f.text || !n) {
                free(f.value_text);
                free(f.text);
                return -ENOMEM;
        }
        l->fields[l->n_fields++] = f;
        return 0;
}

static bool is_verb(char c) {
        return c == 'a' || c == 'A' || c == 'd';
}

/* The option that puts a line on a list: -a, -A or -d. Returns its index, -1 for none, -2 for more. */
static ssize_t find_verb(const Opts *o) {
        ssize_t found = -1;

        for (size_t i = 0; i < o->n; i++)
                if (is_verb(o->items[i].c)) {
                        if (found >= 0)
                                return -2;
                        found = (ssize_t) i;
                }
        return found;
}

static bool mentions_list(const Opts *o) {
        for (size_t i = 0; i < o->n; i++)
                if (is_verb(o->items[i].c) &&
                    (word_has_nocase(o->items[i].arg, "exclude") || word_has_nocase(o->items[i].arg, "user")))
                        return true;
        return false;
}

/* Every option of an exclude- or user-list line after the list: only -F is ours. */
static int parse_rule_options(AuditLine *l, const Opts *o, size_t verb) {
        for (size_t i = 0; i < o->n && l->kind == AUDIT_LINE_RULE; i++) {
                const Opt *x = &o->items[i];
                int r = 0;

                if (i == verb)
                        continue;
                if (x->c == 'F' && i < verb)
                        r = line_set(l, AUDIT_LINE_REJECTED, "a field before the list");
                else if (x->c == 'F' && startswith(x->arg, "key=") && l->list == AUDIT_LIST_USER)
                        r = line_set(l, AUDIT_LINE_UNCLEAR, "a key on the user list");
                else if (x->c == 'F' && startswith(x->arg, "key="))
                        r = line_set(l, AUDIT_LINE_REJECTED, "the exclude list takes no key");
                else if (x->c == 'F')
                        r = parse_field(l, x);
                else if (x->c == 0)
                        r = line_set(l, AUDIT_LINE_REJECTED, "\"%s\" is no option", x->text);
                else if (x->c == 'k' && l->list == AUDIT_LIST_USER)
                        r = line_set(l, AUDIT_LINE_UNCLEAR, "a key on the user list");
                else if (x->c && strchr("SkwW?", x->c))
                        r = line_set(l, AUDIT_LINE_REJECTED, "option \"%s\" does not go with the %s list", x->text,
                                     list_name(l->list));
                else
                        r = line_set(l, AUDIT_LINE_UNCLEAR, "option \"%s\" on an %s-list line", x->text,
                                     list_name(l->list));
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse_rule(AuditLine *l, const Opts *o) {
        ssize_t verb = find_verb(o);
        int r, list = -1;

        if (verb == -1)
                return 0;
        if (!mentions_list(o)) {
                /* Another list, unless the list option is so broken that auditctl refuses it anyway. */
                if (verb >= 0) {
                        r = parse_list_action(o->items[verb].arg, &list, &l->never);
                        if (r == -ENOMEM)
                                return r;
                }
                if (list < 0)
                        return 0;
        }
        l->kind = AUDIT_LINE_RULE;
        if (verb == -2)
                return line_set(l, AUDIT_LINE_REJECTED, "more than one of -a, -A, -d");
        r = parse_list_action(o->items[verb].arg, &list, &l->never);
        if (r == -ENOMEM)
                return r;
        if (r == 0 && list >= 0)
                l->list = list;
        if (r == 1)
                return line_set(l, AUDIT_LINE_UNCLEAR, "action \"possible\" is deprecated: auditctl skips the line");
        if (r < 0 || list < 0)
                return line_set(l, AUDIT_LINE_REJECTED, "auditctl does not understand \"%s\"", o->items[verb].arg);
        l->verb = o->items[verb].c;
        l->list_text = strdup(o->items[verb].text);
        if (!l->list_text)
                return -ENOMEM;
        return parse_rule_options(l, o, (size_t) verb);
}

static void note_ignore_errors(AuditLine *l, const Opts *o) {
        for (size_t i = 0; i < o->n; i++)
                if ((o->items[i].c == 'i' || o->items[i].c == 'c'))
                        l->ignore_errors = true;
}

static bool bytes_have_nocase(const char *s, size_t len, const char *word) {
        size_t wl = strlen(word);

        for (size_t i = 0; i + wl <= len; i++)
                if (strncasecmp(s + i, word, wl) == 0)
                        return true;
        return false;
}

/* Whether the line may put a rule on the exclude or the user list: the list option is "exclude,..." or
 * "...,exclude", "user,..." or "...,user". */
static bool may_name_list(const char *s, size_t len) {
        return bytes_have_nocase(s, len, "exclude") || bytes_have_nocase(s, len, "user,") ||
               bytes_have_nocase(s, len, ",user");
}

/* Whether a word of the line starts with '-' and clusters short options among which -i or -c. */
static bool may_ignore_errors(const char *s, size_t len) {
        for (size_t i = 0; i + 1 < len; i++) {
                if (s[i] != '-' || (i > 0 && s[i - 1] != ' ') || s[i + 1] == '-')
                        continue;
                for (size_t j = i + 1; j < len && s[j] != ' ' && strchr(auditctl_optstring, s[j]); j++)
                        if (s[j] == 'i' || s[j] == 'c')
                                return true;
        }
        return false;
}

int audit_line_parse(const char *line, size_t len, AuditLine *ret) {
        _cleanup_(audit_line_done) AuditLine l = {};
        _cleanup_(opts_done) Opts o = {};
        _cleanup_free_ char *buf = NULL;
        _cleanup_free_ char **tok = NULL;
        size_t n;
        int r;

        assert(ret);

        if (memchr(line, '\0', len) || len >= AUDITCTL_LINE_SIZE - 1 || memchr(line, '\\', len) ||
            memchr(line, '\r', len)) {
                /* NUL bytes, lines auditctl splits, backslash escapes and carriage returns: seprov does
                 * not model what auditctl (and the awk in augenrules) make of them. */
                if (may_name_list(line, len) &&
                    (r = line_set(&l, AUDIT_LINE_UNCLEAR, "unusual bytes in the line")) < 0)
                        return r;
                *ret = l;
                l = (AuditLine){};
                return 0;
        }
        if (!may_name_list(line, len) && !may_ignore_errors(line, len)) {
                /* Fast path: no exclude- or user-list rule goes without the word. */
                *ret = l;
                l = (AuditLine){};
                return 0;
        }
        buf = strndup(line, len);
        tok = calloc(len / 2 + 2, sizeof(char *));
        if (!buf || !tok)
                return -ENOMEM;
        n = split_spaces(buf, tok, len / 2 + 1);
        if (n > 0 && tok[0][0] != '#') {
                r = scan_options(tok, n, &o);
                if (r < 0)
                        return r;
                note_ignore_errors(&l, &o);
                r = parse_rule(&l, &o);
                if (r < 0)
                        return r;
        }
        *ret = l;
        l = (AuditLine){};
        return 0;
}

void audit_line_done(AuditLine *l) {
        assert(l);

        for (size_t i = 0; i < l->n_fields; i++) {
                free(l->fields[i].value_text);
                free(l->fields[i].text);
        }
        free(l->fields);
        free(l->list_text);
        free(l->reason);
        *l = (AuditLine){};
}

bool audit_line_same_rule(const AuditLine *a, const AuditLine *b) {
        assert(a);
        assert(b);

        if (a->kind != AUDIT_LINE_RULE || b->kind != AUDIT_LINE_RULE || a->list != b->list || a->never != b->never ||
            a->n_fields != b->n_fields)
                return false;
        for (size_t i = 0; i < a->n_fields; i++) {
                const AuditField *x = &a->fields[i], *y = &b->fields[i];

                if (x->type != y->type || x->op != y->op)
                        return false;
                if (x->type == AUDIT_FIELD_MSGTYPE ? x->value != y->value : !streq(x->value_text, y->value_text))
                        return false;
        }
        return true;
}
