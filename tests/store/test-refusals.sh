#!/bin/bash
# What the policy action refuses, changing nothing: bad module sources (with file and reason),
# dontaudit or modules without a writable store. Booleans without one are runtime-only, and never
# set on an offline root.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

setup flatcar-legacy
config '{"store":"writable"}'
apply
expect_rc 0
mkdir -p "$ROOT/usr/share/bad"
ln -s "$WORK/outside.cil" "$ROOT/usr/share/bad/escape.cil"
printf '(type outside_t)\n' > "$WORK/outside.cil"
make_module groupw /usr/share/bad/groupw.cil
chmod 0664 "$ROOT/usr/share/bad/groupw.cil"
make_module notroot /usr/share/bad/notroot.cil
chown 1000:1000 "$ROOT/usr/share/bad/notroot.cil"
mkdir "$ROOT/usr/share/bad/dir.cil"
mkfifo "$ROOT/usr/share/bad/fifo.cil"
make_module good /usr/share/bad/good.cil

refuse() {
    local source=$1 reason=$2 before
    before=$(CTIME=1 digest /var/lib/selinux /etc/selinux)
    config "{\"modules\":[{\"name\":\"good\",\"source\":\"/usr/share/bad/good.cil\"},
                          {\"name\":\"bad\",\"source\":\"$source\"}]}"
    apply
    expect_rc 2
    expect_out "^module failed bad refused: $source: $reason"
    expect_out '^module skipped installing good at priority 400: a module source was refused'
    [ "$before" = "$(CTIME=1 digest /var/lib/selinux /etc/selinux)" ] || fail "$source: the store changed"
    ok "refused $source: $reason"
}

refuse /usr/share/bad/groupw.cil 'writable by group or others'
refuse /usr/share/bad/notroot.cil 'not owned by root'
refuse /usr/share/bad/escape.cil 'no such file in the root'
refuse /usr/share/bad/dir.cil 'not a regular file'
refuse /usr/share/bad/fifo.cil 'not a regular file'
refuse /usr/share/bad/missing.cil 'no such file in the root'

# A module that does not build: the failure is told in libsepol's words (its CIL compiler logs
# through a handler libsemanage does not relay), with the module's source and line (not the copy in
# libsemanage's sandbox), on that module alone: the boolean of the same transaction was not made
# because of it. The store is as it was (but for the ctimes of the two directories libsemanage's
# scratch trees were removed from).
printf '(type broken_t)\n(allow broken_t no_such_type_t (file (read)))\n' > "$ROOT/usr/share/bad/broken.cil"
before=$(digest /var/lib/selinux /etc/selinux)
config '{"modules":[{"name":"broken","source":"/usr/share/bad/broken.cil"}],
         "booleans":[{"name":"virt_use_nfs","value":true}]}'
apply
expect_rc 2
expect_out '^module failed installing broken at priority 400: libsepol: Failed to resolve allow statement at /usr/share/bad/broken.cil:2$'
expect_out '^boolean skipped setting virt_use_nfs=on \(persistent\): not made because of module installing broken at priority 400'
expect_no_out '^boolean failed'
after=$(digest /var/lib/selinux /etc/selinux)
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") >&2; fail "broken module: the store changed"; }
ok "a module that does not build: libsepol's reason at the source, named alone, nothing changed"

# Without a writable store: booleans are runtime-only, deferred on an offline root; dontaudit and
# modules cannot be done.
setup flatcar-legacy
before=$(CTIME=1 digest /var/lib /etc/selinux)
config '{"booleans":[{"name":"httpd_can_network_connect","value":true}]}'
apply
expect_rc 0
expect_out '^boolean skipped httpd_can_network_connect=on \(runtime\): not set: an offline root has no running kernel'
config '{"dontaudit":false}'
apply
expect_rc 2
expect_out '^dontaudit failed disabling dontaudit rules: needs store: writable'
[ "$before" = "$(CTIME=1 digest /var/lib /etc/selinux)" ] || fail "the image's store changed"
ok "without a writable store: booleans deferred, dontaudit refused, nothing changed"
