/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audit rules action: reading rules as auditctl does, the rewrite's semantics against an
 * independent model of the kernel, byte-exact restoring, and the files in rules.d. */

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "audit-parse.h"
#include "audit-rewrite.h"
#include "audit-rules.h"
#include "audit-sim.h"
#include "audit-type.h"
#include "chase.h"
#include "fileio.h"
#include "strutil.h"
#include "tests.h"

static char root[] = "/tmp/seprov-test-audit.XXXXXX";

/* ---- reading lines as auditctl does ---- */

static AuditLineKind kind_of(const char *line, AuditLine *ret) {
        ASSERT_OK(audit_line_parse(line, strlen(line), ret));
        return ret->kind;
}

TEST(parse_lists_and_actions) {
        static const char *const rules[] = {
                "-a exclude,always -F msgtype=1400",    "-a always,exclude -F msgtype=1400",
                "-A never,exclude -F msgtype=1400",     "-aexclude,never -Fmsgtype=1400",
                "  -a EXCLUDE,never   -F  msgtype=avc", "-d exclude,always -F msgtype=AVC",
        };
        static const char *const others[] = {
                "",
                "   ",
                "# -a exclude,always -F msgtype>0",
                "-D",
                "-b 8192",
                "-e 2",
                "--backlog_wait_time 60000",
                "-a always,exit -F arch=b64 -S execve -k exec",
                "-w /etc/passwd -p wa -k identity",
                "-a always,task -F uid=0",
                "-w /etc/sudoers -p wa -k user_modification",
        };
        AuditLine l;

        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                ASSERT_EQ(kind_of(rules[i], &l), AUDIT_LINE_RULE);
                ASSERT_EQ(l.n_fields, 1);
                ASSERT_EQ(l.fields[0].type, AUDIT_FIELD_MSGTYPE);
                ASSERT_EQ(l.fields[0].value, 1400);
                ASSERT_EQ(l.never, strstr(rules[i], "never") != NULL);
                ASSERT_EQ(l.verb, strstr(rules[i], "-A") ? 'A' : strstr(rules[i], "-d") ? 'd' : 'a');
                audit_line_done(&l);
        }
        for (size_t i = 0; i < ELEMENTSOF(others); i++) {
                ASSERT_EQ(kind_of(others[i], &l), AUDIT_LINE_OTHER);
                audit_line_done(&l);
        }
        ASSERT_EQ(kind_of("-i", &l), AUDIT_LINE_OTHER);
        ASSERT_TRUE(l.ignore_errors);
        audit_line_done(&l);
}

/* The user list, as libaudit and the kernel take it: which fields it refuses, which the kernel's
 * audit_filter() evaluates there and which end the list. */
TEST(parse_user_list) {
        static const struct {
                const char *line;
                AuditLineKind kind;
                AuditFieldType last; /* RULE: the last field's type */
        } cases[] = {
                { "-a user,never -F msgtype=USER_AVC", AUDIT_LINE_RULE, AUDIT_FIELD_MSGTYPE },
                { "-a never,user -F subj_type=unconfined_t", AUDIT_LINE_RULE, AUDIT_FIELD_SUBJ_TYPE },
                { "-A USER,always -F auid>=1000 -F auid!=unset", AUDIT_LINE_RULE, AUDIT_FIELD_LOGINUID },
                { "-d user,never -F uid=0 -F pid!=1 -F gid=4", AUDIT_LINE_RULE, AUDIT_FIELD_GID },
                { "-a user,never -F exe=/usr/bin/dbus-daemon", AUDIT_LINE_RULE, AUDIT_FIELD_EXE },
                { "-a user,never -F euid=0", AUDIT_LINE_RULE, AUDIT_FIELD_UNEVAL },
                { "-a user,never -F arch=b64", AUDIT_LINE_RULE, AUDIT_FIELD_UNEVAL },
                { "-a user,never -F a0&1", AUDIT_LINE_RULE, AUDIT_FIELD_UNEVAL },
                { "-a user,never -F ppid=1", AUDIT_LINE_REJECTED },    /* exit list only */
                { "-a user,never -F path=/etc", AUDIT_LINE_REJECTED }, /* likewise */
                { "-a user,never -F obj_type=etc_t", AUDIT_LINE_REJECTED },
                { "-a user,never -F arch>1", AUDIT_LINE_REJECTED },
                { "-a user,never -F exe>/x", AUDIT_LINE_REJECTED },
                { "-a user,never -F uid&1", AUDIT_LINE_REJECTED },
                { "-a user,always -S execve", AUDIT_LINE_REJECTED }, /* "syscall auditing being added to user list" */
                { "-a user,never -F msgtype=USER_AVC -k x", AUDIT_LINE_UNCLEAR },
                { "-a user,sometimes -F msgtype=USER_AVC", AUDIT_LINE_REJECTED },
        };
        AuditLine l;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                if (kind_of(cases[i].line, &l) != cases[i].kind)
                        fprintf(stderr, "%s: kind %d\n", cases[i].line, l.kind);
                ASSERT_EQ(l.kind, cases[i].kind);
                if (!strstr(cases[i].line, "sometimes"))
                        ASSERT_EQ(l.list, AUDIT_LIST_USER);
                if (l.kind == AUDIT_LINE_RULE)
                        ASSERT_EQ(l.fields[l.n_fields - 1].type, cases[i].last);
                audit_line_done(&l);
        }
        ASSERT_EQ(kind_of("-a never,user -F msgtype=1107", &l), AUDIT_LINE_RULE);
        ASSERT_TRUE(l.never);
        audit_line_done(&l);
}

TEST(parse_operators_and_values) {
        static const struct {
                const char *field;
                AuditOp op;
                uint32_t value;
        } cases[] = {
                { "msgtype=1107", AUDIT_OP_EQ, 1107 },          { "msgtype!=1107", AUDIT_OP_NE, 1107 },
                { "msgtype<1107", AUDIT_OP_LT, 1107 },          { "msgtype>1107", AUDIT_OP_GT, 1107 },
                { "msgtype<=1107", AUDIT_OP_LE, 1107 },         { "msgtype>=1107", AUDIT_OP_GE, 1107 },
                { "msgtype=USER_AVC", AUDIT_OP_EQ, 1107 },      { "MSGTYPE=user_avc", AUDIT_OP_EQ, 1107 },
                { "msgtype=0x578", AUDIT_OP_EQ, 1400 },         { "msgtype=02530", AUDIT_OP_EQ, 1368 },
                { "msgtype=UNKNOWN[1450]", AUDIT_OP_EQ, 1450 }, { "msgtype>=4294967295", AUDIT_OP_GE, UINT32_MAX },
                { "msgtype=CONFIG_CHANGE", AUDIT_OP_EQ, 1305 },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *line = strjoin("-a exclude,always -F ", cases[i].field);
                AuditLine l;

                ASSERT_EQ(kind_of(line, &l), AUDIT_LINE_RULE);
                ASSERT_EQ(l.fields[0].op, cases[i].op);
                ASSERT_EQ(l.fields[0].value, cases[i].value);
                ASSERT_STREQ(l.fields[0].text, strstr(line, "-F"));
                audit_line_done(&l);
        }
}

