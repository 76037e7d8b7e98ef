/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The relabel engine's decisions that need no tree: the subtrees changed rules reach, the aliases of
 * the policy's equivalences, and which filesystems a relabel enters. The walk itself is tested on
 * fixture roots against setfiles (tests/relabel/test-relabel.sh). */

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "chase.h"
#include "relabel.h"
#include "strutil.h"
#include "tests.h"

static char *joined(char **l) {
        char *s = strdup("");

        STRV_FOREACH (p, l)
                ASSERT_OK(strextend(&s, "%s%s", *s ? " " : "", *p));
        return s;
}

static void subtrees_are(char **regexes, char **equivalences, const char *want) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(relabel_subtrees_for(regexes, equivalences, &l));
        s = joined(l);
        ASSERT_STREQ(s, want);
}

TEST(subtrees_for) {
        /* A rule for a directory and what is in it: that directory. */
        subtrees_are(STRV_MAKE("/opt/myapp/bin(/.*)?"), NULL, "/opt/myapp/bin");
        /* A literal path: itself. */
        subtrees_are(STRV_MAKE("/etc/myapp\\.conf"), NULL, "/etc");
        subtrees_are(STRV_MAKE("/etc/myapp"), NULL, "/etc/myapp");
        /* A pattern inside a name: the directory it is in. */
        subtrees_are(STRV_MAKE("/usr/lib/libfoo[^/]*\\.so"), NULL, "/usr/lib");
        subtrees_are(STRV_MAKE("/opt/apps?/bin"), NULL, "/opt");
        /* Nested and repeated ones merge; equivalences are walked at their own path. */
        subtrees_are(STRV_MAKE("/var/lib/a(/.*)?", "/var/lib/a/b", "/var/lib/a(/.*)?"), STRV_MAKE("/srv/www"),
                     "/srv/www /var/lib/a");
        /* No literal start, or a top-level alternative: the whole root. */
        subtrees_are(STRV_MAKE("/opt/a", "(/.*)?"), NULL, "/");
        subtrees_are(STRV_MAKE("/opt/a|/srv/b"), NULL, "/");
        /* Nothing changed, nothing to walk. */
        subtrees_are(NULL, NULL, "");
}

TEST(aliases) {
        char dir[] = "/tmp/seprov-test-relabel.XXXXXX";
        _cleanup_free_ char *files = NULL, *subs = NULL, *cleanup = NULL, *s = NULL;
        _cleanup_strv_free_ char **l = NULL;
        int root_fd;
        FILE *f;

        ASSERT_TRUE(mkdtemp(dir));
        files = strjoin(dir, "/etc/selinux/t/contexts/files");
        cleanup = strjoin("mkdir -p ", files);
        ASSERT_EQ(system(cleanup), 0);
        subs = strjoin(files, "/file_contexts.subs");
        f = fopen(subs, "we");
        ASSERT_TRUE(f);
        fputs("# the admin's\n/srv/www /var/www\n/web /var/www/html\n", f);
        fclose(f);
        root_fd = chase_root_open(dir);
        ASSERT_OK(root_fd);

        /* A rule below an original reaches the aliases; one that holds an original, the alias. */
        ASSERT_OK(strv_extend(&l, "/var/www/html/app"));
        ASSERT_OK(strv_extend(&l, "/opt"));
        ASSERT_OK(relabel_subtrees_add_aliases(root_fd, "/etc/selinux/t", &l));
        s = joined(l);
        ASSERT_STREQ(s, "/opt /srv/www/html/app /var/www/html/app /web/app");
        l = strv_free(l);
        free(s);
        ASSERT_OK(strv_extend(&l, "/var"));
        ASSERT_OK(relabel_subtrees_add_aliases(root_fd, "/etc/selinux/t", &l));
        s = joined(l);
        ASSERT_STREQ(s, "/srv/www /var /web");

        close(root_fd);
        free(cleanup);
        cleanup = strjoin("rm -rf ", dir);
        ASSERT_EQ(system(cleanup), 0);
}

TEST(fs_persistent) {
        ASSERT_TRUE(relabel_fs_persistent("ext4", "/var", "rw,relatime"));
        ASSERT_TRUE(relabel_fs_persistent("xfs", "/home", "rw"));
        ASSERT_TRUE(relabel_fs_persistent("btrfs", "/", "rw,noatime"));
        ASSERT_TRUE(relabel_fs_persistent("overlay", "/etc", "rw"));
        /* Labels from the policy or the mounter, not from file_contexts. */
        ASSERT_TRUE(!relabel_fs_persistent("tmpfs", "/tmp", "rw"));
        ASSERT_TRUE(!relabel_fs_persistent("proc", "/proc", "rw"));
        ASSERT_TRUE(!relabel_fs_persistent("sysfs", "/sys", "rw"));
        ASSERT_TRUE(!relabel_fs_persistent("cgroup2", "/sys/fs/cgroup", "rw"));
        ASSERT_TRUE(!relabel_fs_persistent("devtmpfs", "/dev", "rw"));
        /* A container's root, FUSE, the network. */
        ASSERT_TRUE(!relabel_fs_persistent("overlay", "/var/lib/containerd/x/rootfs", "rw"));
        ASSERT_TRUE(!relabel_fs_persistent("fuse.sshfs", "/mnt/remote", "rw"));
        ASSERT_TRUE(!relabel_fs_persistent("nfs4", "/srv/nfs", "rw"));
        /* Read-only: an image's /usr ("ro" as a word, not inside another). */
        ASSERT_TRUE(!relabel_fs_persistent("ext4", "/usr", "ro,relatime"));
        ASSERT_TRUE(!relabel_fs_persistent("ext4", "/usr", "nodev,ro"));
        ASSERT_TRUE(relabel_fs_persistent("ext4", "/data", "rw,errors=remount-ro"));
}

int main(void) {
        RUN_TEST(subtrees_for);
        RUN_TEST(aliases);
        RUN_TEST(fs_persistent);
        return 0;
}
