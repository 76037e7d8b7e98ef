/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seprov drop-ins an Ignition config writes with storage.files, checked before deployment as
 * apply will read them once Ignition wrote them into /etc/seprov/config.d. */

#include <ctype.h>

#include "config-load.h"
#include "config-paths.h"
#include "config.h"
#include "strutil.h"

/* One drop-in's text, and where each of its bytes is written in the Ignition config (plain data:
 * URLs only; NULL when its text is encoded). */
typedef struct DropInText {
        char *data;
        size_t size;
        size_t *offsets;
} DropInText;

static void dropin_text_done(DropInText *t) {
        free(t->data);
        free(t->offsets);
        *t = (DropInText){};
}

/* The file name of a drop-in apply reads: /etc/seprov/config.d/NAME.json|.yaml|.yml, not hidden. */
static const char *dropin_name(const char *path) {
        const char *name = startswith(path, CONFIG_DIR_ADMIN "/");

        if (!name || !*name || strchr(name, '/') || name[0] == '.')
                return NULL;
        return endswith(name, ".json") || endswith(name, ".yaml") || endswith(name, ".yml") ? name : NULL;
}

/* Byte offset of 1-based line:column (in characters) of 'text'. */
static size_t text_offset(const char *text, size_t len, unsigned line, unsigned column) {
        size_t i = 0;

        for (unsigned l = 1; l < line && i < len; i++)
                if (text[i] == '\n')
                        l++;
        for (unsigned c = 1; i < len && text[i] != '\n' && c < column; i++)
                if (((unsigned char) text[i + 1] & 0xC0) != 0x80)
                        c++;
        return i;
}

static int hex_value(char c) {
        return isdigit((unsigned char) c) ? c - '0' : isxdigit((unsigned char) c) ? tolower(c) - 'a' + 10 : -1;
}

