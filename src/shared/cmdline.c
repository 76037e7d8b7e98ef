/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Kernel command line: word splitting, rd. handling and the seprov.* words (seprov(8), INPUTS). */

#include <ctype.h>
#include <fcntl.h>

#include "cmdline.h"
#include "strutil.h"

const char *const cmdline_source_proc = "/proc/cmdline";
const char *const cmdline_source_env = "$SYSTEMD_PROC_CMDLINE";

#define WHITESPACE " \t\n\r"

int cmdline_read(char **ret, const char **ret_source) {
        _cleanup_close_ int fd = -EBADF;
        const char *e = secure_getenv("SYSTEMD_PROC_CMDLINE");
        char buf[4096 * 4]; /* COMMAND_LINE_SIZE is at most 4096 on x86, 2048 elsewhere */
        ssize_t n;

        assert(ret);

        if (e) {
                *ret = strdup(e);
                if (ret_source)
                        *ret_source = cmdline_source_env;
                return *ret ? 0 : -ENOMEM;
        }

        fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        n = read(fd, buf, sizeof buf - 1);
        if (n < 0)
                return negative_errno();
        buf[n] = '\0';
        *ret = strdup(buf);
        if (ret_source)
                *ret_source = cmdline_source_proc;
        return *ret ? 0 : -ENOMEM;
}

static int word_emit(char ***words, unsigned **cols, size_t *n, char **word, size_t *len, unsigned col) {
        unsigned *c = reallocarray(*cols, *n + 1, sizeof(unsigned));
        int r;

        if (!c)
                return -ENOMEM;
        *cols = c;
        c[*n] = col;
        r = strv_consume(words, TAKE_PTR(*word));
        if (r < 0)
                return r;
        (*n)++;
        *len = 0;
        return 0;
}

static int word_append(char **word, size_t *len, char ch) {
        char *w = realloc(*word, *len + 2);
        if (!w)
                return -ENOMEM;
        w[(*len)++] = ch;
        w[*len] = '\0';
        *word = w;
        return 0;
}

int cmdline_split(const char *line, char ***ret_words, unsigned **ret_columns) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ unsigned *cols = NULL;
        _cleanup_free_ char *word = NULL;
        size_t n = 0, len = 0;
        unsigned start = 0;
        bool in_word = false;
        char quote = 0;
        int r;

        assert(line);
        assert(ret_words);

        for (size_t i = 0; line[i]; i++) {
                char ch = line[i];

                if (!quote && strchr(WHITESPACE, ch)) {
                        if (in_word) {
                                r = word_emit(&words, &cols, &n, &word, &len, start);
                                if (r < 0)
                                        return r;
                        }
                        in_word = false;
                        continue;
                }
                if (!in_word) {
                        in_word = true;
                        start = (unsigned) i + 1;
                        word = strdup("");
                        if (!word)
                                return -ENOMEM;
                }
                if (quote && ch == quote)
                        quote = 0;
                else if (!quote && (ch == '"' || ch == '\''))
                        quote = ch;
                else if ((r = word_append(&word, &len, ch)) < 0)
                        return r;
        }
        /* An unterminated quote simply ends with the line (EXTRACT_RELAX). */
        if (in_word) {
                r = word_emit(&words, &cols, &n, &word, &len, start);
                if (r < 0)
                        return r;
        }
        if (!words) {
                words = calloc(1, sizeof(char *));
                if (!words)
                        return -ENOMEM;
        }

        *ret_words = TAKE_PTR(words);
        if (ret_columns)
                *ret_columns = TAKE_PTR(cols);
        return (int) n;
}

static bool relaxed_char_equal(char a, char b) {
        return a == b || (a == '-' && b == '_') || (a == '_' && b == '-');
}

bool cmdline_key_equal(const char *a, const char *b) {
        assert(a);
        assert(b);

        for (; *a || *b; a++, b++)
                if (!relaxed_char_equal(*a, *b))
                        return false;
        return true;
}

void kernel_args_init(KernelArgs *a) {
        assert(a);

        *a = (KernelArgs){
                .seprov = 1,
                .mode = _SELINUX_MODE_INVALID,
                .store = _STORE_INVALID,
                .audit = -1,
                .dontaudit = -1,
                .selinux = -1,
                .enforcing = -1,
        };
}