TEST(parse_refused_and_unclear) {
        static const char *const rejected[] = {
                "-a exclude,always -F msgtype&1", /* the kernel: no bit operators on msgtype */
                "-a exclude,always -F msgtype&=1",
                "-a exclude,always -F msgtype=NO_SUCH_TYPE",
                "-a exclude,always -F msgtype=-5",
                "-a exclude,always -F euid=0", /* not a field of the exclude list */
                "-a exclude,always -F key=x",
                "-a exclude,always -F msgtype=1 -k x",
                "-a exclude,always -S execve",
                "-a exclude,always -F msgtype",
                "-a exclude,always -F msgtype=",
                "-F msgtype=1 -a exclude,always",
                "-a exclude,always -F msgtype=1 # comment",
                "-a exclude,always -a exclude,never",
                "-a exclude,sometimes -F msgtype=1",
                "-a Always,exclude -F msgtype=1",
                "-a exclude -F msgtype=1",
                "-a exclude,always -F nosuch=1",
                "-a exclude,always -F subj_type>x",
                "-a exclude,always -F uid&1",
                "-a\texclude,always -F msgtype=1", /* auditctl splits at spaces only */
        };
        static const char *const unclear[] = {
                "-a exclude,always -F msgtype=1400abc", /* strtol() reads 1400 and says nothing */
                "-a exclude,always -F msgtype=99999999999", "-a exclude,always -F msgtype=1400\r",
                "-a exclude,always -F exe=/usr/bin/x",      "-a exclude,possible -F msgtype=1",
                "-a exclude,always -F subj_type=a\\ b",
        };
        AuditLine l;

        for (size_t i = 0; i < ELEMENTSOF(rejected); i++) {
                if (kind_of(rejected[i], &l) != AUDIT_LINE_REJECTED)
                        fprintf(stderr, "not rejected: %s\n", rejected[i]);
                ASSERT_EQ(l.kind, AUDIT_LINE_REJECTED);
                ASSERT_TRUE(l.reason && *l.reason);
                audit_line_done(&l);
        }
        for (size_t i = 0; i < ELEMENTSOF(unclear); i++) {
                if (kind_of(unclear[i], &l) != AUDIT_LINE_UNCLEAR)
                        fprintf(stderr, "not unclear: %s\n", unclear[i]);
                ASSERT_EQ(l.kind, AUDIT_LINE_UNCLEAR);
                audit_line_done(&l);
        }
        /* 63 fields are fine, the 64th is refused by libaudit. */
        {
                _cleanup_free_ char *line = strdup("-a exclude,always");
                for (int i = 0; i < 63; i++)
                        ASSERT_OK(strextend(&line, " -F msgtype!=%d", i));
                ASSERT_EQ(kind_of(line, &l), AUDIT_LINE_RULE);
                audit_line_done(&l);
                ASSERT_OK(strextend(&line, " -F msgtype!=99"));
                ASSERT_EQ(kind_of(line, &l), AUDIT_LINE_REJECTED);
                audit_line_done(&l);
        }
}

TEST(same_rule) {
        AuditLine a, b, c, d;

        kind_of("-a exclude,always -F msgtype=AVC -F auid=0", &a);
        kind_of("-A always,exclude -Fmsgtype=1400 -F loginuid=0", &b);
        kind_of("-a exclude,never -F msgtype=AVC -F auid=0", &c);
        kind_of("-a exclude,always -F auid=0 -F msgtype=AVC", &d);
        ASSERT_TRUE(audit_line_same_rule(&a, &b));
        ASSERT_TRUE(!audit_line_same_rule(&a, &c)); /* the action counts */
        ASSERT_TRUE(!audit_line_same_rule(&a, &d)); /* and the order of fields */
        audit_line_done(&d);
        kind_of("-a user,always -F msgtype=AVC -F auid=0", &d);
        ASSERT_TRUE(!audit_line_same_rule(&a, &d)); /* and the list */
        audit_line_done(&a);
        audit_line_done(&b);
        audit_line_done(&c);
        audit_line_done(&d);
}

/* ---- message type names ---- */

TEST(type_names) {
        uint32_t t;

        ASSERT_OK(audit_type_from_name("AVC", &t));
        ASSERT_EQ(t, AUDIT_AVC);
        ASSERT_OK(audit_type_from_name("user_avc", &t));
        ASSERT_EQ(t, AUDIT_USER_AVC);
        ASSERT_OK(audit_type_from_name("Mac_Status", &t));
        ASSERT_EQ(t, AUDIT_MAC_STATUS);
        ASSERT_EQ(audit_type_from_name("UNKNOWN[0]", &t), -ENOENT);
        ASSERT_EQ(audit_type_from_name("UNKNOWN[12x]", &t), -EINVAL);
        ASSERT_EQ(audit_type_from_name("NOPE", &t), -ENOENT);
        ASSERT_STREQ(audit_type_to_name(AUDIT_CONFIG_CHANGE), "CONFIG_CHANGE");
        ASSERT_NULL(audit_type_to_name(1499));
        for (uint32_t x = 0; x < 70000; x++)
                ASSERT_EQ(audit_type_is_selinux(x), x == 1107 || (x >= 1400 && x <= 1499));
}

/* Every name in seprov's table must mean what the installed libaudit says it means. libaudit1 is not
 * seprov's dependency, but libsemanage's, so it is on every machine that builds seprov: a missing one
 * fails here rather than skipping the cross-check unseen. */
TEST(type_names_match_libaudit) {
        void *h = dlopen("libaudit.so.1", RTLD_NOW);
        const char *(*to_name)(int);
        int (*from_name)(const char *);
        unsigned checked = 0;

        if (!h)
                printf("# libaudit.so.1 (libsemanage's dependency) could not be loaded: %s\n", dlerror());
        ASSERT_TRUE(h);
        to_name = (const char *(*) (int) ) dlsym(h, "audit_msg_type_to_name");
        from_name = (int (*)(const char *)) dlsym(h, "audit_name_to_msg_type");
        ASSERT_TRUE(to_name && from_name);
        for (int t = 0; t < 65536; t++) {
                const char *theirs = to_name(t), *ours = audit_type_to_name((uint32_t) t);
                uint32_t v;

                if (!theirs)
                        continue;
                /* Every name libaudit has, seprov has, with the same number. */
                ASSERT_OK(audit_type_from_name(theirs, &v));
                ASSERT_EQ(v, t);
                ASSERT_TRUE(ours && strcasecmp(ours, theirs) == 0);
                checked++;
        }
        printf("# %u type names agree with the installed libaudit\n", checked);
        ASSERT_TRUE(checked > 150);
        dlclose(h);
}

/* ---- augenrules' order ---- */

TEST(order_is_ls_v) {
        static const char *const names[] = {
                "99-default.rules", "00-clear.rules", "80-selinux.rules", "9-x.rules",    "10-a.rules",
                "010-b.rules",      "10-a.b.rules",   "10-a~x.rules",     "a.rules",      "A.rules",
                "10.rules",         "1.2.rules",      "1.10.rules",       "20-x-1.rules", "20-x-10.rules",
                "20-x-9.rules",     "foo-1.0.rules",  "foo-1.0a.rules",   "_x.rules",
        };
        _cleanup_free_ char *dir = strjoin(root, "/order"), *cmd = strjoin("ls -1v ", dir);
        char *sorted[ELEMENTSOF(names)], line[256];
        FILE *ls;
        size_t i = 0;

        ASSERT_OK(mkdir(dir, 0755));
        for (size_t k = 0; k < ELEMENTSOF(names); k++) {
                _cleanup_free_ char *p = strjoin(dir, "/", names[k]);
                int fd = open(p, O_CREAT | O_WRONLY, 0644);
                ASSERT_OK(fd);
                close(fd);
                sorted[k] = (char *) names[k];
        }
        qsort(sorted, ELEMENTSOF(names), sizeof(char *), (int (*)(const void *, const void *)) strcmp);
        /* Insertion sort with filevercmp(), ties by strcmp() as ls does. */
        for (size_t a = 1; a < ELEMENTSOF(names); a++)
                for (size_t b = a;
                     b > 0 && (filevercmp(sorted[b - 1], sorted[b]) ?: strcmp(sorted[b - 1], sorted[b])) > 0; b--) {
                        char *t = sorted[b];
                        sorted[b] = sorted[b - 1];
                        sorted[b - 1] = t;
                }
        ls = popen(cmd, "r");
        ASSERT_TRUE(ls);
        while (fgets(line, sizeof line, ls)) {
                line[strcspn(line, "\n")] = '\0';
                ASSERT_TRUE(i < ELEMENTSOF(names));
                ASSERT_STREQ(sorted[i], line);
                i++;
        }
        ASSERT_EQ(pclose(ls), 0);
        ASSERT_EQ(i, ELEMENTSOF(names));
}

