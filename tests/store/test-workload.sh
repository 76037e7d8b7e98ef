#!/bin/bash
# Permissive domains, ports and module states (issue 11) through seprov apply, against semanage and
# semodule on a copy of the same writable store: in one transaction, the same ports.local, `semanage
# port -l -C`, `semanage permissive -l`, `semodule --list-modules=full`, the same permissive modules
# and disabled marks, and compiled policies sediff finds no difference in (seinfo --permissive
# agrees). A second apply is a no-op that leaves the store as it is; dropping the entries undoes what
# seprov set and only that (an admin's semanage entries stay); bad names are refused at their
# FILE:LINE:COL with nothing changed. Flatcar legacy (the store copied first) and plain.
# Usage: test-workload.sh SEPROV
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"
export SYSTEMD_PROC_CMDLINE="quiet" SYSTEMD_LOG_TARGET=console

REF="$WORK/ref"
STORE=var/lib/selinux/default
ACTIVE=$STORE/active
# setools runs under the system's python only.
py=/usr/bin/python3

# on_store DIR CMD...: CMD with DIR's /etc/selinux and /var/lib/selinux over the host's, in a private
# mount namespace (semanage has no root option). DIR's config must not be a link into its /usr.
on_store() {
    local dir=$1
    shift
    if [ -L "$dir/etc/selinux/config" ]; then
        cp --remove-destination "$(readlink -f "$dir/etc/selinux/config")" "$dir/etc/selinux/config"
    fi
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- bash -c '
        set -e
        mount --bind "$1/etc/selinux" /etc/selinux
        mount --bind "$1/var/lib/selinux" /var/lib/selinux
        shift
        exec "$@"' on_store "$dir" "$@"
}

# What semanage and semodule say of a store, and the files they read it from.
listings() {
    local dir=$1
    on_store "$dir" semanage port -l -C
    on_store "$dir" semanage permissive -l
    semodule -p "$dir" --list-modules=full
    ls "$dir/$ACTIVE/modules/disabled"
    grep -v -e '^#' -e '^$' "$dir/$ACTIVE/ports.local" 2>/dev/null || true
    for f in "$dir/$ACTIVE"/modules/400/permissive_*/cil; do
        [ -e "$f" ] && cat "$f"
    done
    $py /usr/bin/seinfo --permissive -x "$(policy_file_of "$dir")" | sort
}

policy_file_of() {
    local f=("$1"/etc/selinux/default/policy/policy.*)
    echo "${f[0]}"
}

same_as_ref() {
    diff <(listings "$REF") <(listings "$ROOT") >&2 || fail "$1: seprov's store differs from semanage's"
    no_rule_difference "$(policy_file_of "$REF")" "$(policy_file)"
}

WORKLOAD='"permissiveDomains":[{"name":"sshd_t"},{"name":"ftpd_t"}],
          "ports":[{"protocol":"tcp","port":"18443","type":"http_port_t"},
                   {"protocol":"udp","port":"18000-18100","type":"ssh_port_t","range":"s0"}],
          "modules":[{"name":"bitlbee","state":"disabled"},{"name":"bugzilla","state":"enabled"}]'
# What semanage does for the same config, in one transaction as seprov does it.
SEMANAGE_IMPORT='permissive -a sshd_t
permissive -a ftpd_t
port -a -t http_port_t -p tcp 18443
port -a -t ssh_port_t -r s0 -p udp 18000-18100
module -d bitlbee
module -e bugzilla'

setup flatcar-legacy
config '{"store":"writable"}'
apply
expect_rc 0
rm -rf "$REF"
cp -a "$ROOT" "$REF"
before=$(listings "$ROOT")
cp "$(policy_file)" "$WORK/policy.before"
grep -qx bugzilla "$ROOT/$ACTIVE/modules/disabled/bugzilla" 2>/dev/null ||
    [ -e "$ROOT/$ACTIVE/modules/disabled/bugzilla" ] || fail "bugzilla is not disabled in Debian's store"

