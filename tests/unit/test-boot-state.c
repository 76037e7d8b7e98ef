/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The boot state files and the fingerprint: formats, hostile files, and what changes the fingerprint. */

#include <sys/stat.h>

#include "boot-fingerprint.h"
#include "boot-state.h"
#include "chase.h"
#include "config-load.h"
#include "strutil.h"
#include "tests.h"

static char root[] = "/tmp/seprov-test-boot-state.XXXXXX";

static void mkdirs(const char *path) {
        _cleanup_free_ char *p = strjoin(root, path);
        for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                (void) mkdir(p, 0755);
                *s = '/';
        }
        (void) mkdir(p, 0755);
}

static void put_mode(const char *path, const char *content, const char *mode) {
        _cleanup_free_ char *p = strjoin(root, path), *dir = strdup(path);
        FILE *f;

        *strrchr(dir, '/') = '\0';
        mkdirs(dir);
        f = fopen(p, mode);
        ASSERT_TRUE(f);
        fputs(content, f);
        ASSERT_EQ(fclose(f), 0);
}

static void put(const char *path, const char *content) {
        put_mode(path, content, "we");
}

static void append(const char *path, const char *content) {
        put_mode(path, content, "ae");
}

static void rm(const char *path) {
        _cleanup_free_ char *p = strjoin(root, path);
        ASSERT_OK(unlink(p));
}

static int root_fd(void) {
        int fd = chase_root_open(root);
        ASSERT_OK(fd);
        return fd;
}

static int run_fd(int rfd) {
        int fd = chase_and_open(rfd, "/run", 0, O_PATH | O_DIRECTORY, 0, NULL);
        ASSERT_OK(fd);
        return fd;
}

static uint64_t fingerprint_args(const KernelArgs *args) {
        _cleanup_close_ int rfd = root_fd(), runfd = run_fd(rfd);
        const char *failed = NULL;
        uint64_t fp;

        ASSERT_EQ(boot_fingerprint(rfd, runfd, args, /* sources= */ NULL, &fp, &failed), 0);
        ASSERT_NULL(failed);
        return fp;
}

static uint64_t fingerprint(void) {
        KernelArgs args;
        kernel_args_init(&args);
        return fingerprint_args(&args);
}

TEST(initrd_state_text) {
        BootInitrdState s = { .result = BOOT_RESULT_DONE, .left = BOOT_WORK_STORE | BOOT_WORK_RELOAD }, p;
        _cleanup_free_ char *t = boot_initrd_state_to_text(&s);

        ASSERT_STREQ(t, "# Written by 'seprov apply --stage=initrd' for seprov-generator in the real root.\n"
                        "RESULT=done\n"
                        "LEFT=store reload\n");
        ASSERT_EQ(boot_initrd_state_parse(t, &p), 0);
        ASSERT_EQ(p.result, BOOT_RESULT_DONE);
        ASSERT_EQ(p.left, BOOT_WORK_STORE | BOOT_WORK_RELOAD);

        /* Nothing left is an empty list, not a missing key. */
        s = (BootInitrdState) { .result = BOOT_RESULT_FAILED };
        free(t);
        t = boot_initrd_state_to_text(&s);
        ASSERT_TRUE(strstr(t, "RESULT=failed\nLEFT=\n"));
        ASSERT_EQ(boot_initrd_state_parse(t, &p), 0);
        ASSERT_EQ(p.result, BOOT_RESULT_FAILED);
        ASSERT_EQ(p.left, 0);
}

TEST(applied_text) {
        BootApplied a = { .fingerprint = UINT64_C(0x00ab0000cd00ef12), .every_boot = BOOT_WORK_BOOLEANS_RUNTIME }, p;
        _cleanup_free_ char *t = boot_applied_to_text(&a);

        ASSERT_STREQ(t, "# Written by 'seprov apply' after its last successful run, for seprov-generator.\n"
                        "FINGERPRINT=00ab0000cd00ef12\n"
                        "EVERY_BOOT=booleans-runtime\n");
        ASSERT_EQ(boot_applied_parse(t, &p), 0);
        ASSERT_TRUE(p.fingerprint == a.fingerprint);
        ASSERT_EQ(p.every_boot, BOOT_WORK_BOOLEANS_RUNTIME);
}

