/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Labels from a file_contexts subset are the labels of the whole file: checked on every path of the
 * real policy store and compiled policy, and on the subset's own rules. */

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>

#include "chase.h"
#include "file-contexts.h"
#include "label.h"
#include "strutil.h"
#include "tests.h"

TEST(literal_prefix) {
        ASSERT_EQ(file_contexts_literal_prefix("/var/lib/selinux(/.*)?"), strlen("/var/lib/selinux"));
        ASSERT_EQ(file_contexts_literal_prefix("/etc/selinux/([^/]*/)?policy(/.*)?"), strlen("/etc/selinux/"));
        /* The character before a quantifier is optional. */
        ASSERT_EQ(file_contexts_literal_prefix("/var/lib/selinuxx?"), strlen("/var/lib/selinux"));
        ASSERT_EQ(file_contexts_literal_prefix("/usr/s*bin"), strlen("/usr/"));
        ASSERT_EQ(file_contexts_literal_prefix("/a\\.b"), strlen("/a"));
        /* A top-level alternative: nothing is certain. */
        ASSERT_EQ(file_contexts_literal_prefix("/var/x|/etc/y"), 0);
        ASSERT_EQ(file_contexts_literal_prefix("/var/(x|y)"), strlen("/var/"));
        ASSERT_EQ(file_contexts_literal_prefix("/var/[|]"), strlen("/var/"));
        ASSERT_EQ(file_contexts_literal_prefix("/plain/path"), strlen("/plain/path"));
}

TEST(relevant) {
        char **p = STRV_MAKE("/var/lib/selinux", "/etc/selinux/default");

        ASSERT_TRUE(file_contexts_regex_relevant("/var/lib/selinux(/.*)?", p));
        ASSERT_TRUE(file_contexts_regex_relevant("/var/lib(/.*)?", p));
        ASSERT_TRUE(file_contexts_regex_relevant("/var/lib/selinux/[^/]+/semanage\\.read\\.LOCK", p));
        ASSERT_TRUE(file_contexts_regex_relevant("/etc/selinux/([^/]*/)?policy(/.*)?", p));
        ASSERT_TRUE(file_contexts_regex_relevant("/.*", p));
        ASSERT_TRUE(file_contexts_regex_relevant("/var/x|/etc/y", p));
        ASSERT_TRUE(!file_contexts_regex_relevant("/var/lib/mysql(/.*)?", p));
        ASSERT_TRUE(!file_contexts_regex_relevant("/usr/bin/.*", p));
        ASSERT_TRUE(!file_contexts_regex_relevant("/etc/selinux/other/x", p));
}

static Labeler *full, *subset;
static unsigned checked;

static void compare(const char *path, mode_t mode) {
        _cleanup_free_ char *a = NULL, *b = NULL;

        ASSERT_OK(labeler_lookup(full, path, mode, &a));
        ASSERT_OK(labeler_lookup(subset, path, mode, &b));
        if ((a || b) && (!a || !b || !streq(a, b))) {
                fprintf(stderr, "%s: full %s, subset %s\n", path, strna(a), strna(b));
                abort();
        }
        checked++;
}

static const char *walk_base, *walk_as;

static int visit(const char *fpath, const struct stat *st, int type, struct FTW *ftw) {
        _cleanup_free_ char *path = strjoin(walk_as, fpath + strlen(walk_base));

        ASSERT_TRUE(path);
        compare(path, st->st_mode);
        return 0;
}

/* Every path of the host's real store and compiled policy, looked up as the booted system sees it. */
TEST(subset_equals_full) {
        int root_fd = chase_root_open("/");
        char **subtrees = STRV_MAKE("/var/lib/selinux", "/etc/selinux/default");

        ASSERT_OK(root_fd);
        ASSERT_OK(labeler_open(root_fd, "/", "/etc/selinux/default", NULL, &full));
        ASSERT_OK(labeler_open(root_fd, "/", "/etc/selinux/default", subtrees, &subset));
        walk_base = "/var/lib/selinux";
        walk_as = "/var/lib/selinux";
        ASSERT_EQ(nftw(walk_base, visit, 16, FTW_PHYS), 0);
        walk_base = "/etc/selinux/default";
        walk_as = "/etc/selinux/default";
        ASSERT_EQ(nftw(walk_base, visit, 16, FTW_PHYS), 0);
        /* Paths only an alias (.subs_dist) or a store root replacing a link would produce. */
        compare("/var/lib/selinux", S_IFDIR);
        compare("/var/lib/selinux", S_IFLNK);
        compare("/var/lib/selinux/final", S_IFDIR);
        compare("/var/lib/selinux/default/semanage.read.LOCK", S_IFREG);
        compare("/var/lib/selinux/default/.seprov-origin", S_IFREG);
        compare("/etc/selinux/default/.seprov-origin", S_IFREG);
        ASSERT_TRUE(checked > 1000);
        labeler_free(full);
        labeler_free(subset);
        close(root_fd);
}

int main(void) {
        RUN_TEST(literal_prefix);
        RUN_TEST(relevant);
        RUN_TEST(subset_equals_full);
        return 0;
}
