/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The config model: what the operator asked for, and where each value came from. */
#pragma once

#include <stdbool.h>

#include "cmdline.h"
#include "diag.h"
#include "node.h"
#include "settings.h"

/* Where a value came from: a file (a path inside the root), the kernel command line, or, with
 * file == NULL, the built-in default. A value of a file that another one carries (a drop-in an
 * Ignition config writes with storage.files) is placed in the carrier, and 'within' says where it is
 * in the carried file ("PATH:LINE:COL"); NULL otherwise. */
typedef struct Origin {
        char *file;
        unsigned line, column;
        char *within;
} Origin;

#define ORIGIN_CMDLINE "kernel command line"

typedef struct ConfigBoolean {
        char *name;
        bool value;
        bool absent; /* "state": "absent": removes an entry of a lower layer */
        Origin origin;
} ConfigBoolean;

#define MODULE_PRIORITY_DEFAULT 400

typedef struct ConfigModule {
        char *name;
        char *source; /* absolute path inside the root */
        unsigned priority;
        bool absent;
        /* -1 unset, 0 "state": "disabled", 1 "state": "enabled"; with no source (source "") it names
         * a module already in the store, at whatever priority it is (the image's, say) */
        int enabled;
        Origin origin;
} ConfigModule;

/* A local file context rule, as "semanage fcontext -a" makes it: 'path' is a regex matched against
 * the whole path (PCRE2, as libselinux reads file_contexts), 'file_type' one of
 * config_file_type_names. Merged by path and file type. */
typedef struct ConfigFileContext {
        char *path;
        char *file_type;
        char *type;
        char *range; /* NULL: none */
        bool absent;
        Origin origin;
} ConfigFileContext;

/* A file context equivalence, as "semanage fcontext -a -e SAME_AS PATH" makes it: PATH is labelled
 * as if it were SAME_AS. Merged by path. */
typedef struct ConfigEquivalence {
        char *path;
        char *same_as;
        bool absent;
        Origin origin;
} ConfigEquivalence;

/* The names "fileType" takes, in the order of libsemanage's SEMANAGE_FCONTEXT_* values. */
extern const char *const config_file_type_names[];

/* config-regex.c: 'path' compiles as the regex libselinux makes of a file_contexts line (PCRE2,
 * anchored). Returns 0; -EINVAL with *ret_why saying what is wrong and where (to free); -ENOMEM. */
int config_regex_check(const char *re, char **ret_why);
/* A domain made permissive (semanage permissive -a): "permissiveDomains", merged by name. */
typedef struct ConfigPermissive {
        char *name;
        bool absent;
        Origin origin;
} ConfigPermissive;

/* A port label (semanage port -a): "ports", merged by protocol and port (low-high). */
typedef struct ConfigPort {
        char *protocol; /* tcp udp sctp dccp */
        unsigned low, high;
        char *type;
        char *range; /* MLS range; NULL: none given */
        bool absent;
        Origin origin;
} ConfigPort;

/* A layer (one file) or the effective, merged config. Enumerations are < 0 and tristates -1 when
 * not set: "not set" means "leave the system as it is". */
typedef struct Config {
        SelinuxMode mode;
        Origin mode_origin;
        StoreMode store;
        Origin store_origin;
        int discard_local_changes; /* allows store: image although the writable store has changes */
        Origin discard_local_changes_origin;
        int audit_selinux_events;
        Origin audit_origin;
        int dontaudit; /* 0: dontaudit rules disabled (semodule -DB); 1: normal */
        Origin dontaudit_origin;
        OnFailure on_failure;
        Origin on_failure_origin;
        ConfigBoolean *booleans;
        size_t n_booleans;
        ConfigModule *modules;
        size_t n_modules;
        ConfigFileContext *file_contexts;
        size_t n_file_contexts;
        ConfigEquivalence *equivalences;
        size_t n_equivalences;
        ConfigPermissive *permissive;
        size_t n_permissive;
        ConfigPort *ports;
        size_t n_ports;
} Config;

void config_init(Config *c);
void config_done(Config *c);

/* The kinds of files seprov reads. */
typedef enum ConfigFormat {
        CONFIG_FORMAT_JSON,         /* a seprov config: {"version": ..., "selinux": {...}} */
        CONFIG_FORMAT_YAML,         /* the same schema in YAML */
        CONFIG_FORMAT_IGNITION,     /* an Ignition config; seprov reads its "seprov" key */
        CONFIG_FORMAT_CLOUD_CONFIG, /* "#cloud-config" YAML; seprov reads its "seprov:" key */
        _CONFIG_FORMAT_MAX,
        _CONFIG_FORMAT_INVALID = -1,
} ConfigFormat;

