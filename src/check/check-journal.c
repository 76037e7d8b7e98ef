/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Denials from the journal, found through its indexes: journald stores each record the kernel's
 * audit subsystem sends it as one entry with _TRANSPORT=audit, _AUDIT_TYPE=<number>, _AUDIT_ID=<event
 * serial> and MESSAGE="<TYPE NAME> <record text>" (systemd's journald-audit.c). Userspace object
 * managers' USER_AVC records reach it the same way. When no audit daemon listens, the kernel also
 * writes each record to its log, rate-limited ("audit: type=1400 audit(T:SERIAL): avc:  denied ...",
 * _TRANSPORT=kernel): those printk copies are read as a last resort, for the boots of which the
 * journal holds no audit record at all (journald's audit socket off), and marked. Any other line that
 * merely looks like a denial is never read. */

#include <ctype.h>
#include <inttypes.h>

#include "check-source.h"
#include "dlopen-libs.h"
#include "log.h"
#include "strutil.h"

/* Returns a field's value in the reusable buffer *buf, NUL-terminated: 1, 0 when the entry has no such
 * field, or a negative errno. */
static int entry_field(sd_journal *j, const char *field, char **buf, size_t *allocated) {
        size_t fl = strlen(field), len;
        const void *data;
        int r;

        r = sym_sd_journal_get_data(j, field, &data, &len);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (len <= fl || ((const char *) data)[fl] != '=')
                return 0;
        len -= fl + 1;
        if (len + 1 > *allocated) {
                char *b = realloc(*buf, len + 1);
                if (!b)
                        return -ENOMEM;
                *buf = b;
                *allocated = len + 1;
        }
        memcpy(*buf, (const char *) data + fl + 1, len);
        (*buf)[len] = '\0';
        return 1;
}

static int entry_number(sd_journal *j, const char *field, uint64_t *ret) {
        _cleanup_free_ char *buf = NULL;
        size_t allocated = 0;
        char *end;
        int r;

        r = entry_field(j, field, &buf, &allocated);
        if (r <= 0)
                return r ?: -ENODATA;
        errno = 0;
        *ret = strtoull(buf, &end, 10);
        return errno || end == buf || *end ? -EINVAL : 0;
}

/* journald puts the type's name in front of the record's text: "AVC avc:  denied ...". The text
 * itself starts in lower case ("avc:", "pid=", "op="). */
static const char *skip_type_name(const char *m) {
        const char *s = m;

        while (isupper((unsigned char) *s) || isdigit((unsigned char) *s) || *s == '_')
                s++;
        return s > m && *s == ' ' ? s + 1 : m;
}

static int add_match(sd_journal *j, const char *field, const char *value) {
        _cleanup_free_ char *m = strjoin(field, "=", value);

        if (!m)
                return -ENOMEM;
        return sym_sd_journal_add_match(j, m, 0);
}

/* Matches on different fields are ANDed, on one field ORed: audit transport AND (AVC OR USER_AVC OR
 * SELINUX_ERR) AND the boot. */
static int add_denial_matches(sd_journal *j, const char *boot_id) {
        static const char *const types[] = { "1400", "1107", "1401" }; /* AVC, USER_AVC, SELINUX_ERR */
        int r;

        r = add_match(j, "_TRANSPORT", "audit");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(types); i++)
                r = add_match(j, "_AUDIT_TYPE", types[i]);
        if (r >= 0 && boot_id)
                r = add_match(j, "_BOOT_ID", boot_id);
        return r;
}

typedef struct Buffers {
        char *message, *type, *boot, *machine, *host;
        size_t message_size, type_size, boot_size, machine_size, host_size;
} Buffers;

static void buffers_done(Buffers *b) {
        free(b->message);
        free(b->type);
        free(b->boot);
        free(b->machine);
        free(b->host);
}

/* Remembers where the first occurrence of a new group came from, to find its PATH records later. */
static int group_origin(sd_journal *j, DenialGroup *g, Buffers *b) {
        int r = entry_field(j, "_BOOT_ID", &b->boot, &b->boot_size);

        if (r <= 0)
                return r;
        if (entry_number(j, "_AUDIT_ID", &g->serial) < 0)
                g->serial = 0;
        g->boot_id = strdup(b->boot);
        return g->boot_id ? 0 : -ENOMEM;
}

/* Which machine and host the entry came from: journal-remote keeps each sender's fields. */
static int seen_on(sd_journal *j, DenialSet *set, DenialGroup *g, Buffers *b) {
        int m = entry_field(j, "_MACHINE_ID", &b->machine, &b->machine_size);
        int h = entry_field(j, "_HOSTNAME", &b->host, &b->host_size);

        if (m == -ENOMEM || h == -ENOMEM)
                return -ENOMEM;
        /* An entry without _MACHINE_ID (not journald's: an export by hand) is known by its host. */
        return denial_set_seen_on(set, g, m > 0 ? b->machine : h > 0 ? b->host : NULL, h > 0 ? b->host : NULL);
}

/* Reads the current entry. Returns 0, or -ENOMEM; entries that are not denials are passed over. */
static int read_entry(sd_journal *j, usec_t since, DenialSet *set, Buffers *b) {
        DenialGroup *g;
        AvcRecord rec;
        uint64_t t;
        int r;

        if (sym_sd_journal_get_realtime_usec(j, &t) < 0 || t < since)
                return 0;
        if (entry_field(j, "_AUDIT_TYPE", &b->type, &b->type_size) <= 0 ||
            entry_field(j, "MESSAGE", &b->message, &b->message_size) <= 0)
                return 0;
        r = avc_record_parse(avc_kind_from_audit_type(atoi(b->type)), skip_type_name(b->message), &rec);
        if (r == -EINVAL)
                log_debug("Unreadable SELinux record, ignoring: %s", b->message);
        if (r <= 0)
                return r == -ENOMEM ? r : 0;
        r = denial_set_add(set, &rec, t, &g);
        avc_record_done(&rec);
        if (r < 0)
                return r;
        if (r > 0 && (r = group_origin(j, g, b)) < 0)
                return r;
        return seen_on(j, set, g, b);
}

/* Collects the PATH and CWD records of the event a group's first occurrence belongs to. */
static int read_event_paths(sd_journal *j, const DenialGroup *g, AuditEventPaths *e, Buffers *b) {
        char serial[32];
        int r;

        snprintf(serial, sizeof serial, "%" PRIu64, g->serial);
        sym_sd_journal_flush_matches(j);
        r = add_match(j, "_TRANSPORT", "audit");
        if (r >= 0)
                r = add_match(j, "_AUDIT_TYPE", "1302"); /* PATH */
        if (r >= 0)
                r = add_match(j, "_AUDIT_TYPE", "1307"); /* CWD */
        if (r >= 0)
                r = add_match(j, "_BOOT_ID", g->boot_id);
        if (r >= 0)
                r = add_match(j, "_AUDIT_ID", serial);
        if (r >= 0)
                r = sym_sd_journal_seek_head(j);
        while (r >= 0 && (r = sym_sd_journal_next(j)) > 0) {
                if (entry_field(j, "_AUDIT_TYPE", &b->type, &b->type_size) <= 0 ||
                    entry_field(j, "MESSAGE", &b->message, &b->message_size) <= 0)
                        continue;
                r = audit_event_paths_add(e, atoi(b->type), skip_type_name(b->message));
        }
        return r;
}

/* Completes the path of groups whose first occurrence named only the last component of its target.
 * Only the first occurrence of each group is looked up: a handful of indexed lookups, not one per
 * record. Returns 0 or -ENOMEM; other failures only leave the name. */
static int resolve_paths(sd_journal *j, DenialSet *set, Buffers *b) {
        for (size_t i = 0; i < set->n; i++) {
                DenialGroup *g = set->groups[i];
                _cleanup_(audit_event_paths_done) AuditEventPaths e = {};
                int r;

                if (g->first.path || !g->first.name || g->serial == 0 || !g->boot_id)
                        continue;
                r = read_event_paths(j, g, &e, b);
                if (r >= 0)
                        r = avc_record_resolve_path(&g->first, &e);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        log_debug_errno(r, "Failed to find the path of audit event %" PRIu64 ", ignoring: %m",
                                        g->serial);
        }
        return 0;
}

/* Matches the entries of one transport (and boot, unless NULL) only, and seeks to the window's start. */
static int seek_transport(sd_journal *j, const char *transport, const char *boot_id, usec_t since) {
        int r;

        sym_sd_journal_flush_matches(j);
        r = add_match(j, "_TRANSPORT", transport);
        if (r >= 0 && boot_id)
                r = add_match(j, "_BOOT_ID", boot_id);
        if (r >= 0)
                r = since > 0 ? sym_sd_journal_seek_realtime_usec(j, since) : sym_sd_journal_seek_head(j);
        return r;
}

/* Whether the window holds any audit record at all. journald reads the kernel's audit records only
 * when systemd-journald-audit.socket is enabled, and not those auditd consumes, so "no denials" may
 * mean "no audit records". Returns 1, 0, or a negative errno. */
static int has_audit_records(sd_journal *j, const char *boot_id, usec_t since) {
        uint64_t t;
        int r;

        r = seek_transport(j, "audit", boot_id, since);
        while (r >= 0 && (r = sym_sd_journal_next(j)) > 0)
                if (sym_sd_journal_get_realtime_usec(j, &t) >= 0 && t >= since)
                        return 1;
        return r;
}

static int journal_open(const char *directory, sd_journal **ret) {
        uint64_t usage = 0;
        int r;

        if (directory)
                r = sym_sd_journal_open_directory(ret, directory, 0);
        else
                r = sym_sd_journal_open(ret, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
        if (r < 0)
                return log_error_errno(r, "Failed to open the journal%s%s: %m", directory ? " in " : "",
                                       directory ?: "");
        /* An empty result must mean "no denials", never "nothing could be read". */
        if (sym_sd_journal_get_usage(*ret, &usage) >= 0 && usage == 0) {
                if (directory)
                        log_error("No journal files in %s.", directory);
                else
                        log_error("No journal files could be read%s.",
                                  geteuid() != 0 ? " (root, or the systemd-journal group, can read the system journal)"
                                                 : "");
                return -ENOENT;
        }
        return 0;
}

/* The record in a printk copy: "audit: type=1400 audit(1700000150.000:230): avc:  denied ...".
 * Returns the text after the header, with its record type in *ret_type, or NULL when it is not one. */
static const char *printk_record(const char *m, int *ret_type) {
        const char *s = startswith(m, "audit: type="), *e;
        char *end;
        long t;

        if (!s || !isdigit((unsigned char) *s))
                return NULL;
        errno = 0;
        t = strtol(s, &end, 10);
        if (errno || t <= 0 || t > 65535)
                return NULL;
        s = startswith(end, " audit(");
        if (!s)
                return NULL;
        e = strstr(s, "): ");
        if (!e)
                return NULL;
        *ret_type = (int) t;
        return e + 3;
}

/* The boots in the window of which the journal holds no audit record (_TRANSPORT=audit): neither
 * auditd nor journald's audit socket received them, and the printk copies are all there is. Only
 * 'boot_id' when given, else every boot the journal's index of _BOOT_ID names: a lookup in the
 * indexes per boot, never a read of every kernel message. */
static int boots_without_audit(sd_journal *j, const char *boot_id, usec_t since, char ***ret) {
        _cleanup_strv_free_ char **boots = NULL, **without = NULL;
        const size_t prefix = strlen("_BOOT_ID=");
        const void *data;
        size_t len;
        int r;

        if (boot_id)
                r = strv_extend(&boots, boot_id);
        else {
                r = sym_sd_journal_query_unique(j, "_BOOT_ID");
                while (r >= 0 && (r = sym_sd_journal_enumerate_unique(j, &data, &len)) > 0) {
                        if (len <= prefix || memcmp(data, "_BOOT_ID=", prefix) != 0)
                                continue;
                        char *v = strndup((const char *) data + prefix, len - prefix);
                        r = v ? strv_consume(&boots, v) : -ENOMEM;
                }
        }
        if (r < 0)
                return r;
        STRV_FOREACH (b, boots) {
                r = has_audit_records(j, *b, since);
                if (r < 0)
                        return r;
                if (r == 0 && strv_extend(&without, *b) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(without);
        return 0;
}

/* Reads one kernel message: a printk copy of a denial, or the kernel saying how many copies its rate
 * limit dropped. Returns 0, or a negative errno. */
static int read_printk_entry(sd_journal *j, usec_t since, DenialSet *set, Buffers *b) {
        const char *text, *s;
        DenialGroup *g;
        AvcRecord rec;
        uint64_t t;
        unsigned n;
        int type, r;

        if (sym_sd_journal_get_realtime_usec(j, &t) < 0 || t < since ||
            entry_field(j, "MESSAGE", &b->message, &b->message_size) <= 0)
                return 0;
        s = startswith(b->message, "kauditd_printk_skb: ");
        if (s) {
                if (sscanf(s, "%u callbacks suppressed", &n) == 1)
                        set->n_printk_suppressed += n;
                return 0;
        }
        text = printk_record(b->message, &type);
        if (!text)
                return 0;
        r = avc_record_parse(avc_kind_from_audit_type(type), text, &rec);
        if (r == -EINVAL)
                log_debug("Unreadable SELinux record in a kernel message, ignoring: %s", b->message);
        if (r <= 0)
                return r == -ENOMEM ? r : 0;
        r = denial_set_add(set, &rec, t, &g);
        avc_record_done(&rec);
        if (r < 0)
                return r;
        denial_set_count_printk(set, g);
        return seen_on(j, set, g, b);
}

/* The printk copies, of the boots of which the journal holds no audit record. */
static int read_printk(sd_journal *j, const char *boot_id, usec_t since, DenialSet *set, Buffers *b) {
        _cleanup_strv_free_ char **boots = NULL;
        int r;

        r = boots_without_audit(j, boot_id, since, &boots);
        if (r < 0 || !boots)
                return r;
        /* On one field ORed, so: the kernel's messages AND (boot OR boot ...). */
        sym_sd_journal_flush_matches(j);
        r = add_match(j, "_TRANSPORT", "kernel");
        STRV_FOREACH (i, boots)
                if (r >= 0)
                        r = add_match(j, "_BOOT_ID", *i);
        if (r >= 0)
                r = since > 0 ? sym_sd_journal_seek_realtime_usec(j, since) : sym_sd_journal_seek_head(j);
        while (r >= 0 && (r = sym_sd_journal_next(j)) > 0)
                r = read_printk_entry(j, since, set, b);
        return r;
}

int check_journal_read(const char *directory, const char *boot_id, usec_t since, DenialSet *set) {
        _cleanup_(sym_sd_journal_closep) sd_journal *j = NULL;
        _cleanup_(buffers_done) Buffers b = {};
        int r;

        assert(set);

        r = dlopen_libsystemd();
        if (r < 0)
                return r;
        r = journal_open(directory, &j);
        if (r < 0)
                return r;
        r = add_denial_matches(j, boot_id);
        if (r < 0)
                return log_error_errno(r, "Failed to set up journal matches: %m");
        r = since > 0 ? sym_sd_journal_seek_realtime_usec(j, since) : sym_sd_journal_seek_head(j);
        if (r < 0)
                return log_error_errno(r, "Failed to seek in the journal: %m");
        while ((r = sym_sd_journal_next(j)) > 0) {
                r = read_entry(j, since, set, &b);
                if (r < 0)
                        return log_oom();
        }
        if (r < 0)
                return log_error_errno(r, "Failed to read the journal: %m");
        r = read_printk(j, boot_id, since, set, &b);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel's messages in the journal: %m");
        if (set->n_records == 0 && has_audit_records(j, boot_id, since) == 0)
                log_warning("The journal has no audit records at all in the window read: journald does not read them "
                            "(systemd-journald-audit.socket is off), or auditd takes them (read them with "
                            "--audit-log=/var/log/audit/audit.log).");
        return resolve_paths(j, set, &b) < 0 ? log_oom() : 0;
}
