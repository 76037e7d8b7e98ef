/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Grouping of denials, the suggested rules and hints, and auditd's multi-record events. */

#include "check-advice.h"
#include "check-group.h"
#include "check-source.h"
#include "strutil.h"
#include "tests.h"

static int add(DenialSet *s, AvcKind k, const char *text, usec_t when) {
        AvcRecord r;
        int q;

        ASSERT_EQ(avc_record_parse(k, text, &r), 1);
        q = denial_set_add(s, &r, when, NULL);
        avc_record_done(&r);
        return q;
}

#define CP_WRITE(perm, comm, extra)                                             \
        "avc:  denied  { " perm " } for  pid=1 comm=\"" comm "\" name=\"bin\" " \
        "scontext=system_u:system_r:container_t:s0:c1,c2 tcontext=system_u:object_r:usr_t:s0 tclass=dir " extra

TEST(grouping) {
        _cleanup_(denial_set_done) DenialSet s = {};
        const DenialGroup *g;

        ASSERT_EQ(add(&s, AVC_KIND_AVC, CP_WRITE("write", "cp", "permissive=1"), 300), 1);
        /* Same key: other pid, categories, path, permissive flag and order of permissions do not matter. */
        ASSERT_EQ(add(&s, AVC_KIND_AVC,
                      "avc:  denied  { write } for  pid=99 comm=\"cp\" path=\"/x\" "
                      "scontext=system_u:system_r:container_t:s0:c7,c9 tcontext=u:object_r:usr_t:s0 tclass=dir "
                      "permissive=0",
                      100),
                  0);
        ASSERT_EQ(add(&s, AVC_KIND_AVC, CP_WRITE("write", "cp", "permissive=1"), 200), 0);
        /* Each of these differs in one part of the key. */
        ASSERT_EQ(add(&s, AVC_KIND_AVC, CP_WRITE("write add_name", "cp", "permissive=1"), 1), 1);
        ASSERT_EQ(add(&s, AVC_KIND_AVC, CP_WRITE("write", "mv", "permissive=1"), 1), 1);
        ASSERT_EQ(add(&s, AVC_KIND_AVC,
                      "avc:  denied  { write } for  pid=1 comm=\"cp\" scontext=u:r:container_t:s0 "
                      "tcontext=u:object_r:usr_t:s0 tclass=file permissive=1",
                      1),
                  1);
        ASSERT_EQ(add(&s, AVC_KIND_USER_AVC,
                      "pid=1 msg='avc:  denied  { write } for comm=\"cp\" scontext=u:r:container_t:s0 "
                      "tcontext=u:object_r:usr_t:s0 tclass=dir'",
                      1),
                  1);
        ASSERT_EQ(s.n, 5);
        ASSERT_EQ(s.n_records, 7);

        denial_set_sort(&s);
        g = s.groups[0];
        ASSERT_EQ(g->count, 3);
        ASSERT_EQ(g->first_usec, 100);
        ASSERT_EQ(g->last_usec, 300);
        ASSERT_EQ(g->n_permissive, 2);
        ASSERT_EQ(g->n_enforced, 1);
        ASSERT_STREQ(denial_group_permissive(g), "some");
        ASSERT_STREQ(avc_record_path(&g->first), "bin"); /* the first occurrence's */
        /* Ties in count: by kind, then types, class, permissions, comm. */
        ASSERT_STREQ(s.groups[1]->first.tclass, "dir");
        ASSERT_STREQ(s.groups[1]->first.perms[0], "add_name");
        ASSERT_STREQ(s.groups[2]->first.comm, "mv");
        ASSERT_STREQ(s.groups[3]->first.tclass, "file");
        ASSERT_EQ(s.groups[4]->first.kind, AVC_KIND_USER_AVC);
        ASSERT_STREQ(denial_group_permissive(s.groups[4]), "unknown");
}

TEST(many_groups) {
        _cleanup_(denial_set_done) DenialSet s = {};

        /* Enough to grow the index several times; every second record repeats an earlier group. */
        for (unsigned i = 0; i < 2000; i++) {
                _cleanup_free_ char *t = strprintf("avc:  denied  { read } for  comm=\"c%u\" scontext=u:r:a_t:s0 "
                                                   "tcontext=u:r:b_t:s0 tclass=file permissive=1",
                                                   i / 2);
                ASSERT_EQ(add(&s, AVC_KIND_AVC, t, i), i % 2 == 0);
        }
        ASSERT_EQ(s.n, 1000);
        ASSERT_EQ(s.n_records, 2000);
        for (size_t i = 0; i < s.n; i++)
                ASSERT_EQ(s.groups[i]->count, 2);
}

