#!/bin/bash
# Writes the export-format text of the test journal to stdout: SELinux audit records as journald
# stores them (_TRANSPORT=audit, _AUDIT_TYPE, _AUDIT_ID, MESSAGE="<TYPE> <text>"), and lines that
# only look like denials. Usage: make-journal.sh CURRENT_BOOT_ID [clean|noaudit|printk]
# With "clean", only the entries that are not denials are written; with "noaudit", only those that
# did not come from the audit subsystem (journald's audit socket off); with "printk", every audit
# record as the kernel's printk copy instead (neither auditd nor journald's audit socket listening),
# and the kernel's note of the copies its rate limit dropped.
set -euo pipefail

current=$1
mode=${2:-}
old=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b
base=1700000000 # 2023-11-14 22:13:20 UTC

# entry BOOT SECONDS_AFTER_BASE FIELD=VALUE...
entry() {
    local boot=$1 offset=$2
    shift 2
    printf '__REALTIME_TIMESTAMP=%d000000\n__MONOTONIC_TIMESTAMP=%d000000\n_BOOT_ID=%s\n_HOSTNAME=node1\n' \
        $((base + offset)) $((offset + 5)) "$boot"
    printf '%s\n' "$@"
    printf '\n'
}

# audit BOOT SECONDS TYPE TYPE_NAME SERIAL TEXT: one audit record as journald-audit.c stores it.
audit() {
    [ "$mode" = noaudit ] && return 0
    if [ "$mode" = printk ]; then
        entry "$1" "$2" _TRANSPORT=kernel SYSLOG_FACILITY=0 SYSLOG_IDENTIFIER=kernel PRIORITY=5 \
            "MESSAGE=audit: type=$3 audit($((base + $2)).000:$5): $6"
        return 0
    fi
    entry "$1" "$2" _TRANSPORT=audit "_AUDIT_TYPE=$3" "_AUDIT_TYPE_NAME=$4" "_AUDIT_ID=$5" \
        SYSLOG_FACILITY=4 SYSLOG_IDENTIFIER=audit "MESSAGE=$4 $6"
}

denial() {
    if [ -z "$mode" ] || [ "$mode" = printk ]; then audit "$@"; fi
    return 0
}

flannel='scontext=system_u:system_r:svirt_lxc_net_t:s0:c229,c794 tcontext=system_u:object_r:usr_t:s0 tclass=dir'

# A previous boot: only read when the window is not "current boot".
denial "$old" 0 1400 AVC 100 "avc:  denied  { write } for  pid=3217 comm=\"cp\" name=\"bin\" dev=\"sda9\" ino=198 scontext=system_u:system_r:container_t:s0:c1,c2 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=1"

# Flannel's CNI install, three times; the first event's PATH records give the whole path.
denial "$current" 100 1400 AVC 200 "avc:  denied  { write } for  pid=4361 comm=\"cp\" name=\"bin\" dev=\"sda9\" ino=198 $flannel permissive=1"
denial "$current" 100 1300 SYSCALL 200 "arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c items=2 ppid=4300 pid=4361 comm=\"cp\" exe=\"/bin/busybox\" subj=system_u:system_r:svirt_lxc_net_t:s0:c229,c794 key=(null)"
denial "$current" 100 1307 CWD 200 "cwd=\"/\""
denial "$current" 100 1302 PATH 200 "item=0 name=\"/opt/cni/bin/\" inode=198 dev=08:09 mode=040755 ouid=0 ogid=0 rdev=00:00 obj=system_u:object_r:usr_t:s0 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0"
denial "$current" 100 1302 PATH 200 "item=1 name=\"/opt/cni/bin/flannel\" nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0"
denial "$current" 110 1400 AVC 201 "avc:  denied  { write } for  pid=4380 comm=\"cp\" name=\"bin\" dev=\"sda9\" ino=198 scontext=system_u:system_r:svirt_lxc_net_t:s0:c7,c8 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=1"
denial "$current" 120 1400 AVC 202 "avc:  denied  { write } for  pid=4399 comm=\"cp\" name=\"bin\" dev=\"sda9\" ino=198 $flannel permissive=1"