TEST(newer_writers_are_read) {
        BootInitrdState s;
        BootApplied a;

        /* Unknown keys are skipped; an unknown word of work is work all the same. */
        ASSERT_EQ(boot_initrd_state_parse("\n  # a comment\nVERSION=2\n RESULT = done \nLEFT=  store relabel \n", &s),
                  0);
        ASSERT_EQ(s.result, BOOT_RESULT_DONE);
        ASSERT_EQ(s.left, BOOT_WORK_STORE | BOOT_WORK_UNKNOWN);
        ASSERT_EQ(boot_applied_parse("FINGERPRINT=0123456789abcdef\nEVERY_BOOT=frobnicate\nNEW=1\n", &a), 0);
        ASSERT_EQ(a.every_boot, BOOT_WORK_UNKNOWN);
        ASSERT_EQ(boot_applied_parse("FINGERPRINT=0123456789abcdef\n", &a), 0);
        ASSERT_EQ(a.every_boot, 0);
        ASSERT_EQ(boot_applied_parse("FINGERPRINT=0123456789abcdef\nSOURCE=/a\\x20b\\x5c\nSOURCE=/c\n", &a), 0);
        ASSERT_EQ(strv_length(a.sources), 2);
        ASSERT_STREQ(a.sources[0], "/a b\\");
        boot_applied_done(&a);
        ASSERT_EQ(boot_applied_parse("FINGERPRINT=0123456789abcdef\nSOURCE=/a\\x00\n", &a), -EBADMSG);
        ASSERT_EQ(boot_applied_parse("FINGERPRINT=0123456789abcdef\nSOURCE=/a\\\n", &a), -EBADMSG);
}

TEST(broken_files_are_refused) {
        static const char *const initrd[] = { "", "LEFT=store\n", "RESULT=maybe\n", "RESULT=done\ngarbage\n",
                                              "=done\n", "RESULT=\n" };
        static const char *const applied[] = { "", "EVERY_BOOT=\n", "FINGERPRINT=123\n",
                                               "FINGERPRINT=0123456789ABCDEF\n", "FINGERPRINT=0123456789abcdefa\n",
                                               "FINGERPRINT=0x23456789abcdef\n", "FINGERPRINT 0123456789abcdef\n" };
        BootInitrdState s = { .result = BOOT_RESULT_FAILED, .left = 7 };
        BootApplied a = { .fingerprint = 42 };

        for (size_t i = 0; i < ELEMENTSOF(initrd); i++)
                ASSERT_EQ(boot_initrd_state_parse(initrd[i], &s), -EBADMSG);
        for (size_t i = 0; i < ELEMENTSOF(applied); i++)
                ASSERT_EQ(boot_applied_parse(applied[i], &a), -EBADMSG);
        /* Output parameters untouched on failure. */
        ASSERT_EQ(s.result, BOOT_RESULT_FAILED);
        ASSERT_EQ(s.left, 7);
        ASSERT_EQ(a.fingerprint, 42);
}

