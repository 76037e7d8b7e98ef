/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /etc/selinux/config read as libselinux does, and the one-line rewrite. */

#include <fcntl.h>

#include "fileio.h"
#include "macro.h"
#include "selinux-config.h"
#include "tests.h"

static SelinuxConfig parse(const char *text) {
        SelinuxConfig c;
        ASSERT_OK(selinux_config_parse(text, strlen(text), &c));
        return c;
}

TEST(libselinux_rules) {
        SelinuxConfig c;

        c = parse("# SELINUX=disabled\n SELINUX=disabled\nSELINUX=bogus\nSELINUX= Permissive # x\n"
                  "SELINUX=enforcing\nselinuxtype = x\n  SELINUXTYPE=  mcs \t\nSELINUXTYPE=default\n");
        /* Comments, leading blanks and unknown values do not count; the first valid line does. */
        ASSERT_EQ(c.mode, SELINUX_MODE_PERMISSIVE);
        ASSERT_EQ(c.mode_line, 4);
        /* The last SELINUXTYPE= wins; "selinuxtype =" (blank before '=') is not one. */
        ASSERT_STREQ(c.type, "default");
        selinux_config_done(&c);

        c = parse("  SELINUXtype=mcs  \nSELINUX=enforcingly");
        ASSERT_STREQ(c.type, "mcs");
        ASSERT_EQ(c.mode, SELINUX_MODE_ENFORCING); /* a prefix match, like libselinux */
        selinux_config_done(&c);

        c = parse("");
        ASSERT_EQ(c.mode, -1);
        ASSERT_NULL(c.type);
}

static void assert_set(const char *in, SelinuxMode mode, const char *expected) {
        _cleanup_free_ char *out = NULL;
        size_t len;
        SelinuxConfig c;

        ASSERT_OK(selinux_config_set_mode(in, strlen(in), mode, &out, &len));
        if (!expected) {
                ASSERT_NULL(out);
                return;
        }
        ASSERT_STREQ(out, expected);
        ASSERT_EQ(len, strlen(expected));
        ASSERT_OK(selinux_config_parse(out, len, &c));
        ASSERT_EQ(c.mode, mode);
        selinux_config_done(&c);
}

TEST(set_mode) {
        /* Only the mode word changes: blanks, comments and the rest of the line stay. */
        assert_set("# c\nSELINUX=permissive\t# note \nSELINUXTYPE=mcs \n", SELINUX_MODE_ENFORCING,
                   "# c\nSELINUX=enforcing\t# note \nSELINUXTYPE=mcs \n");
        assert_set("SELINUX=bogus\nSELINUX= Disabled\n", SELINUX_MODE_PERMISSIVE,
                   "SELINUX=bogus\nSELINUX= permissive\n");
        /* Already so (ignoring case): nothing to write. */
        assert_set("SELINUX=Enforcing\n", SELINUX_MODE_ENFORCING, NULL);
        /* No valid line: inserted before the first setting... */
        assert_set("# header\n\nSELINUXTYPE=mcs\n", SELINUX_MODE_ENFORCING, "# header\n\nSELINUX=enforcing\nSELINUXTYPE=mcs\n");
        /* ...or at the end, on a line of its own. */
        assert_set("# only a comment", SELINUX_MODE_DISABLED, "# only a comment\nSELINUX=disabled\n");
        assert_set("", SELINUX_MODE_PERMISSIVE, "SELINUX=permissive\n");
        /* No trailing newline on the last line is kept as it was. */
        assert_set("SELINUX=permissive", SELINUX_MODE_ENFORCING, "SELINUX=enforcing");
}

TEST(flatcar_file) {
        _cleanup_free_ char *text = NULL, *out = NULL;
        size_t len, out_len, diff = 0;
        int fd = open(SOURCE_DIR "/tests/fixtures/selinux-config", O_RDONLY);

        ASSERT_OK(fd);
        ASSERT_OK(read_full_fd(fd, 65536, &text, &len));
        close(fd);
        ASSERT_OK(selinux_config_set_mode(text, len, SELINUX_MODE_ENFORCING, &out, &out_len));
        /* "permissive" became "enforcing": every other byte, tabs and trailing space included, is the same. */
        ASSERT_EQ(out_len, len - 1);
        for (size_t i = 0, j = 0; i < len && j < out_len; i++, j++)
                if (text[i] != out[j]) {
                        diff++;
                        break;
                }
        ASSERT_EQ(diff, 1);
        ASSERT_TRUE(strstr(out, "\nSELINUX=enforcing\n"));
        ASSERT_TRUE(strstr(out, "Multi-Category Security \n"));
}

int main(void) {
        RUN_TEST(libselinux_rules);
        RUN_TEST(set_mode);
        RUN_TEST(flatcar_file);
        return 0;
}
