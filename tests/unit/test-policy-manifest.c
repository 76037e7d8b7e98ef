/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov's manifest of what it installed, content digests, and module source checks. */

#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "policy-internal.h"
#include "strutil.h"
#include "tests.h"

static char dir[] = "/var/tmp/seprov-test-manifest.XXXXXX";
static int dir_fd = -EBADF;

TEST(digest) {
        _cleanup_free_ char *a = manifest_digest("abc", 3), *b = manifest_digest("abd", 3);
        _cleanup_free_ char *c = manifest_digest("abc", 3);

        ASSERT_STREQ(a, c);
        ASSERT_TRUE(!streq(a, b));
        ASSERT_TRUE(endswith(a, "-3"));
}

TEST(round_trip) {
        _cleanup_(manifest_done) Manifest m = {}, r = {};

        ASSERT_OK(manifest_read(dir_fd, &r)); /* none yet: empty */
        ASSERT_EQ(r.n_modules, 0);
        ASSERT_OK(manifest_add_module(&m, "a", 400, "d1"));
        ASSERT_OK(manifest_add_module(&m, "b", 450, "d2"));
        ASSERT_OK(manifest_add_module(&m, "a", 410, "d3")); /* replaces */
        ASSERT_OK(strv_extend(&m.booleans, "httpd_x"));
        ASSERT_OK(manifest_write(dir_fd, &m));
        ASSERT_OK(manifest_read(dir_fd, &r));
        ASSERT_EQ(r.n_modules, 2);
        ASSERT_EQ(manifest_find_module(&r, "a")->priority, 410);
        ASSERT_STREQ(manifest_find_module(&r, "a")->digest, "d3");
        ASSERT_TRUE(strv_contains(r.booleans, "httpd_x"));
        manifest_remove_module(&r, "a");
        ASSERT_NULL(manifest_find_module(&r, "a"));
        ASSERT_EQ(r.n_modules, 1);
}

static int source(const char *path, mode_t mode, uid_t uid, const char **reason) {
        _cleanup_(module_source_done) ModuleSource s = {};
        _cleanup_free_ char *full = strjoin(dir, path);
        int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0600), r;

        ASSERT_OK(fd);
        ASSERT_EQ(write(fd, "(type t)\n", 9), 9);
        ASSERT_EQ(fchmod(fd, mode), 0);
        ASSERT_EQ(fchown(fd, uid, uid), 0);
        close(fd);
        r = module_source_read(dir_fd, path, &s, reason);
        if (r >= 0) {
                ASSERT_EQ(s.size, 9);
                ASSERT_STREQ(s.lang, "cil");
        }
        return r;
}

TEST(sources) {
        const char *reason;

        ASSERT_OK(source("/ok.cil", 0644, 0, &reason));
        ASSERT_EQ(source("/gw.cil", 0664, 0, &reason), -EPERM);
        ASSERT_STREQ(reason, "writable by group or others");
        ASSERT_EQ(source("/ow.cil", 0646, 0, &reason), -EPERM);
        ASSERT_EQ(source("/user.cil", 0644, 1000, &reason), -EPERM);
        ASSERT_STREQ(reason, "not owned by root");
        ASSERT_EQ(source("/x.te", 0644, 0, &reason), -EPERM);
        ASSERT_STREQ(reason, "not an absolute path to a .cil or .pp file");
}

int main(void) {
        ASSERT_TRUE(mkdtemp(dir));
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
        RUN_TEST(digest);
        RUN_TEST(round_trip);
        RUN_TEST(sources);
        _cleanup_free_ char *cmd = strjoin("rm -rf ", dir);
        ASSERT_EQ(system(cmd), 0);
        return 0;
}
