/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Denials from auditd's log: "type=AVC msg=audit(1700000000.123:456): avc:  denied ...".
 *
 * One event is several records sharing msg=audit(TIME:SERIAL): the AVC, then SYSCALL, CWD, PATH and
 * PROCTITLE. The AVC's own path= wins; when it names only the last component (name=), the event's PATH
 * record with the same inode (or that last component) gives the whole path. Events of several CPUs can
 * interleave, so the most recent events stay open until they are pushed out or the log ends. */

#include <ctype.h>
#include <limits.h>

#include "check-source.h"
#include "log.h"
#include "strutil.h"

#define OPEN_EVENTS_MAX 32

typedef struct Event {
        usec_t time;
        uint64_t serial;
        char *node; /* auditd's node= of a log of several machines; NULL when none */
        AvcRecord *records;
        size_t n_records;
        AuditEventPaths paths;
} Event;

typedef struct Reader {
        DenialSet *set;
        const char *origin; /* the machine of records without node=: the log itself */
        usec_t since;
        Event open[OPEN_EVENTS_MAX]; /* oldest first */
        size_t n_open;
        size_t records, skipped, bad;
        size_t line;     /* the line being read, from 1 */
        char *bad_lines; /* the first of them, for the message: "3, 7" */
} Reader;

#define BAD_LINES_SHOWN 5

typedef struct AuditLogLine {
        int type; /* the audit type number; 0 for types check has no use for */
        usec_t time;
        uint64_t serial;
        const char *node; /* node=NAME, not NUL-terminated, or NULL */
        size_t node_len;
        const char *body;
} AuditLogLine;

static int type_from_name(const char *name, size_t len) {
        static const struct {
                const char *name;
                int type;
        } types[] = {
                { "AVC", AUDIT_TYPE_AVC },
                { "USER_AVC", AUDIT_TYPE_USER_AVC },
                { "SELINUX_ERR", AUDIT_TYPE_SELINUX_ERR },
                { "PATH", AUDIT_TYPE_PATH },
                { "CWD", AUDIT_TYPE_CWD },
        };
        unsigned n;
        int k = 0;

        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (strlen(types[i].name) == len && memcmp(types[i].name, name, len) == 0)
                        return types[i].type;
        /* auditd writes types it has no name for as UNKNOWN[1400]. */
        if (len > 9 && strneq(name, "UNKNOWN[", 8) && sscanf(name + 8, "%5u]%n", &n, &k) == 1 && (size_t) k == len - 8)
                return (int) n;
        return 0;
}

static const char *parse_number(const char *s, uint64_t *ret) {
        uint64_t v = 0;

        if (!isdigit((unsigned char) *s))
                return NULL;
        for (; isdigit((unsigned char) *s); s++) {
                if (v > (UINT64_MAX - 9) / 10)
                        return NULL;
                v = v * 10 + (uint64_t) (*s - '0');
        }
        *ret = v;
        return s;
}

/* "[node=NAME ]type=NAME msg=audit(SECONDS.MILLIS:SERIAL): BODY". Returns 0 or -EINVAL. */
static int audit_log_line_parse(const char *line, AuditLogLine *ret) {
        const char *p = line, *name, *node = NULL;
        uint64_t sec, msec, serial;
        size_t len, node_len = 0;

        if (startswith(p, "node=")) { /* auditd's name_format */
                node = p + strlen("node=");
                node_len = strcspn(node, " ");
                p += strcspn(p, " ");
                p += strspn(p, " ");
        }
        name = startswith(p, "type=");
        if (!name)
                return -EINVAL;
        len = strcspn(name, " ");
        p = startswith(name + len, " msg=audit(");
        if (!p || !(p = parse_number(p, &sec)) || *p != '.' || !(p = parse_number(p + 1, &msec)) || *p != ':' ||
            !(p = parse_number(p + 1, &serial)) || !(p = startswith(p, "):")))
                return -EINVAL;
        if (sec > UINT64_MAX / USEC_PER_SEC - 1 || msec >= 1000)
                return -EINVAL;
        *ret = (AuditLogLine){
                .type = type_from_name(name, len),
                .time = sec * USEC_PER_SEC + msec * USEC_PER_MSEC,
                .serial = serial,
                .node = node_len > 0 ? node : NULL,
                .node_len = node_len,
                .body = p + strspn(p, " "),
        };
        return 0;
}

