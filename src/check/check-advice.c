/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What check says about a group: its cause and fix in a line, the allow rule audit2allow would
 * suggest, and known pitfalls. */

#include "check-advice.h"
#include "check-cause.h"
#include "strutil.h"

int check_advice_suggestion(const DenialGroup *g, char **ret) {
        const AvcRecord *r;
        _cleanup_free_ char *perms = NULL;

        assert(g);
        assert(ret);

        r = &g->first;
        if ((g->cause != _CHECK_CAUSE_INVALID && g->cause != CHECK_CAUSE_RULE) || r->kind == AVC_KIND_SELINUX_ERR ||
            !r->stype || !r->ttype || !r->tclass || !r->perms) {
                *ret = NULL; /* an invalid context or a refused transition is not a missing rule */
                return 0;
        }
        STRV_FOREACH (p, r->perms) /* already sorted */
                if (strextend(&perms, "%s%s", perms ? " " : "", *p) < 0)
                        return -ENOMEM;
        *ret = strprintf("(allow %s %s (%s (%s)))", r->stype, streq(r->stype, r->ttype) ? "self" : r->ttype, r->tclass,
                         perms);
        return *ret ? 0 : -ENOMEM;
}

/* The confined container domains: container_t, and svirt_lxc_net_t as older policies (Flatcar's)
 * call it. spc_t, for privileged containers, is unconfined. */
static const char *const container_types[] = { "container_t", "svirt_lxc_net_t", "container_init_t", "svirt_sandbox_t",
                                               NULL };
static const char *const write_perms[] = { "write",  "append", "create", "add_name", "remove_name", "unlink",
                                           "rename", "rmdir",  "link",   "reparent", "setattr",     NULL };

typedef struct Pitfall {
        const char *const *stypes; /* NULL: any source */
        const char *const *ttypes;
        bool writes; /* only when a permission modifies the target */
        const char *hint;
} Pitfall;

static const Pitfall pitfalls[] = {
        { container_types, (const char *const[]){ "usr_t", NULL }, true,
          "Flatcar labels /opt, and so /opt/cni/bin, usr_t: a container writing there, like Flannel's "
          "install-cni-plugin init container copying its plugin into /opt/cni/bin, is denied once enforcing "
          "(flatcar/Flatcar#635). Prefer running such an installer as a privileged container (spc_t) to "
          "letting every container write usr_t." },
        { container_types, (const char *const[]){ "etc_t", NULL }, true,
          "/etc/cni/net.d is etc_t: a CNI installer copying its config there from a container is denied once "
          "enforcing (flatcar/Flatcar#476). Prefer a privileged installer (spc_t) to letting every container "
          "write etc_t." },
        { container_types, (const char *const[]){ "iptables_runtime_t", "iptables_var_run_t", NULL }, false,
          "iptables run inside a container (Flannel 0.17 and later take /run/xtables.lock) needs the policy's "
          "container-to-iptables rules (flatcar/Flatcar#779); a policy that has them, or a privileged "
          "container, is better than this rule." },
        { NULL, (const char *const[]){ "unlabeled_t", "file_t", NULL }, false,
          "The target has no valid label: files created while SELinux was disabled, or a filesystem mounted "
          "without labels. Relabel (restorecon -R, or touch /.autorelabel and reboot) instead of allowing "
          "this." },
};

static bool in_list(const char *s, const char *const *list) {
        for (; s && *list; list++)
                if (streq(s, *list))
                        return true;
        return false;
}

static bool has_write(char **perms) {
        STRV_FOREACH (p, perms)
                if (in_list(*p, write_perms))
                        return true;
        return false;
}

const char *check_advice_hint(const DenialGroup *g) {
        const AvcRecord *r;

        assert(g);

        r = &g->first;
        if (r->kind != AVC_KIND_AVC)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(pitfalls); i++) {
                const Pitfall *p = &pitfalls[i];
                if ((!p->stypes || in_list(r->stype, p->stypes)) && in_list(r->ttype, p->ttypes) &&
                    (!p->writes || has_write(r->perms)))
                        return p->hint;
        }
        return NULL;
}

/* "httpd_can_network_connect=true or httpd_can_network_relay=true" */
static char *booleans_joined(const KPolicyAccess *a) {
        char *s = NULL;

        for (size_t i = 0; i < a->n_booleans; i++)
                if (strextend(&s, "%s%s=%s", i > 0 ? " or " : "", a->booleans[i].name,
                              a->booleans[i].value ? "true" : "false") < 0)
                        return mfree(s);
        return s;
}

int check_advice_cause_line(const DenialGroup *g, char **ret) {
        _cleanup_free_ char *rule = NULL, *bools = NULL;
        const AvcRecord *r = &g->first;

        assert(g);
        assert(ret);

        switch (g->cause) {
        case CHECK_CAUSE_RULE:
                if (check_advice_suggestion(g, &rule) < 0)
                        return -ENOMEM;
                *ret = strprintf("rule: no allow rule grants it; fix: %s", rule ?: "-");
                break;
        case CHECK_CAUSE_BOOLEAN:
                bools = booleans_joined(&g->access);
                if (!bools)
                        return -ENOMEM;
                *ret = strprintf("boolean: %s would allow it; fix: set %s in selinux.booleans, not a rule", bools,
                                 g->access.n_booleans > 1 ? "one of them" : "it");
                break;
        case CHECK_CAUSE_CONSTRAINT:
                *ret = strprintf("constraint: %s; no allow rule helps; fix: the process's or the file's user, role "
                                 "or level, not the policy",
                                 g->constraint ?: "-");
                break;
        case CHECK_CAUSE_ALLOWED:
                *ret = strdup("allowed: the policy allows it as it is now (it changed since, or a boolean was "
                              "flipped at runtime); fix: nothing, or make the runtime boolean persistent");
                break;
        case CHECK_CAUSE_UNKNOWN_TYPE:
                *ret = strprintf("unknown-type: %s%s; fix: load the module that defines it, or read the record "
                                 "against the policy it came from",
                                 g->access.result == KPOLICY_ACCESS_UNKNOWN ? "the policy does not define " : "",
                                 g->access.what ?: "a name of the record");
                break;
        case CHECK_CAUSE_UNLABELED:
                *ret = strprintf("unlabeled: the target is %s, it has no valid label; fix: relabel (restorecon -R, or "
                                 "touch /.autorelabel and reboot), not a rule",
                                 r->ttype);
                break;
        case CHECK_CAUSE_ROLE:
                *ret = strprintf("role: %s; fix: a role rule, not an allow rule", g->access.what ?: "-");
                break;
        default:
                *ret = NULL;
                return 0;
        }
        return *ret ? 0 : -ENOMEM;
}
