/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One config file's text to one config layer: format detection and the Ignition/cloud-config wrappers. */

#include "config.h"
#include "strutil.h"

static bool is_cloud_config(const char *text) {
        const char *rest = startswith(text, "#cloud-config");
        return rest && (*rest == '\0' || *rest == '\n' || *rest == '\r' || *rest == ' ' || *rest == '\t');
}

ConfigFormat config_parse_detect_format(const char *path, const char *text) {
        const char *first;

        assert(path);
        assert(text);

        first = text + strspn(text, " \t\r\n");
        if (is_cloud_config(text))
                return CONFIG_FORMAT_CLOUD_CONFIG;
        if (endswith(path, ".json"))
                return CONFIG_FORMAT_JSON;
        if (endswith(path, ".yaml") || endswith(path, ".yml"))
                return CONFIG_FORMAT_YAML;
        return *first == '{' ? CONFIG_FORMAT_JSON : CONFIG_FORMAT_YAML;
}

#define SEPROV_KEY "seprov"

static const char *format_describe(ConfigFormat format) {
        return format == CONFIG_FORMAT_IGNITION ? "Ignition config" : "cloud-config";
}

/* No "seprov" member: a near miss ("seProv", "sepr0v") is most likely one, misspelt. */
static int warn_near_miss(const Node *root, const char *file, ConfigFormat format, Diags *diags) {
        static const char *const ours[] = { SEPROV_KEY, NULL };

        for (size_t i = 0; i < root->n_items; i++) {
                const Node *m = root->items[i];

                if (m->key && string_nearest(m->key, ours))
                        return diag_warning(diags, file, m->key_line, m->key_column,
                                            "unknown key \"%s\", did you mean \"" SEPROV_KEY
                                            "\"? seprov reads only its \"" SEPROV_KEY "\" key of this %s",
                                            m->key, format_describe(format));
        }
        return 0;
}

/* For a provisioning config (Ignition, cloud-config), the "seprov" member is ours; the rest is
 * somebody else's: what is wrong with it is said in a warning at most, never refused here. */
static int unwrap(const Node *root, const char *file, ConfigFormat format, Config *ret, Diags *diags) {
        const Node *ours;
        int r = 0;

        config_init(ret);
        if (root->type == NODE_NULL && format == CONFIG_FORMAT_CLOUD_CONFIG)
                return 0; /* a cloud-config with nothing in it */
        if (root->type != NODE_OBJECT)
                r = diag_warning(
                        diags, file, root->line, root->column,
                        "an Ignition config is an object, not %s: Ignition cannot use it; it has no \"" SEPROV_KEY
                        "\" key",
                        node_type_describe(root->type));
        else if (format == CONFIG_FORMAT_IGNITION && !node_get(root, "ignition"))
                r = diag_warning(diags, file, root->line, root->column,
                                 "not an Ignition config (no \"ignition\" key): Ignition cannot use it, and seprov "
                                 "reads nothing of it; a seprov config has \"version\" and \"selinux\"");
        else if (!(ours = node_get(root, SEPROV_KEY)))
                r = warn_near_miss(root, file, format, diags);
        else
                return config_schema_parse(ours, file, ret, diags);
        return r < 0 ? r : 0;
}

/* JSON: an Ignition config when its top level has "ignition", else a seprov config. The two are read
 * by different rules, so the document is read as an Ignition config first. */
static int parse_json_detect(const char *text, size_t len, const char *file, ConfigFormat *format, Node **ret,
                             Diags *diags) {
        size_t mark = diags->n;
        int r;

        r = parse_json_provisioning(text, len, file, SEPROV_KEY, ret, diags);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && (*format == CONFIG_FORMAT_IGNITION || node_get(*ret, "ignition"))) {
                *format = CONFIG_FORMAT_IGNITION;
                return 0;
        }
        if (r >= 0)
                *ret = node_free(*ret);
        diags_truncate(diags, mark);
        if (*format == CONFIG_FORMAT_IGNITION) /* an Ignition config that is not even JSON */
                return parse_json_provisioning(text, len, file, SEPROV_KEY, ret, diags);
        return parse_json_document(text, len, file, ret, diags);
}

/* What the first bytes say was meant: a byte order mark, which JSON (and Ignition) refuse, is named
 * instead of "unexpected character"; "# cloud-config" is not cloud-init's header (cloud-init reads
 * such user data as no cloud-config), so it is read as a seprov config, with a warning. Returns 0,
 * -EINVAL (reported) or -ENOMEM. */
static int hint_header(const char *text, size_t len, const char *file, ConfigFormat format, Diags *diags) {
        int r;

        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 &&
            (format == CONFIG_FORMAT_JSON || format == CONFIG_FORMAT_IGNITION)) {
                r = diag_error(diags, file, 1, 1,
                               "a UTF-8 byte order mark starts the file, which JSON does not allow: save it as "
                               "UTF-8 without one");
                return r < 0 ? r : -EINVAL;
        }
        if (format != CONFIG_FORMAT_CLOUD_CONFIG &&
            (startswith(text, "# cloud-config") || startswith(text, "#cloud_config") ||
             startswith(text, "#Cloud-config")))
                return diag_warning(diags, file, 1, 1,
                                    "not cloud-init's header: a cloud-config starts with \"#cloud-config\" "
                                    "exactly; read as a seprov config");
        return 0;
}

int config_parse_text(const char *text, size_t len, const char *file, ConfigFormat format, Config *ret,
                      ConfigFormat *ret_format, Diags *diags) {
        _cleanup_node_free_ Node *root = NULL;
        size_t errors = diags->n_errors;
        int r;

        assert(file);
        assert(ret);
        assert(diags);

        config_init(ret);
        r = hint_header(text, len, file, format, diags);
        if (r != 0)
                return r;
        if (format == CONFIG_FORMAT_JSON || format == CONFIG_FORMAT_IGNITION)
                r = parse_json_detect(text, len, file, &format, &root, diags);
        else if (format == CONFIG_FORMAT_CLOUD_CONFIG)
                r = parse_yaml_provisioning(text, len, file, SEPROV_KEY, &root, diags);
        else
                r = parse_yaml_document(text, len, file, &root, diags);
        if (r < 0)
                return r;
        if (ret_format)
                *ret_format = format;
        /* The parsers report duplicate keys, YAML tags and anchors, and go on: the schema's problems
         * are found in the same pass, and the file is invalid all the same. */
        if (format == CONFIG_FORMAT_IGNITION || format == CONFIG_FORMAT_CLOUD_CONFIG)
                r = unwrap(root, file, format, ret, diags);
        else
                r = config_schema_parse(root, file, ret, diags);
        return r >= 0 && diags->n_errors > errors ? -EINVAL : r;
}