/* ---- the rewrite's semantics, against the independent model (audit-sim.h) ---- */

static const uint32_t extra_types[] = { 65536, 70000, 1u << 31, UINT32_MAX - 1, UINT32_MAX };
static unsigned long n_sets, n_sets_warned, n_checks;

static void restore_all(char **texts, size_t n, AuditText *ret) {
        for (size_t i = 0; i < n; i++) {
                ret[i].name = strprintf("/etc/audit/rules.d/%02zu.rules", i);
                ASSERT_OK(audit_restore_text(texts[i], strlen(texts[i]), &ret[i].data, &ret[i].size, NULL));
        }
}

static void check_drops(const char *const *before, const char *const *after, size_t n, bool warned) {
        static Sim b, a, keys;

        sim_load(&b, before, (int) n);
        sim_load(&a, after, (int) n);
        keys = b;
        for (int i = 0; i < a.n_env; i++)
                sim_env_index(&keys, a.env_keys[i]);
        sim_bind(&b, &keys);
        sim_bind(&a, &keys);
        for (unsigned env = 0; env < (1u << keys.n_env); env++)
                for (uint64_t i = 0; i < 65536 + ELEMENTSOF(extra_types); i++) {
                        uint32_t t = i < 65536 ? (uint32_t) i : extra_types[i - 65536];
                        bool db = sim_drops(&b, t, env), da = sim_drops(&a, t, env);
                        bool ub = sim_user_passes(&b, t, env), ua = sim_user_passes(&a, t, env);

                        /* The user list: every other type as before, USER_AVC passes (when a rule
                         * could not be rewritten, it is no worse than before). */
                        if (t != AUDIT_TYPE_USER_AVC ? ua != ub : !ua && !(warned && !ub))
                                fprintf(stderr, "user list, type %u env %u: before %d after %d\n%s\n---\n%s\n", t, env,
                                        ub, ua, before[0], after[0]);
                        ASSERT_TRUE(t != AUDIT_TYPE_USER_AVC ? ua == ub : ua || (warned && !ub));

                        if (!warned || !audit_type_is_selinux(t)) {
                                /* Exactly: everything else as before, SELinux types never. */
                                if (da != (db && !audit_type_is_selinux(t)))
                                        fprintf(stderr, "type %u env %u: before %d after %d\n%s\n---\n%s\n", t, env,
                                                db, da, before[0], after[0]);
                                ASSERT_EQ(da, db && !audit_type_is_selinux(t));
                        } else
                                /* Rules left as they are (warned) may still drop SELinux types, never more. */
                                ASSERT_TRUE(!da || db);
                        n_checks++;
                }
}

/* Rewrites a rule set (files in load order) and checks the semantics and the round trips. Returns
 * the number of warnings. */
static size_t check_set(const char *const *texts, size_t n) {
        AuditText *in = calloc(n, sizeof(AuditText)), *out = NULL, *again = NULL, *back = calloc(n, sizeof(AuditText));
        char **outs = calloc(n, sizeof(char *));
        Diags w = {}, w2 = {};
        size_t warnings;

        restore_all((char **) texts, n, in);
        for (size_t i = 0; i < n; i++)
                ASSERT_STREQ(in[i].data, texts[i]); /* generated sets carry no marks */
        ASSERT_OK(audit_rewrite_texts(in, n, &out, NULL, &w));
        for (size_t i = 0; i < n; i++)
                outs[i] = out[i].data;
        check_drops(texts, (const char *const *) outs, n, w.n > 0);

        /* restore(rewrite(x)) == x, byte for byte; rewrite(rewrite(x)) == rewrite(x). */
        restore_all(outs, n, back);
        for (size_t i = 0; i < n; i++)
                ASSERT_STREQ(back[i].data, texts[i]);
        ASSERT_OK(audit_rewrite_texts(back, n, &again, NULL, &w2));
        for (size_t i = 0; i < n; i++)
                ASSERT_STREQ(again[i].data, out[i].data);
        ASSERT_EQ(w2.n, w.n);

        warnings = w.n;
        n_sets++;
        n_sets_warned += warnings > 0;
        diags_clear(&w);
        diags_clear(&w2);
        audit_texts_free(in, n);
        audit_texts_free(out, n);
        audit_texts_free(again, n);
        audit_texts_free(back, n);
        free(outs);
        return warnings;
}

#define CHECK_SET(...)                                    \
        ({                                                \
                const char *const _t[] = { __VA_ARGS__ }; \
                check_set(_t, ELEMENTSOF(_t));            \
        })

TEST(rewrite_flatcar) {
        const char *const t[] = {
                "-D\n",
                "-a exclude,never -F msgtype>=1400 -F msgtype<=1499\n",
                "-a exclude,never -F msgtype=CONFIG_CHANGE\n-a exclude,always -F msgtype>0\n",
        };
        AuditText in[3], *out;
        Diags w = {};
        unsigned n;

        ASSERT_EQ(check_set(t, 3), 0);
        restore_all((char **) t, 3, in);
        ASSERT_OK(audit_rewrite_texts(in, 3, &out, &n, &w));
        ASSERT_EQ(n, 2);
        ASSERT_STREQ(out[0].data, "-D\n");
        ASSERT_STREQ(
                out[1].data,
                "# seprov: SELinux records (1107, 1400-1499) pass; the image's rule dropped nothing else. It was:\n"
                "# seprov-was: -a exclude,never -F msgtype>=1400 -F msgtype<=1499\n"
                "# seprov-end\n");
        ASSERT_STREQ(out[2].data, "-a exclude,never -F msgtype=CONFIG_CHANGE\n"
                                  "# seprov: SELinux records (1107, 1400-1499) pass; the image's rule was:\n"
                                  "# seprov-was: -a exclude,always -F msgtype>0\n"
                                  "-a exclude,always -F msgtype>0 -F msgtype<1107\n"
                                  "-a exclude,always -F msgtype>1107 -F msgtype<1400\n"
                                  "-a exclude,always -F msgtype>1499\n"
                                  "# seprov-end\n");
        audit_texts_free(out, 3);
        for (size_t i = 0; i < 3; i++) {
                free(in[i].name);
                free(in[i].data);
        }
}

/* The last file without a final newline: seprov's end line has one all the same (nothing follows for
 * it to join), and restoring takes the image's missing newline back. */
TEST(rewrite_last_file_without_newline) {
        const char *const t[] = { "-w /etc/shadow -p wa\n", "-a exclude,never -F msgtype>=1400 -F msgtype<=1499" };
        _cleanup_free_ char *back = NULL;
        AuditText in[2], *out;
        Diags w = {};
        size_t n_back;

        restore_all((char **) t, 2, in);
        ASSERT_OK(audit_rewrite_texts(in, 2, &out, NULL, &w));
        ASSERT_EQ(w.n, 0);
        ASSERT_STREQ(out[0].data, t[0]);
        ASSERT_TRUE(out[1].size > 0 && out[1].data[out[1].size - 1] == '\n');
        ASSERT_TRUE(startswith(out[1].data, "# seprov: "));
        ASSERT_OK(audit_restore_text(out[1].data, out[1].size, &back, &n_back, NULL));
        ASSERT_STREQ(back, t[1]);
        audit_texts_free(out, 2);
        for (size_t i = 0; i < 2; i++) {
                free(in[i].name);
                free(in[i].data);
        }
        diags_clear(&w);
}

