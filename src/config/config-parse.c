/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One config file's text to one config layer: format detection and the Ignition/cloud-config wrappers. */

#include "config.h"

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

/* For a provisioning config (Ignition, cloud-config), the "seprov" member is ours; the rest is
 * somebody else's and not judged here. */
static int unwrap(const Node *root, const char *file, ConfigFormat format, Config *ret, Diags *diags) {
        const Node *ours;
        int r;

        if (root->type == NODE_NULL && format == CONFIG_FORMAT_CLOUD_CONFIG) {
                config_init(ret); /* a cloud-config with nothing in it */
                return 0;
        }
        if (root->type != NODE_OBJECT) {
                r = diag_error(diags, file, root->line, root->column, "%s must be an object, not %s",
                               format == CONFIG_FORMAT_IGNITION ? "an Ignition config" : "a cloud-config",
                               node_type_describe(root->type));
                return r < 0 ? r : -EINVAL;
        }
        if (format == CONFIG_FORMAT_IGNITION && !node_get(root, "ignition")) {
                r = diag_error(diags, file, root->line, root->column,
                               "not an Ignition config (no \"ignition\" key); a seprov config has \"version\" and "
                               "\"selinux\"");
                return r < 0 ? r : -EINVAL;
        }
        ours = node_get(root, "seprov");
        if (!ours) {
                config_init(ret);
                return 0;
        }
        return config_schema_parse(ours, file, ret, diags);
}

int config_parse_text(const char *text, size_t len, const char *file, ConfigFormat format, Config *ret,
                      ConfigFormat *ret_format, Diags *diags) {
        _cleanup_node_free_ Node *root = NULL;
        int r;

        assert(file);
        assert(ret);
        assert(diags);

        if (format == CONFIG_FORMAT_JSON || format == CONFIG_FORMAT_IGNITION)
                r = parse_json_document(text, len, file, &root, diags);
        else
                r = parse_yaml_document(text, len, file, &root, diags);
        if (r < 0)
                return r;

        /* The only JSON with a top-level "ignition" object is an Ignition config. */
        if (format == CONFIG_FORMAT_JSON && node_get(root, "ignition"))
                format = CONFIG_FORMAT_IGNITION;
        if (ret_format)
                *ret_format = format;
        if (format == CONFIG_FORMAT_IGNITION || format == CONFIG_FORMAT_CLOUD_CONFIG)
                return unwrap(root, file, format, ret, diags);
        return config_schema_parse(root, file, ret, diags);
}
