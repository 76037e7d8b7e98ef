/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Kernel command line: systemd's splitting, rd. handling, last-wins, and seprov's words. */

#include "cmdline.h"
#include "initrd-util.h"
#include "strutil.h"
#include "tests.h"

static char **split(const char *line, unsigned **cols) {
        char **words = NULL;
        ASSERT_OK(cmdline_split(line, &words, cols));
        return words;
}

TEST(split_plain) {
        _cleanup_strv_free_ char **w = NULL;
        _cleanup_free_ unsigned *cols = NULL;

        w = split("  root=/dev/vda   ro\tquiet\n", &cols);
        ASSERT_EQ(strv_length(w), 3);
        ASSERT_STREQ(w[0], "root=/dev/vda");
        ASSERT_STREQ(w[1], "ro");
        ASSERT_STREQ(w[2], "quiet");
        ASSERT_EQ(cols[0], 3);
        ASSERT_EQ(cols[1], 19);
        ASSERT_EQ(cols[2], 22);
}

TEST(split_quotes) {
        _cleanup_strv_free_ char **w = NULL;

        /* Quotes anywhere in a word group and are removed; whitespace inside them is kept. */
        w = split("a=\"b c\" 'd e'f x\"y\"z \"\"", NULL);
        ASSERT_EQ(strv_length(w), 4);
        ASSERT_STREQ(w[0], "a=b c");
        ASSERT_STREQ(w[1], "d ef");
        ASSERT_STREQ(w[2], "xyz");
        ASSERT_STREQ(w[3], "");
}

TEST(split_relaxed) {
        _cleanup_strv_free_ char **w = NULL, **e = NULL;

        /* An unterminated quote ends with the line. */
        w = split("a \"b c", NULL);
        ASSERT_EQ(strv_length(w), 2);
        ASSERT_STREQ(w[1], "b c");
        /* Backslashes are kept as they are. */
        e = split("p=a\\ b", NULL);
        ASSERT_EQ(strv_length(e), 2);
        ASSERT_STREQ(e[0], "p=a\\");
        ASSERT_STREQ(e[1], "b");
}

TEST(split_empty) {
        _cleanup_strv_free_ char **w = split("   ", NULL);
        ASSERT_EQ(strv_length(w), 0);
}

TEST(key_equal) {
        ASSERT_TRUE(cmdline_key_equal("a-b_c", "a_b-c"));
        ASSERT_TRUE(cmdline_key_equal("seprov.mode", "seprov.mode"));
        ASSERT_TRUE(!cmdline_key_equal("a-b", "a.b"));
        ASSERT_TRUE(!cmdline_key_equal("a", "ab"));
}

static void parse(KernelArgs *a, const char *line, bool initrd, Diags *d) {
        kernel_args_init(a);
        ASSERT_OK(kernel_args_parse(a, line, "cmdline", initrd, d));
}

TEST(parse_words) {
        KernelArgs a;
        Diags d = {};

        parse(&a,
              "seprov.mode=enforcing seprov.store=writable seprov.audit=yes seprov.dontaudit=off "
              "seprov.config=/etc/x.json selinux=1 enforcing=0 autorelabel",
              false, &d);
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(a.seprov, 1);
        ASSERT_EQ(a.mode, SELINUX_MODE_ENFORCING);
        ASSERT_EQ(a.mode_pos, 1);
        ASSERT_EQ(a.store, STORE_WRITABLE);
        ASSERT_EQ(a.audit, 1);
        ASSERT_EQ(a.dontaudit, 0);
        ASSERT_STREQ(a.config, "/etc/x.json");
        ASSERT_EQ(a.selinux, 1);
        ASSERT_EQ(a.enforcing, 0);
        ASSERT_TRUE(a.autorelabel);
        kernel_args_done(&a);
}