TEST(write_and_read_through_the_root) {
        _cleanup_close_ int rfd = root_fd(), runfd = run_fd(rfd);
        BootInitrdState s = { .result = BOOT_RESULT_REFUSED }, rs;
        BootApplied a = { .fingerprint = 1, .every_boot = BOOT_WORK_RELOAD }, ra;
        struct stat st;

        ASSERT_EQ(boot_initrd_state_read(runfd, &rs), -ENOENT);
        ASSERT_EQ(boot_applied_read(rfd, &ra), -ENOENT);

        /* /var/lib must be there: without it /var is not mounted, and a file under the mount point
         * would be hidden once it is. */
        ASSERT_EQ(boot_applied_write(rfd, &a, NULL), -ENOENT);
        mkdirs("/var/lib");

        /* Their own directories are created; the files are 0644 and complete. */
        ASSERT_EQ(boot_initrd_state_write(runfd, &s, NULL), 0);
        ASSERT_EQ(boot_applied_write(rfd, &a, NULL), 0);
        ASSERT_EQ(boot_initrd_state_read(runfd, &rs), 0);
        ASSERT_EQ(rs.result, BOOT_RESULT_REFUSED);
        ASSERT_EQ(boot_applied_read(rfd, &ra), 0);
        ASSERT_EQ(ra.fingerprint, 1);
        ASSERT_EQ(ra.every_boot, BOOT_WORK_RELOAD);
        ASSERT_OK(fstatat(rfd, "var/lib/seprov/applied", &st, 0));
        ASSERT_EQ(st.st_mode & 07777, 0644);

        /* Rewriting replaces. */
        a.fingerprint = 2;
        ASSERT_EQ(boot_applied_write(rfd, &a, NULL), 0);
        ASSERT_EQ(boot_applied_read(rfd, &ra), 0);
        ASSERT_EQ(ra.fingerprint, 2);

        /* Something that is not a small regular file is not a state file. */
        rm("/run/seprov/initrd");
        ASSERT_OK(mkdirat(runfd, "seprov/initrd", 0755));
        ASSERT_EQ(boot_initrd_state_read(runfd, &rs), -EBADMSG);
        ASSERT_OK(unlinkat(runfd, "seprov/initrd", AT_REMOVEDIR));
        {
                char big[BOOT_STATE_FILE_MAX + 2];
                memset(big, '#', sizeof big - 1);
                big[sizeof big - 1] = '\0';
                put("/run/seprov/initrd", big);
        }
        ASSERT_EQ(boot_initrd_state_read(runfd, &rs), -EBADMSG);
        rm("/run/seprov/initrd");
}

TEST(applied_record_matches_the_fingerprint) {
        _cleanup_close_ int rfd = root_fd(), runfd = run_fd(rfd);
        KernelArgs args;
        BootApplied a;

        kernel_args_init(&args);
        ASSERT_EQ(boot_applied_record(rfd, runfd, &args, BOOT_WORK_BOOLEANS_RUNTIME, NULL, NULL), 0);
        ASSERT_EQ(boot_applied_read(rfd, &a), 0);
        ASSERT_TRUE(a.fingerprint == fingerprint());
        ASSERT_EQ(a.every_boot, BOOT_WORK_BOOLEANS_RUNTIME);
        ASSERT_NULL(a.sources);
}

/* Module sources: apply records them with the fingerprint, the generator counts the same files, and
 * an edit of one (in place: same inode) changes the fingerprint. */
TEST(fingerprint_counts_module_sources) {
        _cleanup_close_ int rfd = root_fd(), runfd = run_fd(rfd);
        _cleanup_(boot_applied_done) BootApplied a = {};
        char **sources = STRV_MAKE("/usr/share/myapp/myapp.cil", "/opt/odd name\n\\x.cil");
        KernelArgs args;
        uint64_t fp, now;
        const char *failed = NULL;

        kernel_args_init(&args);
        put("/usr/share/myapp/myapp.cil", "(allow a b (c (d)))\n");
        put("/opt/odd name\n\\x.cil", "\n");
        ASSERT_EQ(boot_applied_record(rfd, runfd, &args, 0, sources, NULL), 0);
        ASSERT_EQ(boot_applied_read(rfd, &a), 0);
        ASSERT_EQ(strv_length(a.sources), 2);
        ASSERT_STREQ(a.sources[0], sources[0]);
        ASSERT_STREQ(a.sources[1], sources[1]);
        ASSERT_EQ(boot_fingerprint(rfd, runfd, &args, a.sources, &fp, &failed), 0);
        ASSERT_TRUE(fp == a.fingerprint);
        ASSERT_TRUE(fp != fingerprint()); /* the sources count */

        append("/usr/share/myapp/myapp.cil", "(allow a b (c (e)))\n");
        ASSERT_EQ(boot_fingerprint(rfd, runfd, &args, a.sources, &now, &failed), 0);
        ASSERT_TRUE(now != fp);
        fp = now;
        rm("/opt/odd name\n\\x.cil");
        ASSERT_EQ(boot_fingerprint(rfd, runfd, &args, a.sources, &now, &failed), 0);
        ASSERT_TRUE(now != fp);
        rm("/usr/share/myapp/myapp.cil");
}

