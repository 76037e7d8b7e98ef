/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Labels from a file_contexts subset are the labels of the whole file: checked on every path of the
 * real policy store and compiled policy, and on the subset's own rules. The subset is written in a
 * scratch directory, where what a killed apply left is removed and nothing of its own stays. */

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>

#include "chase.h"
#include "file-contexts.h"
#include "fileio.h"
#include "label.h"
#include "rm-rf.h"
#include "strutil.h"
#include "tests.h"

/* The number of entries in the directory 'fd' (taken over). */
static int entries(int fd) {
        DIR *d = fdopendir(fd);
        int n = 0;

        ASSERT_TRUE(d);
        for (struct dirent *e; (e = readdir(d));)
                n += !streq(e->d_name, ".") && !streq(e->d_name, "..");
        closedir(d);
        return n;
}

static off_t file_size(int dir_fd, const char *name) {
        struct stat st;

        ASSERT_OK(fstatat(dir_fd, name, &st, 0));
        return st.st_size;
}

/* The subset is smaller than the whole file_contexts but not empty; what a killed apply left in the
 * scratch directory is removed by the cleanup, and only that. */
TEST(subset_scratch) {
        char tmpl[] = "/tmp/seprov-test-scratch.XXXXXX";
        _cleanup_free_ char *left = NULL, *name = NULL;
        int fc_fd = open("/etc/selinux/default/contexts/files", O_RDONLY | O_DIRECTORY | O_CLOEXEC), scratch_fd, fd;

        ASSERT_OK(fc_fd);
        ASSERT_TRUE(mkdtemp(tmpl));
        scratch_fd = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(scratch_fd);
        fd = mkdtemp_at(scratch_fd, FILE_CONTEXTS_SCRATCH_PREFIX, 0700, &left);
        ASSERT_OK(fd);
        close(fd);
        ASSERT_OK(mkdirat(scratch_fd, "unrelated", 0700));
        fd = file_contexts_subset(fc_fd, STRV_MAKE("/var/lib/selinux"), scratch_fd, &name);
        ASSERT_OK(fd);
        ASSERT_TRUE(startswith(name, FILE_CONTEXTS_SCRATCH_PREFIX));
        ASSERT_TRUE(file_size(fd, "file_contexts") > 0);
        ASSERT_TRUE(file_size(fd, "file_contexts") < file_size(fc_fd, "file_contexts") / 10);
        close(fd);
        /* Killed here: the subset and the older leftover stay, and the cleanup finds both. */
        ASSERT_EQ(entries(dup(scratch_fd)), 3);
        ASSERT_EQ(labeler_scratch_cleanup(scratch_fd), 2);
        ASSERT_TRUE(faccessat(scratch_fd, left, F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT);
        ASSERT_TRUE(faccessat(scratch_fd, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT);
        ASSERT_OK(unlinkat(scratch_fd, "unrelated", AT_REMOVEDIR));
        ASSERT_EQ(entries(dup(scratch_fd)), 0);
        close(scratch_fd);
        ASSERT_OK(rmdir(tmpl));
        close(fc_fd);
}

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

/* What file_contexts_regex_relevant() decides, from its definition: the first MIN(literal start,
 * prefix) bytes of the spec and a prefix agree. */
static bool relevant_by_definition(const char *re, char *const *prefixes) {
        size_t n = file_contexts_literal_prefix(re);

        if (re[0] != '/')
                return true;
        STRV_FOREACH (q, prefixes)
                if (strneq(*q, re, MIN(n, strlen(*q))))
                        return true;
        return false;
}

/* Every spec of the host's file_contexts, and a few made up, against several sets of subtrees:
 * the quick decision is the defined one. */
TEST(relevant_as_defined) {
        char **sets[] = {
                STRV_MAKE("/var/lib/selinux", "/etc/selinux/default"),
                STRV_MAKE("/var/lib/selinux/default/active/booleans.local"),
                STRV_MAKE("/run", "/var/run", "/usr/lib/systemd/system"),
                STRV_MAKE("/"),
                STRV_MAKE("/home/user", "/tmp/x"),
        };
        const char *made_up[] = { "/var/x|/etc/y",     "/var/(x|y)",  "/var/[|]", "/var/lib/selinuxx?",
                                  "/usr/s*bin",        "/a\\.b",      "/v",       "/var/lib/selinux",
                                  "/var/lib/selinux/", "/var/lib/s+", "/var/lib" };
        _cleanup_free_ char *text = NULL;
        int root_fd = chase_root_open("/");
        unsigned n = 0;

        ASSERT_OK(root_fd);
        ASSERT_OK(read_full_file_at(root_fd, "/etc/selinux/default/contexts/files/file_contexts", 64 * 1024 * 1024,
                                    &text, NULL, NULL, NULL));
        for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                line[strcspn(line, " \t")] = '\0';
                if (!*line || *line == '#')
                        continue;
                for (size_t i = 0; i < ELEMENTSOF(sets); i++)
                        ASSERT_EQ(file_contexts_regex_relevant(line, sets[i]), relevant_by_definition(line, sets[i]));
                n++;
        }
        ASSERT_TRUE(n > 1000);
        for (size_t j = 0; j < ELEMENTSOF(made_up); j++)
                for (size_t i = 0; i < ELEMENTSOF(sets); i++)
                        ASSERT_EQ(file_contexts_regex_relevant(made_up[j], sets[i]),
                                  relevant_by_definition(made_up[j], sets[i]));
        close(root_fd);
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
        int root_fd = chase_root_open("/"), scratch_fd;
        char **subtrees = STRV_MAKE("/var/lib/selinux", "/etc/selinux/default");
        char tmpl[] = "/tmp/seprov-test-scratch.XXXXXX";

        ASSERT_OK(root_fd);
        ASSERT_TRUE(mkdtemp(tmpl));
        scratch_fd = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(scratch_fd);
        ASSERT_OK(labeler_open(root_fd, "/", "/etc/selinux/default", NULL, /* scratch_fd= */ -EBADF, &full));
        ASSERT_OK(labeler_open(root_fd, "/", "/etc/selinux/default", subtrees, scratch_fd, &subset));
        /* The subset was read, and it was the subset: outside the subtrees it knows no label. */
        {
                _cleanup_free_ char *a = NULL, *b = NULL;
                ASSERT_OK(labeler_lookup(full, "/usr/bin/ls", S_IFREG, &a));
                ASSERT_OK(labeler_lookup(subset, "/usr/bin/ls", S_IFREG, &b));
                ASSERT_TRUE(a && strstr(a, ":bin_t:"));
                ASSERT_TRUE(!b || !streq(a, b));
        }
        /* Then removed: nothing stays in the scratch directory. */
        ASSERT_EQ(entries(dup(scratch_fd)), 0);
        ASSERT_OK(rmdir(tmpl));
        close(scratch_fd);
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

/* What a rebuild changed in file_contexts: rules added, removed and relabelled, not the unchanged
 * ones (wherever they moved), nor comments; and on the host's real file_contexts, as it is and with a
 * module's filecon added. */
TEST(changed_regexes) {
        char before[] = "# base\n/opt/a(/.*)?\tsystem_u:object_r:usr_t:s0\n/srv/b\t--\tsystem_u:object_r:var_t:s0\n"
                        "/gone\tsystem_u:object_r:etc_t:s0\n\n";
        char after[] = "/srv/b\t--\tsystem_u:object_r:httpd_sys_content_t:s0\n# moved\n"
                       "/opt/a(/.*)?\tsystem_u:object_r:usr_t:s0\n/new(/.*)?\tsystem_u:object_r:bin_t:s0\n";
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *host = NULL, *host_after = NULL;
        const char *host_fc = "/etc/selinux/default/contexts/files/file_contexts";
        size_t n;

        ASSERT_OK(file_contexts_changed_regexes(before, after, &l));
        strv_sort(l);
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_STREQ(l[0], "/gone");
        ASSERT_STREQ(l[1], "/new(/.*)?");
        ASSERT_STREQ(l[2], "/srv/b");
        l = strv_free(l);

        if (read_full_file_at(AT_FDCWD, host_fc, 64 * 1024 * 1024, &host, &n, NULL, NULL) < 0) {
                printf("  (no %s: the host part skipped)\n", host_fc);
                return;
        }
        /* Identical: nothing. */
        host_after = strdup(host);
        ASSERT_TRUE(host_after);
        ASSERT_OK(file_contexts_changed_regexes(host, host_after, &l));
        ASSERT_NULL(l);
        free(host);
        host = NULL;
        ASSERT_OK(read_full_file_at(AT_FDCWD, host_fc, 64 * 1024 * 1024, &host, &n, NULL, NULL));
        free(host_after);
        host_after = strjoin("/opt/seprovtest(/.*)?\tsystem_u:object_r:usr_t:s0\n", host);
        ASSERT_TRUE(host_after);
        ASSERT_OK(file_contexts_changed_regexes(host, host_after, &l));
        ASSERT_EQ(strv_length(l), 1);
        ASSERT_STREQ(l[0], "/opt/seprovtest(/.*)?");
}

int main(void) {
        RUN_TEST(changed_regexes);
        RUN_TEST(literal_prefix);
        RUN_TEST(relevant);
        RUN_TEST(relevant_as_defined);
        RUN_TEST(subset_scratch);
        RUN_TEST(subset_equals_full);
        return 0;
}
