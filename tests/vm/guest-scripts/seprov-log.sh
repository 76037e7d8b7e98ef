# shellcheck shell=bash
# seprov-log.sh: for scenarios' guest scripts (prepend it to a --run script; not installed in the image).
#
# seprov_log: this boot's journal entries about seprov, one per line: PID 1's messages about seprov's
# units (UNIT=) and seprov's own entries (SYSLOG_IDENTIFIER=seprov).
# An entry's own SYSLOG_IDENTIFIER finds it whether or not journald could tell which unit sent it.
seprov_log() {
        journalctl -b -q -o cat UNIT=seprov-initrd.service + UNIT=seprov.service + SYSLOG_IDENTIFIER=seprov
}
