/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The schema (every field, every error) and Ignition-style merging. */

#include "config.h"
#include "tests.h"

static void parse_ok(const char *text, ConfigFormat format, Config *c) {
        Diags d = {};

        if (config_parse_text(text, strlen(text), "f", format, c, NULL, &d) != 0) {
                diags_print(&d, stderr);
                ASSERT_TRUE(false);
        }
        ASSERT_EQ(d.n, 0);
}

/* The errors of one document, one per line. */
static char *errors_of(const char *text, ConfigFormat format) {
        char *all = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&all, &size);
        Diags d = {};
        Config c;

        ASSERT_TRUE(f);
        ASSERT_EQ(config_parse_text(text, strlen(text), "f", format, &c, NULL, &d), -EINVAL);
        config_done(&c);
        diags_print(&d, f);
        fclose(f);
        diags_clear(&d);
        return all;
}

#define ASSERT_ERRORS(text, format, expected)                      \
        do {                                                       \
                _cleanup_free_ char *_e = errors_of(text, format); \
                ASSERT_STREQ(_e, expected);                        \
        } while (0)

TEST(full_json) {
        Config c;

        parse_ok("{\"version\": \"1.0.0\", \"selinux\": {\n"
                 " \"mode\": \"enforcing\", \"store\": \"writable\", \"discardLocalChanges\": false,\n"
                 " \"audit\": {\"selinuxEvents\": true}, \"dontaudit\": false, \"onFailure\": \"emergency\",\n"
                 " \"booleans\": [{\"name\": \"container_manage_cgroup\", \"value\": true},\n"
                 "              {\"name\": \"old\", \"state\": \"absent\"}],\n"
                 " \"modules\": [{\"name\": \"myapp\", \"source\": \"/usr/share/myapp/myapp.cil\"},\n"
                 "             {\"name\": \"b\", \"source\": \"/b.pp\", \"priority\": 500}]}}",
                 CONFIG_FORMAT_JSON, &c);
        ASSERT_EQ(c.mode, SELINUX_MODE_ENFORCING);
        ASSERT_STREQ(c.mode_origin.file, "f");
        ASSERT_EQ(c.mode_origin.line, 2);
        ASSERT_EQ(c.mode_origin.column, 10);
        ASSERT_EQ(c.store, STORE_WRITABLE);
        ASSERT_EQ(c.discard_local_changes, 0);
        ASSERT_EQ(c.audit_selinux_events, 1);
        ASSERT_EQ(c.dontaudit, 0);
        ASSERT_EQ(c.on_failure, ON_FAILURE_EMERGENCY);
        ASSERT_EQ(c.n_booleans, 2);
        ASSERT_STREQ(c.booleans[0].name, "container_manage_cgroup");
        ASSERT_TRUE(c.booleans[0].value);
        ASSERT_TRUE(c.booleans[1].absent);
        ASSERT_EQ(c.n_modules, 2);
        ASSERT_EQ(c.modules[0].priority, MODULE_PRIORITY_DEFAULT);
        ASSERT_EQ(c.modules[1].priority, 500);
        ASSERT_STREQ(c.modules[1].source, "/b.pp");
        config_done(&c);
}

TEST(empty_and_version_only) {
        Config c;

        parse_ok("{\"version\": \"1.2.3\"}", CONFIG_FORMAT_JSON, &c);
        ASSERT_TRUE(config_is_empty(&c));
        config_done(&c);
        parse_ok("version: 1.0.0-experimental\nselinux: {}\n", CONFIG_FORMAT_YAML, &c);
        ASSERT_TRUE(config_is_empty(&c));
        config_done(&c);
}

TEST(cloud_config_and_ignition) {
        Config c;

        parse_ok("#cloud-config\nusers: [x]\nseprov:\n  version: 1.0.0\n  selinux:\n    mode: permissive\n",
                 CONFIG_FORMAT_CLOUD_CONFIG, &c);
        ASSERT_EQ(c.mode, SELINUX_MODE_PERMISSIVE);
        ASSERT_EQ(c.mode_origin.line, 6);
        config_done(&c);
        parse_ok("#cloud-config\nhostname: x\n", CONFIG_FORMAT_CLOUD_CONFIG, &c);
        ASSERT_TRUE(config_is_empty(&c));
        config_done(&c);
        /* JSON with a top-level "ignition" object is an Ignition config; the rest of it is not ours. */
        parse_ok("{\"ignition\": {\"version\": \"3.3.0\"}, \"storage\": {\"x\": 1},\n"
                 " \"seprov\": {\"version\": \"1.0.0\", \"selinux\": {\"dontaudit\": false}}}",
                 CONFIG_FORMAT_JSON, &c);
        ASSERT_EQ(c.dontaudit, 0);
        config_done(&c);
}

