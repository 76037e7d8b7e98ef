/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Config sources: precedence, systemd's drop-in masking, provisioning configs, hostile files. */

#include <sys/stat.h>

#include "chase.h"
#include "config-load.h"
#include "strutil.h"
#include "tests.h"

static char root[] = "/tmp/seprov-test-load.XXXXXX";

static void mkdirs(const char *path) {
        _cleanup_free_ char *p = strjoin(root, path);
        for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                (void) mkdir(p, 0755);
                *s = '/';
        }
        (void) mkdir(p, 0755);
}

static void put(const char *path, const char *content) {
        _cleanup_free_ char *p = strjoin(root, path), *dir = strdup(path);
        FILE *f;

        *strrchr(dir, '/') = '\0';
        mkdirs(dir);
        f = fopen(p, "we");
        ASSERT_TRUE(f);
        fputs(content, f);
        ASSERT_EQ(fclose(f), 0);
}

static void ln(const char *target, const char *path) {
        _cleanup_free_ char *p = strjoin(root, path);
        ASSERT_OK(symlink(target, p));
}

static void rm(const char *path) {
        _cleanup_free_ char *p = strjoin(root, path);
        ASSERT_OK(unlink(p));
}

#define V "{\"version\": \"1.0.0\", \"selinux\": "

static void setup(void) {
        ASSERT_TRUE(mkdtemp(root));
        put("/usr/lib/seprov/config.d/10-base.json",
            V "{\"mode\": \"permissive\", \"booleans\": "
              "[{\"name\": \"a\", \"value\": true}, {\"name\": \"b\", \"value\": true}]}}");
        put("/usr/lib/seprov/config.d/20-masked.json", V "{\"mode\": \"disabled\"}}");
        put("/usr/lib/seprov/config.d/30-masked.yaml", "this: [is not valid");
        put("/etc/seprov/config.d/05-early.json", V "{\"mode\": \"enforcing\", \"store\": \"image\"}}");
        ln("/dev/null", "/etc/seprov/config.d/20-masked.json");
        put("/etc/seprov/config.d/40-admin.yaml",
            "version: 1.0.0\nselinux:\n  dontaudit: false\n"
            "  booleans:\n    - {name: a, state: absent}\n    - {name: b, value: false}\n");
        put("/etc/seprov/config.d/README", "not a config");
        put("/etc/seprov/config.d/.50-editor-backup.json", "{");
        put("/etc/extra.yaml", "#cloud-config\nseprov:\n  version: 1.0.0\n  selinux:\n    onFailure: emergency\n");
        put("/var/lib/flatcar-install/user_data",
            "#cloud-config\nseprov:\n  version: 1.0.0\n  selinux:\n    audit: {selinuxEvents: true}\n");
        put("/var/lib/cloud/instance/user-data.txt", "#!/bin/sh\necho not a cloud-config\n");
        /* The runtime directory is separate from the root, as in the initrd. */
        put("/initrd-run/seprov/config.d/30-masked.yaml", "");
        put("/initrd-run/seprov/config.d/50-run.json", V "{\"store\": \"writable\"}}");
        put("/initrd-run/ignition.json",
            "{\"ignition\": {\"version\": \"3.3.0\"}, \"seprov\": " V "{\"mode\": \"enforcing\"}}}");
}

typedef struct Loaded {
        Config config;
        ConfigSources sources;
        Diags diags;
        int r;
} Loaded;

/* Loads with the root, its runtime directory, and a directory standing for the running system's "/". */
static void load_with(Loaded *l, const char *cmdline, const char *run_dir, const char *host_dir) {
        _cleanup_free_ char *run = strjoin(root, run_dir), *host = host_dir ? strjoin(root, host_dir) : NULL;
        KernelArgs args;
        ConfigLoad in;

        *l = (Loaded){};
        kernel_args_init(&args);
        ASSERT_OK(kernel_args_parse(&args, cmdline, "cmdline", false, &l->diags));
        in = (ConfigLoad){ .root_fd = chase_root_open(root),
                           .run_fd = chase_root_open(run),
                           .host_fd = host ? chase_root_open(host) : -EBADF,
                           .args = &args };
        l->r = config_load(&in, &l->config, &l->sources, &l->diags);
        close(in.root_fd);
        close(in.run_fd);
        if (in.host_fd >= 0)
                close(in.host_fd);
        kernel_args_done(&args);
}

