/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Path resolution under a root: Flatcar's links, absolute links, escapes, loops. */

#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "chase.h"
#include "strutil.h"
#include "tests.h"

static char root[] = "/tmp/seprov-test-chase.XXXXXX";
static int root_fd = -1;

static void mk(const char *path, const char *content) {
        _cleanup_free_ char *p = strjoin(root, path);
        FILE *f = fopen(p, "we");
        ASSERT_TRUE(f);
        fputs(content, f);
        fclose(f);
}

static void mkd(const char *path) {
        _cleanup_free_ char *p = strjoin(root, path);
        ASSERT_OK(mkdir(p, 0755));
}

static void ln(const char *target, const char *path) {
        _cleanup_free_ char *p = strjoin(root, path);
        ASSERT_OK(symlink(target, p));
}

static void setup(void) {
        ASSERT_TRUE(mkdtemp(root));
        mkd("/etc");
        mkd("/etc/selinux");
        mkd("/usr");
        mkd("/usr/lib");
        mkd("/usr/lib/selinux");
        mkd("/usr/lib/selinux/policy");
        mkd("/var");
        mkd("/var/lib");
        mk("/usr/lib/selinux/config", "SELINUX=permissive\n");
        mk("/file", "x");
        ln("../../usr/lib/selinux/config", "/etc/selinux/config");
        ln("../../usr/lib/selinux/policy", "/var/lib/selinux");
        ln("/usr/lib/selinux", "/abs");
        ln("../../../../../../../../etc", "/escape");
        ln("loop2", "/loop1");
        ln("loop1", "/loop2");
        root_fd = chase_root_open(root);
        ASSERT_OK(root_fd);
}

static char *resolve(const char *path, ChaseFlags flags, int expect) {
        _cleanup_free_ char *name = NULL;
        char *resolved = NULL;
        int dir_fd = -1;

        ASSERT_EQ(chase(root_fd, path, flags, &dir_fd, &name, &resolved), expect);
        ASSERT_OK(dir_fd);
        close(dir_fd);
        return resolved;
}

TEST(relative_link) {
        _cleanup_free_ char *a = resolve("/etc/selinux/config", 0, 0);
        _cleanup_free_ char *b = resolve("etc/selinux/config", 0, 0);
        _cleanup_free_ char *c = resolve("/etc/selinux/config", CHASE_NOFOLLOW, 0);

        ASSERT_STREQ(a, "/usr/lib/selinux/config");
        ASSERT_STREQ(b, "/usr/lib/selinux/config");
        ASSERT_STREQ(c, "/etc/selinux/config");
}

TEST(directory_link_and_missing) {
        _cleanup_free_ char *a = resolve("/var/lib/selinux/mcs", CHASE_MISSING_OK, 1);
        _cleanup_free_ char *b = resolve("/var/lib/selinux", 0, 0);

        ASSERT_STREQ(a, "/usr/lib/selinux/policy/mcs");
        ASSERT_STREQ(b, "/usr/lib/selinux/policy");
        ASSERT_EQ(chase(root_fd, "/var/lib/selinux/mcs", 0, NULL, NULL, NULL), -ENOENT);
        ASSERT_EQ(chase(root_fd, "/nope/mcs", CHASE_MISSING_OK, NULL, NULL, NULL), -ENOENT);
}

TEST(absolute_link_stays_inside) {
        _cleanup_free_ char *a = resolve("/abs/config", 0, 0);
        ASSERT_STREQ(a, "/usr/lib/selinux/config");
}

TEST(dotdot_clamped_at_root) {
        _cleanup_free_ char *a = resolve("/../../../etc/selinux", 0, 0);
        /* The link climbs far above the root and lands on the root's own /etc, not the host's. */
        _cleanup_free_ char *b = resolve("/escape/selinux/config", 0, 0);
        _cleanup_free_ char *c = resolve("/", 0, 0);

        ASSERT_STREQ(a, "/etc/selinux");
        ASSERT_STREQ(b, "/usr/lib/selinux/config");
        ASSERT_STREQ(c, "/");
}

TEST(errors) {
        ASSERT_EQ(chase(root_fd, "/loop1", 0, NULL, NULL, NULL), -ELOOP);
        ASSERT_EQ(chase(root_fd, "/file/x", 0, NULL, NULL, NULL), -ENOTDIR);
}

