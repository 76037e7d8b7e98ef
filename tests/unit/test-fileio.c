/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole-file reads through the root, atomic replacement, and atomic second names. */

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "chase.h"
#include "fileio.h"
#include "strutil.h"
#include "tests.h"

static char root[] = "/tmp/seprov-test-fileio.XXXXXX";

static size_t count_entries(int dir_fd) {
        DIR *d = fdopendir(openat(dir_fd, ".", O_RDONLY | O_DIRECTORY));
        size_t n = 0;

        ASSERT_TRUE(d);
        while (readdir(d))
                n++;
        closedir(d);
        return n - 2;
}

TEST(atomic_replace_of_a_symlink) {
        _cleanup_free_ char *text = NULL, *target = NULL;
        int root_fd = chase_root_open(root), dir_fd;
        WriteOptions o = { .mode = 0640, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = "system_u:object_r:etc_t:s0" };
        char label[64] = {};
        struct stat st;

        ASSERT_OK(mkdirat(root_fd, "etc", 0755));
        ASSERT_OK(symlinkat("../usr-config", root_fd, "etc/config"));
        dir_fd = openat(root_fd, "etc", O_PATH | O_DIRECTORY);
        ASSERT_OK(dir_fd);

        /* Replacing a symlink puts a regular file in its place; the link's target is left alone. */
        ASSERT_OK(write_file_atomic_at(dir_fd, "config", "SELINUX=enforcing\n", 18, &o));
        ASSERT_OK(fstatat(dir_fd, "config", &st, AT_SYMLINK_NOFOLLOW));
        ASSERT_TRUE(S_ISREG(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0640);
        ASSERT_OK(read_full_file_at(root_fd, "/etc/config", 4096, &text, NULL, NULL, NULL));
        ASSERT_STREQ(text, "SELINUX=enforcing\n");
        {
                _cleanup_free_ char *p = strjoin(root, "/etc/config");
                ASSERT_TRUE(getxattr(p, "security.selinux", label, sizeof label) > 0);
                ASSERT_STREQ(label, "system_u:object_r:etc_t:s0");
        }
        ASSERT_EQ(count_entries(dir_fd), 1); /* no temporary file left behind */
        ASSERT_EQ(faccessat(root_fd, "usr-config", F_OK, 0), -1);
        close(dir_fd);
        close(root_fd);
}

TEST(failure_leaves_the_old_file) {
        int root_fd = chase_root_open(root), dir_fd = openat(root_fd, "etc", O_PATH | O_DIRECTORY);
        WriteOptions o = { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 };
        _cleanup_free_ char *text = NULL;

        /* The rename over a non-empty directory fails after the data was written: nothing changes. */
        ASSERT_OK(mkdirat(root_fd, "etc/busy", 0755));
        ASSERT_OK(mkdirat(root_fd, "etc/busy/x", 0755));
        ASSERT_TRUE(write_file_atomic_at(dir_fd, "busy", "SELINUX=disabled\n", 17, &o) < 0);
        ASSERT_OK(read_full_file_at(root_fd, "/etc/config", 4096, &text, NULL, NULL, NULL));
        ASSERT_STREQ(text, "SELINUX=enforcing\n");
        ASSERT_EQ(count_entries(dir_fd), 2); /* config and busy: no temporary file left */
        close(dir_fd);
        close(root_fd);
}

TEST(crash_leftovers_removed) {
        int root_fd = chase_root_open(root), dir_fd = openat(root_fd, "etc", O_PATH | O_DIRECTORY);
        WriteOptions o = { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 };

        /* What a kill between create and rename leaves, and a file that is not ours. */
        ASSERT_OK(close(openat(root_fd, "etc/.config.seprov-0badf00d", O_CREAT | O_WRONLY, 0600)));
        ASSERT_OK(close(openat(root_fd, "etc/.config.keep", O_CREAT | O_WRONLY, 0600)));
        ASSERT_OK(write_file_atomic_at(dir_fd, "config", "SELINUX=enforcing\n", 18, &o));
        ASSERT_EQ(faccessat(root_fd, "etc/.config.seprov-0badf00d", F_OK, 0), -1);
        ASSERT_OK(faccessat(root_fd, "etc/.config.keep", F_OK, 0));
        ASSERT_OK(unlinkat(root_fd, "etc/.config.keep", 0));
        close(dir_fd);
        close(root_fd);
}

TEST(hard_link_keeps_the_old_content) {
        int root_fd = chase_root_open(root), dir_fd = openat(root_fd, "etc", O_PATH | O_DIRECTORY);
        WriteOptions o = { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1, .sync_later = true };
        _cleanup_free_ char *saved = NULL, *now = NULL;
        struct stat a, b;

        /* A second name for the file, then the file replaced: the second name keeps the old bytes. */
        ASSERT_OK(link_atomic_at(dir_fd, "config", dir_fd, "saved"));
        ASSERT_OK(fstatat(dir_fd, "config", &a, 0));
        ASSERT_OK(fstatat(dir_fd, "saved", &b, 0));
        ASSERT_EQ(a.st_ino, b.st_ino);
        ASSERT_OK(write_file_atomic_at(dir_fd, "config", "SELINUX=permissive\n", 19, &o));
        ASSERT_OK(read_full_file_at(root_fd, "/etc/saved", 4096, &saved, NULL, NULL, NULL));
        ASSERT_STREQ(saved, "SELINUX=enforcing\n");
        /* Over an existing name, atomically, and without leftovers. */
        ASSERT_OK(link_atomic_at(dir_fd, "config", dir_fd, "saved"));
        ASSERT_OK(read_full_file_at(root_fd, "/etc/saved", 4096, &now, NULL, NULL, NULL));
        ASSERT_STREQ(now, "SELINUX=permissive\n");
        ASSERT_EQ(link_atomic_at(dir_fd, "missing", dir_fd, "saved"), -ENOENT);
        ASSERT_EQ(count_entries(dir_fd), 3); /* config, busy, saved */
        ASSERT_OK(unlinkat(root_fd, "etc/saved", 0));
        ASSERT_OK(write_file_atomic_at(dir_fd, "config", "SELINUX=enforcing\n", 18, &o));
        close(dir_fd);
        close(root_fd);
}

TEST(read_limits) {
        int root_fd = chase_root_open(root);
        char *text = NULL;

        ASSERT_EQ(read_full_file_at(root_fd, "/etc/config", 4, &text, NULL, NULL, NULL), -EFBIG);
        ASSERT_EQ(read_full_file_at(root_fd, "/etc", 4096, &text, NULL, NULL, NULL), -EBADFD);
        ASSERT_NULL(text);
        close(root_fd);
}

/* A private mapping: what is changed in it stays in this process, the file keeps its bytes, and a
 * file written from the mapping gets the changed ones. */
TEST(private_mapping) {
        int root_fd = chase_root_open(root), dir_fd = openat(root_fd, "etc", O_PATH | O_DIRECTORY);
        WriteOptions o = { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 };
        _cleanup_free_ char *text = NULL, *copy = NULL;
        void *p = NULL;
        size_t n = 0;

        ASSERT_OK(dir_fd);
        ASSERT_OK(map_full_file_at(root_fd, "/etc/config", 4096, &p, &n));
        ASSERT_EQ(n, 18);
        ASSERT_TRUE(memcmp(p, "SELINUX=enforcing\n", 18) == 0);
        memcpy((char *) p + 8, "ENFORCING", 9);
        ASSERT_OK(write_file_atomic_at(dir_fd, "mapped-copy", p, n, &o));
        p = unmap_full_file(p, n);
        ASSERT_NULL(p);
        ASSERT_OK(read_full_file_at(root_fd, "/etc/config", 4096, &text, NULL, NULL, NULL));
        ASSERT_STREQ(text, "SELINUX=enforcing\n");
        ASSERT_OK(read_full_file_at(root_fd, "/etc/mapped-copy", 4096, &copy, NULL, NULL, NULL));
        ASSERT_STREQ(copy, "SELINUX=ENFORCING\n");

        ASSERT_EQ(map_full_file_at(root_fd, "/etc/config", 4, &p, &n), -EFBIG);
        ASSERT_EQ(map_full_file_at(root_fd, "/etc", 4096, &p, &n), -EBADFD);
        ASSERT_EQ(map_full_file_at(root_fd, "/etc/missing", 4096, &p, &n), -ENOENT);
        ASSERT_NULL(p);

        /* An empty file: a mapping of its own, of size 0, that can be unmapped. */
        ASSERT_OK(write_file_atomic_at(dir_fd, "empty", "", 0, &o));
        ASSERT_OK(map_full_file_at(root_fd, "/etc/empty", 4096, &p, &n));
        ASSERT_EQ(n, 0);
        ASSERT_TRUE(p);
        ASSERT_NULL(unmap_full_file(p, n));
        ASSERT_OK(unlinkat(dir_fd, "empty", 0));
        ASSERT_OK(unlinkat(dir_fd, "mapped-copy", 0));
        close(dir_fd);
        close(root_fd);
}

/* Temporary names differ from one process to the next: an unseeded random() gives every process,
 * on every boot, the same sequence, so the names could be taken in advance. */
TEST(temporary_names_differ_between_processes) {
        uint32_t first[2];

        for (size_t i = 0; i < 2; i++) {
                int fds[2];
                pid_t pid;

                ASSERT_OK(pipe(fds));
                pid = fork();
                ASSERT_TRUE(pid >= 0);
                if (pid == 0) {
                        uint32_t x = random_u32();
                        _exit(write(fds[1], &x, sizeof(x)) == sizeof(x) ? 0 : 1);
                }
                ASSERT_EQ(read(fds[0], &first[i], sizeof(first[i])), (ssize_t) sizeof(first[i]));
                ASSERT_EQ(waitpid(pid, NULL, 0), pid);
                close(fds[0]);
                close(fds[1]);
        }
        ASSERT_TRUE(first[0] != first[1]);
}

int main(void) {
        _cleanup_free_ char *cleanup = NULL;

        ASSERT_TRUE(mkdtemp(root));
        RUN_TEST(atomic_replace_of_a_symlink);
        RUN_TEST(failure_leaves_the_old_file);
        RUN_TEST(crash_leftovers_removed);
        RUN_TEST(hard_link_keeps_the_old_content);
        RUN_TEST(read_limits);
        RUN_TEST(private_mapping);
        RUN_TEST(temporary_names_differ_between_processes);
        cleanup = strjoin("rm -rf ", root);
        ASSERT_EQ(system(cleanup), 0);
        return 0;
}