static size_t utf8_length(unsigned cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* How many bytes of the decoded string the JSON escape at 'p' stands for, and how long it is. */
static size_t json_escape(const char *p, const char *end, size_t *ret_len) {
        unsigned cp = 0;

        if (p + 1 >= end || p[1] != 'u' || p + 6 > end) {
                *ret_len = 2;
                return 1;
        }
        for (int i = 2; i < 6; i++)
                cp = cp * 16 + (unsigned) MAX(hex_value(p[i]), 0);
        *ret_len = 6;
        if (cp >= 0xD800 && cp < 0xDC00 && p + 12 <= end && p[6] == '\\' && p[7] == 'u') {
                *ret_len = 12;
                return 4;
        }
        return utf8_length(cp);
}

/* Where each byte of the JSON string 'decoded' (json-c's decoding of the token at 'start') is
 * written in 'text'. Returns a new array, or NULL when out of memory or when the token does not
 * decode to exactly 'decoded' (then the positions are not mapped). */
static size_t *json_string_offsets(const char *text, size_t len, size_t start, const char *decoded) {
        size_t n = strlen(decoded), j = 0, pos = start + 1;
        _cleanup_free_ size_t *off = calloc(n + 1, sizeof(size_t));

        if (!off || start >= len || text[start] != '"')
                return NULL;
        while (j < n && pos < len && text[pos] != '"') {
                size_t k = 1, l = 1;

                if (text[pos] == '\\')
                        k = json_escape(text + pos, text + len, &l);
                for (size_t i = 0; i < k && j < n; i++)
                        off[j++] = pos;
                pos += l;
        }
        return j == n && pos < len && text[pos] == '"' ? TAKE_PTR(off) : NULL;
}

/* RFC 2397's data part, %XX-decoded (as Ignition's data URL reader does), with the offsets of the
 * bytes it came from when 'from' is given. Returns 0 or -ENOMEM. */
static int percent_decode(const char *s, const size_t *from, DropInText *ret) {
        size_t n = strlen(s), k = 0;

        ret->data = malloc(n + 1);
        ret->offsets = from ? calloc(n + 1, sizeof(size_t)) : NULL;
        if (!ret->data || (from && !ret->offsets))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++, k++) {
                if (s[i] == '%' && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
                        ret->data[k] = (char) (hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
                        if (from)
                                ret->offsets[k] = from[i];
                        i += 2;
                        continue;
                }
                ret->data[k] = s[i];
                if (from)
                        ret->offsets[k] = from[i];
        }
        ret->data[k] = '\0';
        ret->size = k;
        return 0;
}

static int base64_value(char c) {
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const char *p = c ? strchr(alphabet, c) : NULL;
        return p ? (int) (p - alphabet) : -1;
}

/* Standard base64 (none of seprov's libraries decodes it); line breaks are skipped, as Go's decoder
 * does. Returns 0, -EINVAL or -ENOMEM. */
static int base64_decode(DropInText *t) {
        _cleanup_free_ char *out = malloc(t->size / 4 * 3 + 4);
        unsigned bits = 0, n_bits = 0;
        size_t k = 0, i = 0;

        if (!out)
                return -ENOMEM;
        for (; i < t->size && t->data[i] != '='; i++) {
                int v = base64_value(t->data[i]);

                if (t->data[i] == '\n' || t->data[i] == '\r')
                        continue;
                if (v < 0)
                        return -EINVAL;
                bits = (bits << 6) | (unsigned) v;
                n_bits += 6;
                if (n_bits >= 8) {
                        n_bits -= 8;
                        out[k++] = (char) ((bits >> n_bits) & 0xFF);
                }
        }
        for (; i < t->size; i++)
                if (t->data[i] != '=' && t->data[i] != '\n' && t->data[i] != '\r')
                        return -EINVAL;
        out[k] = '\0';
        free(t->data);
        t->data = TAKE_PTR(out);
        t->size = k;
        t->offsets = mfree(t->offsets);
        return 0;
}

typedef struct Check {
        const char *text; /* the Ignition config */
        size_t len;
        const char *file;
        Diags *diags;
} Check;

/* A problem with an entry itself, at its "source" (or the entry). */
static int entry_problem(Check *c, const Node *at, DiagLevel level, const char *path, const char *what) {
        return diag_add(c->diags, level, c->file, at->line, at->column, "%s: %s", path, what);
}

/* The drop-in's text from its data: URL. Returns 1 (decoded), 0 (not checked: said why), or < 0. */
static int entry_decode(Check *c, const char *path, const Node *source, const Node *compression, DropInText *ret) {
        const char *url = source->string, *comma = strchr(url, ',');
        _cleanup_free_ size_t *from = NULL;
        bool base64;
        size_t skip;
        int r;

        if (!startswith(url, "data:"))
                return entry_problem(c, source, DIAG_WARNING, path,
                                     "its contents come from elsewhere than a data: URL; seprov validate cannot check "
                                     "them here");
        if (!comma)
                return entry_problem(c, source, DIAG_ERROR, path, "not a data: URL: no ',' before the data")
                               ?: -EINVAL;
        base64 = comma - url >= 12 && strncasecmp(comma - 7, ";base64", 7) == 0;
        /* Decompressing is Ignition's job on the machine; apply then reads the file it wrote. */
        if (compression && compression->type == NODE_STRING && !isempty(compression->string))
                return entry_problem(c, compression, DIAG_WARNING, path,
                                     "its contents are compressed; seprov validate cannot check them here");
        skip = (size_t) (comma + 1 - url);
        if (!base64) {
                from = json_string_offsets(c->text, c->len, text_offset(c->text, c->len, source->line, source->column),
                                           url);
                r = percent_decode(url + skip, from ? from + skip : NULL, ret);
        } else
                r = percent_decode(url + skip, NULL, ret);
        if (r >= 0 && base64 && base64_decode(ret) < 0)
                return entry_problem(c, source, DIAG_ERROR, path, "its data: URL is not valid base64") ?: -EINVAL;
        return r < 0 ? r : 1;
}

typedef struct Carried {
        Check *check;
        const DropInText *text;
        const Node *source;
} Carried;

/* The place in the Ignition config of line:column of the drop-in: exactly where its text is written
 * out plainly, else its "source". */
static void carried_position(unsigned line, unsigned column, unsigned *ret_line, unsigned *ret_column,
                             void *userdata) {
        const Carried *w = userdata;
        const DropInText *t = w->text;

        *ret_line = w->source->line;
        *ret_column = w->source->column;
        if (t->offsets && line > 0 && t->size > 0) {
                size_t at = MIN(text_offset(t->data, t->size, line, MAX(column, 1u)), t->size - 1);
                node_text_position(w->check->text, t->offsets[at], ret_line, ret_column);
        }
}

/* One diagnostic of the drop-in, moved to the Ignition config. */
static int diag_move(const Carried *w, const Diag *d) {
        unsigned line, column;

        carried_position(d->line, d->column, &line, &column, (void *) w);
        if (d->line == 0)
                return diag_add(w->check->diags, d->level, w->check->file, line, column, "%s: %s", d->file,
                                d->message);
        return diag_add(w->check->diags, d->level, w->check->file, line, column, "%s:%u:%u: %s", d->file, d->line,
                        d->column, d->message);
}

/* One storage.files entry, layered into 'into' (what is valid of it, when it is not: so that the
 * checks after the schema's see its entries too). Its values are placed in the Ignition config.
 * Returns 0, -EINVAL (an invalid drop-in) or -ENOMEM. */
static int entry_check(Check *c, const Node *entry, Config *into) {
        const Node *path = node_get(entry, "path"), *contents = node_get(entry, "contents");
        const Node *source = node_get(contents, "source"), *compression = node_get(contents, "compression");
        _cleanup_(dropin_text_done) DropInText t = {};
        _cleanup_(config_done) Config layer = {};
        Carried w = { .check = c, .text = &t, .source = source };
        Diags sub = {};
        int r, q = 0;

        if (!path || path->type != NODE_STRING || !dropin_name(path->string))
                return 0;
        if (!source || source->type != NODE_STRING || isempty(source->string))
                return 0; /* an empty file: a mask, which adds nothing */
        r = entry_decode(c, path->string, source, compression, &t);
        if (r <= 0 || t.size == 0)
                return r;
        if (t.size > CONFIG_FILE_MAX)
                return entry_problem(c, source, DIAG_ERROR, path->string, "cannot read: larger than 1 MiB") ?: -EINVAL;
        r = config_parse_text(t.data, t.size, path->string, config_parse_detect_format(path->string, t.data), &layer,
                              /* ret_format= */ NULL, &sub);
        for (size_t i = 0; q >= 0 && i < sub.n; i++)
                q = diag_move(&w, &sub.items[i]);
        diags_clear(&sub);
        if (q >= 0 && (r >= 0 || r == -EINVAL))
                q = config_origins_move(&layer, path->string, c->file, carried_position, &w);
        if (q >= 0 && (r >= 0 || r == -EINVAL))
                q = config_merge(into, &layer);
        return q < 0 ? q : r;
}

static int entry_cmp(const void *a, const void *b) {
        const Node *x = *(const Node *const *) a, *y = *(const Node *const *) b;
        const Node *px = node_get(x, "path"), *py = node_get(y, "path");

        return strcmp(px && px->type == NODE_STRING ? px->string : "",
                      py && py->type == NODE_STRING ? py->string : "");
}

int config_ignition_dropins_check(const char *text, size_t len, const char *file, Config *into, Diags *diags) {
        _cleanup_node_free_ Node *root = NULL;
        _cleanup_free_ Node **sorted = NULL;
        Check c = { .text = text, .len = len, .file = file, .diags = diags };
        const Node *files;
        Diags ignored = {};
        int r, worst = 0;

        assert(text);
        assert(file);
        assert(into);
        assert(diags);

        /* Read already, and its problems reported, by config_parse_text(). */
        r = parse_json_provisioning(text, len, file, "seprov", &root, &ignored);
        diags_clear(&ignored);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        files = node_get(node_get(root, "storage"), "files");
        if (!files || files->type != NODE_ARRAY || files->n_items == 0)
                return 0;
        /* apply reads config.d in the order of the names; the entries' order does not count. */
        sorted = calloc(files->n_items, sizeof(Node *));
        if (!sorted)
                return -ENOMEM;
        memcpy(sorted, files->items, files->n_items * sizeof(Node *));
        qsort(sorted, files->n_items, sizeof(Node *), entry_cmp);
        for (size_t i = 0; i < files->n_items; i++) {
                r = entry_check(&c, sorted[i], into);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        worst = r;
        }
        return worst;
}