TEST(errors_keys) {
        ASSERT_ERRORS("{\"version\": \"1.0.0\", \"selinux\": {\"mdoe\": \"enforcing\"}}", CONFIG_FORMAT_JSON,
                      "f:1:34: unknown key \"mdoe\" in \"selinux\", did you mean \"mode\"?\n");
        ASSERT_ERRORS("{\"version\": \"1.0.0\", \"selinx\": {}}", CONFIG_FORMAT_JSON,
                      "f:1:22: unknown key \"selinx\" in the config, did you mean \"selinux\"?\n");
        ASSERT_ERRORS("version: 1.0.0\nselinux:\n  audit:\n    selinuxevents: true\n    frob: 1\n", CONFIG_FORMAT_YAML,
                      "f:4:5: unknown key \"selinuxevents\" in \"selinux.audit\", did you mean \"selinuxEvents\"?\n"
                      "f:5:5: unknown key \"frob\" in \"selinux.audit\"\n");
}

TEST(errors_version) {
        ASSERT_ERRORS("{\"selinux\": {}}", CONFIG_FORMAT_JSON,
                      "f:1:1: missing \"version\": a seprov config starts with \"version\": \"1.0.0\"\n");
        ASSERT_ERRORS("{\"version\": \"2.0.0\"}", CONFIG_FORMAT_JSON,
                      "f:1:13: unsupported config version \"2.0.0\": this seprov reads version 1.x.y configs\n");
        ASSERT_ERRORS("{\"version\": \"1.0\"}", CONFIG_FORMAT_JSON,
                      "f:1:13: \"1.0\" is not a version; write \"1.0.0\"\n");
        ASSERT_ERRORS("version: 1.0\n", CONFIG_FORMAT_YAML,
                      "f:1:10: \"version\" must be a string such as \"1.0.0\", not a number\n");
}

TEST(errors_values) {
        ASSERT_ERRORS(
                "{\"version\": \"1.0.0\", \"selinux\": {\"mode\": \"enforce\", \"dontaudit\": \"no\",\n"
                " \"store\": 1, \"onFailure\": \"panic\", \"audit\": true}}",
                CONFIG_FORMAT_JSON,
                "f:1:42: \"selinux.mode\" must be enforcing, permissive or disabled, not \"enforce\"; did you mean "
                "\"enforcing\"?\n"
                "f:1:66: \"selinux.dontaudit\" must be true or false, not the string \"no\"; write false, without "
                "quotes\n"
                "f:2:11: \"selinux.store\" must be writable or image, not an integer\n"
                "f:2:27: \"selinux.onFailure\" must be continue or emergency, not \"panic\"\n"
                "f:2:45: \"selinux.audit\" must be an object such as { \"selinuxEvents\": true }, not a boolean\n");
        /* A difference of case only is the nearest miss, however many letters differ. */
        ASSERT_ERRORS(
                "{\"version\": \"1.0.0\", \"selinux\": {\"mode\": \"ENFORCING\", \"store\": \"Writable\"}}",
                CONFIG_FORMAT_JSON,
                "f:1:42: \"selinux.mode\" must be enforcing, permissive or disabled, not \"ENFORCING\"; did you mean "
                "\"enforcing\"?\n"
                "f:1:64: \"selinux.store\" must be writable or image, not \"Writable\"; did you mean \"writable\"?\n");
        ASSERT_ERRORS("{\"version\": \"1.0.0\", \"selinux\": {\"mode\": null}}", CONFIG_FORMAT_JSON,
                      "f:1:42: \"selinux.mode\" must be enforcing, permissive or disabled, not null\n");
        ASSERT_ERRORS("[]", CONFIG_FORMAT_JSON,
                      "f:1:1: \"the config\" must be an object with \"version\" and \"selinux\", not a list\n");
}