const char *config_format_to_string(ConfigFormat f);

/* Guesses the kind of a file from its first line ("#cloud-config"), its extension, and its first
 * character. Ignition configs are recognised after parsing, by their top-level "ignition" key. */
ConfigFormat config_parse_detect_format(const char *path, const char *text);

/* Validates a parsed document against the schema and fills a fresh layer. Every problem is recorded
 * in 'diags' under 'file'. Returns 0; -EINVAL when the document is invalid (then 'ret' holds its
 * valid values and entries, for checks that look further, and is to be released as always); or
 * -ENOMEM. */
int config_schema_parse(const Node *root, const char *file, Config *ret, Diags *diags);

/* Parses and validates the text of one file of the given format into 'ret' (initialised here).
 * JSON with a top-level "ignition" key is read as an Ignition config; an Ignition config or a
 * cloud-config without a "seprov" key gives an empty layer. *ret_format (optional) gets the format
 * finally used. Returns 0, -EINVAL (problems recorded in 'diags'; 'ret' holds what is valid), or
 * -ENOMEM. 'ret' is initialised in every case, to be released with config_done(). */
int config_parse_text(const char *text, size_t len, const char *file, ConfigFormat format, Config *ret,
                      ConfigFormat *ret_format, Diags *diags);

/* config-ignition.c: the seprov drop-ins an Ignition config 'text' writes with storage.files (a path
 * in /etc/seprov/config.d, contents from a data: URL, plain or base64; a gzip-compressed one is not
 * checked, with a warning: seprov links no zlib, Ignition decompresses it on the machine),
 * each checked as apply will read it once Ignition wrote it, and layered into 'into' in the order of
 * their names. Problems go to 'diags' under 'file' (the Ignition config): at the exact place in it
 * where the drop-in's text is written out plainly, else at its "source"; the message names the
 * drop-in and the place in it. Returns 0, -EINVAL when a drop-in is invalid, or -ENOMEM. */
int config_ignition_dropins_check(const char *text, size_t len, const char *file, Config *into, Diags *diags);

/* Layers 'from' over 'into': scalars replace, lists merge by name, absent entries remove.
 * Returns 0 or -ENOMEM. */
int config_merge(Config *into, const Config *from);

/* Layers the seprov.* words of the kernel command line over 'into'. Returns 0 or -ENOMEM. */
int config_merge_kernel_args(Config *into, const KernelArgs *args);

const ConfigBoolean *config_find_boolean(const Config *c, const char *name);
const ConfigModule *config_find_module(const Config *c, const char *name);
const ConfigFileContext *config_find_file_context(const Config *c, const char *path, const char *file_type);
const ConfigEquivalence *config_find_equivalence(const Config *c, const char *path);
const ConfigPermissive *config_find_permissive(const Config *c, const char *name);
const ConfigPort *config_find_port(const Config *c, const char *protocol, unsigned low, unsigned high);

/* A port as semanage writes it, "tcp/8443" or "tcp/8000-8100" (protocol_only: "8443"). Returns 'buf'. */
const char *config_port_string(const char *protocol, unsigned low, unsigned high, bool protocol_only, char *buf,
                               size_t size);
#define CONFIG_PORT_STRING_MAX 32

/* Whether the module entry installs a module (it has a source), rather than only setting the state
 * of one in the store. */
static inline bool config_module_installs(const ConfigModule *m) {
        return m->source && m->source[0] != '\0';
}

/* Records an error about the value that came from 'o', at 'o', naming the place in a carried file
 * first. Returns 0 or -ENOMEM. */
int config_origin_error(Diags *d, const Origin *o, const char *format, ...) _printf_(3, 4);

/* The same as a warning. Returns 0 or -ENOMEM. */
int config_origin_warning(Diags *d, const Origin *o, const char *format, ...) _printf_(3, 4);

/* Where a value came from, for a message: "FILE:LINE:COL", "the kernel command line, column N" or
 * "the built-in default". Returns 'buf' or a static string. */
const char *config_origin_where(const Origin *o, char *buf, size_t size);

/* Moves every origin of 'c' that names 'file' into the file carrying it: 'move' gives the place in
 * the carrier of a place in 'file' ('userdata' is passed on), 'carrier' names the carrier. Returns 0
 * or -ENOMEM. */
int config_origins_move(Config *c, const char *file, const char *carrier,
                        void (*move)(unsigned line, unsigned column, unsigned *ret_line, unsigned *ret_column,
                                     void *userdata),
                        void *userdata);

/* True when the config asks for nothing at all. */
bool config_is_empty(const Config *c);