/* augenrules concatenates the files: a file's last line without a newline goes on with the next
 * file's first line. What loads is the joined line, and a rule seprov would have to end there (a
 * block ends with a newline) is left as it is, with a warning. */
static void check_joined(const char *a, const char *b, bool dropped, unsigned line, size_t warnings) {
        const char *const t[] = { a, b };
        AuditText in[2], *out;
        AuditDrop d;
        Diags w = {};

        restore_all((char **) t, 2, in);
        ASSERT_OK(audit_load_drops(in, 2, &d));
        if (d.selinux != dropped)
                fprintf(stderr, "joined %s|%s: dropped %d\n", a, b, d.selinux);
        ASSERT_EQ(d.selinux, dropped);
        if (dropped) {
                ASSERT_EQ(d.file, 0);
                ASSERT_EQ(d.line, line);
        }
        ASSERT_OK(audit_rewrite_texts(in, 2, &out, NULL, &w));
        ASSERT_EQ(w.n, warnings);
        for (size_t i = 0; i < 2; i++) {
                ASSERT_STREQ(out[i].data, t[i]); /* the files as they were */
                free(in[i].name);
                free(in[i].data);
        }
        audit_texts_free(out, 2);
        diags_clear(&w);
}

TEST(rewrite_joined_lines) {
        /* A comment without a newline swallows the next file's rule: nothing is dropped. */
        check_joined("-D\n# the end", "-a exclude,never -F msgtype>=1400 -F msgtype<=1499\n", false, 0, 0);
        /* A rule split over two files is one rule, dropping SELinux records; left, with a warning. */
        check_joined("-a exclude,never -F msgtype>=1400", " -F msgtype<=1499\n-w /etc/shadow -p wa\n", true, 1, 1);
        check_joined("-a user,never", " -F msgtype=USER_AVC\n", true, 1, 1);
        /* A rule run into the next file's first line: auditctl refuses what it gets, and stops there. */
        check_joined("-w /etc/passwd -p wa", "-a exclude,always -F msgtype>0\n", false, 0, 0);
        /* Through an empty file. */
        {
                const char *const t[] = { "# x", "", "-a exclude,always -F msgtype>0\n" };
                AuditText in[3];
                AuditDrop d;

                restore_all((char **) t, 3, in);
                ASSERT_OK(audit_load_drops(in, 3, &d));
                ASSERT_TRUE(!d.selinux);
                for (size_t i = 0; i < 3; i++) {
                        free(in[i].name);
                        free(in[i].data);
                }
        }
}

TEST(rewrite_hand_written_sets) {
        /* Each without warnings: the property holds exactly. */
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype!=1400\n"), 0);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype=USER_AVC\n-a exclude,never -F msgtype=avc\n"), 0);
        ASSERT_EQ(CHECK_SET("-A exclude,always -F msgtype>=1100 -F msgtype<=1199\n"), 0);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>1300 -F msgtype<1600 -F msgtype!=1450 -F msgtype!=1305\n"),
                  0);
        ASSERT_EQ(
                CHECK_SET(
                        "-a exclude,always -F uid=0 -F msgtype>=1000\n-a exclude,always -F msgtype<2000 -F pid!=1\n"),
                0);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>=1107 -F msgtype<=1107 -F auid>=1000\n"), 0);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype=0x578\n-a exclude,always -F msgtype>=02124\n"), 0);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype<=4294967295\n"), 0);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>1498 -F msgtype<1501\n"), 0);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>1106 -F msgtype<1108\n"), 0); /* just 1107 */
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>5 -F msgtype<3\n"), 0);       /* nothing at all */
        ASSERT_EQ(CHECK_SET("-a exclude,always\n-a exclude,never -F msgtype=SYSCALL\n"), 0);
        /* -D in the middle: augenrules hoists it, it clears nothing loaded after it. */
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>1000\n-D\n-b 8192\n",
                            "-D\n-a exclude,never -F msgtype=AVC\n-e 1\n"),
                  0);
        /* Two rules whose replacements coincide: the second replacement is left out, not refused. */
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>0\n", "-a exclude,always -F msgtype>=1\n"), 0);
        /* A rule identical to a replacement seprov writes before it is marked too. */
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>1107 -F msgtype<1500\n-a exclude,always -F msgtype>1499\n"),
                  0);
        /* Rules on other lists and control lines stay. */
        ASSERT_EQ(CHECK_SET("-w /etc/shadow -p wa -k shadow\n-a always,exit -F arch=b64 -S execve\n-a exclude,always "
                            "-F msgtype>=1300\n"),
                  0);
}

TEST(rewrite_user_list) {
        const char *const t[] = {
                "-a user,never -F msgtype=USER_AVC\n"
                "-a never,user -F subj_type=sshd_t\n"
                "-a user,always -F msgtype=USER_AVC\n"
                "-a user,never -F msgtype>=1100 -F msgtype<=1199\n"
                "-a user,never -F msgtype=USER_LOGIN\n",
        };
        AuditText in[1], *out;
        Diags w = {};
        unsigned n;

        ASSERT_EQ(check_set(t, 1), 0);
        restore_all((char **) t, 1, in);
        ASSERT_OK(audit_rewrite_texts(in, 1, &out, &n, &w));
        ASSERT_EQ(n, 3);
        ASSERT_STREQ(out[0].data,
                     "# seprov: USER_AVC (1107) passes the user list; the image's rule matched nothing else. It was:\n"
                     "# seprov-was: -a user,never -F msgtype=USER_AVC\n"
                     "# seprov-end\n"
                     "# seprov: USER_AVC (1107) passes the user list; the image's rule was:\n"
                     "# seprov-was: -a never,user -F subj_type=sshd_t\n"
                     "-a never,user -F subj_type=sshd_t -F msgtype!=1107\n"
                     "# seprov-end\n"
                     "-a user,always -F msgtype=USER_AVC\n"
                     "# seprov: USER_AVC (1107) passes the user list; the image's rule was:\n"
                     "# seprov-was: -a user,never -F msgtype>=1100 -F msgtype<=1199\n"
                     "-a user,never -F msgtype>=1100 -F msgtype<=1199 -F msgtype!=1107\n"
                     "# seprov-end\n"
                     "-a user,never -F msgtype=USER_LOGIN\n");
        audit_texts_free(out, 1);
        free(in[0].name);
        free(in[0].data);

        /* Rules that decide before or end the list keep their effect on every other type. */
        ASSERT_EQ(CHECK_SET("-a user,never -F euid=0 -F msgtype=USER_AVC\n-a user,never -F uid=0\n"), 0);
        ASSERT_EQ(CHECK_SET("-a user,never -F uid=0 -F euid=0\n-a never,user -F msgtype<2000\n"), 0);
        ASSERT_EQ(CHECK_SET("-a user,always -F pid!=1\n-a user,never\n-a user,never -F auid>=1000\n"), 0);
        /* Duplicates and deletes of a rewritten rule are rewritten alike: the second -a still fails,
         * the -d still deletes it. */
        ASSERT_EQ(CHECK_SET("-a user,never -F msgtype=USER_AVC\n-a user,never -F msgtype=USER_AVC\n-a user,never -F "
                            "uid=0\n"),
                  0);
        ASSERT_EQ(CHECK_SET("-a user,never -F uid=0\n", "-d user,never -F uid=0\n-a user,never -F msgtype>1000\n"), 0);
        ASSERT_EQ(CHECK_SET("-d user,never -F uid=0\n-a user,never -F uid=0\n"), 0); /* fails before, fails after */
        /* A -d of USER_AVC alone deletes nothing, and auditctl stops there: it stays a -d that fails. */
        ASSERT_EQ(CHECK_SET("-d user,never -F msgtype=USER_AVC\n-a exclude,always -F msgtype=1300\n"), 0);
        /* Both lists at once. */
        ASSERT_EQ(CHECK_SET("-a never,user -F auid=0\n", "-a exclude,always -F msgtype>0\n"), 0);
}