TEST(errors_lists) {
        ASSERT_ERRORS("version: 1.0.0\nselinux:\n  booleans:\n    - name: a\n      value: true\n"
                      "    - name: a\n      value: false\n    - value: true\n    - name: b\n"
                      "    - name: bad-name\n      value: true\n    - name: c\n      value: 1\n",
                      CONFIG_FORMAT_YAML,
                      "f:6:13: \"a\" is listed twice (first at line 4, column 13)\n"
                      "f:8:7: \"selinux.booleans[]\": missing \"name\"\n"
                      "f:9:7: boolean \"b\": missing \"value\" (true or false)\n"
                      "f:10:13: \"bad-name\" is not a valid name in \"selinux.booleans\"\n"
                      "f:13:14: \"selinux.booleans[].value\" must be true or false, not an integer\n");
        ASSERT_ERRORS("version: 1.0.0\nselinux:\n  modules:\n    - name: m\n      source: relative.cil\n"
                      "    - name: n\n      source: /usr/../etc/x.cil\n    - name: o\n      source: /x.te\n"
                      "    - name: p\n      source: /x.cil\n      priority: 0\n    - name: q\n"
                      "    - name: 9r\n      source: /r.cil\n    - name: s\n      source: /s.cil\n      prio: 1\n",
                      CONFIG_FORMAT_YAML,
                      "f:5:15: \"selinux.modules[].source\" must be an absolute path to a .cil or .pp file, without "
                      "\"..\", not "
                      "\"relative.cil\"\n"
                      "f:7:15: \"selinux.modules[].source\" must be an absolute path to a .cil or .pp file, without "
                      "\"..\", not "
                      "\"/usr/../etc/x.cil\"\n"
                      "f:9:15: \"selinux.modules[].source\" must be an absolute path to a .cil or .pp file, without "
                      "\"..\", not \"/x.te\"\n"
                      "f:12:17: \"selinux.modules[].priority\" must be from 1 to 999, not 0\n"
                      "f:13:7: module \"q\": missing \"source\" (an absolute path to a .cil or .pp file)\n"
                      "f:14:13: \"9r\" is not a valid name in \"selinux.modules\"\n"
                      "f:18:7: unknown key \"prio\" in \"selinux.modules[]\"\n");
        ASSERT_ERRORS("{\"version\": \"1.0.0\", \"selinux\": {\"booleans\": {\"name\": \"x\"}}}", CONFIG_FORMAT_JSON,
                      "f:1:46: \"selinux.booleans\" must be a list, not an object\n");
}

TEST(errors_wrappers) {
        ASSERT_ERRORS("{\"ignition\": {\"version\": \"3.3.0\"}, \"seprov\": {\"selinux\": {}}}", CONFIG_FORMAT_JSON,
                      "f:1:46: missing \"version\": a seprov config starts with \"version\": \"1.0.0\"\n");
}

/* What is wrong outside the "seprov" key of a provisioning document is its tool's problem: a warning
 * at most, and the layer is valid (empty), so that nothing else of the apply is refused. */
static char *warnings_of(const char *text, ConfigFormat format) {
        char *all = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&all, &size);
        Diags d = {};
        Config c;

        ASSERT_TRUE(f);
        ASSERT_EQ(config_parse_text(text, strlen(text), "f", format, &c, NULL, &d), 0);
        ASSERT_EQ(d.n_errors, 0);
        diags_print(&d, f);
        fclose(f);
        diags_clear(&d);
        config_done(&c);
        return all;
}

#define ASSERT_WARNINGS(text, format, expected)                      \
        do {                                                         \
                _cleanup_free_ char *_w = warnings_of(text, format); \
                ASSERT_STREQ(_w, expected);                          \
        } while (0)

TEST(provisioning_documents_are_not_ours) {
        ASSERT_WARNINGS("#cloud-config\n- a\n", CONFIG_FORMAT_CLOUD_CONFIG,
                        "f:2:1: warning: a cloud-config is a mapping of keys, not this: cloud-init cannot use it; it "
                        "has no \"seprov\" key\n");
        ASSERT_WARNINGS("{\"storage\": {}}", CONFIG_FORMAT_IGNITION,
                        "f:1:1: warning: not an Ignition config (no \"ignition\" key): Ignition cannot use it, and "
                        "seprov reads nothing of it; a seprov config has \"version\" and \"selinux\"\n");
        /* The user data: cloud-init's own !!binary, and seprov still reads its key. */
        ASSERT_WARNINGS("#cloud-config\nwrite_files:\n- path: /etc/motd\n  content: !!binary |\n    aGVsbG8K\n",
                        CONFIG_FORMAT_CLOUD_CONFIG, "");
        ASSERT_WARNINGS("{\"ignition\": {\"version\": \"3.3.0\"}, \"storage\": {\"files\": []}, \"storage\": {}}",
                        CONFIG_FORMAT_JSON, "");
        /* A near miss of the key gets a suggestion. */
        ASSERT_WARNINGS("{\"ignition\": {\"version\": \"3.3.0\"}, \"seProv\": {}}", CONFIG_FORMAT_JSON,
                        "f:1:36: warning: unknown key \"seProv\", did you mean \"seprov\"? seprov reads only its "
                        "\"seprov\" key of this Ignition config\n");
        ASSERT_WARNINGS("#cloud-config\nsepr0v:\n  version: 1.0.0\n", CONFIG_FORMAT_CLOUD_CONFIG,
                        "f:2:1: warning: unknown key \"sepr0v\", did you mean \"seprov\"? seprov reads only its "
                        "\"seprov\" key of this cloud-config\n");
}