static char *suggestion_of(const char *text, AvcKind k) {
        _cleanup_(denial_set_done) DenialSet s = {};
        char *rule = (char *) "unset";

        add(&s, k, text, 1);
        ASSERT_OK(check_advice_suggestion(s.groups[0], &rule));
        return rule;
}

static const char *hint_of(const char *text) {
        _cleanup_(denial_set_done) DenialSet s = {};

        add(&s, AVC_KIND_AVC, text, 1);
        return check_advice_hint(s.groups[0]);
}

TEST(suggestions) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

        a = suggestion_of(CP_WRITE("write add_name write", "cp", ""), AVC_KIND_AVC);
        ASSERT_STREQ(a, "(allow container_t usr_t (dir (add_name write)))");
        b = suggestion_of("avc:  denied  { net_admin } for comm=\"x\" scontext=u:r:container_t:s0:c1 "
                          "tcontext=u:r:container_t:s0:c1 tclass=capability",
                          AVC_KIND_AVC);
        ASSERT_STREQ(b, "(allow container_t self (capability (net_admin)))");
        c = suggestion_of("pid=1 msg='avc:  denied  { send_msg } for scontext=u:r:init_t:s0 "
                          "tcontext=u:r:container_t:s0 "
                          "tclass=dbus permissive=0 exe=\"/usr/bin/dbus-daemon\"'",
                          AVC_KIND_USER_AVC);
        ASSERT_STREQ(c, "(allow init_t container_t (dbus (send_msg)))");
        d = suggestion_of("op=security_compute_sid invalid_context=u:r:x_t:s0 scontext=u:r:a_t:s0 tcontext=u:r:b_t:s0 "
                          "tclass=process",
                          AVC_KIND_SELINUX_ERR);
        ASSERT_NULL(d);
}

TEST(hints) {
        const char *h;

        h = hint_of(CP_WRITE("write", "cp", ""));
        ASSERT_TRUE(h && strstr(h, "/opt/cni/bin") && strstr(h, "Flatcar#635"));
        h = hint_of("avc:  denied  { add_name } for comm=\"cp\" scontext=u:r:svirt_lxc_net_t:s0 "
                    "tcontext=u:object_r:etc_t:s0 tclass=dir");
        ASSERT_TRUE(h && strstr(h, "/etc/cni/net.d"));
        h = hint_of("avc:  denied  { read } for comm=\"iptables\" name=\"xtables.lock\" "
                    "scontext=u:r:svirt_lxc_net_t:s0 "
                    "tcontext=u:object_r:iptables_runtime_t:s0 tclass=file");
        ASSERT_TRUE(h && strstr(h, "xtables.lock"));
        h = hint_of("avc:  denied  { getattr } for comm=\"ls\" scontext=u:r:init_t:s0 "
                    "tcontext=u:object_r:unlabeled_t:s0 "
                    "tclass=file");
        ASSERT_TRUE(h && strstr(h, "autorelabel"));
        /* Reading usr_t is what containers do all day; only writes are the pitfall. */
        ASSERT_NULL(hint_of(CP_WRITE("read open", "cat", "")));
        ASSERT_NULL(hint_of("avc:  denied  { write } for comm=\"cp\" scontext=u:r:httpd_t:s0 "
                            "tcontext=u:object_r:usr_t:s0 "
                            "tclass=dir"));
}

static void parse_log(const char *text, usec_t since, DenialSet *s, size_t *skipped, size_t *bad) {
        FILE *f = fmemopen((void *) text, strlen(text), "r");

        ASSERT_TRUE(f);
        ASSERT_OK(check_auditlog_parse(f, NULL, since, s, skipped, bad, /* ret_bad_lines= */ NULL));
        fclose(f);
}