TEST(rewrite_user_list_warned) {
        _cleanup_free_ char *full = strdup("-a user,never");

        /* The same rule as the one seprov would write already stands in the set. */
        ASSERT_EQ(CHECK_SET("-a user,never -F uid=0\n-a user,never -F uid=0 -F msgtype!=1107\n"), 1);
        /* No room for one more field: left, with a warning, and its -d with it. */
        for (int i = 0; i < 62; i++)
                ASSERT_OK(strextend(&full, " -F msgtype!=%d", i));
        ASSERT_OK(strextend(&full, " -F msgtype>1000"));
        {
                _cleanup_free_ char *set = strprintf("%s\n-d%s\n", full, full + 2);
                ASSERT_EQ(CHECK_SET(set), 2);
        }
}

TEST(rewrite_warned_sets) {
        /* Refused or unclear lines stay and are reported; rules involved in a duplicate or a -d too. */
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype&1\n-a exclude,always -F msgtype>0\n"), 1);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype=NO_SUCH\n"), 1);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>0\n-a exclude,always -F msgtype>0\n"), 2);
        ASSERT_EQ(CHECK_SET("-a exclude,always -F msgtype>0\n-d exclude,always -F msgtype>0\n"), 1);
        ASSERT_EQ(CHECK_SET("-c\n-a exclude,always -F msgtype>0\n-a exclude,always -F msgtype>0\n-a exclude,never -F "
                            "msgtype=1400\n"),
                  2);
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n) {
        rnd_state = rnd_state * 1103515245u + 12345u;
        return (rnd_state >> 8) % n;
}

static const char *const rnd_values[] = {
        "0",        "1",        "5",           "1100",          "1106",    "1107",       "1108",
        "1300",     "1305",     "1399",        "1400",          "1401",    "1450",       "1498",
        "1499",     "1500",     "1501",        "2000",          "65535",   "70000",      "4294967295",
        "AVC",      "USER_AVC", "SELINUX_ERR", "CONFIG_CHANGE", "SYSCALL", "MAC_STATUS", "avc",
        "user_tty", "0x578",    "02124",       "ANOM_ABEND",
};
static const char *const rnd_ops[] = { "=", "!=", "<", ">", "<=", ">=" };
static const char *const rnd_lists[] = { "-a exclude,always", "-a never,exclude",  "-A exclude,never",
                                         "-a exclude,never",  "-A always,exclude", "-a always,exclude" };
static const char *const rnd_user_lists[] = { "-a user,never", "-a never,user", "-A user,never", "-a user,always",
                                              "-A always,user" };
static const char *const rnd_user_others[] = { "uid=0", "pid!=1", "auid>=1000", "euid=0" };
static const char *const rnd_user_values[] = { "1100", "1106",     "1107",       "1108", "1199",
                                               "2100", "USER_AVC", "USER_LOGIN", "1000", "3000" };
static bool rnd_user;
static const char *const rnd_others[] = { "uid=0", "pid!=1", "auid>=1000" };
static const char *const rnd_noise[] = { "-D",
                                         "-b 8192",
                                         "-e 1",
                                         "# a comment",
                                         "",
                                         "-f 1",
                                         "-w /etc/passwd -p wa -k identity",
                                         "-a always,exit -F arch=b64 -S execve" };

/* A user-list rule: msgtype around USER_AVC, process fields, and one the kernel does not evaluate. */
static char *rnd_user_rule(void) {
        char *line = strdup(rnd_user_lists[rnd(ELEMENTSOF(rnd_user_lists))]);
        unsigned n = rnd(4);

        for (unsigned i = 0; i < n; i++)
                if (rnd(3) == 0)
                        ASSERT_OK(strextend(&line, " -F %s", rnd_user_others[rnd(ELEMENTSOF(rnd_user_others))]));
                else
                        ASSERT_OK(strextend(&line, " -F msgtype%s%s", rnd_ops[rnd(ELEMENTSOF(rnd_ops))],
                                            rnd_user_values[rnd(ELEMENTSOF(rnd_user_values))]));
        return line;
}

static char *rnd_rule(void) {
        char *line;
        unsigned n = rnd(4), with_other = rnd(4) == 0;

        if (rnd_user && rnd(2) == 0)
                return rnd_user_rule();
        line = strdup(rnd_lists[rnd(ELEMENTSOF(rnd_lists))]);

        for (unsigned i = 0; i < n + with_other; i++) {
                if (with_other && i == rnd(n + 1))
                        ASSERT_OK(strextend(&line, " -F %s", rnd_others[rnd(ELEMENTSOF(rnd_others))]));
                else
                        ASSERT_OK(strextend(&line, " -F msgtype%s%s", rnd_ops[rnd(ELEMENTSOF(rnd_ops))],
                                            rnd_values[rnd(ELEMENTSOF(rnd_values))]));
        }
        if (rnd(30) == 0)
                ASSERT_OK(strextend(&line, " -F msgtype&%u", rnd(3000)));
        return line;
}

static char *rnd_file(char ***prev) {
        char *text = strdup("");
        unsigned n = 1 + rnd(5);

        for (unsigned i = 0; i < n; i++) {
                unsigned k = rnd(20);
                _cleanup_free_ char *line = NULL;

                if (k < 3)
                        line = strdup(rnd_noise[rnd(ELEMENTSOF(rnd_noise))]);
                else if (k == 3 && strv_length(*prev) > 0)
                        line = strdup((*prev)[rnd(strv_length(*prev))]); /* a duplicate */
                else if (k == 4 && strv_length(*prev) > 0) {
                        const char *p = (*prev)[rnd(strv_length(*prev))];
                        line = strjoin("-d", strchr(p, ' ')); /* delete an earlier rule */
                } else if (k == 5 && rnd_user) {
                        _cleanup_free_ char *r = rnd_rule();
                        line = strjoin("-d", strchr(r, ' ')); /* delete what is not there: auditctl stops */
                } else {
                        line = rnd_rule();
                        ASSERT_OK(strv_extend(prev, line));
                }
                ASSERT_OK(strextend(&text, "%s\n", line));
        }
        return text;
}

TEST(rewrite_random_sets) {
        const unsigned sets = 400;

        rnd_user = false;
        for (unsigned s = 0; s < sets; s++) {
                _cleanup_strv_free_ char **prev = NULL;
                char *texts[3];
                size_t n = 1 + rnd(3);

                for (size_t i = 0; i < n; i++)
                        texts[i] = rnd_file(&prev);
                check_set((const char *const *) texts, n);
                for (size_t i = 0; i < n; i++)
                        free(texts[i]);
        }
}

/* Half the rules on the user list, the other half on the exclude list. */
TEST(rewrite_random_user_sets) {
        const unsigned sets = 300;

        rnd_user = true;
        for (unsigned s = 0; s < sets; s++) {
                _cleanup_strv_free_ char **prev = NULL;
                char *texts[3];
                size_t n = 1 + rnd(3);

                for (size_t i = 0; i < n; i++)
                        texts[i] = rnd_file(&prev);
                check_set((const char *const *) texts, n);
                for (size_t i = 0; i < n; i++)
                        free(texts[i]);
        }
        rnd_user = false;
}

/* ---- the files in /etc/audit/rules.d ---- */