static void layer(Config *into, const char *text) {
        Config c;
        parse_ok(text, CONFIG_FORMAT_YAML, &c);
        ASSERT_OK(config_merge(into, &c));
        config_done(&c);
}

TEST(merge) {
        Config c;

        config_init(&c);
        layer(&c, "version: 1.0.0\nselinux:\n  mode: permissive\n  dontaudit: false\n"
                  "  booleans: [{name: a, value: true}, {name: b, value: true}, {name: c, value: true}]\n"
                  "  modules: [{name: m, source: /m.cil}]\n");
        layer(&c, "version: 1.0.0\nselinux:\n  mode: enforcing\n"
                  "  booleans: [{name: b, value: false}, {name: a, state: absent}, {name: d, value: true}]\n"
                  "  modules: [{name: m, source: /m2.cil, priority: 300}, {name: gone, state: absent}]\n");

        ASSERT_EQ(c.mode, SELINUX_MODE_ENFORCING);
        ASSERT_EQ(c.mode_origin.line, 3);
        ASSERT_EQ(c.dontaudit, 0); /* not set above: the lower layer's value stays */
        ASSERT_EQ(c.n_booleans, 3);
        ASSERT_STREQ(c.booleans[0].name, "b");
        ASSERT_TRUE(!c.booleans[0].value);
        ASSERT_STREQ(c.booleans[1].name, "c");
        ASSERT_STREQ(c.booleans[2].name, "d");
        ASSERT_NULL(config_find_boolean(&c, "a"));
        ASSERT_EQ(c.n_modules, 1);
        ASSERT_STREQ(c.modules[0].source, "/m2.cil");
        ASSERT_EQ(c.modules[0].priority, 300);
        config_done(&c);
}

/* fileContexts merge by path and file type, equivalences by path. */
TEST(merge_file_contexts) {
        Config c;

        config_init(&c);
        layer(&c, "version: 1.0.0\nselinux:\n  fileContexts:\n"
                  "  - {path: '/opt/a(/.*)?', type: bin_t}\n"
                  "  - {path: '/opt/a(/.*)?', fileType: directory, type: usr_t}\n"
                  "  - {path: /opt/b, type: etc_t, range: s0}\n"
                  "  fileContextEquivalences: [{path: /srv/www, sameAs: /var/www}, {path: /srv/x, sameAs: /}]\n");
        layer(&c, "version: 1.0.0\nselinux:\n  fileContexts:\n"
                  "  - {path: '/opt/a(/.*)?', state: absent}\n"
                  "  - {path: /opt/b, type: var_t}\n"
                  "  fileContextEquivalences: [{path: /srv/www, sameAs: /var/www2}, {path: /srv/x, state: absent}]\n");

        ASSERT_EQ(c.n_file_contexts, 2);
        ASSERT_NULL(config_find_file_context(&c, "/opt/a(/.*)?", "all"));
        ASSERT_STREQ(config_find_file_context(&c, "/opt/a(/.*)?", "directory")->type, "usr_t");
        ASSERT_STREQ(config_find_file_context(&c, "/opt/b", "all")->type, "var_t");
        ASSERT_NULL(config_find_file_context(&c, "/opt/b", "all")->range); /* replaced whole */
        ASSERT_EQ(config_find_file_context(&c, "/opt/b", "all")->origin.line, 5);
        ASSERT_EQ(c.n_equivalences, 1);
        ASSERT_STREQ(config_find_equivalence(&c, "/srv/www")->same_as, "/var/www2");
        ASSERT_NULL(config_find_equivalence(&c, "/srv/x"));
        config_done(&c);
}