TEST(fingerprint_follows_inputs_and_targets) {
        uint64_t fp = fingerprint(), now;

        ASSERT_TRUE(fingerprint() == fp); /* stable */

        put("/etc/seprov/config.d/50-admin.json", "{}");
        ASSERT_TRUE((now = fingerprint()) != fp);
        fp = now;
        append("/etc/seprov/config.d/50-admin.json", "\n"); /* edited in place: same inode */
        ASSERT_TRUE((now = fingerprint()) != fp);
        fp = now;

        /* Hidden files are editors' and seprov's temporary files. */
        put("/etc/seprov/config.d/.50-admin.json.swp", "x");
        ASSERT_TRUE(fingerprint() == fp);
        rm("/etc/seprov/config.d/.50-admin.json.swp");
        ASSERT_TRUE(fingerprint() == fp);

        /* The targets: a symlinked config replaced by a file, audit rules rewritten. */
        put("/usr/lib/selinux/config", "SELINUX=permissive\n");
        mkdirs("/etc/selinux");
        ASSERT_OK(symlink("../../usr/lib/selinux/config", "etc/selinux/config"));
        ASSERT_TRUE((now = fingerprint()) != fp);
        fp = now;
        rm("/etc/selinux/config");
        put("/etc/selinux/config", "SELINUX=permissive\n");
        ASSERT_TRUE((now = fingerprint()) != fp);
        fp = now;
        put("/etc/audit/rules.d/80-selinux.rules", "-a exclude,never -F msgtype>=1400 -F msgtype<=1499\n");
        ASSERT_TRUE((now = fingerprint()) != fp);
        fp = now;

        /* The image: os-release counts by content. */
        put("/usr/lib/os-release", "VERSION_ID=1\n");
        ASSERT_TRUE((now = fingerprint()) != fp);
        fp = now;
        put("/usr/lib/os-release", "VERSION_ID=2\n");
        ASSERT_TRUE((now = fingerprint()) != fp);
}

TEST(fingerprint_of_run_counts_content) {
        uint64_t fp;

        put("/run/seprov/config.d/10-runtime.json", "{}\n");
        fp = fingerprint();
        /* A new boot: a new tmpfs, new inodes and times, the same content. */
        rm("/run/seprov/config.d/10-runtime.json");
        put("/run/seprov/config.d/10-runtime.json", "{}\n");
        ASSERT_TRUE(fingerprint() == fp);
        put("/run/seprov/config.d/10-runtime.json", "{ }\n");
        ASSERT_TRUE(fingerprint() != fp);
        rm("/run/seprov/config.d/10-runtime.json");
}

TEST(fingerprint_of_kernel_args) {
        KernelArgs a, b;
        Diags d = {};

        kernel_args_init(&a);
        kernel_args_init(&b);
        ASSERT_OK(kernel_args_parse(&a, "quiet seprov.mode=enforcing", "cmdline", false, &d));
        ASSERT_OK(kernel_args_parse(&b, "seprov.mode=enforcing root=/dev/vda enforcing=0", "cmdline", false, &d));
        /* Only seprov's words count, by meaning. */
        ASSERT_TRUE(fingerprint_args(&a) == fingerprint_args(&b));
        ASSERT_OK(kernel_args_parse(&b, "seprov.dontaudit=0", "cmdline", false, &d));
        ASSERT_TRUE(fingerprint_args(&a) != fingerprint_args(&b));
        ASSERT_TRUE(fingerprint_args(&a) != fingerprint());
        ASSERT_EQ(d.n, 0);
        kernel_args_done(&a);
        kernel_args_done(&b);
}