TEST(open_and_stat) {
        char buf[64] = {};
        struct stat st;
        int fd;

        fd = chase_and_open(root_fd, "/etc/selinux/config", 0, O_RDONLY, 0, NULL);
        ASSERT_OK(fd);
        ASSERT_TRUE(read(fd, buf, sizeof buf - 1) > 0);
        close(fd);
        ASSERT_STREQ(buf, "SELINUX=permissive\n");

        ASSERT_OK(chase_and_stat(root_fd, "/etc/selinux/config", CHASE_NOFOLLOW, &st, NULL));
        ASSERT_TRUE(S_ISLNK(st.st_mode));
        ASSERT_OK(chase_and_stat(root_fd, "/etc/selinux/config", 0, &st, NULL));
        ASSERT_TRUE(S_ISREG(st.st_mode));
        ASSERT_EQ(chase_and_open(root_fd, "/etc/missing", 0, O_RDONLY, 0, NULL), -ENOENT);
}

/* One openat2() call resolves exactly as chase() does: same file, or same error. */
TEST(chase_open_matches_chase) {
        static const char *const paths[] = { "/etc/selinux/config",
                                             "etc/selinux/config",
                                             "/abs/config",
                                             "/escape/selinux/config",
                                             "/../../../etc/selinux",
                                             "/",
                                             "/var/lib/selinux",
                                             "/var/lib/selinux/",
                                             "/loop1",
                                             "/file/x",
                                             "/etc/missing",
                                             "/escape/../../file" };

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                int a = chase_open(root_fd, paths[i], O_PATH);
                int b = chase_and_open(root_fd, paths[i], 0, O_PATH, 0, NULL);
                struct stat sa, sb;

                if (b < 0) {
                        ASSERT_EQ(a, b);
                        continue;
                }
                ASSERT_OK(a);
                ASSERT_OK(fstat(a, &sa));
                ASSERT_OK(fstat(b, &sb));
                ASSERT_TRUE(sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev);
                close(a);
                close(b);
        }
}

/* A racer swaps a directory of the path with a symlink to a directory outside the root, over and
 * over, while files are created through chase(): nothing is ever created outside. */
TEST(raced_swaps_stay_inside) {
        char outside[] = "/tmp/seprov-test-outside.XXXXXX";
        _cleanup_free_ char *a = strjoin(root, "/race/a"), *evil = strjoin(root, "/race/evil"), *b = NULL;
        _cleanup_free_ char *escaped = NULL, *cleanup = NULL;
        unsigned created = 0;
        pid_t pid;

        ASSERT_TRUE(mkdtemp(outside));
        b = strjoin(outside, "/b");
        escaped = strjoin(outside, "/b/f");
        ASSERT_OK(mkdir(b, 0755));
        mkd("/race");
        mkd("/race/a");
        mkd("/race/a/b");
        ASSERT_OK(symlink(outside, evil));

        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0 && prctl(PR_SET_PDEATHSIG, SIGKILL) == 0) /* an assertion failing in the parent ends it */
                for (;;)
                        (void) renameat2(AT_FDCWD, a, AT_FDCWD, evil, RENAME_EXCHANGE);
        for (unsigned i = 0; i < 20000; i++) {
                const char *path = i % 2 ? "/race/a/b/f" : "/race/a/b/../b/f";
                int fd = chase_and_open(root_fd, path, CHASE_MISSING_OK, O_WRONLY | O_CREAT, 0644, NULL);

                if (fd >= 0) {
                        created++;
                        close(fd);
                }
                ASSERT_TRUE(access(escaped, F_OK) < 0);
        }
        ASSERT_OK(kill(pid, SIGKILL));
        ASSERT_EQ(waitpid(pid, NULL, 0), pid);
        ASSERT_TRUE(created > 0); /* the race was run, not always lost */
        cleanup = strjoin("rm -rf ", outside);
        ASSERT_EQ(system(cleanup), 0);
}

int main(void) {
        _cleanup_free_ char *cleanup = NULL;

        setup();
        RUN_TEST(relative_link);
        RUN_TEST(directory_link_and_missing);
        RUN_TEST(absolute_link_stays_inside);
        RUN_TEST(dotdot_clamped_at_root);
        RUN_TEST(errors);
        RUN_TEST(open_and_stat);
        RUN_TEST(chase_open_matches_chase);
        RUN_TEST(raced_swaps_stay_inside);
        close(root_fd);
        cleanup = strjoin("rm -rf ", root); /* the test's own temporary tree */
        ASSERT_EQ(system(cleanup), 0);
        return 0;
}
