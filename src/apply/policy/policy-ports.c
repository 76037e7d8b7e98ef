/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Port labels the store adds to the policy (semanage port -a): read from libsemanage's ports.local, so
 * that an apply that changes nothing never opens libsemanage, and changed through libsemanage. */

#include "dlopen-libs.h"
#include "fileio.h"
#include "policy-internal.h"
#include "policy.h"
#include "strutil.h"

#define PORTS_LOCAL_MAX (4 * 1024 * 1024)

void policy_ports_done(PolicyPorts *p) {
        assert(p);

        for (size_t i = 0; i < p->n; i++) {
                free(p->items[i].protocol);
                free(p->items[i].context);
        }
        free(p->items);
        *p = (PolicyPorts){};
}

/* "portcon PROTO LOW CONTEXT" or "portcon PROTO LOW - HIGH CONTEXT", as libsemanage writes them;
 * comments and anything else are skipped (libsemanage would refuse the store before seprov). */
static int ports_line(char *line, void *userdata) {
        PolicyPorts *p = userdata;
        char proto[8], context[1024];
        unsigned low, high;
        PolicyPort *n;

        if (sscanf(line, "portcon %7s %u - %u %1023s", proto, &low, &high, context) == 4)
                ;
        else if (sscanf(line, "portcon %7s %u %1023s", proto, &low, context) == 3)
                high = low;
        else
                return 0;
        n = reallocarray(p->items, p->n + 1, sizeof(PolicyPort));
        if (!n)
                return -ENOMEM;
        p->items = n;
        n[p->n] = (PolicyPort){ .protocol = strdup(proto), .low = low, .high = high, .context = strdup(context) };
        if (!n[p->n].protocol || !n[p->n].context) {
                free(n[p->n].protocol);
                free(n[p->n].context);
                return -ENOMEM;
        }
        p->n++;
        return 0;
}

int policy_ports_local_read(int store_fd, PolicyPorts *ret) {
        _cleanup_(policy_ports_done) PolicyPorts p = {};
        int r;

        assert(ret);

        r = read_lines_at(store_fd, POLICY_PORTS_LOCAL, PORTS_LOCAL_MAX, ports_line, &p);
        if (r < 0 && r != -ENOENT)
                return r;
        *ret = p;
        p = (PolicyPorts){};
        return 0;
}

const PolicyPort *policy_ports_find(const PolicyPorts *p, const char *protocol, unsigned low, unsigned high) {
        assert(p);
        assert(protocol);

        for (size_t i = 0; i < p->n; i++)
                if (streq(p->items[i].protocol, protocol) && p->items[i].low == low && p->items[i].high == high)
                        return &p->items[i];
        return NULL;
}

bool policy_port_matches(const PolicyPort *p, const char *type, const char *range) {
        _cleanup_free_ char *want = NULL;

        assert(p);
        assert(type);

        want = strjoin("system_u:object_r:", type);
        if (!want)
                return false;
        if (!startswith(p->context, want))
                return false;
        /* Without a range, semanage port -a labels the port s0 in an MLS policy (libsemanage writes
         * none in another). */
        if (!range)
                return streq(p->context + strlen(want), "") || streq(p->context + strlen(want), ":s0");
        return p->context[strlen(want)] == ':' && streq(p->context + strlen(want) + 1, range);
}

static int port_protocol(const char *protocol) {
        return streq(protocol, "tcp")    ? SEMANAGE_PROTO_TCP
               : streq(protocol, "udp")  ? SEMANAGE_PROTO_UDP
               : streq(protocol, "sctp") ? SEMANAGE_PROTO_SCTP
               : streq(protocol, "dccp") ? SEMANAGE_PROTO_DCCP
                                         : -EINVAL;
}

/* A port's record as semanage port -a makes it: system_u:object_r:TYPE, and in an MLS policy the
 * range given or s0 (semanage ignores a range in another). */
static int port_record(semanage_handle_t *sh, int proto, unsigned low, unsigned high, const char *type,
                       const char *range, semanage_port_t **ret) {
        semanage_context_t *con = NULL;
        semanage_port_t *p = NULL;
        int r = -ENOMEM;

        if (sym_semanage_mls_enabled(sh) > 0)
                range = range ?: "s0";
        else
                range = NULL;

        if (sym_semanage_port_create(sh, &p) >= 0 && sym_semanage_context_create(sh, &con) >= 0 &&
            sym_semanage_context_set_user(sh, con, "system_u") >= 0 &&
            sym_semanage_context_set_role(sh, con, "object_r") >= 0 &&
            sym_semanage_context_set_type(sh, con, type) >= 0 &&
            (!range || sym_semanage_context_set_mls(sh, con, range) >= 0)) {
                sym_semanage_port_set_proto(p, proto);
                sym_semanage_port_set_range(p, (int) low, (int) high);
                r = sym_semanage_port_set_con(sh, p, con) < 0 ? -EIO : 0;
        }
        sym_semanage_context_free(con);
        if (r < 0) {
                sym_semanage_port_free(p);
                return r;
        }
        *ret = p;
        return 0;
}

int policy_ports_set(semanage_handle_t *sh, const char *protocol, unsigned low, unsigned high, const char *type,
                     const char *range) {
        semanage_port_key_t *key = NULL;
        semanage_port_t *p = NULL;
        int proto = port_protocol(protocol), r;

        assert(sh);
        assert(type);

        if (proto < 0)
                return proto;
        if (sym_semanage_port_key_create(sh, (int) low, (int) high, proto, &key) < 0)
                return -ENOMEM;
        r = port_record(sh, proto, low, high, type, range, &p);
        /* semanage port -a and -m both end in modify_local: it adds the record or replaces it. */
        if (r >= 0)
                r = sym_semanage_port_modify_local(sh, key, p) < 0 ? -EIO : 0;
        sym_semanage_port_free(p);
        sym_semanage_port_key_free(key);
        return r;
}

int policy_ports_del(semanage_handle_t *sh, const char *protocol, unsigned low, unsigned high) {
        semanage_port_key_t *key = NULL;
        int proto = port_protocol(protocol), r;

        assert(sh);

        if (proto < 0)
                return proto;
        if (sym_semanage_port_key_create(sh, (int) low, (int) high, proto, &key) < 0)
                return -ENOMEM;
        r = sym_semanage_port_del_local(sh, key) < 0 ? -EIO : 0;
        sym_semanage_port_key_free(key);
        return r;
}