static void load(Loaded *l, const char *cmdline) {
        load_with(l, cmdline, "/initrd-run", NULL);
}

static void loaded_done(Loaded *l) {
        if (l->r >= 0)
                config_done(&l->config);
        config_sources_done(&l->sources);
        diags_clear(&l->diags);
}

static const char *state_of(const Loaded *l, const char *path) {
        for (size_t i = 0; i < l->sources.n; i++)
                if (streq(l->sources.items[i].path, path))
                        return source_state_to_string(l->sources.items[i].state);
        return "absent";
}

/* The n-th error (0-based), skipping warnings. */
static const Diag *error_n(const Loaded *l, size_t n) {
        for (size_t i = 0; i < l->diags.n; i++)
                if (l->diags.items[i].level == DIAG_ERROR && n-- == 0)
                        return &l->diags.items[i];
        ASSERT_TRUE(false);
        return NULL;
}

TEST(precedence_and_masking) {
        Loaded l;

        load(&l, "seprov.config=/etc/extra.yaml seprov.dontaudit=1");
        ASSERT_EQ(l.r, 0);
        /* No problem at all: the masked invalid file is never read, and the README is skipped without
         * a word (as systemd skips other names in its drop-in directories), listed as ignored. */
        ASSERT_EQ(l.diags.n, 0);
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/README"), "ignored");

        /* 05-early sorts before 10-base, so 10-base's mode replaced it; then Ignition's won. */
        ASSERT_EQ(l.config.mode, SELINUX_MODE_ENFORCING);
        ASSERT_STREQ(l.config.mode_origin.file, "/run/ignition.json");
        ASSERT_EQ(l.config.store, STORE_WRITABLE);
        ASSERT_STREQ(l.config.store_origin.file, "/run/seprov/config.d/50-run.json");
        ASSERT_EQ(l.config.audit_selinux_events, 1);
        ASSERT_STREQ(l.config.audit_origin.file, "/var/lib/flatcar-install/user_data");
        ASSERT_EQ(l.config.on_failure, ON_FAILURE_EMERGENCY);
        ASSERT_STREQ(l.config.on_failure_origin.file, "/etc/extra.yaml");
        ASSERT_EQ(l.config.dontaudit, 1);
        ASSERT_STREQ(l.config.dontaudit_origin.file, ORIGIN_CMDLINE);
        ASSERT_EQ(l.config.n_booleans, 1);
        ASSERT_STREQ(l.config.booleans[0].name, "b");
        ASSERT_TRUE(!l.config.booleans[0].value);

        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/05-early.json"), "used");
        ASSERT_STREQ(state_of(&l, "/usr/lib/seprov/config.d/20-masked.json"), "masked");
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/20-masked.json"), "mask");
        ASSERT_STREQ(state_of(&l, "/usr/lib/seprov/config.d/30-masked.yaml"), "masked");
        ASSERT_STREQ(state_of(&l, "/run/seprov/config.d/30-masked.yaml"), "mask");
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/README"), "ignored");
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/.50-editor-backup.json"), "absent");
        ASSERT_STREQ(state_of(&l, "/var/lib/cloud/instance/user-data.txt"), "absent");
        ASSERT_STREQ(l.sources.items[0].path, "/etc/seprov/config.d/05-early.json");
        ASSERT_STREQ(l.sources.items[l.sources.n - 1].path, "/etc/extra.yaml");
        loaded_done(&l);
}

TEST(one_bad_file_fails_the_load) {
        Loaded l;

        put("/etc/seprov/config.d/60-bad.json", V "{\"mode\": \"enforcing\",}}");
        load(&l, "");
        ASSERT_EQ(l.r, -EINVAL);
        ASSERT_EQ(l.diags.n_errors, 1);
        ASSERT_STREQ(error_n(&l, 0)->file, "/etc/seprov/config.d/60-bad.json");
        ASSERT_EQ(error_n(&l, 0)->line, 1);
        ASSERT_EQ(error_n(&l, 0)->column, 54);
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/60-bad.json"), "invalid");
        loaded_done(&l);
        rm("/etc/seprov/config.d/60-bad.json");
}