TEST(parse_last_wins) {
        KernelArgs a;
        Diags d = {};

        parse(&a, "seprov.mode=enforcing seprov.mode=permissive seprov=0 seprov=1 seprov=0", false, &d);
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(a.mode, SELINUX_MODE_PERMISSIVE);
        ASSERT_EQ(a.mode_pos, 23);
        ASSERT_EQ(a.seprov, 0);
        kernel_args_done(&a);
}

TEST(parse_rd_outside_initrd) {
        KernelArgs a;
        Diags d = {};

        /* Outside the initrd, rd. words do not exist, even broken ones. */
        parse(&a, "seprov.mode=permissive rd.seprov.mode=enforcing rd.seprov.bogus=1 rd.seprov=0", false, &d);
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(a.mode, SELINUX_MODE_PERMISSIVE);
        ASSERT_EQ(a.seprov, 1);
        kernel_args_done(&a);
}

TEST(parse_rd_in_initrd) {
        KernelArgs a;
        Diags d = {};

        /* In the initrd both count, and the last one wins, in either order. */
        parse(&a, "seprov.mode=permissive rd.seprov.mode=enforcing", true, &d);
        ASSERT_EQ(a.mode, SELINUX_MODE_ENFORCING);
        kernel_args_done(&a);
        parse(&a, "rd.seprov.mode=enforcing seprov.mode=permissive", true, &d);
        ASSERT_EQ(a.mode, SELINUX_MODE_PERMISSIVE);
        kernel_args_done(&a);
        parse(&a, "rd.seprov=0", true, &d);
        ASSERT_EQ(a.seprov, 0);
        ASSERT_EQ(d.n, 0);
        kernel_args_done(&a);
}

TEST(parse_kernel_words_literal) {
        KernelArgs a;
        Diags d = {};

        /* selinux= and enforcing= belong to the kernel: no rd. form, non-numbers ignored as it does. */
        parse(&a, "rd.selinux=0 enforcing=banana selinux=0x0", true, &d);
        ASSERT_EQ(a.selinux, 0);
        ASSERT_EQ(a.enforcing, -1);
        kernel_args_done(&a);
        parse(&a, "selinux=0 selinux=1 autorelabel=0", false, &d);
        ASSERT_EQ(a.selinux, 1);
        ASSERT_TRUE(!a.autorelabel);
        kernel_args_done(&a);
}

/* The kernel reads selinux= and enforcing= with kstrtoul(..., 0): what it refuses leaves SELinux as it
 * was, so seprov must not take it for a 0 (and stand down while the kernel keeps SELinux on). */
TEST(parse_kernel_words_as_kstrtoul) {
        static const struct {
                const char *value;
                int expected; /* -1: the kernel ignores the word */
        } cases[] = {
                { "0", 0 },    { "1", 1 },    { "+0", 0 },
                { "+1", 1 },   { "00", 0 },   { "0x0", 0 },
                { "0X1", 1 },  { "010", 1 },  { "7", 1 },
                { "-0", -1 },  { "-1", -1 },  { " 0", -1 },
                { "+-0", -1 }, { "++1", -1 }, { "+", -1 },
                { "", -1 },    { "0x", -1 },  { "08", -1 },
                { "1a", -1 },  { "0 ", -1 },  { "99999999999999999999999", -1 },
        };
        KernelArgs a;
        Diags d = {};

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *l = strprintf("selinux=\"%s\" enforcing=\"%s\"", cases[i].value, cases[i].value);
                parse(&a, l, false, &d);
                if (a.selinux != cases[i].expected)
                        fprintf(stderr, "selinux=\"%s\": %d\n", cases[i].value, a.selinux);
                ASSERT_EQ(a.selinux, cases[i].expected);
                ASSERT_EQ(a.enforcing, cases[i].expected);
                kernel_args_done(&a);
        }
        /* An ignored word keeps the value of an earlier one, as the kernel does. */
        parse(&a, "selinux=1 selinux=-0", false, &d);
        ASSERT_EQ(a.selinux, 1);
        kernel_args_done(&a);
}

