/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The boot state files: /run/seprov/initrd and /var/lib/seprov/applied, as KEY=value lines. */

#include <ctype.h>
#include <inttypes.h>
#include <sys/stat.h>

#include "boot-fingerprint.h"
#include "boot-state.h"
#include "chase.h"
#include "fileio.h"
#include "string-table.h"
#include "strutil.h"

static const char *const work_names[] = { "store", "booleans-runtime", "reload" };

const char *boot_work_to_string(BootWork w) {
        for (size_t i = 0; i < ELEMENTSOF(work_names); i++)
                if (w == 1u << i)
                        return work_names[i];
        return NULL;
}

static const char *const boot_result_names[_BOOT_RESULT_MAX] = {
        [BOOT_RESULT_DONE] = "done",
        [BOOT_RESULT_REFUSED] = "refused",
        [BOOT_RESULT_FAILED] = "failed",
};

DEFINE_STRING_TABLE(boot_result, BootResult, boot_result_names, _BOOT_RESULT_MAX);

/* "store reload", in bit order; unknown bits are not written. Returns 0 or -ENOMEM. */
static int work_to_words(unsigned work, char **ret) {
        char *s = strdup("");

        for (size_t i = 0; s && i < ELEMENTSOF(work_names); i++)
                if (work & (1u << i) && strextend(&s, "%s%s", *s ? " " : "", work_names[i]) < 0)
                        s = mfree(s);
        *ret = s;
        return s ? 0 : -ENOMEM;
}

/* Words separated by blanks; a word this version does not know counts as BOOT_WORK_UNKNOWN. */
static unsigned work_from_words(const char *s) {
        unsigned work = 0;

        while (*(s += strspn(s, " \t"))) {
                size_t n = strcspn(s, " \t"), i;

                for (i = 0; i < ELEMENTSOF(work_names); i++)
                        if (strlen(work_names[i]) == n && strneq(s, work_names[i], n))
                                break;
                work |= i < ELEMENTSOF(work_names) ? 1u << i : BOOT_WORK_UNKNOWN;
                s += n;
        }
        return work;
}

char *boot_initrd_state_to_text(const BootInitrdState *s) {
        _cleanup_free_ char *left = NULL;

        assert(s);

        if (!boot_result_to_string(s->result) || work_to_words(s->left, &left) < 0)
                return NULL;
        return strprintf("# Written by 'seprov apply --stage=initrd' for seprov-generator in the real root.\n"
                         "RESULT=%s\n"
                         "LEFT=%s\n",
                         boot_result_to_string(s->result), left);
}

/* A path as one value: bytes that would end the line or be trimmed from it, and the backslash, as \xHH. */
static char *path_escape(const char *p) {
        char *s = strdup("");

        for (; s && *p; p++) {
                unsigned char c = (unsigned char) *p;
                bool plain = c > ' ' && c != '\\' && c != 0x7f;

                if (strextend(&s, plain ? "%c" : "\\x%02x", c) < 0)
                        s = mfree(s);
        }
        return s;
}

static int unhex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The reverse of path_escape(). Returns 0, -EBADMSG or -ENOMEM. */
static int path_unescape(const char *s, char **ret) {
        _cleanup_free_ char *p = malloc(strlen(s) + 1);
        size_t n = 0;

        if (!p)
                return -ENOMEM;
        for (; *s; s++) {
                if (*s != '\\') {
                        p[n++] = *s;
                        continue;
                }
                if (s[1] != 'x' || unhex(s[2]) < 0 || unhex(s[3]) < 0 || (unhex(s[2]) == 0 && unhex(s[3]) == 0))
                        return -EBADMSG;
                p[n++] = (char) (unhex(s[2]) * 16 + unhex(s[3]));
                s += 3;
        }
        p[n] = '\0';
        *ret = TAKE_PTR(p);
        return 0;
}

char *boot_applied_to_text(const BootApplied *a) {
        _cleanup_free_ char *every = NULL, *text = NULL;

        assert(a);

        if (work_to_words(a->every_boot, &every) < 0)
                return NULL;
        text = strprintf("# Written by 'seprov apply' after its last successful run, for seprov-generator.\n"
                         "FINGERPRINT=%016" PRIx64 "\n"
                         "EVERY_BOOT=%s\n",
                         a->fingerprint, every);
        STRV_FOREACH (s, a->sources) {
                _cleanup_free_ char *e = text ? path_escape(*s) : NULL;
                if (!e || strextend(&text, "SOURCE=%s\n", e) < 0)
                        return NULL;
        }
        return TAKE_PTR(text);
}

void boot_applied_done(BootApplied *a) {
        assert(a);

        a->sources = strv_free(a->sources);
}

typedef int (*kv_func_t)(const char *key, const char *value, void *userdata);

/* Calls 'f' for each KEY=value line; blank lines and '#' comments are skipped, and so are the blanks
 * around key and value. Returns 0, -EBADMSG for a line that is none of these, or what 'f' returns. */
