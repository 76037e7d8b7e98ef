/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compiled policy through libsepol, on the real policy Debian's selinux-policy-default installs
 * on this machine (tools/install-deps): found, read, looked up, written back. Expected values come
 * from setools (seinfo) on the same file, not from seprov. */

#include <fcntl.h>
#include <sys/stat.h>

#include "fileio.h"
#include "kpolicy.h"
#include "strutil.h"
#include "tests.h"

static int host_fd = -EBADF;

static KPolicy *load(void) {
        _cleanup_free_ char *path = NULL;
        KPolicy *p = NULL;

        ASSERT_OK(kpolicy_find(host_fd, "default", &path));
        ASSERT_STREQ(path, "/etc/selinux/default/policy/policy.33");
        ASSERT_OK(kpolicy_read_at(host_fd, path, &p, /* ret_why= */ NULL));
        return p;
}

TEST(lookups) {
        _cleanup_kpolicy_free_ KPolicy *p = load();

        ASSERT_EQ(kpolicy_version(p), 33u);
        ASSERT_TRUE(kpolicy_mls(p));
        ASSERT_TRUE(kpolicy_has_type(p, "init_t"));
        ASSERT_TRUE(!kpolicy_has_type(p, "domain")); /* an attribute */
        ASSERT_TRUE(kpolicy_has_attribute(p, "domain"));
        ASSERT_TRUE(!kpolicy_has_type(p, "no_such_t"));
        ASSERT_TRUE(kpolicy_has_role(p, "system_r"));
        ASSERT_TRUE(kpolicy_has_user(p, "system_u"));
        ASSERT_TRUE(kpolicy_has_class(p, "file"));
        ASSERT_TRUE(!kpolicy_has_class(p, "no_such_class"));
        /* seinfo -x -b: "bool virt_use_nfs false;", "bool allow_ypbind false;" */
        ASSERT_EQ(kpolicy_boolean_get(p, "virt_use_nfs"), 0);
        ASSERT_EQ(kpolicy_boolean_get(p, "no_such_boolean"), -ENOENT);
        ASSERT_STREQ(kpolicy_boolean_nearest(p, "virt_use_nsf"), "virt_use_nfs");
        ASSERT_NULL(kpolicy_boolean_nearest(p, "completely_unrelated_words"));
}

TEST(write_and_read_back) {
        _cleanup_kpolicy_free_ KPolicy *p = load(), *q = NULL;
        char dir[] = "/tmp/seprov-test-kpolicy.XXXXXX";
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *why = NULL;
        struct stat st;

        ASSERT_TRUE(mkdtemp(dir));
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(fd);
        ASSERT_OK(kpolicy_write_at(p, fd, "policy.33",
                                   &(WriteOptions) { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 }, &why));
        ASSERT_OK(fstatat(fd, "policy.33", &st, 0));
        ASSERT_EQ(st.st_mode & 07777, 0644u);
        ASSERT_OK(kpolicy_read_at(fd, "policy.33", &q, &why));
        ASSERT_EQ(kpolicy_version(q), 33u);
        ASSERT_TRUE(kpolicy_has_type(q, "init_t"));
        ASSERT_EQ(kpolicy_boolean_get(q, "virt_use_nfs"), 0);
        ASSERT_OK(unlinkat(fd, "policy.33", 0));
        ASSERT_OK(rmdir(dir));
}

TEST(not_a_policy) {
        char dir[] = "/tmp/seprov-test-kpolicy.XXXXXX";
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *why = NULL, *why2 = NULL;
        KPolicy *p = NULL;
        static const char junk[] = "this is not a policy, but long enough to be read as one";

        ASSERT_TRUE(mkdtemp(dir));
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(fd);
        ASSERT_OK(write_file_atomic_at(fd, "policy.33", junk, sizeof(junk) - 1,
                                       &(WriteOptions) { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 }));
        ASSERT_EQ(kpolicy_read_at(fd, "policy.33", &p, &why), -EINVAL);
        ASSERT_NULL(p);
        /* libsepol's own words, not an errno. */
        ASSERT_TRUE(why && startswith(why, "libsepol: "));
        ASSERT_EQ(kpolicy_read_at(fd, "policy.34", &p, &why2), -ENOENT);
        ASSERT_OK(unlinkat(fd, "policy.33", 0));
        ASSERT_OK(rmdir(dir));
}

int main(void) {
        host_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(host_fd);
        RUN_TEST(lookups);
        RUN_TEST(write_and_read_back);
        RUN_TEST(not_a_policy);
        close(host_fd);
        return 0;
}
