/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compiled policy through libsepol, on the real policy Debian's selinux-policy-default installs
 * on this machine (tools/install-deps): found, read, looked up, edited, written back. Expected values
 * come from setools (seinfo) on the same file, or from the file itself as libsemanage wrote it, not
 * from seprov. */

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
                                   &(WriteOptions){ .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 }, &why));
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
                                       &(WriteOptions){ .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 }));
        ASSERT_EQ(kpolicy_read_at(fd, "policy.33", &p, &why), -EINVAL);
        ASSERT_NULL(p);
        /* libsepol's own words, not an errno. */
        ASSERT_TRUE(why && startswith(why, "libsepol: "));
        ASSERT_EQ(kpolicy_read_at(fd, "policy.34", &p, &why2), -ENOENT);
        ASSERT_OK(unlinkat(fd, "policy.33", 0));
        ASSERT_OK(rmdir(dir));
}

static int read_host_policy(char **ret, size_t *ret_size) {
        return read_full_file_at(host_fd, "/etc/selinux/default/policy/policy.33", 64 * 1024 * 1024, ret, ret_size,
                                 /* ret_st= */ NULL, /* ret_path= */ NULL);
}

/* libsemanage built the installed policy (CIL): a read loses its rule order, kpolicy_order_as_built()
 * puts it back byte for byte. */
TEST(order_as_built) {
        _cleanup_kpolicy_free_ KPolicy *p = NULL;
        _cleanup_free_ char *file = NULL;
        _cleanup_free_ void *plain = NULL, *built = NULL;
        size_t n = 0, n_plain = 0, n_built = 0;

        ASSERT_OK(read_host_policy(&file, &n));
        ASSERT_OK(kpolicy_read_mem(file, n, &p, /* ret_why= */ NULL));
        ASSERT_OK(kpolicy_image(p, &plain, &n_plain, /* ret_why= */ NULL));
        ASSERT_EQ(n_plain, n);
        ASSERT_TRUE(memcmp(plain, file, n) != 0); /* the order a read gives is not a build's */
        ASSERT_OK(kpolicy_order_as_built(p));
        ASSERT_OK(kpolicy_image(p, &built, &n_built, /* ret_why= */ NULL));
        ASSERT_EQ(n_built, n);
        ASSERT_TRUE(memcmp(built, file, n) == 0);
}

TEST(dontaudit_strip) {
        _cleanup_kpolicy_free_ KPolicy *p = load(), *q = NULL;
        _cleanup_free_ void *image = NULL;
        size_t removed = 0, again = 1, n = 0;

        ASSERT_OK(kpolicy_dontaudit_strip(p, &removed));
        ASSERT_TRUE(removed > 0);
        ASSERT_OK(kpolicy_image(p, &image, &n, /* ret_why= */ NULL));
        ASSERT_OK(kpolicy_read_mem(image, n, &q, /* ret_why= */ NULL));
        ASSERT_OK(kpolicy_dontaudit_strip(q, &again));
        ASSERT_EQ(again, (size_t) 0);
        /* What is not a dontaudit rule stays. */
        ASSERT_TRUE(kpolicy_has_type(q, "init_t"));
        ASSERT_EQ(kpolicy_boolean_get(q, "virt_use_nfs"), 0);
}

TEST(boolean_set) {
        _cleanup_kpolicy_free_ KPolicy *p = load(), *q = NULL;
        _cleanup_free_ void *image = NULL;
        size_t n = 0;

        ASSERT_OK(kpolicy_boolean_set(p, "virt_use_nfs", true));
        ASSERT_EQ(kpolicy_boolean_set(p, "no_such_boolean", true), -ENOENT);
        ASSERT_OK(kpolicy_booleans_evaluate(p));
        ASSERT_OK(kpolicy_image(p, &image, &n, /* ret_why= */ NULL));
        ASSERT_OK(kpolicy_read_mem(image, n, &q, /* ret_why= */ NULL));
        ASSERT_EQ(kpolicy_boolean_get(q, "virt_use_nfs"), 1);
        ASSERT_EQ(kpolicy_boolean_get(q, "allow_ypbind"), 0);
        ASSERT_TRUE(kpolicy_version_max() >= kpolicy_version(q));
}