static const char flatcar_80[] = "-a exclude,never -F msgtype>=1400 -F msgtype<=1499\n";
static const char flatcar_99[] = "-a exclude,never -F msgtype=CONFIG_CHANGE\n-a exclude,always -F msgtype>0\n";
static const char label[] = "system_u:object_r:auditd_etc_t:s0";

static char *at(const char *dir, const char *rel) {
        char *p = strjoin(root, "/", dir, "/", rel);
        ASSERT_TRUE(p);
        return p;
}

static void put(const char *dir, const char *rel, const char *data, mode_t mode) {
        _cleanup_free_ char *p = at(dir, rel);
        int fd = open(p, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode);

        ASSERT_OK(fd);
        ASSERT_EQ(write(fd, data, strlen(data)), (ssize_t) strlen(data));
        ASSERT_OK(fchmod(fd, mode));
        ASSERT_OK(fchown(fd, 0, 4)); /* root:adm, something to keep */
        ASSERT_OK(fsetxattr(fd, "security.selinux", label, sizeof label, 0));
        close(fd);
}

static char *get(const char *dir, const char *rel) {
        _cleanup_free_ char *p = at(dir, rel);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        char *data;

        ASSERT_OK(fd);
        ASSERT_OK(read_full_fd(fd, 1 << 20, &data, NULL));
        close(fd);
        return data;
}

static void mkdirs(const char *dir, const char *rel) {
        _cleanup_free_ char *cmd = strprintf("mkdir -p '%s/%s/%s'", root, dir, rel);
        ASSERT_EQ(system(cmd), 0);
}

static int open_root(const char *dir) {
        _cleanup_free_ char *p = strjoin(root, "/", dir);
        int fd = chase_root_open(p);
        ASSERT_OK(fd);
        return fd;
}

static void assert_attrs(const char *dir, const char *rel) {
        _cleanup_free_ char *p = at(dir, rel);
        char l[128] = {};
        struct stat st;

        ASSERT_OK(lstat(p, &st));
        ASSERT_TRUE(S_ISREG(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0640);
        ASSERT_EQ(st.st_uid, 0);
        ASSERT_EQ(st.st_gid, 4);
        ASSERT_TRUE(lgetxattr(p, "security.selinux", l, sizeof l) > 0);
        ASSERT_STREQ(l, label);
}

static struct timespec mtime_of(const char *dir, const char *rel) {
        _cleanup_free_ char *p = at(dir, rel);
        struct stat st;

        ASSERT_OK(lstat(p, &st));
        return st.st_mtim;
}

static void flatcar_root(const char *dir) {
        mkdirs(dir, "etc/audit/rules.d");
        put(dir, "etc/audit/rules.d/00-clear.rules", "-D\n", 0640);
        put(dir, "etc/audit/rules.d/80-selinux.rules", flatcar_80, 0640);
        put(dir, "etc/audit/rules.d/99-default.rules", flatcar_99, 0640);
}

TEST(files_rewrite_keep_and_restore) {
        int fd = (flatcar_root("plain"), open_root("plain"));
        _cleanup_free_ char *d80 = NULL, *d99 = NULL;
        struct timespec m80, m99, m00 = mtime_of("plain", "etc/audit/rules.d/00-clear.rules");
        AuditPlan p = {};
        AuditState s = {};

        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(s.selinux_dropped);
        ASSERT_STREQ(s.dropped_by, "/etc/audit/rules.d/80-selinux.rules:1");
        ASSERT_EQ(s.dropped_type, 1400);
        /* Named as auditd names them, with the range of their numbers. */
        ASSERT_STREQ(s.dropped_types, "AVC, SELINUX_ERR, AVC_PATH and 97 more (types 1400-1499)");
        ASSERT_EQ(s.n_marked, 0);
        audit_state_done(&s);

        /* The plan (a dry run) changes nothing. */
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_files, 3);
        ASSERT_EQ(p.n_changes, 2);
        ASSERT_EQ(p.n_rules, 2);
        ASSERT_EQ(p.warnings.n, 0);
        ASSERT_STREQ(p.changes[0].path, "/etc/audit/rules.d/80-selinux.rules");
        ASSERT_EQ(p.changes[0].kind, AUDIT_CHANGE_WRITE);
        d80 = get("plain", "etc/audit/rules.d/80-selinux.rules");
        ASSERT_STREQ(d80, flatcar_80);

        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        assert_attrs("plain", "etc/audit/rules.d/80-selinux.rules");
        assert_attrs("plain", "etc/audit/rules.d/99-default.rules");
        ASSERT_EQ(mtime_of("plain", "etc/audit/rules.d/00-clear.rules").tv_nsec, m00.tv_nsec); /* not written */
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(!s.selinux_dropped);
        ASSERT_EQ(s.n_marked, 2);
        audit_state_done(&s);

        /* Again: nothing to do, nothing written. */
        m80 = mtime_of("plain", "etc/audit/rules.d/80-selinux.rules");
        m99 = mtime_of("plain", "etc/audit/rules.d/99-default.rules");
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_changes, 0);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        ASSERT_EQ(mtime_of("plain", "etc/audit/rules.d/80-selinux.rules").tv_nsec, m80.tv_nsec);
        ASSERT_EQ(mtime_of("plain", "etc/audit/rules.d/99-default.rules").tv_nsec, m99.tv_nsec);

        /* Back to the image's rules, byte for byte, mode, owner and label kept. */
        ASSERT_OK(audit_rules_plan(fd, false, &p));
        ASSERT_EQ(p.n_changes, 2);
        ASSERT_EQ(p.n_rules, 2);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        free(d80);
        d80 = get("plain", "etc/audit/rules.d/80-selinux.rules");
        d99 = get("plain", "etc/audit/rules.d/99-default.rules");
        ASSERT_STREQ(d80, flatcar_80);
        ASSERT_STREQ(d99, flatcar_99);
        assert_attrs("plain", "etc/audit/rules.d/99-default.rules");
        ASSERT_OK(audit_rules_plan(fd, false, &p));
        ASSERT_EQ(p.n_changes, 0);
        audit_plan_done(&p);
        close(fd);
}

/* A hardening rule set's user-list rule: status says USER_AVC is dropped, and by which line, until
 * seprov has rewritten it; restoring gives the image's bytes back. */
TEST(files_user_list) {
        static const char hardening[] = "-a always,user -F auid=0\n-a user,never -F msgtype=USER_AVC\n";
        int fd;
        _cleanup_free_ char *d = NULL;
        AuditPlan p = {};
        AuditState s = {};

        mkdirs("user", "etc/audit/rules.d");
        put("user", "etc/audit/rules.d/00-clear.rules", "-D\n", 0640);
        put("user", "etc/audit/rules.d/30-hardening.rules", hardening, 0640);
        fd = open_root("user");
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(s.selinux_dropped);
        ASSERT_EQ(s.dropped_type, AUDIT_TYPE_USER_AVC);
        ASSERT_STREQ(s.dropped_by, "/etc/audit/rules.d/30-hardening.rules:2");
        ASSERT_STREQ(s.dropped_types, "USER_AVC (type 1107)");
        audit_state_done(&s);

        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_changes, 1);
        ASSERT_EQ(p.n_rules, 1);
        ASSERT_EQ(p.warnings.n, 0);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(!s.selinux_dropped);
        ASSERT_EQ(s.n_marked, 1);
        audit_state_done(&s);

        ASSERT_OK(audit_rules_plan(fd, false, &p));
        ASSERT_EQ(p.n_changes, 1);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        d = get("user", "etc/audit/rules.d/30-hardening.rules");
        ASSERT_STREQ(d, hardening);

        /* An "always" rule before it that takes USER_AVC from every process decides first; a field the
         * kernel does not evaluate there ends the list first. Either way nothing is dropped. */
        put("user", "etc/audit/rules.d/30-hardening.rules",
            "-a user,always -F msgtype>=1100 -F msgtype<=1199\n-a user,never -F msgtype=USER_AVC\n", 0640);
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(!s.selinux_dropped);
        audit_state_done(&s);
        put("user", "etc/audit/rules.d/30-hardening.rules", "-a user,never -F euid>=0\n-a user,never -F uid=0\n",
            0640);
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(!s.selinux_dropped);
        audit_state_done(&s);
        /* One that takes it only from some processes does not. */
        put("user", "etc/audit/rules.d/30-hardening.rules", "-a user,always -F auid>=1000\n-a never,user -F uid=0\n",
            0640);
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(s.selinux_dropped);
        ASSERT_STREQ(s.dropped_by, "/etc/audit/rules.d/30-hardening.rules:2");
        audit_state_done(&s);
        close(fd);
}