/* systemd's order: /etc overrides /run, which overrides /usr/lib, for same-named files and for
 * values set in files of different names alike. */
TEST(etc_over_run_over_usr_lib) {
        Loaded l;

        put("/usr/lib/seprov/config.d/60-same.json", V "{\"mode\": \"disabled\"}}");
        put("/initrd-run/seprov/config.d/60-same.json", V "{\"mode\": \"permissive\"}}");
        put("/etc/seprov/config.d/60-same.json", V "{\"onFailure\": \"emergency\"}}");
        load(&l, "");
        ASSERT_EQ(l.r, 0);
        ASSERT_STREQ(state_of(&l, "/usr/lib/seprov/config.d/60-same.json"), "masked");
        ASSERT_STREQ(state_of(&l, "/run/seprov/config.d/60-same.json"), "masked");
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/60-same.json"), "used");
        ASSERT_EQ(l.config.on_failure, ON_FAILURE_EMERGENCY);
        loaded_done(&l);

        /* Without the /etc file, /run's masks /usr/lib's. */
        rm("/etc/seprov/config.d/60-same.json");
        load(&l, "");
        ASSERT_STREQ(state_of(&l, "/usr/lib/seprov/config.d/60-same.json"), "masked");
        ASSERT_STREQ(state_of(&l, "/run/seprov/config.d/60-same.json"), "used");
        loaded_done(&l);
        rm("/usr/lib/seprov/config.d/60-same.json");
        rm("/initrd-run/seprov/config.d/60-same.json");
}

TEST(bad_kernel_config_path) {
        Loaded l;

        load(&l, "seprov.config=/etc/missing.json");
        ASSERT_EQ(l.r, -EINVAL);
        ASSERT_STREQ(error_n(&l, 0)->file, "/etc/missing.json");
        ASSERT_STREQ(error_n(&l, 0)->message, "cannot read: No such file or directory");
        loaded_done(&l);
}

TEST(hostile_files) {
        _cleanup_free_ char *fifo = strjoin(root, "/etc/seprov/config.d/70-fifo.json");
        Loaded l;

        /* A link that climbs out of the root lands inside it (where nothing is), never on the host. */
        ln("../../../../../../../../etc/passwd.json", "/etc/seprov/config.d/70-escape.json");
        ASSERT_OK(mkfifo(fifo, 0600));
        load(&l, "");
        ASSERT_EQ(l.r, -EINVAL);
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/70-escape.json"), "invalid");
        ASSERT_STREQ(state_of(&l, "/etc/seprov/config.d/70-fifo.json"), "invalid");
        ASSERT_EQ(l.diags.n_errors, 2);
        ASSERT_STREQ(error_n(&l, 0)->message, "cannot read: No such file or directory");
        ASSERT_STREQ(error_n(&l, 1)->message, "cannot read: not a regular file");
        loaded_done(&l);
        rm("/etc/seprov/config.d/70-escape.json");
        rm("/etc/seprov/config.d/70-fifo.json");
}