/* Two machines' records stay apart when both say their node; one that does not say is taken for the
 * event's own (a log whose lines carry node= only in part). */
static bool node_is(const Event *e, const AuditLogLine *l) {
        if (!e->node || !l->node)
                return true;
        return strlen(e->node) == l->node_len && memcmp(e->node, l->node, l->node_len) == 0;
}

/* Serials are each machine's own: an event is its time, serial and node. */
static Event *event_find(Reader *rd, const AuditLogLine *l) {
        for (size_t i = rd->n_open; i > 0; i--) /* newest first: records of one event come together */
                if (rd->open[i - 1].serial == l->serial && rd->open[i - 1].time == l->time &&
                    node_is(&rd->open[i - 1], l))
                        return &rd->open[i - 1];
        return NULL;
}

/* Counts the event's denials, then forgets it. Returns 0 or -ENOMEM. */
static int event_close(Reader *rd, Event *e) {
        int r = 0;

        for (size_t i = 0; i < e->n_records; i++) {
                DenialGroup *g;
                int k = avc_record_resolve_path(&e->records[i], &e->paths);
                if (k >= 0)
                        k = denial_set_add(rd->set, &e->records[i], e->time, &g);
                if (k > 0)
                        g->serial = e->serial;
                if (k >= 0)
                        k = denial_set_seen_on(rd->set, g, e->node ?: rd->origin, e->node);
                if (k < 0)
                        r = k;
                avc_record_done(&e->records[i]);
        }
        free(e->records);
        free(e->node);
        audit_event_paths_done(&e->paths);
        *e = (Event){};
        return r;
}

static int event_open(Reader *rd, const AuditLogLine *l, Event **ret) {
        char *node = NULL;

        if (rd->n_open == OPEN_EVENTS_MAX) {
                int r = event_close(rd, &rd->open[0]);
                memmove(&rd->open[0], &rd->open[1], sizeof(Event) * (OPEN_EVENTS_MAX - 1));
                rd->n_open--;
                if (r < 0)
                        return r;
        }
        if (l->node && !(node = strndup(l->node, l->node_len)))
                return -ENOMEM;
        rd->open[rd->n_open] = (Event){ .time = l->time, .serial = l->serial, .node = node };
        *ret = &rd->open[rd->n_open++];
        return 0;
}

static int add_denial(Reader *rd, const AuditLogLine *l) {
        _cleanup_(avc_record_done) AvcRecord rec = {};
        AvcRecord *rs;
        Event *e;
        int r;

        r = avc_record_parse(avc_kind_from_audit_type(l->type), l->body, &rec);
        if (r == -EINVAL) {
                rd->bad++;
                if (rd->bad <= BAD_LINES_SHOWN &&
                    strextend(&rd->bad_lines, "%s%zu", rd->bad == 1 ? "" : ", ", rd->line) < 0)
                        return -ENOMEM;
                if (rd->bad == BAD_LINES_SHOWN + 1 && strextend(&rd->bad_lines, ", ...") < 0)
                        return -ENOMEM;
        }
        if (r <= 0)
                return r == -ENOMEM ? r : 0;
        e = event_find(rd, l);
        if (!e && (r = event_open(rd, l, &e)) < 0)
                return r;
        rs = reallocarray(e->records, e->n_records + 1, sizeof(AvcRecord));
        if (!rs)
                return -ENOMEM;
        e->records = rs;
        e->records[e->n_records++] = rec;
        rec = (AvcRecord){};
        return 0;
}

/* Cuts off what auditd's ENRICHED format appends after a 0x1d: after the record's last quote, since
 * a USER_AVC's msg='...' may carry a 0x1d of the caller's, which must not cut its trusted end. */
static void cut_enriched(char *line) {
        char *q;

        line[strcspn(line, "\n")] = '\0';
        q = strrchr(line, '\'') ?: line;
        q[strcspn(q, "\x1d")] = '\0';
}