TEST(parse_booleans) {
        static const char *const yes[] = { "1", "yes", "Y", "true", "T", "on", "ON" };
        static const char *const no[] = { "0", "no", "n", "FALSE", "f", "off" };
        KernelArgs a;
        Diags d = {};

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                _cleanup_free_ char *l = strjoin("seprov.audit=", yes[i]);
                parse(&a, l, false, &d);
                ASSERT_EQ(a.audit, 1);
                kernel_args_done(&a);
        }
        for (size_t i = 0; i < ELEMENTSOF(no); i++) {
                _cleanup_free_ char *l = strjoin("seprov.audit=", no[i]);
                parse(&a, l, false, &d);
                ASSERT_EQ(a.audit, 0);
                kernel_args_done(&a);
        }
        /* A bare boolean word is a switch that turns it on, as systemd reads them. */
        parse(&a, "seprov=0 seprov", false, &d);
        ASSERT_EQ(a.seprov, 1);
        ASSERT_EQ(d.n, 0);
        kernel_args_done(&a);
        parse(&a, "seprov.audit seprov.dontaudit", false, &d);
        ASSERT_EQ(a.audit, 1);
        ASSERT_EQ(a.dontaudit, 1);
        ASSERT_EQ(a.audit_pos, 1u);
        ASSERT_EQ(d.n, 0);
        kernel_args_done(&a);
        parse(&a, "rd.seprov.audit", true, &d);
        ASSERT_EQ(a.audit, 1);
        ASSERT_EQ(d.n, 0);
        kernel_args_done(&a);
}

static void assert_one_error_in(const char *line, bool initrd, const char *expected) {
        _cleanup_free_ char *s = NULL;
        KernelArgs a;
        Diags d = {};

        parse(&a, line, initrd, &d);
        ASSERT_EQ(d.n_errors, 1);
        s = diag_format(&d.items[0]);
        ASSERT_STREQ(s, expected);
        kernel_args_done(&a);
        diags_clear(&d);
}

static void assert_one_error(const char *line, const char *expected) {
        assert_one_error_in(line, false, expected);
}

TEST(parse_errors) {
        assert_one_error("quiet seprov.mode=bogus",
                         "cmdline:1:7: seprov.mode=bogus: unknown mode, use enforcing, permissive or disabled");
        assert_one_error("seprov.mode", "cmdline:1:1: seprov.mode needs a value: enforcing, permissive or disabled");
        assert_one_error("ro seprov.mdoe=enforcing",
                         "cmdline:1:4: seprov.mdoe: unknown seprov option, did you mean seprov.mode?");
        assert_one_error("seprov.frobnicate=1", "cmdline:1:1: seprov.frobnicate: unknown seprov option");
        assert_one_error("seprov.audit=maybe", "cmdline:1:1: seprov.audit=maybe: unknown boolean, use 1 or 0");
        assert_one_error("seprov.store=rw", "cmdline:1:1: seprov.store=rw: unknown store, use writable or image");
        assert_one_error("seprov.config=relative.json",
                         "cmdline:1:1: seprov.config= needs an absolute path inside the root");
        assert_one_error("seprov=perhaps", "cmdline:1:1: seprov=perhaps: unknown boolean, use 1 or 0");
        /* Words are echoed as typed: an rd. word keeps its prefix, and so does its did-you-mean. */
        assert_one_error_in("rd.seprov.mode=enforce", true,
                            "cmdline:1:1: rd.seprov.mode=enforce: unknown mode, did you mean \"enforcing\"? (use "
                            "enforcing, permissive or disabled)");
        assert_one_error_in("rd.seprov.mdoe=enforcing", true,
                            "cmdline:1:1: rd.seprov.mdoe: unknown seprov option, did you mean rd.seprov.mode?");
        assert_one_error_in("quiet rd.seprov.config=x", true,
                            "cmdline:1:7: rd.seprov.config= needs an absolute path inside the root");
}