TEST(fingerprint_of_an_unreadable_input) {
        _cleanup_close_ int rfd = -EBADF;
        const char *failed = NULL;
        KernelArgs args;
        uint64_t fp = 7;

        kernel_args_init(&args);
        mkdirs("/etc/seprov");
        ASSERT_OK(rename("etc/seprov/config.d", "etc/seprov/config.d.saved"));
        put("/etc/seprov/config.d", "{}");
        rfd = root_fd();
        ASSERT_EQ(boot_fingerprint(rfd, -EBADF, &args, /* sources= */ NULL, &fp, &failed), -ENOTDIR);
        ASSERT_STREQ(failed, "/etc/seprov/config.d");
        ASSERT_EQ(fp, 7);
        rm("/etc/seprov/config.d");
        ASSERT_OK(rename("etc/seprov/config.d.saved", "etc/seprov/config.d"));
}

/* Every source config_load() reads must move the fingerprint when it changes: otherwise the generator
 * could skip an apply the config asks for. */
TEST(fingerprint_covers_every_config_source) {
        _cleanup_close_ int rfd = root_fd(), runfd = run_fd(rfd);
        ConfigSources sources = {};
        ConfigLoad load;
        Diags diags = {};
        KernelArgs args;
        Config c;

        put("/usr/lib/seprov/config.d/10-image.json", "{\"version\": \"1.0.0\"}");
        put("/etc/seprov/config.d/20-admin.json", "{\"version\": \"1.0.0\"}");
        put("/run/seprov/config.d/30-runtime.json", "{\"version\": \"1.0.0\"}");
        put("/run/ignition.json", "{\"ignition\": {\"version\": \"3.4.0\"}, \"seprov\": {\"version\": \"1.0.0\"}}");
        put("/var/lib/flatcar-install/user_data", "#cloud-config\nseprov:\n  version: 1.0.0\n");
        put("/var/lib/cloud/instance/user-data.txt", "#cloud-config\nseprov:\n  version: 1.0.0\n");
        put("/etc/extra.json", "{\"version\": \"1.0.0\"}");

        kernel_args_init(&args);
        ASSERT_OK(kernel_args_parse(&args, "seprov.config=/etc/extra.json", "cmdline", false, &diags));
        /* What earlier tests left is no valid config. */
        rm("/etc/seprov/config.d/50-admin.json");
        load = (ConfigLoad) { .root_fd = rfd, .run_fd = runfd, .host_fd = -EBADF, .args = &args };
        ASSERT_EQ(config_load(&load, &c, &sources, &diags), 0);
        ASSERT_EQ(sources.n, 7);
        for (size_t i = 0; i < sources.n; i++) {
                uint64_t before = fingerprint_args(&args);

                /* Paths shown under /run are in the runtime directory, which is the root's /run here. */
                append(sources.items[i].path, " ");
                if (fingerprint_args(&args) == before) {
                        fprintf(stderr, "not in the fingerprint: %s\n", sources.items[i].path);
                        ASSERT_TRUE(false);
                }
        }
        config_done(&c);
        config_sources_done(&sources);
        kernel_args_done(&args);
}

int main(void) {
        _cleanup_free_ char *cleanup = NULL;

        ASSERT_TRUE(mkdtemp(root));
        ASSERT_OK(chdir(root));
        mkdirs("/run");
        RUN_TEST(initrd_state_text);
        RUN_TEST(applied_text);
        RUN_TEST(newer_writers_are_read);
        RUN_TEST(broken_files_are_refused);
        RUN_TEST(write_and_read_through_the_root);
        RUN_TEST(applied_record_matches_the_fingerprint);
        RUN_TEST(fingerprint_counts_module_sources);
        RUN_TEST(fingerprint_follows_inputs_and_targets);
        RUN_TEST(fingerprint_of_run_counts_content);
        RUN_TEST(fingerprint_of_kernel_args);
        RUN_TEST(fingerprint_of_an_unreadable_input);
        RUN_TEST(fingerprint_covers_every_config_source);
        cleanup = strjoin("rm -rf ", root);
        ASSERT_EQ(system(cleanup), 0);
        return 0;
}