TEST(files_links_into_usr) {
        int fd;
        _cleanup_free_ char *d = NULL, *l = NULL, *lp = at("link", "etc/audit/rules.d/99-default.rules");
        AuditPlan p = {};
        char target[256] = {};

        mkdirs("link", "etc/audit/rules.d");
        mkdirs("link", "usr/share/audit/rules.d");
        put("link", "usr/share/audit/rules.d/99-default.rules", flatcar_99, 0640);
        put("link", "etc/audit/rules.d/00-clear.rules", "-D\n", 0640);
        ASSERT_OK(symlink("../../../usr/share/audit/rules.d/99-default.rules", lp));
        ASSERT_OK(lsetxattr(lp, "security.selinux", label, sizeof label, 0));
        fd = open_root("link");

        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_changes, 1);
        ASSERT_EQ(p.changes[0].kind, AUDIT_CHANGE_REPLACE_LINK);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        /* A regular file in /etc now, with the target's mode and owner and the link's label; /usr untouched. */
        assert_attrs("link", "etc/audit/rules.d/99-default.rules");
        d = get("link", "usr/share/audit/rules.d/99-default.rules");
        ASSERT_STREQ(d, flatcar_99);
        free(d);
        d = get("link", "etc/audit/rules.d/99-default.rules");
        ASSERT_TRUE(startswith(d, "# seprov-link fnv1a64="));
        ASSERT_TRUE(strstr(d, ": ../../../usr/share/audit/rules.d/99-default.rules\n"));
        ASSERT_TRUE(strstr(d, "-a exclude,always -F msgtype>1499\n"));
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_changes, 0);
        audit_plan_done(&p);

        /* An update of the image's file is taken, its rules rewritten too. */
        put("link", "usr/share/audit/rules.d/99-default.rules", "-a exclude,always -F msgtype>=1000\n", 0640);
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_changes, 1);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        free(d);
        d = get("link", "etc/audit/rules.d/99-default.rules");
        ASSERT_TRUE(strstr(d, "# seprov-was: -a exclude,always -F msgtype>=1000\n"));
        ASSERT_TRUE(!strstr(d, "CONFIG_CHANGE"));

        /* Restoring puts the link back, as it was. */
        ASSERT_OK(audit_rules_plan(fd, false, &p));
        ASSERT_EQ(p.n_changes, 1);
        ASSERT_EQ(p.changes[0].kind, AUDIT_CHANGE_RELINK);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        ASSERT_EQ(readlink(lp, target, sizeof target - 1),
                  (ssize_t) strlen("../../../usr/share/audit/rules.d/99-default.rules"));
        ASSERT_STREQ(target, "../../../usr/share/audit/rules.d/99-default.rules");
        {
                char lb[128] = {};
                ASSERT_TRUE(lgetxattr(lp, "security.selinux", lb, sizeof lb) > 0);
                ASSERT_STREQ(lb, label);
        }
        close(fd);
}

TEST(files_edited_copy_is_kept) {
        int fd;
        _cleanup_free_ char *d = NULL, *lp = at("edit", "etc/audit/rules.d/99-default.rules");
        AuditPlan p = {};

        mkdirs("edit", "etc/audit/rules.d");
        mkdirs("edit", "usr/lib/audit");
        put("edit", "usr/lib/audit/99-default.rules", flatcar_99, 0640);
        ASSERT_OK(symlink("/usr/lib/audit/99-default.rules", lp));
        fd = open_root("edit");
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);

        /* The administrator adds a rule to the copy; then the image changes too. The edit wins. */
        d = get("edit", "etc/audit/rules.d/99-default.rules");
        ASSERT_OK(strextend(&d, "-a exclude,always -F msgtype=1300\n"));
        put("edit", "etc/audit/rules.d/99-default.rules", d, 0640);
        put("edit", "usr/lib/audit/99-default.rules", "-a exclude,always -F msgtype=1306\n", 0640);
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_changes, 0);
        audit_plan_done(&p);
        ASSERT_OK(audit_rules_plan(fd, false, &p));
        ASSERT_EQ(p.n_changes, 1);
        ASSERT_EQ(p.changes[0].kind, AUDIT_CHANGE_WRITE);
        ASSERT_EQ(p.warnings.n, 1); /* it stays a regular file, and says so */
        ASSERT_TRUE(strstr(p.changes[0].data, "-a exclude,always -F msgtype>0\n-a exclude,always -F msgtype=1300\n"));
        audit_plan_done(&p);
        close(fd);
}

TEST(files_links_elsewhere_and_warnings) {
        int fd;
        _cleanup_free_ char *d = NULL, *lp = at("else", "etc/audit/rules.d/50-local.rules");
        AuditPlan p = {};
        char *s;

        mkdirs("else", "etc/audit/rules.d");
        mkdirs("else", "etc/audit/local");
        put("else", "etc/audit/local/50-local.rules",
            "-a exclude,always -F msgtype>=1000\n-a exclude,always -F msgtype=NO_SUCH\n", 0640);
        ASSERT_OK(symlink("../local/50-local.rules", lp));
        put("else", "etc/audit/rules.d/.hidden.rules", flatcar_80, 0640);
        put("else", "etc/audit/rules.d/README", flatcar_80, 0640);
        put("else", "etc/audit/rules.d/with space.rules", flatcar_80, 0640);
        fd = open_root("else");

        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.n_files, 1);
        ASSERT_EQ(p.n_changes, 1);
        ASSERT_EQ(p.changes[0].kind, AUDIT_CHANGE_WRITE);
        ASSERT_STREQ(p.changes[0].path, "/etc/audit/local/50-local.rules");
        ASSERT_EQ(p.warnings.n, 2);
        s = diag_format(&p.warnings.items[0]);
        ASSERT_STREQ(
                s,
                "/etc/audit/rules.d/with space.rules: warning: augenrules cannot load a file with this name; skipped");
        free(s);
        s = diag_format(&p.warnings.items[1]);
        ASSERT_TRUE(startswith(s, "/etc/audit/rules.d/50-local.rules:2: warning: unknown message type \"NO_SUCH\""));
        ASSERT_TRUE(endswith(s, "; left as it is"));
        free(s);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        {
                struct stat st;
                ASSERT_OK(lstat(lp, &st));
                ASSERT_TRUE(S_ISLNK(st.st_mode)); /* the link stays: its target was writable */
        }
        d = get("else", "etc/audit/local/50-local.rules");
        ASSERT_TRUE(strstr(d, "# seprov-end\n-a exclude,always -F msgtype=NO_SUCH\n")); /* the bad line, as it was */
        close(fd);
}