void kernel_args_done(KernelArgs *a) {
        assert(a);

        free(a->config);
        free(a->ignition_platform);
        kernel_args_init(a);
}

/* Context of one word, for diagnostics. */
typedef struct Word {
        const char *key;   /* without "rd." */
        const char *typed; /* the key as typed, for messages: with its "rd." */
        const char *value; /* NULL when the word has no '=' */
        const char *source;
        unsigned column;
        Diags *diags;
} Word;

static int word_error_values(const Word *w, const char *what, const char *const *names) {
        _cleanup_free_ char *allowed = strv_join_or(names);

        if (!allowed)
                return -ENOMEM;
        if (!w->value)
                return diag_error(w->diags, w->source, 1, w->column, "%s needs a value: %s", w->typed, allowed);
        if (string_nearest(w->value, names))
                return diag_error(w->diags, w->source, 1, w->column,
                                  "%s=%s: unknown %s, did you mean \"%s\"? (use %s)", w->typed, w->value, what,
                                  string_nearest(w->value, names), allowed);
        return diag_error(w->diags, w->source, 1, w->column, "%s=%s: unknown %s, use %s", w->typed, w->value, what,
                          allowed);
}

/* A bare word ("seprov.audit") is true, as systemd reads its boolean switches. */
static int parse_bool_word(const Word *w, int *ret, CmdlinePos *ret_pos) {
        static const char *const names[] = { "1", "0", NULL };
        int b = w->value ? parse_boolean(w->value) : 1;

        if (b < 0)
                return word_error_values(w, "boolean", names);
        *ret = b;
        *ret_pos = w->column;
        return 0;
}

static int parse_enum_word(const Word *w, const char *what, const char *const *names, int (*from_string)(const char *),
                           int *ret, CmdlinePos *ret_pos) {
        int v = w->value ? from_string(w->value) : -EINVAL;

        if (v < 0)
                return word_error_values(w, what, names);
        *ret = v;
        *ret_pos = w->column;
        return 0;
}

static int parse_config_word(KernelArgs *a, const Word *w) {
        if (isempty(w->value) || w->value[0] != '/')
                return diag_error(w->diags, w->source, 1, w->column, "%s= needs an absolute path inside the root",
                                  w->typed);
        free(a->config);
        a->config = strdup(w->value);
        a->config_pos = w->column;
        return a->config ? 0 : -ENOMEM;
}

static int parse_seprov_word(KernelArgs *a, const Word *w) {
        static const char *const options[] = { "seprov.mode",      "seprov.store",  "seprov.audit",
                                               "seprov.dontaudit", "seprov.config", NULL };
        const char *nearest;

        if (cmdline_key_equal(w->key, "seprov"))
                return parse_bool_word(w, &a->seprov, &a->seprov_pos);
        if (cmdline_key_equal(w->key, "seprov.mode"))
                return parse_enum_word(w, "mode", selinux_mode_names, selinux_mode_from_string, (int *) &a->mode,
                                       &a->mode_pos);
        if (cmdline_key_equal(w->key, "seprov.store"))
                return parse_enum_word(w, "store", store_mode_names, store_mode_from_string, (int *) &a->store,
                                       &a->store_pos);
        if (cmdline_key_equal(w->key, "seprov.audit"))
                return parse_bool_word(w, &a->audit, &a->audit_pos);
        if (cmdline_key_equal(w->key, "seprov.dontaudit"))
                return parse_bool_word(w, &a->dontaudit, &a->dontaudit_pos);
        if (cmdline_key_equal(w->key, "seprov.config"))
                return parse_config_word(a, w);

        nearest = string_nearest(w->key, options);
        if (nearest)
                return diag_error(w->diags, w->source, 1, w->column, "%s: unknown seprov option, did you mean %s%s?",
                                  w->typed, w->typed != w->key ? "rd." : "", nearest);
        return diag_error(w->diags, w->source, 1, w->column, "%s: unknown seprov option", w->typed);
}