static int kv_parse(const char *text, kv_func_t f, void *userdata) {
        _cleanup_free_ char *copy = strdup(text);
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *key = line + strspn(line, " \t"), *eq, *end;
                int r;

                if (*key == '\0' || *key == '#')
                        continue;
                eq = strchr(key, '=');
                if (!eq || eq == key)
                        return -EBADMSG;
                *eq = '\0';
                for (end = eq; end > key && isspace((unsigned char) end[-1]);)
                        *--end = '\0';
                if (end == key)
                        return -EBADMSG;
                end = eq + 1 + strlen(eq + 1);
                while (end > eq + 1 && isspace((unsigned char) end[-1]))
                        *--end = '\0';
                r = f(key, eq + 1 + strspn(eq + 1, " \t"), userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Keys this version does not know are skipped, so a newer writer can add some. */
static int initrd_kv(const char *key, const char *value, void *userdata) {
        BootInitrdState *s = userdata;

        if (streq(key, "RESULT")) {
                s->result = boot_result_from_string(value);
                return s->result >= 0 ? 0 : -EBADMSG;
        }
        if (streq(key, "LEFT"))
                s->left = work_from_words(value);
        return 0;
}

int boot_initrd_state_parse(const char *text, BootInitrdState *ret) {
        BootInitrdState s = { .result = _BOOT_RESULT_INVALID };
        int r;

        assert(text);
        assert(ret);

        r = kv_parse(text, initrd_kv, &s);
        if (r < 0)
                return r == -ENOMEM ? r : -EBADMSG;
        if (s.result < 0)
                return -EBADMSG;
        *ret = s;
        return 0;
}

typedef struct AppliedParse {
        BootApplied a;
        bool have_fingerprint;
} AppliedParse;

static int applied_kv(const char *key, const char *value, void *userdata) {
        AppliedParse *p = userdata;

        if (streq(key, "FINGERPRINT")) {
                char *end;

                if (strlen(value) != 16 || strspn(value, "0123456789abcdef") != 16)
                        return -EBADMSG;
                p->a.fingerprint = strtoull(value, &end, 16);
                p->have_fingerprint = true;
        } else if (streq(key, "EVERY_BOOT"))
                p->a.every_boot = work_from_words(value);
        else if (streq(key, "SOURCE")) {
                char *path;
                int r = path_unescape(value, &path);
                if (r < 0)
                        return r;
                return strv_consume(&p->a.sources, path);
        }
        return 0;
}

int boot_applied_parse(const char *text, BootApplied *ret) {
        AppliedParse p = {};
        int r;

        assert(text);
        assert(ret);

        r = kv_parse(text, applied_kv, &p);
        if (r >= 0 && !p.have_fingerprint)
                r = -EBADMSG;
        if (r < 0) {
                boot_applied_done(&p.a);
                return r == -ENOMEM ? r : -EBADMSG;
        }
        *ret = p.a;
        return 0;
}

/* Opens 'path' under 'base_fd' as a directory, creating its last component when missing. */
static int state_dir_open(int base_fd, const char *path) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL;
        int r, fd;

        r = chase(base_fd, path, CHASE_MISSING_OK, &dir_fd, &name, /* ret_path= */ NULL);
        if (r < 0)
                return r;
        if (r > 0 && mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        fd = openat(dir_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        return fd < 0 ? negative_errno() : fd;
}

static int state_write(int base_fd, const char *dir, const char *file, char *text, const char *label) {
        _cleanup_free_ char *t = text;
        _cleanup_close_ int dir_fd = -EBADF;
        WriteOptions o = { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label };

        if (!t)
                return -ENOMEM;
        dir_fd = state_dir_open(base_fd, dir);
        if (dir_fd < 0)
                return dir_fd;
        return write_file_atomic_at(dir_fd, file, t, strlen(t), &o);
}

static int state_read(int base_fd, const char *dir, const char *file, char **ret) {
        _cleanup_free_ char *path = path_join(dir, file);
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        if (!path)
                return -ENOMEM;
        fd = chase_open(base_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode) || st.st_size > BOOT_STATE_FILE_MAX)
                return -EBADMSG;
        r = read_full_fd(fd, BOOT_STATE_FILE_MAX, ret, /* ret_size= */ NULL);
        return r == -EFBIG ? -EBADMSG : r;
}

int boot_initrd_state_write(int run_fd, const BootInitrdState *s, const char *label) {
        assert(s);

        return state_write(run_fd, BOOT_STATE_INITRD_DIR, BOOT_STATE_INITRD_FILE, boot_initrd_state_to_text(s), label);
}

int boot_initrd_state_read(int run_fd, BootInitrdState *ret) {
        _cleanup_free_ char *text = NULL;
        int r;

        assert(ret);

        r = state_read(run_fd, BOOT_STATE_INITRD_DIR, BOOT_STATE_INITRD_FILE, &text);
        if (r < 0)
                return r;
        return boot_initrd_state_parse(text, ret);
}

int boot_applied_write(int root_fd, const BootApplied *a, const char *label) {
        assert(a);

        return state_write(root_fd, BOOT_STATE_APPLIED_DIR, BOOT_STATE_APPLIED_FILE, boot_applied_to_text(a), label);
}

int boot_applied_read(int root_fd, BootApplied *ret) {
        _cleanup_free_ char *text = NULL;
        int r;

        assert(ret);

        r = state_read(root_fd, BOOT_STATE_APPLIED_DIR, BOOT_STATE_APPLIED_FILE, &text);
        if (r < 0)
                return r;
        return boot_applied_parse(text, ret);
}

int boot_applied_record(int root_fd, int run_fd, const KernelArgs *args, unsigned every_boot, char *const *sources,
                        const char *label) {
        BootApplied a = { .every_boot = every_boot, .sources = (char **) sources };
        int r;

        assert(args);

        r = boot_fingerprint(root_fd, run_fd, args, sources, &a.fingerprint, /* ret_failed= */ NULL);
        if (r < 0)
                return r;
        return boot_applied_write(root_fd, &a, label);
}
