/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layout discovery on the three fixture layouts built from the real policy store. */

#include <sys/stat.h>

#include "chase.h"
#include "layout.h"
#include "strutil.h"
#include "tests.h"

static char tmp[] = "/tmp/seprov-test-layout.XXXXXX";

static int make_root(const char *layout, char **ret_dir) {
        _cleanup_free_ char *cmd = NULL;
        char *dir = strjoin(tmp, "/", layout);

        ASSERT_TRUE(dir);
        cmd = strjoin(SOURCE_DIR "/tests/fixtures/make-root.sh ", layout, " ", dir);
        ASSERT_EQ(system(cmd), 0);
        *ret_dir = dir;
        return chase_root_open(dir);
}

static void discover(const char *layout, Layout *l) {
        _cleanup_free_ char *dir = NULL;
        int fd = make_root(layout, &dir);

        ASSERT_OK(fd);
        ASSERT_OK(layout_discover(fd, l));
        close(fd);
        ASSERT_STREQ(l->type, "default");
        ASSERT_EQ(l->config.mode, SELINUX_MODE_PERMISSIVE);
}

TEST(flatcar_legacy) {
        Layout l;

        discover("flatcar-legacy", &l);
        ASSERT_TRUE(l.config_file.is_link);
        ASSERT_EQ(l.config_file.kind, PATH_IMAGE);
        ASSERT_STREQ(l.config_file.resolved, "/usr/lib/selinux/config");
        ASSERT_TRUE(l.policy.is_link);
        ASSERT_EQ(l.policy.kind, PATH_IMAGE);
        ASSERT_TRUE(l.store_root.is_link);
        ASSERT_STREQ(l.store.path, "/var/lib/selinux/default");
        ASSERT_STREQ(l.store.resolved, "/usr/lib/selinux/policy/default");
        ASSERT_EQ(l.store.kind, PATH_IMAGE);
        ASSERT_STREQ(l.image_store, "/usr/lib/selinux/policy/default");
        ASSERT_STREQ(l.image_policy, "/usr/lib/selinux/default");
        layout_done(&l);
}

TEST(flatcar_current) {
        Layout l;

        discover("flatcar-current", &l);
        ASSERT_TRUE(!l.config_file.is_link);
        ASSERT_EQ(l.config_file.kind, PATH_REAL);
        ASSERT_EQ(l.policy.kind, PATH_REAL);
        ASSERT_EQ(l.store.kind, PATH_IMAGE);
        ASSERT_STREQ(l.image_store, "/usr/lib/selinux/policy/default");
        /* /usr/lib/selinux/default is a compatibility link back to /etc: not an image copy. */
        ASSERT_NULL(l.image_policy);
        layout_done(&l);
}

TEST(plain) {
        Layout l;

        discover("plain", &l);
        ASSERT_EQ(l.config_file.kind, PATH_REAL);
        ASSERT_EQ(l.policy.kind, PATH_REAL);
        ASSERT_EQ(l.store.kind, PATH_REAL);
        ASSERT_TRUE(!l.store_root.is_link);
        ASSERT_NULL(l.image_store);
        ASSERT_NULL(l.image_policy);
        layout_done(&l);
}

TEST(empty_root) {
        _cleanup_free_ char *dir = strjoin(tmp, "/empty");
        Layout l;
        int fd;

        ASSERT_OK(mkdir(dir, 0755));
        fd = chase_root_open(dir);
        ASSERT_OK(layout_discover(fd, &l));
        ASSERT_STREQ(l.type, "targeted");
        ASSERT_EQ(l.config.mode, -1);
        ASSERT_EQ(l.config_file.kind, PATH_MISSING);
        ASSERT_EQ(l.store.kind, PATH_MISSING);
        layout_done(&l);
        close(fd);
}

TEST(semanage_conf) {
        static const char text[] = "# store-root = /nope\nmodule-store = direct\n  store-root =  /srv/selinux # here\n";
        _cleanup_free_ char *v = NULL, *none = NULL;

        ASSERT_OK(layout_parse_store_root(text, sizeof text - 1, &v));
        ASSERT_STREQ(v, "/srv/selinux");
        ASSERT_OK(layout_parse_store_root("expand-check=0\n", 15, &none));
        ASSERT_NULL(none);
}

int main(void) {
        _cleanup_free_ char *cleanup = NULL;

        ASSERT_TRUE(mkdtemp(tmp));
        RUN_TEST(flatcar_legacy);
        RUN_TEST(flatcar_current);
        RUN_TEST(plain);
        RUN_TEST(empty_root);
        RUN_TEST(semanage_conf);
        cleanup = strjoin("rm -rf ", tmp);
        ASSERT_EQ(system(cleanup), 0);
        return 0;
}
