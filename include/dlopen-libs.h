/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsemanage, libmount and libsystemd, loaded when first needed: most boots need none of them (a
 * policy transaction, the Btrfs check of a mode change, a message for the journal, a call to PID 1),
 * and loading them at every start cost more than the rest of a no-op apply. Call sites use
 * sym_<function> after dlopen_<lib>() succeeded. */
#pragma once

#include <libmount/libmount.h>
#include <semanage/semanage.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>

/* One symbol list per library, in columns by hand: clang-format would refill them at every change. */
/* clang-format off */
#define SEMANAGE_SYMBOLS(X)                                                                      \
        X(semanage_access_check) X(semanage_begin_transaction) X(semanage_bool_create)          \
        X(semanage_bool_del_local) X(semanage_bool_exists) X(semanage_bool_free)                 \
        X(semanage_bool_key_create) X(semanage_bool_key_free) X(semanage_bool_modify_local)      \
        X(semanage_bool_set_name) X(semanage_bool_set_value) X(semanage_commit)                  \
        X(semanage_connect) X(semanage_disconnect) X(semanage_handle_create)                     \
        X(semanage_handle_destroy) X(semanage_is_connected) X(semanage_module_info_create)       \
        X(semanage_module_info_destroy) X(semanage_module_info_set_enabled)                      \
        X(semanage_module_info_set_lang_ext) X(semanage_module_info_set_name)                    \
        X(semanage_module_info_set_priority) X(semanage_module_install_info)                     \
        X(semanage_module_key_create) X(semanage_module_key_destroy)                             \
        X(semanage_module_key_set_name) X(semanage_module_key_set_priority)                      \
        X(semanage_module_remove_key) X(semanage_msg_get_level) X(semanage_msg_set_callback)     \
        X(semanage_select_store) X(semanage_set_create_store) X(semanage_set_disable_dontaudit)  \
        X(semanage_set_rebuild) X(semanage_set_reload) X(semanage_set_root) X(semanage_set_store_root) \
        X(semanage_context_create) X(semanage_context_free) X(semanage_context_set_mls)           \
        X(semanage_context_set_role) X(semanage_context_set_type) X(semanage_context_set_user)    \
        X(semanage_fcontext_create) X(semanage_fcontext_del_local) X(semanage_fcontext_free)      \
        X(semanage_fcontext_key_create) X(semanage_fcontext_key_free) X(semanage_fcontext_modify_local) \
        X(semanage_fcontext_set_con) X(semanage_fcontext_set_expr) X(semanage_fcontext_set_type)  \
        X(semanage_mls_enabled)

/* Ports, contexts and module states (issue 11's ports, permissive domains and module state). */
#define SEMANAGE_PORT_SYMBOLS(X)                                                                 \
        X(semanage_context_create) X(semanage_context_free) X(semanage_context_set_mls)          \
        X(semanage_context_set_role) X(semanage_context_set_type) X(semanage_context_set_user)   \
        X(semanage_mls_enabled) X(semanage_module_set_enabled) X(semanage_port_create)           \
        X(semanage_port_del_local) X(semanage_port_free) X(semanage_port_key_create)             \
        X(semanage_port_key_free) X(semanage_port_modify_local) X(semanage_port_set_con)         \
        X(semanage_port_set_proto) X(semanage_port_set_range)

#define LIBMOUNT_SYMBOLS(X)                                                                      \
        X(mnt_free_iter) X(mnt_free_table) X(mnt_fs_get_fstype) X(mnt_fs_get_source)             \
        X(mnt_fs_get_target) X(mnt_new_iter) X(mnt_new_table) X(mnt_table_next_fs)              \
        X(mnt_table_parse_file) X(mnt_table_parse_stream) X(mnt_fs_get_devno)                  \
        X(mnt_fs_get_vfs_options)

#define LIBSYSTEMD_SYMBOLS(X)                                                                    \
        X(sd_bus_call_method) X(sd_bus_error_free) X(sd_bus_flush_close_unref)                   \
        X(sd_bus_get_property_string) X(sd_bus_message_read) X(sd_bus_message_unref) X(sd_bus_new) \
        X(sd_bus_set_address) X(sd_bus_start) X(sd_id128_get_boot) X(sd_id128_to_string)         \
        X(sd_journal_add_match) X(sd_journal_close) X(sd_journal_flush_matches)                  \
        X(sd_journal_get_data) X(sd_journal_get_realtime_usec) X(sd_journal_get_usage)           \
        X(sd_journal_enumerate_unique) X(sd_journal_next) X(sd_journal_open)                     \
        X(sd_journal_open_directory) X(sd_journal_query_unique) X(sd_journal_seek_head)          \
        X(sd_journal_seek_realtime_usec) X(sd_journal_send_with_location)
/* clang-format on */

#define DLOPEN_DECLARE_SYM(name) extern __typeof__(&name) sym_##name;
SEMANAGE_SYMBOLS(DLOPEN_DECLARE_SYM)
SEMANAGE_PORT_SYMBOLS(DLOPEN_DECLARE_SYM)
LIBMOUNT_SYMBOLS(DLOPEN_DECLARE_SYM)
LIBSYSTEMD_SYMBOLS(DLOPEN_DECLARE_SYM)

/* Each loads its library once and resolves its symbols. Returns 0, or -EOPNOTSUPP when the library
 * or a symbol is missing (logged, with dlerror()'s words). */
int dlopen_semanage(void);
int dlopen_libmount(void);
int dlopen_libsystemd(void);

/* The CIL compiler of the libsepol that libsemanage uses (the shared one: seprov's own is linked
 * statically) logs through a handler of its own, which libsemanage does not relay: a module that does
 * not compile is otherwise explained on stderr only. Sets that handler, for good: libsepol cannot be
 * given its default back. Call after dlopen_semanage(). Returns 0, or -EOPNOTSUPP when that libsepol
 * is not loaded. */
typedef void (*CilLogHandler)(int level, const char *msg);
int dlopen_semanage_cil_log(CilLogHandler handler);

/* Cleanup helpers for libmount's objects through the loaded symbols. */
void sym_mnt_free_tablep(struct libmnt_table **t);
void sym_mnt_free_iterp(struct libmnt_iter **i);

/* Cleanup helpers for libsystemd's objects through the loaded symbols (sd-bus.h's own would link). */
void sym_sd_bus_flush_close_unrefp(sd_bus **b);
void sym_sd_bus_message_unrefp(sd_bus_message **m);
void sym_sd_journal_closep(sd_journal **j);