# Bad names: refused at their place, nothing changed.
config '{"store":"writable",
         "permissiveDomains":[{"name":"shd_t"}],
         "ports":[{"protocol":"tcp","port":"18443","type":"etc_t"}],
         "modules":[{"name":"bitlbe","state":"disabled"}]}'
snapshot=$(digest /$STORE /etc/selinux/default)
apply
expect_rc 1
expect_out '50-test.json .*:2:[0-9]+: permissive domain "shd_t" is not a type of the policy .*did you mean "[a-z]*shd_t"\?'
expect_out '50-test.json .*:3:[0-9]+: port tcp/18443: type "etc_t" is not a port type \(attribute port_type\)'
expect_out '50-test.json .*:4:[0-9]+: module "bitlbe" is not in the policy store .*did you mean "bitlbee"\?'
[ "$(digest /$STORE /etc/selinux/default)" = "$snapshot" ] || fail "a refused apply changed the store"
ok "bad permissive domain, port type and module name refused at FILE:LINE:COL, nothing changed"

# All of it in one apply (one rebuild), as semanage import does it.
config "{\"store\":\"writable\",$WORKLOAD}"
apply
expect_rc 0
expect_out '^permissive: sshd_t made permissive$'
expect_out '^permissive: ftpd_t made permissive$'
expect_out '^port: tcp/18443 labelled http_port_t$'
expect_out '^port: udp/18000-18100 labelled ssh_port_t:s0$'
expect_out '^module: bitlbee disabled$'
expect_out '^module: bugzilla enabled$'
on_store "$REF" semanage import -N <<< "$SEMANAGE_IMPORT" >/dev/null 2>&1 || fail "semanage import failed on the reference"
same_as_ref "permissive domain, ports and module states"
labels_ok /var/lib/selinux /etc/selinux/default/policy
ok "permissive domain, ports, module states: as semanage and semodule leave them (listings, files, sediff)"

# status lists the permissive domain seprov set; the root's mode is permissive: no warning.
status > "$OUT" 2>&1
expect_out '^Permissive: sshd_t, ftpd_t$'
expect_no_out 'still unenforced'
ok "status lists seprov's permissive domain, without a warning while the system does not enforce"

snapshot=$(CTIME=1 digest /$STORE /etc/selinux/default)
apply
expect_rc 0
expect_out '^nothing to do: the system matches the config$'
[ "$(CTIME=1 digest /$STORE /etc/selinux/default)" = "$snapshot" ] || fail "a second apply changed the store"
ok "a second apply is a no-op"

# An admin's own entries, made with semanage beside seprov's, are never seprov's to undo.
on_store "$ROOT" semanage import -N <<< 'port -a -t http_port_t -p tcp 18500
permissive -a httpd_t' >/dev/null 2>&1 || fail "semanage failed on the root"
on_store "$REF" semanage import -N <<< 'port -a -t http_port_t -p tcp 18500
permissive -a httpd_t' >/dev/null 2>&1 || fail "semanage failed on the reference"
config '{"store":"writable"}'
apply
expect_rc 0
expect_out '^permissive: sshd_t enforced again: the config no longer lists it$'
expect_out '^permissive: ftpd_t enforced again: the config no longer lists it$'
expect_out '^port: tcp/18443 label removed: the config no longer lists it$'
expect_out '^module: bitlbee enabled again: the config no longer sets its state$'
expect_out '^module: bugzilla disabled again: the config no longer sets its state$'
on_store "$REF" semanage import -N <<< 'permissive -d sshd_t
permissive -d ftpd_t
port -d -p tcp 18443
port -d -p udp 18000-18100
module -e bitlbee
module -d bugzilla' >/dev/null 2>&1 || fail "semanage import failed on the reference"
same_as_ref "undone"
[ -e "$ROOT/$ACTIVE/modules/400/permissive_httpd_t" ] || fail "the admin's permissive domain is gone"
grep -q '^portcon tcp 18500 ' "$ROOT/$ACTIVE/ports.local" || fail "the admin's port is gone"
if grep -q '^permissive ' "$ROOT/$STORE/.seprov-managed"; then fail "the manifest still lists a permissive domain"; fi
ok "dropped from the config: seprov's entries undone as semanage would, the admin's left alone"