TEST(parse_not_ours) {
        KernelArgs a;
        Diags d = {};

        /* Words that merely start like ours are somebody else's. */
        parse(&a, "seprovx=1 seprov_other=2 myseprov.mode=x selinux=1 selinux.foo=1 setup.mode=1 serial.mode=1", false,
              &d);
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(a.seprov, 1);
        ASSERT_EQ(a.mode, -1);
        kernel_args_done(&a);
}

static void assert_one_warning(const char *line, bool initrd, const char *expected) {
        _cleanup_free_ char *s = NULL;
        KernelArgs a;
        Diags d = {};

        parse(&a, line, initrd, &d);
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.n_errors, 0);
        s = diag_format(&d.items[0]);
        ASSERT_STREQ(s, expected);
        ASSERT_EQ(a.mode, -1);
        kernel_args_done(&a);
        diags_clear(&d);
}

TEST(parse_near_misses) {
        /* A misspelt prefix is ignored, as the kernel ignores it, but said, with the word meant. */
        assert_one_warning(
                "quiet seprov_mode=enforcing", false,
                "cmdline:1:7: warning: seprov_mode: not a seprov word, ignoring; did you mean seprov.mode?");
        assert_one_warning(
                "seprov-mode=enforcing", false,
                "cmdline:1:1: warning: seprov-mode: not a seprov word, ignoring; did you mean seprov.mode?");
        assert_one_warning(
                "Seprov.mode=enforcing", false,
                "cmdline:1:1: warning: Seprov.mode: not a seprov word, ignoring; did you mean seprov.mode?");
        assert_one_warning("sepov.mode=enforcing", false,
                           "cmdline:1:1: warning: sepov.mode: not a seprov word, ignoring; did you mean seprov.mode?");
        assert_one_warning(
                "selinux.mode=enforcing", false,
                "cmdline:1:1: warning: selinux.mode: not a seprov word, ignoring; did you mean seprov.mode?");
        assert_one_warning(
                "rd.sepov.mode=enforcing", true,
                "cmdline:1:1: warning: rd.sepov.mode: not a seprov word, ignoring; did you mean rd.seprov.mode?");
        assert_one_warning("Seprov=0", false,
                           "cmdline:1:1: warning: Seprov: not a seprov word, ignoring; did you mean seprov?");
}

TEST(read_env) {
        _cleanup_free_ char *line = NULL;
        const char *source;

        setenv("SYSTEMD_PROC_CMDLINE", "seprov.mode=disabled", 1);
        ASSERT_OK(cmdline_read(&line, &source));
        ASSERT_STREQ(line, "seprov.mode=disabled");
        ASSERT_STREQ(source, "$SYSTEMD_PROC_CMDLINE");
        unsetenv("SYSTEMD_PROC_CMDLINE");
}

TEST(initrd_env) {
        setenv("SYSTEMD_IN_INITRD", "1", 1);
        ASSERT_TRUE(in_initrd());
        setenv("SYSTEMD_IN_INITRD", "no", 1);
        ASSERT_TRUE(!in_initrd());
        unsetenv("SYSTEMD_IN_INITRD");
}

int main(void) {
        RUN_TEST(split_plain);
        RUN_TEST(split_quotes);
        RUN_TEST(split_relaxed);
        RUN_TEST(split_empty);
        RUN_TEST(key_equal);
        RUN_TEST(parse_words);
        RUN_TEST(parse_last_wins);
        RUN_TEST(parse_rd_outside_initrd);
        RUN_TEST(parse_rd_in_initrd);
        RUN_TEST(parse_kernel_words_literal);
        RUN_TEST(parse_kernel_words_as_kstrtoul);
        RUN_TEST(parse_booleans);
        RUN_TEST(parse_errors);
        RUN_TEST(parse_not_ours);
        RUN_TEST(parse_near_misses);
        RUN_TEST(read_env);
        RUN_TEST(initrd_env);
        return 0;
}