TEST(files_missing_and_read_only) {
        int fd;
        AuditPlan p = {};
        AuditState s = {};
        _cleanup_free_ char *lp = at("ro", "etc/audit");

        mkdirs("none", "etc");
        fd = open_root("none");
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_TRUE(p.missing);
        ASSERT_EQ(p.n_changes, 0);
        audit_plan_done(&p);
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(s.missing);
        audit_state_done(&s);
        close(fd);

        /* /etc/audit is a link into /usr: seprov cannot write there, and says so. */
        mkdirs("ro", "etc");
        mkdirs("ro", "usr/lib/audit/rules.d");
        put("ro", "usr/lib/audit/rules.d/80-selinux.rules", flatcar_80, 0640);
        ASSERT_OK(symlink("../usr/lib/audit", lp));
        fd = open_root("ro");
        ASSERT_EQ(audit_rules_plan(fd, true, &p), -EROFS);
        ASSERT_OK(audit_rules_plan(fd, false, &p)); /* nothing to restore: fine */
        ASSERT_EQ(p.n_changes, 0);
        audit_plan_done(&p);
        close(fd);
}

/* ---- rule sets in the style of published ones (tests/unit/audit-corpus/) ---- */

/* Whether the kernel runs the user list on a record of type t: messages user space sends. */
static bool is_user_message(uint32_t t) {
        return t == AUDIT_USER || (t >= AUDIT_FIRST_USER_MSG && t <= AUDIT_LAST_USER_MSG) ||
               (t >= AUDIT_FIRST_USER_MSG2 && t <= AUDIT_LAST_USER_MSG2);
}

/* Reads a set's *.rules files in version order (the names are such that it is ls -v's). */
static size_t corpus_read(const char *dir, char **texts, size_t max) {
        struct dirent **e = NULL;
        int n = scandir(dir, &e, NULL, versionsort);
        size_t k = 0;

        ASSERT_TRUE(n >= 0);
        for (int i = 0; i < n; i++) {
                if (endswith(e[i]->d_name, ".rules")) {
                        _cleanup_free_ char *p = strjoin(dir, "/", e[i]->d_name);
                        int fd = open(p, O_RDONLY | O_CLOEXEC);
                        ASSERT_OK(fd);
                        ASSERT_TRUE(k < max);
                        ASSERT_OK(read_full_fd(fd, 1 << 20, &texts[k++], NULL));
                        close(fd);
                }
                free(e[i]);
        }
        free(e);
        return k;
}

/* The set's "expect" lines against the kernel model of the rewritten rules, for every process. */
static void corpus_expect(const char *dir, const char *const *after, size_t n) {
        _cleanup_free_ char *p = strjoin(dir, "/expect"), *text = NULL;
        static Sim a;
        char *save = NULL;
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        unsigned checked = 0;

        ASSERT_OK(fd);
        ASSERT_OK(read_full_fd(fd, 1 << 16, &text, NULL));
        close(fd);
        sim_load(&a, after, (int) n);
        sim_bind(&a, &a);
        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char verdict[8], name[64];
                uint32_t t;

                ASSERT_EQ(sscanf(l, "%7s %63s", verdict, name), 2);
                ASSERT_OK(audit_type_from_name(name, &t));
                for (unsigned env = 0; env < (1u << a.n_env); env++) {
                        bool passes = !sim_drops(&a, t, env) && (!is_user_message(t) || sim_user_passes(&a, t, env));
                        if (passes != streq(verdict, "pass"))
                                fprintf(stderr, "%s: %s %s fails for process %u\n", dir, verdict, name, env);
                        ASSERT_EQ(passes, streq(verdict, "pass"));
                }
                checked++;
        }
        ASSERT_TRUE(checked > 0);
}

/* Each set: the rewrite's property against the kernel model, with no warning; the records the set's
 * "expect" names; and through the files of a root, status before and after, and restoring. */
static void corpus_one(const char *name) {
        _cleanup_free_ char *dir = strjoin(SOURCE_DIR "/tests/unit/audit-corpus/", name);
        _cleanup_free_ char *rootdir = strjoin("corpus-", name), *cmd = NULL;
        char *texts[16] = {};
        AuditText in[16] = {}, *out = NULL;
        AuditPlan p = {};
        AuditState s = {};
        Diags w = {};
        size_t n;
        int fd;

        n = corpus_read(dir, texts, ELEMENTSOF(texts));
        ASSERT_TRUE(n > 0);
        ASSERT_EQ(check_set((const char *const *) texts, n), 0);
        restore_all(texts, n, in);
        ASSERT_OK(audit_rewrite_texts(in, n, &out, NULL, &w));
        {
                const char *outs[16];
                for (size_t i = 0; i < n; i++)
                        outs[i] = out[i].data;
                corpus_expect(dir, outs, n);
        }

        mkdirs(rootdir, "etc/audit");
        cmd = strprintf("cp -r '%s' '%s/%s/etc/audit/rules.d' && rm '%s/%s/etc/audit/rules.d/expect'", dir, root,
                        rootdir, root, rootdir);
        ASSERT_EQ(system(cmd), 0);
        fd = open_root(rootdir);
        ASSERT_OK(audit_rules_plan(fd, true, &p));
        ASSERT_EQ(p.warnings.n, 0);
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        ASSERT_OK(audit_rules_state(fd, &s));
        ASSERT_TRUE(!s.selinux_dropped);
        ASSERT_EQ(s.n_rejected, 0);
        ASSERT_EQ(s.n_unclear, 0);
        printf("# %s: %zu files, %u rules marked\n", name, n, s.n_marked);
        audit_state_done(&s);
        ASSERT_OK(audit_rules_plan(fd, false, &p));
        ASSERT_OK(audit_rules_execute(fd, &p));
        audit_plan_done(&p);
        close(fd);
        free(cmd);
        cmd = strprintf("diff -r -x expect '%s' '%s/%s/etc/audit/rules.d'", dir, root, rootdir);
        ASSERT_EQ(system(cmd), 0); /* restored byte for byte */

        diags_clear(&w);
        audit_texts_free(out, n);
        for (size_t i = 0; i < n; i++) {
                free(texts[i]);
                free(in[i].name);
                free(in[i].data);
        }
}

TEST(corpus) {
        static const char *const sets[] = { "cis-style",      "stig-style",     "community-large",
                                            "debian-default", "fedora-default", "user-hardening" };

        for (size_t i = 0; i < ELEMENTSOF(sets); i++)
                corpus_one(sets[i]);
}

int main(void) {
        _cleanup_free_ char *cleanup = NULL;

        ASSERT_TRUE(mkdtemp(root));
        RUN_TEST(parse_lists_and_actions);
        RUN_TEST(parse_user_list);
        RUN_TEST(parse_operators_and_values);
        RUN_TEST(parse_refused_and_unclear);
        RUN_TEST(same_rule);
        RUN_TEST(type_names);
        RUN_TEST(type_names_match_libaudit);
        RUN_TEST(order_is_ls_v);
        RUN_TEST(rewrite_flatcar);
        RUN_TEST(rewrite_last_file_without_newline);
        RUN_TEST(rewrite_joined_lines);
        RUN_TEST(rewrite_hand_written_sets);
        RUN_TEST(rewrite_user_list);
        RUN_TEST(rewrite_user_list_warned);
        RUN_TEST(rewrite_warned_sets);
        RUN_TEST(rewrite_random_sets);
        RUN_TEST(rewrite_random_user_sets);
        printf("# property: %lu rule sets (%lu with warnings), %lu (type, process) checks, types 0..65535 and %zu "
               "above\n",
               n_sets, n_sets_warned, n_checks, ELEMENTSOF(extra_types));
        RUN_TEST(files_rewrite_keep_and_restore);
        RUN_TEST(files_user_list);
        RUN_TEST(corpus);
        RUN_TEST(files_links_into_usr);
        RUN_TEST(files_edited_copy_is_kept);
        RUN_TEST(files_links_elsewhere_and_warnings);
        RUN_TEST(files_missing_and_read_only);
        cleanup = strjoin("rm -rf ", root);
        ASSERT_EQ(system(cleanup), 0);
        return 0;
}