/* Permissive domains merge by name, ports by protocol and range (not by port alone), module states by name. */
TEST(merge_workload) {
        Config c;

        config_init(&c);
        layer(&c, "version: 1.0.0\nselinux:\n"
                  "  permissiveDomains: [{name: a_t}, {name: b_t}]\n"
                  "  ports: [{protocol: tcp, port: '8443', type: http_port_t},\n"
                  "          {protocol: udp, port: '8443', type: http_port_t},\n"
                  "          {protocol: tcp, port: 8000-8100, type: http_port_t, range: s0}]\n"
                  "  modules: [{name: sandbox, state: disabled}, {name: m, source: /m.cil}]\n");
        layer(&c, "version: 1.0.0\nselinux:\n"
                  "  permissiveDomains: [{name: a_t, state: absent}, {name: c_t}]\n"
                  "  ports: [{protocol: tcp, port: 8443, state: absent},\n"
                  "          {protocol: tcp, port: 8000-8100, type: ssh_port_t}]\n"
                  "  modules: [{name: sandbox, state: enabled}]\n");

        ASSERT_EQ(c.n_permissive, 2);
        ASSERT_STREQ(c.permissive[0].name, "b_t");
        ASSERT_STREQ(c.permissive[1].name, "c_t");
        ASSERT_NULL(config_find_permissive(&c, "a_t"));
        ASSERT_EQ(c.n_ports, 2);
        ASSERT_NULL(config_find_port(&c, "tcp", 8443, 8443));
        ASSERT_STREQ(config_find_port(&c, "udp", 8443, 8443)->type, "http_port_t");
        ASSERT_STREQ(config_find_port(&c, "tcp", 8000, 8100)->type, "ssh_port_t");
        ASSERT_NULL(config_find_port(&c, "tcp", 8000, 8100)->range); /* replaced whole, range included */
        ASSERT_EQ(config_find_port(&c, "tcp", 8000, 8100)->origin.line, 5);
        ASSERT_EQ(c.n_modules, 2);
        ASSERT_EQ(config_find_module(&c, "sandbox")->enabled, 1);
        ASSERT_TRUE(!config_module_installs(config_find_module(&c, "sandbox")));
        ASSERT_EQ(config_find_module(&c, "m")->enabled, -1);
        ASSERT_TRUE(config_module_installs(config_find_module(&c, "m")));
        config_done(&c);
}

TEST(merge_kernel_args) {
        KernelArgs a;
        Diags d = {};
        Config c;

        config_init(&c);
        layer(&c, "version: 1.0.0\nselinux:\n  mode: permissive\n  store: image\n");
        kernel_args_init(&a);
        ASSERT_OK(kernel_args_parse(&a, "quiet seprov.mode=enforcing seprov.audit=1", "x", false, &d));
        ASSERT_OK(config_merge_kernel_args(&c, &a));
        ASSERT_EQ(c.mode, SELINUX_MODE_ENFORCING);
        ASSERT_STREQ(c.mode_origin.file, ORIGIN_CMDLINE);
        ASSERT_EQ(c.mode_origin.column, 7);
        ASSERT_EQ(c.store, STORE_IMAGE);
        ASSERT_EQ(c.audit_selinux_events, 1);
        kernel_args_done(&a);
        config_done(&c);
}

TEST(format_detect) {
        ASSERT_EQ(config_parse_detect_format("/x/a.json", "{}"), CONFIG_FORMAT_JSON);
        ASSERT_EQ(config_parse_detect_format("/x/a.yaml", "a: 1"), CONFIG_FORMAT_YAML);
        ASSERT_EQ(config_parse_detect_format("/x/a.yml", "#cloud-config\n"), CONFIG_FORMAT_CLOUD_CONFIG);
        ASSERT_EQ(config_parse_detect_format("/x/user_data", "#cloud-config"), CONFIG_FORMAT_CLOUD_CONFIG);
        ASSERT_EQ(config_parse_detect_format("/x/user_data", "\n {\"ignition\": {}}"), CONFIG_FORMAT_JSON);
        ASSERT_EQ(config_parse_detect_format("/x/user_data", "a: 1"), CONFIG_FORMAT_YAML);
        ASSERT_EQ(config_parse_detect_format("/x/a.json", "#cloud-configuration"), CONFIG_FORMAT_JSON);
}

int main(void) {
        RUN_TEST(full_json);
        RUN_TEST(empty_and_version_only);
        RUN_TEST(cloud_config_and_ignition);
        RUN_TEST(errors_keys);
        RUN_TEST(errors_version);
        RUN_TEST(errors_values);
        RUN_TEST(errors_lists);
        RUN_TEST(errors_wrappers);
        RUN_TEST(provisioning_documents_are_not_ours);
        RUN_TEST(merge);
        RUN_TEST(merge_file_contexts);
        RUN_TEST(merge_workload);
        RUN_TEST(merge_kernel_args);
        RUN_TEST(format_detect);
        return 0;
}