/* The kernel's own words are parsed as the kernel does (kstrtoul(), base 0: an optional '+', then
 * digits with a 0x or 0 prefix for hex or octal; no blanks, no '-'); anything else is ignored by the
 * kernel, so it is ignored here too. strtoul() alone would take " 1" and "-0". */
static void parse_kernel_number(const char *value, int *ret) {
        char *end;
        unsigned long v;

        if (!value)
                return;
        if (value[0] == '+')
                value++;
        if (!isdigit((unsigned char) value[0]))
                return;
        errno = 0;
        v = strtoul(value, &end, 0);
        if (errno == 0 && *end == '\0')
                *ret = v != 0;
}

/* A word that looks meant for seprov but is not one of its words ("seprov_mode", "Seprov.mode",
 * "sepov.mode", "selinux.mode"): the kernel and systemd ignore what they do not know, so a typo would
 * go unnoticed. A warning with the word it probably means; words of other programs say nothing. */
static int warn_near_seprov(const Word *w) {
        static const char *const options[] = { "mode", "store", "audit", "dontaudit", "config", NULL };
        size_t n = strcspn(w->key, "._-");
        _cleanup_free_ char *prefix = strndup(w->key, n);
        const char *rest = w->key[n] ? w->key + n + 1 : NULL, *option;
        bool near;

        if (!prefix)
                return -ENOMEM;
        option = rest ? string_nearest(rest, options) : NULL;
        /* Near "seprov": a difference of case, or one edit ("sepov"); or seprov's own option, exactly,
         * after "selinux.". A bare word only by case ("Seprov=0"). */
        near = strcasecmp(prefix, "seprov") == 0 || (n >= 5 && string_distance(prefix, "seprov") <= 1) ||
               (rest && strcasecmp(prefix, "selinux") == 0 && option && strcasecmp(rest, option) == 0);
        if (!near || (rest ? !option : strcasecmp(prefix, "seprov") != 0))
                return 0;
        return diag_warning(w->diags, w->source, 1, w->column,
                            "%s: not a seprov word, ignoring; did you mean %sseprov%s%s?", w->typed,
                            w->typed != w->key ? "rd." : "", option ? "." : "", strempty(option));
}

/* "seprov" and "seprov.*"; the prefix has no '-' or '_', so a plain comparison is enough. */
static bool is_seprov_key(const char *key) {
        const char *rest = startswith(key, "seprov");
        return rest && (*rest == '\0' || *rest == '.');
}

int kernel_args_parse(KernelArgs *a, const char *line, const char *source, bool initrd, Diags *diags) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ unsigned *cols = NULL;
        int n, r;

        assert(a);
        assert(line);
        assert(source);
        assert(diags);

        n = cmdline_split(line, &words, &cols);
        if (n < 0)
                return n;

        for (int i = 0; i < n; i++) {
                char *word = words[i], *eq;
                const char *key = word, *unprefixed = startswith(word, "rd.");
                Word w;

                eq = strchr(word, '=');
                if (eq)
                        *eq = '\0';

                /* The kernel's words: literal, never with "rd.". */
                if (streq(word, "selinux"))
                        parse_kernel_number(eq ? eq + 1 : NULL, &a->selinux);
                else if (streq(word, "enforcing"))
                        parse_kernel_number(eq ? eq + 1 : NULL, &a->enforcing);
                else if (streq(word, "autorelabel"))
                        a->autorelabel = !eq || parse_boolean(eq + 1) != 0;
                else if (streq(word, "ignition.config.url"))
                        a->ignition_config_url = eq && eq[1];
                else if (streq(word, "ignition.platform.id") && eq) {
                        free(a->ignition_platform);
                        a->ignition_platform = strdup(eq + 1);
                        if (!a->ignition_platform)
                                return -ENOMEM;
                }

                if (unprefixed) {
                        if (!initrd)
                                continue;
                        key = unprefixed;
                }
                w = (Word){
                        .key = key,
                        .typed = word,
                        .value = eq ? eq + 1 : NULL,
                        .source = source,
                        .column = cols[i],
                        .diags = diags,
                };
                r = is_seprov_key(key) ? parse_seprov_word(a, &w) : warn_near_seprov(&w);
                if (r < 0)
                        return r;
        }
        return 0;
}