static KPolicyAccess explain(KPolicy *p, const char *s, const char *t, const char *c, char **perms) {
        KPolicyAccess a = {};

        ASSERT_OK(kpolicy_access_explain(p, s, t, c, perms, &a));
        return a;
}

/* What audit2why says of the same accesses on the same file (test-cause.sh runs it on more). */
TEST(access_explain) {
        _cleanup_kpolicy_free_ KPolicy *p = load(), *q = load();
        const char *httpd = "system_u:system_r:httpd_t:s0", *port = "system_u:object_r:http_cache_port_t:s0";
        KPolicyAccess a;

        a = explain(p, httpd, port, "tcp_socket", STRV_MAKE("name_connect"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_BOOLEAN);
        ASSERT_EQ(a.n_booleans, 2u);
        ASSERT_STREQ(a.booleans[0].name, "httpd_can_network_connect");
        ASSERT_TRUE(a.booleans[0].value);
        ASSERT_STREQ(a.booleans[1].name, "httpd_can_network_relay");
        kpolicy_access_done(&a);
        /* The search put every boolean back: the policy still denies it, and says so again. */
        ASSERT_EQ(kpolicy_boolean_get(p, "httpd_can_network_connect"), 0);
        a = explain(p, httpd, port, "tcp_socket", STRV_MAKE("name_connect"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_BOOLEAN);
        kpolicy_access_done(&a);

        /* Another policy with the boolean set answers for itself, and then the first for itself. */
        ASSERT_OK(kpolicy_boolean_set(q, "httpd_can_network_connect", true));
        ASSERT_OK(kpolicy_booleans_evaluate(q));
        a = explain(q, httpd, port, "tcp_socket", STRV_MAKE("name_connect"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_ALLOWED);
        kpolicy_access_done(&a);
        a = explain(p, httpd, port, "tcp_socket", STRV_MAKE("name_connect"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_BOOLEAN);
        kpolicy_access_done(&a);

        a = explain(p, httpd, "system_u:object_r:shadow_t:s0", "file", STRV_MAKE("read"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_TE);
        ASSERT_EQ(a.n_booleans, 0u);
        kpolicy_access_done(&a);
        a = explain(p, "system_u:system_r:container_t:s0", "system_u:object_r:usr_t:s0", "dir", STRV_MAKE("write"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_UNKNOWN);
        ASSERT_STREQ(a.what, "type container_t");
        kpolicy_access_done(&a);
        a = explain(p, "system_u:system_r:svirt_t:s0:c1,c2", "system_u:object_r:svirt_image_t:s0:c3,c4", "file",
                    STRV_MAKE("read"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_CONSTRAINT);
        ASSERT_TRUE(strstr(a.what, "mlsconstrain file"));
        kpolicy_access_done(&a);
        a = explain(p, "staff_u:staff_r:httpd_t:s0", httpd, "file", STRV_MAKE("getattr"));
        ASSERT_EQ(a.result, KPOLICY_ACCESS_ROLE);
        ASSERT_STREQ(a.what, "role staff_r is not associated with type httpd_t (no 'roletype staff_r httpd_t')");
        kpolicy_access_done(&a);
}

static void *copy(const void *data, size_t n) {
        void *p = malloc(n);

        ASSERT_TRUE(p);
        return memcpy(p, data, n);
}

/* What libsepol writes for 'file' with the booleans set and the conditional rules evaluated, in the
 * order a build writes (the file's, which libsemanage built). */
static void booleans_by_libsepol(const char *file, size_t n, char *const *names, const bool *values, size_t k,
                                 bool strip, void **ret, size_t *ret_size) {
        _cleanup_kpolicy_free_ KPolicy *p = NULL;

        ASSERT_OK(kpolicy_read_mem(file, n, &p, /* ret_why= */ NULL));
        ASSERT_OK(kpolicy_order_as_built(p));
        if (strip)
                ASSERT_OK(kpolicy_dontaudit_strip(p, /* ret_removed= */ NULL));
        for (size_t i = 0; i < k; i++)
                ASSERT_OK(kpolicy_boolean_set(p, names[i], values[i]));
        ASSERT_OK(kpolicy_booleans_evaluate(p));
        ASSERT_OK(kpolicy_image(p, ret, ret_size, /* ret_why= */ NULL));
}

/* The booleans set in the file's bytes are what libsepol writes after reading it, setting them and
 * evaluating the conditional rules: on the installed policy, and on it without the dontaudit rules;
 * turned on and off again. */
TEST(patch_booleans) {
        char *names[] = { "httpd_can_network_connect", "virt_use_nfs", "ssh_sysadm_login", "allow_ypbind" };
        const bool on[] = { true, true, false, true }, off[] = { false, false, true, false };
        _cleanup_free_ char *file = NULL;
        size_t n = 0;

        ASSERT_OK(read_host_policy(&file, &n));
        for (int strip = 0; strip <= 1; strip++) {
                _cleanup_free_ void *source = NULL, *want = NULL, *back = NULL;
                _cleanup_free_ char *patched = NULL;
                size_t n_source = n, n_want = 0, n_back = 0;

                if (strip)
                        booleans_by_libsepol(file, n, names, on, 0, true, &source, &n_source);
                else
                        source = copy(file, n);
                patched = copy(source, n_source);
                ASSERT_OK(kpolicy_patch_booleans(patched, n_source, names, on, ELEMENTSOF(names), NULL));
                ASSERT_TRUE(memcmp(patched, source, n_source) != 0);
                booleans_by_libsepol(source, n_source, names, on, ELEMENTSOF(names), false, &want, &n_want);
                ASSERT_EQ(n_want, n_source);
                ASSERT_TRUE(memcmp(patched, want, n_want) == 0);
                /* Back to the defaults: the file as it was. */
                ASSERT_OK(kpolicy_patch_booleans(patched, n_source, names, off, ELEMENTSOF(names), NULL));
                booleans_by_libsepol(want, n_want, names, off, ELEMENTSOF(names), false, &back, &n_back);
                ASSERT_TRUE(memcmp(patched, back, n_back) == 0);
                ASSERT_TRUE(memcmp(patched, source, n_source) == 0);
        }
}

TEST(patch_booleans_refused) {
        char *names[] = { "virt_use_nfs", "no_such_boolean" };
        const bool values[] = { true, true };
        _cleanup_free_ char *file = NULL;
        size_t n = 0, missing = 0;

        ASSERT_OK(read_host_policy(&file, &n));
        ASSERT_EQ(kpolicy_patch_booleans(file, n, names, values, 2, &missing), -ENOENT);
        ASSERT_EQ(missing, (size_t) 1);
        /* Cut short: the conditional rules are not all there. */
        ASSERT_EQ(kpolicy_patch_booleans(file, n / 2, names, values, 1, NULL), -EBADMSG);
        /* A version this parser does not know (the header's third word). */
        ((uint32_t *) (void *) file)[2 + 8 / 4] = 29;
        ASSERT_EQ(kpolicy_patch_booleans(file, n, names, values, 1, NULL), -EBADMSG);
        ASSERT_EQ(kpolicy_patch_booleans("junk", 4, names, values, 1, NULL), -EBADMSG);
}

int main(void) {
        host_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(host_fd);
        RUN_TEST(lookups);
        RUN_TEST(write_and_read_back);
        RUN_TEST(not_a_policy);
        RUN_TEST(order_as_built);
        RUN_TEST(dontaudit_strip);
        RUN_TEST(boolean_set);
        RUN_TEST(access_explain);
        RUN_TEST(patch_booleans);
        RUN_TEST(patch_booleans_refused);
        close(host_fd);
        return 0;
}