TEST(ignition_key_from_the_fetched_source) {
        Loaded l;

        /* Runtime directories that mask the broken image drop-in, like the one of the other tests. */
        put("/ign-run/seprov/config.d/30-masked.yaml", "");
        put("/no-run/seprov/config.d/30-masked.yaml", "");
        /* Ignition's cache as real Ignition writes it: re-serialised, without the seprov key. */
        put("/ign-run/ignition.json", "{\"ignition\":{\"version\":\"3.3.0\"},\"storage\":{}}");
        put("/host/sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/raw",
            "{\"ignition\": {\"version\": \"3.3.0\"},\n \"seprov\": " V "{\"mode\": \"enforcing\"}}}");

        /* On platform qemu, the seprov key comes from fw_cfg, where Ignition fetched the config. */
        load_with(&l, "ignition.platform.id=qemu", "/ign-run", "/host");
        ASSERT_EQ(l.r, 0);
        ASSERT_EQ(l.config.mode, SELINUX_MODE_ENFORCING);
        ASSERT_STREQ(l.config.mode_origin.file, "/sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/raw");
        ASSERT_EQ(l.config.mode_origin.line, 2);
        ASSERT_STREQ(state_of(&l, "/run/ignition.json"), "used");
        loaded_done(&l);

        /* Another platform: fw_cfg is not where the config came from. */
        load_with(&l, "ignition.platform.id=aws", "/ign-run", "/host");
        ASSERT_EQ(l.r, 0);
        ASSERT_EQ(l.config.mode, SELINUX_MODE_PERMISSIVE); /* 10-base's, from the layers below */
        loaded_done(&l);

        /* Ignition's system config comes before the platform's, as in Ignition. */
        put("/host/usr/lib/ignition/user.ign",
            "{\"ignition\": {\"version\": \"3.3.0\"}, \"seprov\": " V "{\"mode\": \"disabled\"}}}");
        load_with(&l, "ignition.platform.id=qemu", "/ign-run", "/host");
        ASSERT_EQ(l.config.mode, SELINUX_MODE_DISABLED);
        ASSERT_STREQ(l.config.mode_origin.file, "/usr/lib/ignition/user.ign");
        loaded_done(&l);

        /* An offline root (no running system of its own): the image's own system config is what its
         * Ignition reads, so it is read from the root, and listed with the cache. */
        put("/usr/lib/ignition/user.ign",
            "{\"ignition\": {\"version\": \"3.3.0\"},\n\n \"seprov\": " V "{\"mode\": \"enforcing\"}}}");
        load_with(&l, "ignition.platform.id=qemu", "/ign-run", /* host_dir= */ NULL);
        ASSERT_EQ(l.r, 0);
        ASSERT_EQ(l.config.mode, SELINUX_MODE_ENFORCING);
        ASSERT_STREQ(l.config.mode_origin.file, "/usr/lib/ignition/user.ign");
        ASSERT_EQ(l.config.mode_origin.line, 3);
        ASSERT_STREQ(state_of(&l, "/run/ignition.json"), "used");
        ASSERT_STREQ(state_of(&l, "/usr/lib/ignition/user.ign"), "used");
        loaded_done(&l);
        rm("/usr/lib/ignition/user.ign");

        /* A config fetched from a URL cannot be read again: said, not silently dropped. */
        load_with(&l, "ignition.platform.id=qemu ignition.config.url=https://example.invalid/x.ign", "/ign-run",
                  "/host");
        ASSERT_EQ(l.r, 0);
        ASSERT_EQ(l.config.mode, SELINUX_MODE_PERMISSIVE);
        ASSERT_TRUE(strstr(l.diags.items[l.diags.n - 1].message, "ignition.config.url"));
        loaded_done(&l);

        /* No cache: Ignition did not run at this boot, so its sources are not read at all. */
        load_with(&l, "ignition.platform.id=qemu", "/no-run", "/host");
        ASSERT_EQ(l.config.mode, SELINUX_MODE_PERMISSIVE);
        loaded_done(&l);

        /* The record of the key Ignition ran with stands in for it on the boots after, at the same level. */
        put("/etc/seprov/ignition.json", V "{\"mode\": \"enforcing\"}}\n");
        load_with(&l, "ignition.platform.id=qemu", "/no-run", "/host");
        ASSERT_EQ(l.config.mode, SELINUX_MODE_ENFORCING);
        ASSERT_STREQ(l.config.mode_origin.file, "/etc/seprov/ignition.json");
        ASSERT_STREQ(state_of(&l, "/etc/seprov/ignition.json"), "used");
        loaded_done(&l);

        /* ... and when Ignition ran but what it fetched cannot be read again (a URL). */
        load_with(&l, "ignition.platform.id=qemu ignition.config.url=https://example.invalid/x.ign", "/ign-run",
                  "/host");
        ASSERT_EQ(l.config.mode, SELINUX_MODE_ENFORCING);
        ASSERT_STREQ(state_of(&l, "/run/ignition.json"), "used");
        loaded_done(&l);

        /* Where Ignition's key can be read, it wins over the record (which the apply then replaces). */
        load_with(&l, "ignition.platform.id=qemu", "/ign-run", "/host");
        ASSERT_EQ(l.config.mode, SELINUX_MODE_DISABLED);
        ASSERT_STREQ(state_of(&l, "/etc/seprov/ignition.json"), "absent");
        loaded_done(&l);
        rm("/etc/seprov/ignition.json");
}