static int process_line(Reader *rd, char *line) {
        AuditLogLine l;
        Event *e;

        rd->line++;
        cut_enriched(line);
        if (isempty(line) || startswith(line, "----") || startswith(line, "time->")) /* ausearch's separators */
                return 0;
        if (audit_log_line_parse(line, &l) < 0) {
                rd->skipped++;
                return 0;
        }
        rd->records++;
        switch (l.type) {
        case AUDIT_TYPE_AVC:
        case AUDIT_TYPE_USER_AVC:
        case AUDIT_TYPE_SELINUX_ERR:
                return l.time >= rd->since ? add_denial(rd, &l) : 0;
        case AUDIT_TYPE_PATH:
        case AUDIT_TYPE_CWD:
                e = event_find(rd, &l);
                return e ? audit_event_paths_add(&e->paths, l.type, l.body) : 0;
        default:
                return 0;
        }
}

int check_auditlog_parse(FILE *f, const char *origin, usec_t since, DenialSet *set, size_t *ret_skipped,
                         size_t *ret_bad, char **ret_bad_lines) {
        Reader rd = { .set = set, .origin = origin, .since = since };
        _cleanup_free_ char *line = NULL;
        size_t allocated = 0;
        int r = 0;

        assert(f);
        assert(set);

        for (;;) {
                errno = 0;
                if (getline(&line, &allocated, f) < 0) {
                        /* What the read failed with (a directory: EISDIR), not a stand-in. */
                        if (ferror(f))
                                r = errno > 0 ? -errno : -EIO;
                        break;
                }
                r = process_line(&rd, line);
                if (r < 0)
                        break;
        }
        for (size_t i = 0; i < rd.n_open; i++) {
                int k = event_close(&rd, &rd.open[i]);
                if (r >= 0)
                        r = k;
        }
        if (ret_skipped)
                *ret_skipped = rd.skipped;
        if (ret_bad)
                *ret_bad = rd.bad;
        if (ret_bad_lines)
                *ret_bad_lines = TAKE_PTR(rd.bad_lines);
        free(rd.bad_lines);
        return r < 0 ? r : (int) MIN(rd.records - rd.bad, (size_t) INT_MAX);
}

int check_auditlog_read(const char *path, usec_t since, DenialSet *set) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *bad_lines = NULL;
        size_t skipped, bad;
        const char *shown;
        int r;

        assert(path);
        assert(set);

        shown = streq(path, "-") ? "standard input" : path;
        if (streq(path, "-"))
                r = check_auditlog_parse(stdin, "-", since, set, &skipped, &bad, &bad_lines);
        else {
                f = fopen(path, "re");
                if (!f)
                        return log_error_errno(errno, "Failed to open audit log %s: %m", path);
                r = check_auditlog_parse(f, path, since, set, &skipped, &bad, &bad_lines);
        }
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Failed to read audit log %s: %m", shown);
        /* Input of which nothing could be read is no all-clear: say so, and fail. Records of auditd's
         * format that are not whole (cut off, a field missing) are not a format problem. */
        if (r == 0 && bad > 0 && skipped == 0)
                return log_error_errno(EBADMSG,
                                       "%s: its %zu SELinux record%s could not be read (cut off, or a field such as "
                                       "tclass= missing; line %s): nothing was checked.",
                                       shown, bad, bad == 1 ? "" : "s", strna(bad_lines));
        if (r == 0 && skipped + bad > 0)
                return log_error_errno(EBADMSG,
                                       "%s: none of its %zu line%s is an audit record in auditd's raw format (as "
                                       "auditd writes it, or ausearch --raw prints it): nothing was checked.",
                                       shown, skipped + bad, skipped + bad == 1 ? "" : "s");
        if (skipped > 0)
                log_warning("%s: %zu line%s not in auditd's raw format (ausearch -i output?), ignoring.", shown,
                            skipped, skipped == 1 ? "" : "s");
        if (bad > 0)
                log_warning("%s: %zu SELinux record%s that could not be read (cut off, or a field missing; line "
                            "%s), ignoring.",
                            shown, bad, bad == 1 ? "" : "s", strna(bad_lines));
        return 0;
}