# Back to the store as it was: seprov's undo leaves no trace.
on_store "$ROOT" semanage import -N <<< 'port -d -p tcp 18500
permissive -d httpd_t' >/dev/null 2>&1 || fail "semanage failed on the root"
diff <(echo "$before") <(listings "$ROOT") >&2 || fail "the store is not as it was before"
no_rule_difference "$WORK/policy.before" "$(policy_file)"
ok "applied and undone: the store and policy as before"

# plain: a port alone, in the writable store as it is; a domain a module of the config declares.
setup plain
make_module seprovw /usr/share/seprov-test/seprovw.cil
printf '(type seprovw_t)\n(roletype object_r seprovw_t)\n(typeattributeset domain (seprovw_t))\n' \
    > "$ROOT/usr/share/seprov-test/seprovw.cil"
rm -rf "$REF"
cp -a "$ROOT" "$REF"
config '{"mode":"enforcing","ports":[{"protocol":"sctp","port":"19000","type":"http_port_t"}],
         "modules":[{"name":"seprovw","source":"/usr/share/seprov-test/seprovw.cil"}],
         "permissiveDomains":[{"name":"seprovw_t"}]}'
apply
expect_rc 0
expect_out '^port: sctp/19000 labelled http_port_t$'
expect_out '^permissive: seprovw_t made permissive$'
on_store "$REF" semodule -n -i "$REF/usr/share/seprov-test/seprovw.cil" >/dev/null 2>&1 || fail "semodule failed"
on_store "$REF" semanage import -N <<< 'port -a -t http_port_t -p sctp 19000
permissive -a seprovw_t' >/dev/null 2>&1 || fail "semanage import failed on the reference"
same_as_ref "plain"
apply
expect_out '^nothing to do: the system matches the config$'
ok "plain: a port and the permissive domain of a module the config installs, as semanage makes them"

# The system enforces now (its persistent mode, for an offline root): status warns, naming the domain.
status > "$OUT" 2>&1
expect_out '^Permissive: seprovw_t$'
expect_out '^Warning: +the system enforces, but .*seprovw_t permissive: this domain is still unenforced'
[ "$(ro_usr "$DRIVER" --root="$ROOT" status --json=short | jq -c .permissiveDomains)" = \
    '{"domains":["seprovw_t"],"enforcing":true,"warning":true}' ] || fail "status --json: no permissive warning"
ok "status warns while a permissive domain is set on an enforcing system (text and JSON)"

# dontaudit off and a port in one commit (a first boot's config; found in a real boot): seprov's own
# removal of the dontaudit rules starts from policy.linked, into which libsemanage does not merge
# ports.local, so libsemanage removes them in that rebuild, as semodule -DB does after semanage port.
setup plain
rm -rf "$REF"
cp -a "$ROOT" "$REF"
config '{"dontaudit":false,"ports":[{"protocol":"tcp","port":"18443","type":"http_port_t"}]}'
apply
expect_rc 0
expect_out '^port: tcp/18443 labelled http_port_t$'
expect_out '^dontaudit: dontaudit rules disabled'
on_store "$REF" semanage port -a -t http_port_t -p tcp 18443 >/dev/null 2>&1 || fail "semanage port failed on the reference"
on_store "$REF" semodule -DB >/dev/null 2>&1 || fail "semodule -DB failed on the reference"
same_as_ref "dontaudit off with a port"
[ "$($py /usr/bin/sesearch --dontaudit "$(policy_file)" | wc -l)" = 0 ] || fail "the policy still has dontaudit rules"
apply
expect_out '^nothing to do: the system matches the config$'
ok "dontaudit off and a port in one apply: the policy semanage and semodule -DB build"