/* seprov validate of an Ignition config: the drop-ins its storage.files write into config.d, in
 * the order of their names (not of the entries), then its own key over them. */
TEST(ignition_dropins_validated) {
        _cleanup_free_ char *p = strjoin(root, "/etc/deploy.ign");
        ConfigFormat format;
        Diags d = {};
        Config c;

        put("/etc/deploy.ign",
            "{\"ignition\": {\"version\": \"3.3.0\"}, \"storage\": {\"files\": [\n"
            " {\"path\": \"/etc/seprov/config.d/20-mode.yaml\", \"contents\": {\"source\": "
            "\"data:;base64,dmVyc2lvbjogMS4wLjAKc2VsaW51eDoKICBtb2RlOiBwZXJtaXNzaXZlCg==\"}},\n"
            " {\"path\": \"/etc/seprov/config.d/10-mode.json\", \"contents\": {\"source\": "
            "\"data:,%7B%22version%22%3A%221.0.0%22%2C%22selinux%22%3A%7B%22mode%22%3A%22enforcing%22%7D%7D\"}},\n"
            " {\"path\": \"/etc/seprov/config.d/30-b.json\", \"contents\": {\"source\": "
            "\"data:;base64,eyJ2ZXJzaW9uIjogIjEuMC4wIiwgInNlbGludXgiOiB7ImJvb2xlYW5zIjogW3sibmFtZSI6ICJjIiwgInZhbHVl"
            "IjogdHJ1ZX1dfX0=\"}},\n"
            " {\"path\": \"/etc/motd\", \"contents\": {\"source\": \"data:,hello\"}}]},\n"
            " \"seprov\": " V "{\"onFailure\": \"emergency\"}}}\n");
        ASSERT_EQ(config_load_file(p, &c, &format, &d), 0);
        ASSERT_EQ(format, CONFIG_FORMAT_IGNITION);
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(c.mode, SELINUX_MODE_PERMISSIVE);
        ASSERT_EQ(c.on_failure, ON_FAILURE_EMERGENCY);
        ASSERT_EQ(c.n_booleans, 1);
        ASSERT_STREQ(c.booleans[0].name, "c");
        config_done(&c);
        rm("/etc/deploy.ign");
}

TEST(nothing_at_all) {
        char empty[] = "/tmp/seprov-test-empty.XXXXXX";
        KernelArgs args;
        Diags d = {};
        Config c;
        ConfigLoad in;

        ASSERT_TRUE(mkdtemp(empty));
        kernel_args_init(&args);
        in = (ConfigLoad){ .root_fd = chase_root_open(empty), .run_fd = -EBADF, .host_fd = -EBADF, .args = &args };
        ASSERT_EQ(config_load(&in, &c, NULL, &d), 0);
        ASSERT_TRUE(config_is_empty(&c));
        ASSERT_EQ(d.n, 0);
        config_done(&c);
        close(in.root_fd);
        ASSERT_OK(rmdir(empty));
}

int main(void) {
        _cleanup_free_ char *cleanup = NULL;

        setup();
        RUN_TEST(precedence_and_masking);
        RUN_TEST(one_bad_file_fails_the_load);
        RUN_TEST(etc_over_run_over_usr_lib);
        RUN_TEST(bad_kernel_config_path);
        RUN_TEST(hostile_files);
        RUN_TEST(ignition_key_from_the_fetched_source);
        RUN_TEST(ignition_dropins_validated);
        RUN_TEST(nothing_at_all);
        cleanup = strjoin("rm -rf ", root);
        ASSERT_EQ(system(cleanup), 0);
        return 0;
}
