/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov's manifest of what it installed, content digests, module source checks, and the booleans a
 * module declares (a .pp built here by checkmodule and semodule_package from a .te that says). */

#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "fileio.h"
#include "policy-internal.h"
#include "policy.h"
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

/* Permissive domains, ports and module states survive a write and a read; the first state recorded of a
 * module stays (it is the one an undo goes back to). */
TEST(round_trip_workload) {
        _cleanup_(manifest_done) Manifest m = {}, r = {};

        ASSERT_OK(strv_extend(&m.permissive, "sshd_t"));
        ASSERT_OK(manifest_add_port(&m, "tcp", 8443, 8443));
        ASSERT_OK(manifest_add_port(&m, "udp", 8000, 8100));
        ASSERT_OK(manifest_add_port(&m, "tcp", 8443, 8443)); /* once */
        ASSERT_OK(manifest_add_state(&m, "games", true));
        ASSERT_OK(manifest_add_state(&m, "games", false)); /* the first stays */
        ASSERT_OK(manifest_add_state(&m, "git", false));
        ASSERT_OK(manifest_write(dir_fd, &m));
        ASSERT_OK(manifest_read(dir_fd, &r));
        ASSERT_TRUE(strv_contains(r.permissive, "sshd_t"));
        ASSERT_EQ(r.n_ports, 2);
        ASSERT_TRUE(manifest_find_port(&r, "udp", 8000, 8100) != NULL);
        ASSERT_NULL(manifest_find_port(&r, "udp", 8443, 8443));
        ASSERT_EQ(r.n_states, 2);
        ASSERT_TRUE(manifest_find_state(&r, "games")->enabled_before);
        ASSERT_TRUE(!manifest_find_state(&r, "git")->enabled_before);
        manifest_remove_port(&r, "tcp", 8443, 8443);
        manifest_remove_state(&r, "games");
        ASSERT_EQ(r.n_ports, 1);
        ASSERT_EQ(r.n_states, 1);
        ASSERT_NULL(manifest_find_state(&r, "games"));
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
        /* The check alone, without reading: the same verdicts. */
        ASSERT_OK(module_source_check(dir_fd, "/ok.cil", &reason));
        ASSERT_EQ(module_source_check(dir_fd, "/gw.cil", &reason), -EPERM);
        ASSERT_STREQ(reason, "writable by group or others");
        ASSERT_EQ(module_source_check(dir_fd, "/missing.cil", &reason), -EPERM);
        ASSERT_STREQ(reason, "no such file in the root");
}

static char *booleans_of(const char *lang, const char *text, size_t size) {
        ModuleSource s = { .data = (char *) text, .size = size, .lang = lang };
        _cleanup_strv_free_ char **l = NULL;
        char *joined = strdup("");

        ASSERT_OK(module_source_booleans(&s, &l));
        STRV_FOREACH (b, l)
                ASSERT_OK(strextend(&joined, "%s%s", *joined ? " " : "", *b));
        return joined;
}

TEST(cil_booleans) {
        static const char cil[] =
                "; (boolean commented_out false)\n"
                "(boolean myapp_enable false)\n"
                "(tunable myapp_tunable true) (type \"(boolean in_a_string false)\")\n"
                "(block myapp (boolean inner true) (in other (boolean deeper false)))\n"
                "(macro m ((type t)) (boolean from_macro false))\n"
                "(booleanif myapp_enable (true (allow a b (file (read)))))\n";
        _cleanup_free_ char *got = booleans_of("cil", cil, sizeof cil - 1);
        ModuleSource bad = { .data = (char *) "(boolean x", .size = 10, .lang = "cil" };
        char **l = NULL;

        ASSERT_STREQ(got, "myapp_enable myapp_tunable myapp.inner myapp.other.deeper");
        ASSERT_EQ(module_source_booleans(&bad, &l), -EINVAL);
}

/* checkmodule and semodule_package build the package; the .te says what it declares and what it
 * only requires, independently of seprov. */
TEST(pp_booleans) {
        _cleanup_free_ char *cmd = strprintf(
                "cd %s && printf 'module seprovtest 1.0;\\nrequire { bool virt_use_nfs; type bin_t; }\\n"
                "bool seprovtest_enable false;\\nbool seprovtest_other true;\\n' >seprovtest.te && "
                "checkmodule -M -m -o seprovtest.mod seprovtest.te >/dev/null && "
                "semodule_package -o seprovtest.pp -m seprovtest.mod",
                dir);
        _cleanup_free_ char *data = NULL, *got = NULL;
        size_t size;

        ASSERT_TRUE(cmd && system(cmd) == 0);
        ASSERT_OK(read_full_file_at(dir_fd, "/seprovtest.pp", 1 << 20, &data, &size, NULL, NULL));
        got = booleans_of("pp", data, size);
        /* Declared, in libsepol's order; virt_use_nfs is only required. */
        ASSERT_TRUE(strstr(got, "seprovtest_enable") && strstr(got, "seprovtest_other"));
        ASSERT_TRUE(!strstr(got, "virt_use_nfs"));
        {
                ModuleSource bad = { .data = (char *) "not a package", .size = 13, .lang = "pp" };
                char **l = NULL;
                ASSERT_EQ(module_source_booleans(&bad, &l), -EINVAL);
        }
}

int main(void) {
        ASSERT_TRUE(mkdtemp(dir));
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
        RUN_TEST(digest);
        RUN_TEST(round_trip);
        RUN_TEST(round_trip_workload);
        RUN_TEST(sources);
        RUN_TEST(cil_booleans);
        RUN_TEST(pp_booleans);
        _cleanup_free_ char *cmd = strjoin("rm -rf ", dir);
        ASSERT_EQ(system(cmd), 0);
        return 0;
}