# Enforced already (a permissive=0 domain in a permissive system).
denial "$current" 130 1400 AVC 210 "avc:  denied  { getattr } for  pid=2427 comm=\"httpd\" path=\"/var/www/html/file1\" dev=\"dm-0\" ino=284133 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:samba_share_t:s0 tclass=file permissive=0"

# dbus-daemon's USER_AVC.
denial "$current" 140 1107 USER_AVC 220 "pid=812 uid=81 auid=4294967295 ses=4294967295 subj=system_u:system_r:system_dbusd_t:s0-s0:c0.c1023 msg='avc:  denied  { send_msg } for msgtype=method_call interface=org.freedesktop.systemd1.Manager member=Reload dest=org.freedesktop.systemd1 spid=5120 tpid=1 scontext=system_u:system_r:svirt_lxc_net_t:s0:c229,c794 tcontext=system_u:system_r:init_t:s0 tclass=dbus permissive=1  exe=\"/usr/bin/dbus-daemon\" sauid=81 hostname=? addr=? terminal=?'"

# Not denials: an auditallow grant, the kernel's printk copy, a program quoting a denial, another
# audit type whose text contains one (a policy load notice comes at the end).
audit "$current" 145 1400 AVC 225 "avc:  granted  { setenforce } for  pid=1 comm=\"systemd\" scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:security_t:s0 tclass=security"
entry "$current" 150 _TRANSPORT=kernel SYSLOG_FACILITY=0 SYSLOG_IDENTIFIER=kernel PRIORITY=5 \
    "MESSAGE=audit: type=1400 audit(1700000150.000:230): avc:  denied  { write } for  pid=77 comm=\"cp\" name=\"bin\" dev=\"sda9\" ino=198 $flannel permissive=1"
entry "$current" 155 _TRANSPORT=syslog SYSLOG_IDENTIFIER=myapp _COMM=myapp PRIORITY=6 \
    "MESSAGE=copied from elsewhere: type=AVC msg=audit(1700000155.000:231): avc:  denied  { read } for  pid=1 comm=\"cat\" scontext=system_u:system_r:myapp_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=1"
audit "$current" 158 1100 USER_AUTH 232 "pid=990 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:local_login_t:s0 msg='op=PAM:authentication grantors=? acct=\"avc:  denied  { read } for scontext=a:b:c_t tcontext=a:b:d_t tclass=file\" exe=\"/usr/bin/login\" hostname=? addr=? terminal=tty1 res=failed'"

# From here on: what --since=@1700000150 keeps. A hex-encoded comm, on its own type.
denial "$current" 160 1400 AVC 240 "avc:  denied  { net_admin } for  pid=5555 comm=6D7920636F6D6D capability=12  scontext=system_u:system_r:svirt_lxc_net_t:s0:c1,c2 tcontext=system_u:system_r:svirt_lxc_net_t:s0:c1,c2 tclass=capability permissive=1"
denial "$current" 170 1401 SELINUX_ERR 250 "op=security_compute_sid invalid_context=\"system_u:system_r:myapp_t:s0\" scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:myapp_exec_t:s0 tclass=process"
# No PATH record for this one: the kernel's name is all there is.
denial "$current" 200 1400 AVC 270 "avc:  denied  { add_name write } for  pid=4500 comm=\"cp\" name=\"net.d\" dev=\"vda9\" ino=224 scontext=system_u:system_r:svirt_lxc_net_t:s0:c50,c336 tcontext=system_u:object_r:etc_t:s0 tclass=dir permissive=1"
# Cut short: not readable, ignored.
denial "$current" 210 1400 AVC 280 "avc:  denied  { write"
# Not a denial either: dbus-daemon noticing a policy load.
audit "$current" 215 1107 USER_AVC 260 "pid=812 uid=81 auid=4294967295 ses=4294967295 subj=system_u:system_r:system_dbusd_t:s0-s0:c0.c1023 msg='avc:  received policyload notice (seqno=2)  exe=\"/usr/bin/dbus-daemon\" sauid=81 hostname=? addr=? terminal=?'"
if [ "$mode" = printk ]; then
    entry "$current" 216 _TRANSPORT=kernel SYSLOG_FACILITY=0 SYSLOG_IDENTIFIER=kernel PRIORITY=4 \
        "MESSAGE=kauditd_printk_skb: 7 callbacks suppressed"
fi
