/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layout discovery on the three fixture layouts built from the real policy store. */

#include <sys/stat.h>

#include "chase.h"
#include "layout.h"
#include "store-conf.h"
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
        static const char text[] = "# store-root = /nope\nmodule-store = direct\n  store-root =  /srv/selinux # here\n"
                                   "policy-version = 31\nfile-mode=0640\noptimize-policy = TRUE\n"
                                   "[verify kernel]\npath = /usr/bin/check\nsave-previous = true\n[end]\n";
        _cleanup_(store_conf_done) StoreConf c = {}, d = {};

        ASSERT_OK(store_conf_parse(text, sizeof text - 1, &c));
        ASSERT_STREQ(c.store_root, "/srv/selinux");
        ASSERT_EQ(c.policy_version, 31u);
        ASSERT_EQ(c.file_mode, 0640u);
        ASSERT_TRUE(c.direct);
        ASSERT_TRUE(c.optimize_policy);
        ASSERT_TRUE(c.verify_kernel);
        /* A key inside a section is the section's program's, not libsemanage's own. */
        ASSERT_TRUE(!c.save_previous);
        /* libsemanage's defaults. */
        ASSERT_OK(store_conf_parse("expand-check=0\n", 15, &d));
        ASSERT_NULL(d.store_root);
        ASSERT_EQ(d.policy_version, 0u);
        ASSERT_EQ(d.file_mode, 0644u);
        ASSERT_TRUE(d.direct && !d.optimize_policy && !d.verify_kernel && !d.save_previous);
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
