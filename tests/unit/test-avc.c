/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Audit record parsing on the shapes the kernel, dbus and systemd really write. */

#include "audit-fields.h"
#include "avc.h"
#include "strutil.h"
#include "tests.h"

static AvcRecord parse_ok(AvcKind k, const char *text) {
        AvcRecord r = {};
        ASSERT_EQ(avc_record_parse(k, text, &r), 1);
        return r;
}

static void assert_perms(char **perms, const char *joined) {
        _cleanup_free_ char *s = NULL;
        STRV_FOREACH (p, perms)
                ASSERT_OK(strextend(&s, "%s%s", s ? " " : "", *p));
        ASSERT_STREQ(s ?: "", joined);
}

TEST(fields) {
        const char *p = "avc:  denied  { x } for a=1 b=\"x y\" {skip} c= msg='q=\"r\" s' d=4";
        const char *keys[] = { "a", "b", "c", "msg" }, *values[] = { "1", "\"x y\"", "", "'q=\"r\" s'" };
        AuditField f;

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                ASSERT_EQ(audit_field_next(&p, &f), 1);
                ASSERT_TRUE(audit_field_is(&f, keys[i]));
                ASSERT_EQ(f.value_len, strlen(values[i]));
                ASSERT_TRUE(strneq(f.value, values[i], f.value_len));
        }
        /* msg='...' runs to the last single quote of the text, as journald reads it: d=4 is outside. */
        ASSERT_EQ(audit_field_next(&p, &f), 1);
        ASSERT_TRUE(audit_field_is(&f, "d"));
        ASSERT_EQ(audit_field_next(&p, &f), 0);
        ASSERT_EQ(audit_field_next(&p, &f), 0);
}

