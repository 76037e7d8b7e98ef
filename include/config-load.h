/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding and layering every config source, lowest precedence first (seprov(8), INPUTS). */
#pragma once

#include "config.h"

typedef enum ConfigLevel {
        CONFIG_LEVEL_IMAGE,        /* /usr/lib/seprov/config.d: image builders */
        CONFIG_LEVEL_RUNTIME,      /* /run/seprov/config.d */
        CONFIG_LEVEL_ADMIN,        /* /etc/seprov/config.d: administrators, Ignition storage.files */
        CONFIG_LEVEL_PROVISIONING, /* the "seprov" key of Ignition's config or of cloud-config user data */
        CONFIG_LEVEL_CMDLINE_FILE, /* seprov.config= */
        _CONFIG_LEVEL_MAX,
} ConfigLevel;

typedef enum SourceState {
        SOURCE_USED,    /* read and layered */
        SOURCE_MASKED,  /* a same-named file in a higher directory replaces it */
        SOURCE_MASK,    /* empty or a link to /dev/null: masks lower same-named files, adds nothing */
        SOURCE_IGNORED, /* not a .json or .yaml file */
        SOURCE_INVALID, /* unreadable or invalid: the load fails */
        SOURCE_EMPTY,   /* a provisioning document without seprov settings: read, adds nothing */
        _SOURCE_STATE_MAX,
} SourceState;

typedef struct ConfigSource {
        char *path; /* as shown to the user: inside the root, or in /run */
        ConfigLevel level;
        SourceState state;
        ConfigFormat format;
} ConfigSource;

typedef struct ConfigSources {
        ConfigSource *items;
        size_t n;
} ConfigSources;

void config_sources_done(ConfigSources *s);
const char *config_level_to_string(ConfigLevel l);
const char *source_state_to_string(SourceState s);

typedef struct ConfigLoad {
        int root_fd;            /* the system being provisioned */
        int run_fd;             /* its runtime directory (in the initrd: the initrd's own /run) */
        int host_fd;            /* the running system's own "/" (where Ignition ran); -EBADF offline */
        const KernelArgs *args; /* already parsed */
} ConfigLoad;

/* Largest config file of seprov's own that seprov reads. */
#define CONFIG_FILE_MAX (1024 * 1024)
/* Largest provisioning document (Ignition config, cloud-config user data) seprov reads: those carry
 * whole files, as data URLs or write_files contents, and are not seprov's to limit. */
#define PROVISIONING_FILE_MAX (64 * 1024 * 1024)

/* Reads every source in order and layers them into 'ret' (initialised here), the kernel command line
 * last. Sources found go to 'sources' (optional). Every problem goes to 'diags'.
 * Returns 0; -EINVAL when any source is invalid (then 'ret' holds nothing); or -ENOMEM. */
int config_load(const ConfigLoad *load, Config *ret, ConfigSources *sources, Diags *diags);

/* Where the config Ignition fetched on this boot can be read: its cache when that kept the "seprov"
 * key, else the local source it fetched from (for an offline root, the root's own Ignition system
 * config: the image's /usr/lib/ignition/user.ign). Returns 1 with *ret_fd (borrowed from 'load'),
 * *ret_path under it and *ret_shown; 0 when Ignition ran but its config cannot be read again here;
 * -ENOENT when Ignition did not run on this boot; or another negative errno. */
int config_load_ignition_source(const ConfigLoad *load, int *ret_fd, const char **ret_path, const char **ret_shown);

/* How standard input is named in diagnostics. */
#define CONFIG_STDIN_SHOWN "<stdin>"

/* Reads one file outside of any layering, as 'seprov validate' does: format detected from the
 * content and the name; "-" reads standard input (named CONFIG_STDIN_SHOWN in 'diags'). For an
 * Ignition config, 'ret' also holds the seprov drop-ins it writes with storage.files (see
 * config_ignition_dropins_check()), under its "seprov" key, as apply layers them. 'ret' is
 * initialised here and is to be released with config_done() in every case.
 * Returns 0, -EINVAL (problems in 'diags'; 'ret' holds what is valid, so that the policy checks can
 * still look at it) or another negative errno. */
int config_load_file(const char *path, Config *ret, ConfigFormat *ret_format, Diags *diags);