TEST(auditlog_events) {
        _cleanup_(denial_set_done) DenialSet s = {};
        size_t skipped, bad;

        /* Two events interleaved; each AVC's path comes from its own event's PATH record. */
        parse_log("type=AVC msg=audit(1700000000.100:10): avc:  denied  { write } for  pid=1 comm=\"a\" name=\"bin\" "
                  "ino=198 scontext=u:r:a_t:s0 tcontext=u:object_r:usr_t:s0 tclass=dir permissive=1\n"
                  "node=host1 type=AVC msg=audit(1700000000.200:11): avc:  denied  { read } for  pid=2 comm=\"b\" "
                  "name=\"bin\" ino=300 scontext=u:r:b_t:s0 tcontext=u:object_r:usr_t:s0 tclass=dir permissive=1\n"
                  "type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=257 success=yes exit=3\x1d"
                  "ARCH=x86_64 SYSCALL=openat\n"
                  "type=PATH msg=audit(1700000000.200:11): item=0 name=\"/usr/local/bin\" inode=300 nametype=NORMAL\n"
                  "type=PATH msg=audit(1700000000.100:10): item=0 name=\"/opt/cni/bin/\" inode=198 nametype=PARENT\n"
                  "\n"
                  "----\n"
                  "time->Tue Nov 14 22:13:20 2023\n"
                  "type=UNKNOWN[1400] msg=audit(1700000001.000:12): avc:  denied  { write } for  pid=1 comm=\"a\" "
                  "name=\"bin\" ino=1 scontext=u:r:a_t:s0 tcontext=u:object_r:usr_t:s0 tclass=dir permissive=0\n"
                  "type=AVC msg=audit(11/14/2023 22:13:20.000:13) : avc:  denied  { write } for comm=a\n"
                  "type=AVC msg=audit(1700000002.000:14): avc:  denied  { write\n"
                  "type=AVC msg=audit(1700000003.000:15): avc:  granted  { setenforce } for  pid=1 comm=\"x\" "
                  "scontext=u:r:a_t:s0 tcontext=u:r:a_t:s0 tclass=security\n",
                  0, &s, &skipped, &bad);
        ASSERT_EQ(skipped, 1); /* ausearch -i's interpreted time */
        ASSERT_EQ(bad, 1);     /* the cut AVC */
        ASSERT_EQ(s.n, 2);
        ASSERT_EQ(s.n_records, 3);
        denial_set_sort(&s);
        ASSERT_EQ(s.groups[0]->count, 2);
        ASSERT_STREQ(s.groups[0]->first.comm, "a");
        ASSERT_STREQ(s.groups[0]->first.path, "/opt/cni/bin");
        ASSERT_EQ(s.groups[0]->serial, 10);
        ASSERT_EQ(s.groups[0]->first_usec, 1700000000100000ULL);
        ASSERT_EQ(s.groups[0]->last_usec, 1700000001000000ULL);
        ASSERT_STREQ(denial_group_permissive(s.groups[0]), "some");
        ASSERT_STREQ(s.groups[1]->first.path, "/usr/local/bin");
}

TEST(auditlog_since_and_many_events) {
        _cleanup_(denial_set_done) DenialSet s = {};
        _cleanup_free_ char *text = NULL;
        size_t skipped, bad;

        /* 100 events open at once (50 after --since): the oldest are closed before their PATH records
         * come and keep the bare name; nothing is lost or counted twice. */
        for (unsigned i = 0; i < 100; i++)
                ASSERT_OK(strextend(&text,
                                    "type=AVC msg=audit(1700000%03u.000:%u): avc:  denied  { read } for  "
                                    "comm=\"c%u\" name=\"f%u\" scontext=u:r:a_t:s0 tcontext=u:r:b_t:s0 "
                                    "tclass=file permissive=1\n",
                                    i, i, i, i));
        for (unsigned i = 0; i < 100; i++)
                ASSERT_OK(strextend(&text, "type=PATH msg=audit(1700000%03u.000:%u): item=0 name=\"/d/f%u\"\n", i, i,
                                    i));
        parse_log(text, 1700000050ULL * USEC_PER_SEC, &s, &skipped, &bad);
        ASSERT_EQ(skipped + bad, 0);
        ASSERT_EQ(s.n_records, 50);
        ASSERT_EQ(s.n, 50); /* one group per comm */
        ASSERT_EQ(s.groups[0]->first_usec, 1700000050ULL * USEC_PER_SEC);
        ASSERT_NULL(s.groups[0]->first.path); /* pushed out before its PATH came */
        ASSERT_STREQ(avc_record_path(&s.groups[0]->first), "f50");
        ASSERT_STREQ(s.groups[49]->first.path, "/d/f99"); /* still open */
        {
                size_t with_path = 0;
                for (size_t i = 0; i < s.n; i++)
                        with_path += !!s.groups[i]->first.path;
                ASSERT_EQ(with_path, 32); /* the events kept open */
        }
}

int main(void) {
        RUN_TEST(grouping);
        RUN_TEST(many_groups);
        RUN_TEST(suggestions);
        RUN_TEST(hints);
        RUN_TEST(auditlog_events);
        RUN_TEST(auditlog_since_and_many_events);
        return 0;
}