TEST(value_decoding) {
        static const struct {
                const char *raw;
                bool hex;
                const char *decoded;
        } cases[] = {
                { "\"cp\"", true, "cp" },
                { "2F62696E2F6D7920636F6D6D", true, "/bin/my comm" }, /* the kernel's hex for blanks */
                { "2F62696E2F6D7920636F6D6D", false, "2F62696E2F6D7920636F6D6D" },
                { "6370002D66", true, "cp -f" }, /* NUL separators (proctitle) become blanks */
                { "616", true, "616" },          /* odd length: not hex */
                { "cafe", true, "??" },          /* not UTF-8 */
                { "C3A9", true, "\xc3\xa9" },    /* UTF-8 stays */
                { "F09F9180", true, "\xf0\x9f\x91\x80" },
                { "C0AF", true, "??" },       /* overlong */
                { "EDA080", true, "???" },    /* a surrogate */
                { "E282", true, "??" },       /* cut short */
                { "F8808080", true, "????" }, /* no such lead byte */
                { "sda9", true, "sda9" },
                { "'quoted'", false, "quoted" },
                { "\"unterminated", false, "unterminated" },
                { "\"tab\there\"", false, "tab here" },
                { "", true, "" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *d = audit_field_value_decode(cases[i].raw, strlen(cases[i].raw), cases[i].hex);
                ASSERT_STREQ(d, cases[i].decoded);
        }
}

TEST(kernel_avc_flannel) {
        /* flatcar/Flatcar#476, as journald stores it minus the "AVC " in front. */
        AvcRecord r = parse_ok(AVC_KIND_AVC,
                               "avc:  denied  { write } for  pid=4361 comm=\"cp\" name=\"net.d\" dev=\"vda9\" ino=224 "
                               "scontext=system_u:system_r:svirt_lxc_net_t:s0:c50,c336 "
                               "tcontext=system_u:object_r:etc_t:s0 tclass=dir permissive=0");

        assert_perms(r.perms, "write");
        ASSERT_STREQ(r.scontext, "system_u:system_r:svirt_lxc_net_t:s0:c50,c336");
        ASSERT_STREQ(r.stype, "svirt_lxc_net_t");
        ASSERT_STREQ(r.ttype, "etc_t");
        ASSERT_STREQ(r.tclass, "dir");
        ASSERT_STREQ(r.comm, "cp");
        ASSERT_NULL(r.path);
        ASSERT_STREQ(r.name, "net.d");
        ASSERT_STREQ(avc_record_path(&r), "net.d");
        ASSERT_STREQ(r.ino, "224");
        ASSERT_EQ(r.permissive, 0);
        ASSERT_NULL(r.detail);
        avc_record_done(&r);
}

TEST(kernel_avc_shapes) {
        AvcRecord r;

        /* Several permissions, unsorted and repeated; a hex comm and path; permissive=1. */
        r = parse_ok(AVC_KIND_AVC, "avc:  denied  { write read open read } for  pid=7 comm=2F62696E2F6D7920636F6D6D "
                                   "path=2F746D702F6120622F63 dev=\"sda1\" ino=5 scontext=u:r:a_t:s0 "
                                   "tcontext=u:object_r:b_t:s0 tclass=file permissive=1");
        assert_perms(r.perms, "open read write");
        ASSERT_STREQ(r.comm, "/bin/my comm");
        ASSERT_STREQ(r.path, "/tmp/a b/c");
        ASSERT_EQ(r.permissive, 1);
        avc_record_done(&r);

        /* A capability on itself; old kernels log no permissive=. */
        r = parse_ok(AVC_KIND_AVC, "avc:  denied  { net_admin } for  pid=1234 comm=\"iptables\" capability=12  "
                                   "scontext=system_u:system_r:container_t:s0:c1,c2 "
                                   "tcontext=system_u:system_r:container_t:s0:c1,c2 tclass=capability");
        ASSERT_STREQ(r.stype, "container_t");
        ASSERT_STREQ(r.ttype, "container_t");
        ASSERT_EQ(r.permissive, -1);
        ASSERT_NULL(avc_record_path(&r));
        avc_record_done(&r);

        /* An unlabelled target with its raw context after the fields we read; MLS ranges. */
        r = parse_ok(AVC_KIND_AVC, "avc:  denied  { read } for  pid=1 comm=\"cat\" name=\"x\" dev=\"vda1\" ino=9 "
                                   "scontext=system_u:system_r:init_t:s0-s0:c0.c1023 "
                                   "tcontext=system_u:object_r:unlabeled_t:s0 tclass=file permissive=1 "
                                   "trawcon=\"system_u:object_r:gone_t:s0\"");
        ASSERT_STREQ(r.stype, "init_t");
        ASSERT_STREQ(r.ttype, "unlabeled_t");
        avc_record_done(&r);
}

TEST(not_denials) {
        AvcRecord r = { .comm = NULL };

        ASSERT_EQ(avc_record_parse(AVC_KIND_AVC,
                                   "avc:  granted  { setenforce } for  pid=1 comm=\"x\" "
                                   "scontext=u:r:a_t:s0 tcontext=u:r:a_t:s0 tclass=security",
                                   &r),
                  0);
        ASSERT_EQ(avc_record_parse(AVC_KIND_USER_AVC,
                                   "pid=812 uid=81 auid=4294967295 ses=4294967295 "
                                   "subj=system_u:system_r:system_dbusd_t:s0 "
                                   "msg='avc:  received policyload notice (seqno=2)  exe=\"/usr/bin/dbus-daemon\" "
                                   "sauid=81 hostname=? addr=? terminal=?'",
                                   &r),
                  0);
        ASSERT_EQ(avc_record_parse(AVC_KIND_USER_AVC,
                                   "pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 "
                                   "msg='avc:  received setenforce notice (enforcing=1) "
                                   "exe=\"/usr/lib/systemd/systemd\"'",
                                   &r),
                  0);
        ASSERT_NULL(r.perms); /* untouched */
}

TEST(malformed) {
        static const char *const bad[] = {
                "",
                "denied { write } for scontext=a:b:c tcontext=a:b:c tclass=file",
                "avc:  denied  { write",
                "avc:  denied  {} for scontext=a:b:c tcontext=a:b:c tclass=file",
                "avc:  denied  write for scontext=a:b:c tcontext=a:b:c tclass=file",
                "avc:  denied  { write } for  scontext=a:b:c tclass=file",
                "avc:  denied  { write } for  scontext=a:b:c tcontext=a:b:c",
                "avc:  something { write } for scontext=a:b:c tcontext=a:b:c tclass=file",
        };
        AvcRecord r;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_EQ(avc_record_parse(AVC_KIND_AVC, bad[i], &r), -EINVAL);
        ASSERT_EQ(avc_record_parse(AVC_KIND_USER_AVC, "pid=1 uid=0 msg='hello'", &r), -EINVAL);
        ASSERT_EQ(avc_record_parse(AVC_KIND_SELINUX_ERR, "   ", &r), -EINVAL);
        ASSERT_EQ(avc_record_parse(_AVC_KIND_INVALID, "avc:  denied  { x } for scontext=a:b:c tcontext=a:b:c tclass=f",
                                   &r),
                  -EINVAL);
}

TEST(user_avc_dbus) {
        AvcRecord r = parse_ok(AVC_KIND_USER_AVC,
                               "pid=812 uid=81 auid=4294967295 ses=4294967295 "
                               "subj=system_u:system_r:system_dbusd_t:s0-s0:c0.c1023 "
                               "msg='avc:  denied  { send_msg } for msgtype=method_return dest=:1.118 spid=1 "
                               "tpid=2345 scontext=system_u:system_r:init_t:s0 "
                               "tcontext=system_u:system_r:container_t:s0:c1,c2 tclass=dbus permissive=0  "
                               "exe=\"/usr/bin/dbus-daemon\" sauid=81 hostname=? addr=? terminal=?'");

        /* The sender's context is scontext inside msg, not subj= outside it (that is dbus-daemon's). */
        ASSERT_STREQ(r.stype, "init_t");
        ASSERT_STREQ(r.ttype, "container_t");
        ASSERT_STREQ(r.tclass, "dbus");
        assert_perms(r.perms, "send_msg");
        ASSERT_STREQ(r.comm, "dbus-daemon"); /* no comm= inside msg: the object manager's program */
        ASSERT_EQ(r.permissive, 0);
        avc_record_done(&r);
}

TEST(user_avc_systemd) {
        AvcRecord r = parse_ok(AVC_KIND_USER_AVC,
                               "pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 "
                               "msg='avc:  denied  { start } for auid=n/a uid=0 gid=0 "
                               "path=\"/etc/systemd/system/my app.service\" "
                               "cmdline=\"/usr/bin/systemctl start 'my app'\" "
                               "function=\"mac_selinux_filter\" scontext=unconfined_u:unconfined_r:unconfined_t:s0 "
                               "tcontext=system_u:object_r:systemd_unit_file_t:s0 tclass=service permissive=1 "
                               "exe=\"/usr/lib/systemd/systemd\" sauid=0 hostname=? addr=? terminal=?'");

        ASSERT_STREQ(r.path, "/etc/systemd/system/my app.service");
        ASSERT_STREQ(r.comm, "systemd");
        ASSERT_STREQ(r.tclass, "service");
        ASSERT_EQ(r.permissive, 1);
        avc_record_done(&r);
}

/* The caller's text inside an object manager's message (systemd logs cmdline="..." as it is) can
 * hold fields of its own: only libselinux's trailing ones count, and the path only from before it. */
TEST(user_avc_forged) {
        static const char *const forged[] = {
                /* fields written after a closed quote */
                "cmdline=\"/tmp/x\" scontext=unconfined_u:unconfined_r:unconfined_t:s0 "
                "tcontext=system_u:object_r:etc_t:s0 tclass=file comm=\"sshd\" path=\"/etc/shadow\" "
                "exe=\"/usr/sbin/sshd\" permissive=1 x=\"\"",
                /* an odd number of quotes: the real closing quote opens one up to exe=" */
                "cmdline=\"/tmp/x\" scontext=unconfined_u:unconfined_r:unconfined_t:s0 tclass=file x=\"\"",
                /* an unterminated quote, then a 0x1d */
                "cmdline=\"/tmp/\x1dx scontext=unconfined_u:unconfined_r:unconfined_t:s0 tcontext=a:b:c_t",
        };

        for (size_t i = 0; i < ELEMENTSOF(forged); i++) {
                _cleanup_free_ char *text =
                        strprintf("pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 "
                                  "msg='avc:  denied  { start } for auid=n/a uid=33 gid=33 %s\" "
                                  "function=\"method_start_unit\" scontext=system_u:system_r:httpd_t:s0 "
                                  "tcontext=system_u:object_r:systemd_unit_t:s0 tclass=service permissive=0 "
                                  "exe=\"/usr/lib/systemd/systemd\" sauid=0 hostname=? addr=? terminal=?'",
                                  forged[i]);
                AvcRecord r = parse_ok(AVC_KIND_USER_AVC, text);

                ASSERT_STREQ(r.scontext, "system_u:system_r:httpd_t:s0");
                ASSERT_STREQ(r.tcontext, "system_u:object_r:systemd_unit_t:s0");
                ASSERT_STREQ(r.ttype, "systemd_unit_t");
                ASSERT_STREQ(r.tclass, "service");
                ASSERT_STREQ(r.comm, "systemd");
                ASSERT_EQ(r.permissive, 0);
                ASSERT_NULL(r.path);
                avc_record_done(&r);
        }
}

TEST(selinux_err) {
        AvcRecord r;

        r = parse_ok(AVC_KIND_SELINUX_ERR, "op=security_compute_sid invalid_context=\"system_u:system_r:foo_t:s0\" "
                                           "scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:bin_t:s0 "
                                           "tclass=process");
        ASSERT_STREQ(r.detail, "security_compute_sid: invalid context system_u:system_r:foo_t:s0");
        ASSERT_STREQ(r.stype, "init_t");
        ASSERT_STREQ(r.ttype, "bin_t");
        ASSERT_STREQ(r.tclass, "process");
        ASSERT_NULL(r.perms);
        ASSERT_EQ(r.permissive, -1);
        avc_record_done(&r);

        /* Hex-encoded, as audit_log_n_untrustedstring() writes a context with odd bytes. */
        r = parse_ok(AVC_KIND_SELINUX_ERR, "op=setxattr invalid_context=613A623A63206400");
        ASSERT_STREQ(r.detail, "setxattr: invalid context a:b:c d ");
        ASSERT_NULL(r.stype);
        avc_record_done(&r);

        r = parse_ok(AVC_KIND_SELINUX_ERR, "op=security_bounded_transition seresult=denied "
                                           "oldcontext=system_u:system_r:init_t:s0 "
                                           "newcontext=system_u:system_r:foo_t:s0");
        ASSERT_STREQ(r.detail, "security_bounded_transition denied: "
                               "system_u:system_r:init_t:s0 -> system_u:system_r:foo_t:s0");
        ASSERT_STREQ(r.stype, "init_t");
        ASSERT_STREQ(r.ttype, "foo_t");
        avc_record_done(&r);

        /* Kernels before the op= form. */
        r = parse_ok(AVC_KIND_SELINUX_ERR, "security_compute_sid:  invalid context "
                                           "unconfined_u:unconfined_r:sshd_t:s0 "
                                           "for scontext=unconfined_u:unconfined_r:unconfined_t:s0 "
                                           "tcontext=system_u:object_r:sshd_exec_t:s0 tclass=process");
        ASSERT_STREQ(r.detail, "security_compute_sid: invalid context unconfined_u:unconfined_r:sshd_t:s0");
        ASSERT_STREQ(r.stype, "unconfined_t");
        ASSERT_STREQ(r.ttype, "sshd_exec_t");
        avc_record_done(&r);
}

TEST(kinds) {
        ASSERT_EQ(avc_kind_from_string("USER_AVC"), AVC_KIND_USER_AVC);
        ASSERT_EQ(avc_kind_from_string("PATH"), -EINVAL);
        ASSERT_EQ(avc_kind_from_audit_type(1400), AVC_KIND_AVC);
        ASSERT_EQ(avc_kind_from_audit_type(1107), AVC_KIND_USER_AVC);
        ASSERT_EQ(avc_kind_from_audit_type(1401), AVC_KIND_SELINUX_ERR);
        ASSERT_EQ(avc_kind_from_audit_type(1122), -EINVAL);
        ASSERT_STREQ(avc_kind_to_string(AVC_KIND_SELINUX_ERR), "SELINUX_ERR");
        ASSERT_NULL(avc_kind_to_string(_AVC_KIND_MAX));
}

TEST(context_types) {
        static const char *const cases[][2] = {
                { "system_u:system_r:container_t:s0:c1,c2", "container_t" },
                { "u:r:t", "t" },
                { "u:r:t:s0-s0:c0.c1023", "t" },
                { "kernel", "kernel" },
                { "u:r", "u:r" },
                { "u:r:", "" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *t = avc_context_type(cases[i][0]);
                ASSERT_STREQ(t, cases[i][1]);
        }
}

TEST(event_paths) {
        _cleanup_(audit_event_paths_done) AuditEventPaths e = {};
        AvcRecord r;

        ASSERT_OK(audit_event_paths_add(&e, AUDIT_TYPE_CWD, "cwd=\"/root\""));
        ASSERT_OK(audit_event_paths_add(&e, AUDIT_TYPE_PATH,
                                        "item=0 name=\"/opt/cni/bin/\" inode=198 dev=08:09 mode=040755 "
                                        "obj=system_u:object_r:usr_t:s0 nametype=PARENT"));
        ASSERT_OK(audit_event_paths_add(&e, AUDIT_TYPE_PATH, "item=1 name=\"/opt/cni/bin/flannel\" nametype=CREATE"));
        ASSERT_OK(audit_event_paths_add(&e, AUDIT_TYPE_PATH, "item=2 name=72656C2066696C65 inode=77 nametype=NORMAL"));
        ASSERT_OK(audit_event_paths_add(&e, AUDIT_TYPE_PATH, "item=3 nametype=UNKNOWN")); /* no name: skipped */
        ASSERT_EQ(strv_length(e.names), 3);

        /* By inode: the directory the kernel named "bin". */
        r = parse_ok(AVC_KIND_AVC, "avc:  denied  { write } for  pid=1 comm=\"cp\" name=\"bin\" dev=\"sda9\" ino=198 "
                                   "scontext=a:b:c_t:s0 tcontext=a:b:usr_t:s0 tclass=dir permissive=1");
        ASSERT_EQ(avc_record_resolve_path(&r, &e), 1);
        ASSERT_STREQ(r.path, "/opt/cni/bin");
        ASSERT_EQ(avc_record_resolve_path(&r, &e), 0); /* already has one */
        avc_record_done(&r);

        /* By last component: a file being created has no inode yet. */
        r = parse_ok(AVC_KIND_AVC, "avc:  denied  { create } for  pid=1 comm=\"cp\" name=\"flannel\" "
                                   "scontext=a:b:c_t:s0 tcontext=a:b:usr_t:s0 tclass=file permissive=1");
        ASSERT_EQ(avc_record_resolve_path(&r, &e), 1);
        ASSERT_STREQ(r.path, "/opt/cni/bin/flannel");
        avc_record_done(&r);

        /* A relative, hex-encoded name is joined to the event's working directory. */
        r = parse_ok(AVC_KIND_AVC, "avc:  denied  { read } for  pid=1 comm=\"cat\" name=72656C2066696C65 ino=77 "
                                   "scontext=a:b:c_t:s0 tcontext=a:b:d_t:s0 tclass=file permissive=1");
        ASSERT_EQ(avc_record_resolve_path(&r, &e), 1);
        ASSERT_STREQ(r.path, "/root/rel file");
        avc_record_done(&r);

        /* Nothing matches: the name stays what is shown. "flannel" is not the last component of "nel". */
        r = parse_ok(AVC_KIND_AVC, "avc:  denied  { read } for  pid=1 comm=\"cat\" name=\"nel\" "
                                   "scontext=a:b:c_t:s0 tcontext=a:b:d_t:s0 tclass=file permissive=1");
        ASSERT_EQ(avc_record_resolve_path(&r, &e), 0);
        ASSERT_STREQ(avc_record_path(&r), "nel");
        avc_record_done(&r);
}

int main(void) {
        RUN_TEST(fields);
        RUN_TEST(value_decoding);
        RUN_TEST(kernel_avc_flannel);
        RUN_TEST(kernel_avc_shapes);
        RUN_TEST(not_denials);
        RUN_TEST(malformed);
        RUN_TEST(user_avc_dbus);
        RUN_TEST(user_avc_systemd);
        RUN_TEST(user_avc_forged);
        RUN_TEST(selinux_err);
        RUN_TEST(kinds);
        RUN_TEST(context_types);
        RUN_TEST(event_paths);
        return 0;
}
