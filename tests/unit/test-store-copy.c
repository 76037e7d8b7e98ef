/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The copy engine and the staging swap on a small tree with every kind of entry the engine handles. */

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "chase.h"
#include "store-internal.h"
#include "strutil.h"
#include "tests.h"

static char dir[] = "/var/tmp/seprov-test-copy.XXXXXX";
static int dir_fd = -EBADF;

/* Runs a shell command; $D is the test directory. */
static void sh(const char *cmd) {
        ASSERT_EQ(system(cmd), 0);
}

/* src/: a file with a user xattr and a label, a setgid directory, a file owned by 1000:1000 with
 * set-uid, an empty file, a symlink, a deep tree; all with distinct times. */
static void make_source(void) {
        sh("set -e; cd $D; mkdir -p src/a/b/c src/sgid; echo hello > src/file; : > src/empty;"
           "head -c 300000 /dev/urandom > src/a/b/c/big; chmod 2750 src/sgid; echo x > src/sgid/f;"
           "echo suid > src/suid; chown 1000:1000 src/suid; chmod 4755 src/suid;"
           "ln -s ../file src/a/link; setfattr -n user.test -v kept src/file;"
           "setfattr -n security.selinux -v system_u:object_r:etc_t:s0 src/empty;"
           "touch -h -d @1500000000 src/a/link; find src -exec touch -h -d @1600000000 {} +");
}

static char *listing(const char *sub) {
        _cleanup_free_ char *cmd = strprintf("cd %s/%s && find . -printf '%%p %%y %%m %%U %%G %%s %%T@ %%l\\n' | sort",
                                             dir, sub);
        char buf[65536];
        size_t n;
        FILE *f = popen(cmd, "r");

        ASSERT_TRUE(f);
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        pclose(f);
        return strdup(buf);
}

TEST(copy_tree_keeps_everything) {
        _cleanup_close_ int src = openat(dir_fd, "src", O_RDONLY | O_DIRECTORY);
        _cleanup_close_ int dst = -EBADF;
        _cleanup_free_ char *a = NULL, *b = NULL;
        _cleanup_free_ char *file = strjoin(dir, "/dst/file"), *empty = strjoin(dir, "/dst/empty");
        char v[64];
        ssize_t n;

        ASSERT_EQ(mkdirat(dir_fd, "dst", 0700), 0);
        dst = openat(dir_fd, "dst", O_RDONLY | O_DIRECTORY);
        ASSERT_OK(src);
        ASSERT_OK(dst);
        ASSERT_OK(store_copy_tree(src, dst, &(CopyOptions) { .label_base = "/x" }));
        a = listing("src");
        b = listing("dst");
        ASSERT_STREQ(a, b);
        sh("cmp $D/src/a/b/c/big $D/dst/a/b/c/big");
        n = getxattr(file, "user.test", v, sizeof(v));
        ASSERT_EQ(n, 4);
        ASSERT_TRUE(memcmp(v, "kept", 4) == 0);
        /* Without a labeler the source's label is kept. */
        n = getxattr(empty, "security.selinux", v, sizeof(v));
        ASSERT_TRUE(n > 0 && strneq(v, "system_u:object_r:etc_t:s0", n - 1));
}

TEST(copy_entry_replaces) {
        _cleanup_close_ int src = openat(dir_fd, "src", O_RDONLY | O_DIRECTORY);
        _cleanup_close_ int dst = openat(dir_fd, "dst", O_RDONLY | O_DIRECTORY);
        _cleanup_free_ char *a = NULL, *b = NULL;

        sh("echo changed > $D/src/a/b/c/new; rm -f $D/dst/a/b/c/big; echo stale > $D/dst/a/b/c/stale");
        ASSERT_OK(store_copy_entry(src, dst, "a/b", &(CopyOptions) { .label_base = "/x" }));
        a = listing("src/a/b");
        b = listing("dst/a/b");
        /* The new file's mtime is now, in both: the listings agree entry by entry. */
        ASSERT_STREQ(a, b);
        ASSERT_TRUE(store_copy_entry(src, dst, "missing/x", &(CopyOptions) { .label_base = "/x" }) < 0);
}

TEST(copy_refuses_fifo) {
        _cleanup_close_ int src = -EBADF, dst = -EBADF;

        sh("mkdir -p $D/fifo $D/fifo-dst && mkfifo $D/fifo/p");
        src = openat(dir_fd, "fifo", O_RDONLY | O_DIRECTORY);
        dst = openat(dir_fd, "fifo-dst", O_RDONLY | O_DIRECTORY);
        ASSERT_EQ(store_copy_tree(src, dst, &(CopyOptions) { .label_base = "/x" }), -EBADFD);
}

static void stage(const char *name, Staged *ret) {
        _cleanup_close_ int fd = -EBADF;

        *ret = (Staged) { .dir_fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY), .name = strdup(name) };
        fd = staging_create(dir_fd, name, &ret->staged);
        ASSERT_OK(fd);
        ASSERT_TRUE(startswith(ret->staged, STORE_STAGING_PREFIX));
        ASSERT_EQ(mkdirat(fd, "marker", 0755), 0);
}

TEST(swap) {
        Staged s[2];
        size_t done;
        struct stat st;

        /* A directory replaces a symlink, another one a missing name. */
        ASSERT_EQ(symlinkat("src", dir_fd, "link"), 0);
        stage("link", &s[0]);
        stage("missing", &s[1]);
        ASSERT_OK(staged_commit(s, 2, &done));
        ASSERT_EQ(done, 2);
        ASSERT_EQ(fstatat(dir_fd, "link/marker", &st, AT_SYMLINK_NOFOLLOW), 0);
        ASSERT_EQ(fstatat(dir_fd, "link", &st, AT_SYMLINK_NOFOLLOW), 0);
        ASSERT_TRUE(S_ISDIR(st.st_mode));
        ASSERT_EQ(fstatat(dir_fd, "missing/marker", &st, AT_SYMLINK_NOFOLLOW), 0);
        ASSERT_EQ(staging_cleanup(dir_fd, true), 0);
        /* The old link is gone, its target untouched. */
        ASSERT_EQ(fstatat(dir_fd, "src/file", &st, AT_SYMLINK_NOFOLLOW), 0);
}

TEST(cleanup_only_ours) {
        _cleanup_free_ char *staged = NULL;
        struct stat st;
        int fd = staging_create(dir_fd, "leftover", &staged);

        ASSERT_OK(fd);
        close(fd);
        sh("mkdir -p $D/.#other && touch $D/.#seprov-staging");
        ASSERT_EQ(staging_cleanup(dir_fd, true), 1);
        ASSERT_EQ(fstatat(dir_fd, staged, &st, 0), 0);
        ASSERT_EQ(staging_cleanup(dir_fd, false), 1);
        ASSERT_TRUE(fstatat(dir_fd, staged, &st, 0) < 0);
        ASSERT_EQ(fstatat(dir_fd, ".#other", &st, 0), 0);
        ASSERT_EQ(fstatat(dir_fd, ".#seprov-staging", &st, 0), 0);
}

int main(void) {
        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_EQ(setenv("D", dir, 1), 0);
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
        make_source();
        RUN_TEST(copy_tree_keeps_everything);
        RUN_TEST(copy_entry_replaces);
        RUN_TEST(copy_refuses_fifo);
        RUN_TEST(swap);
        RUN_TEST(cleanup_only_ours);
        sh("rm -rf $D");
        return 0;
}
