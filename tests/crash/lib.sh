# shellcheck shell=bash
# tests/crash/lib.sh: crash injection with strace, each point counted in the thread that makes the
# call, and each injected run proved to have fired where it was meant to. Sourced by the crash tests
# (tests/crash/test-crash.sh, tests/store/test-crash.sh); any test of a path that replaces files or
# trees can use it the same way:
#
#   crash_trace LOG SYSCALLS CMD...
#       Runs CMD once under strace (-f: every thread and child; -y: each fd shown with its path),
#       tracing the comma-separated SYSCALLS, into LOG. This is the reference run the points come from.
#   crash_points LOG ERE
#       Prints one line per call of LOG whose signature (below) matches the extended regex ERE:
#           SYSCALL WHEN SIGNATURE
#       WHEN is the call's number among the calls of SYSCALL made by its own thread (or child
#       process), counted from 1, which is how strace's inject=...:when=WHEN counts: per tracee, not in
#       total. Calls made more often than once per WHEN (another thread also makes a WHEN-th call of
#       SYSCALL) are printed too; crash_fired then tells which one was hit.
#   crash_counts LOG
#       Prints "SYSCALL MAX SURE" for each syscall of LOG: MAX is the most calls any one thread made
#       of it, the highest WHEN that can fire; SURE is the highest WHEN that fires in every run
#       however the threads share the work (the calls divided by the threads that make them, rounded
#       up: one of them makes at least that many). Threads that take work from a queue (the store
#       copy's) make different numbers of calls in each run, so a WHEN above SURE may not fire.
#   crash_inject LOG HOW SYSCALL WHEN CMD...
#       Runs CMD with HOW (error=EIO, signal=KILL, ...) injected at the WHEN-th call of SYSCALL of
#       each thread, tracing SYSCALL into LOG; returns CMD's exit status (128+9 when killed).
#       Errors are injected with --seccomp-bpf (only the traced calls stop: three times faster);
#       signals without it, because with -f strace 6.1 then never delivers an injected signal (the
#       run just finishes).
#   crash_fired LOG HOW [SIGNATURE]
#       Succeeds when the injection of the run logged in LOG fired: for error=, a call marked
#       (INJECTED); for signal=KILL, a call the kill interrupted and strace's "killed by SIGKILL".
#       With SIGNATURE, that call must be the one planned; crash_hit then names the calls hit.
#
# A call's signature is its strace line with the process id and the result dropped, fd numbers
# dropped (threads open files in any order), a write's data dropped (status.json holds timings),
# and the random parts of seprov's temporary names (.NAME.seprov-XXXXXXXX,
# .#seprov-staging.NAME.XXXXXXXX, .#seprov-fc.XXXXXXXX) replaced by '*'; the paths strace shows for fds
# stay, so a signature names the file. Two runs of the same apply on the same root path give the
# same signatures.
#
# Counting per thread matters: a first apply copies the store in three threads, and a WHEN computed
# from all threads' calls together lands past the end of every one of them, so it injects nothing.

# A call's signature, from the rest of its line (sed, for the repetitions mawk lacks).
crash_normalise() {
        sed -E -e 's/ <unfinished \.\.\.>$//' -e 's/ = [^"]*$//' -e 's/ +$//' -e 's/[0-9]+</</g' \
                -e 's/(^|\t)(write\(<[^>]*>), .*/\1\2, ...)/' \
                -e 's/\.seprov-[0-9a-f]{8}/.seprov-*/g' \
                -e 's/(\.#seprov-[^"\/>]*)\.[0-9a-f]{8}/\1.*/g'
}

# The awk function shared by the parsers: sets tid, rest and name from a line of strace -f; returns 1
# for the start of a call, 2 for a call resumed after another thread's line, 0 for anything else.
crash_awk_lib='
function crash_parse(line) {
        tid = line; sub(/ .*/, "", tid)
        rest = substr(line, length(tid) + 2)
        sub(/^ +/, "", rest)
        if (rest ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
                name = rest; sub(/^<\.\.\. /, "", name); sub(/ .*/, "", name)
                return 2
        }
        if (!match(rest, /^[a-z0-9_]+\(/))
                return 0
        name = substr(rest, 1, RLENGTH - 1)
        return 1
}'

crash_trace() {
        local log=$1 syscalls=$2
        shift 2
        strace -f -qq -y -o "$log" -e trace="$syscalls" "$@"
}

crash_points() {
        local log=$1 ere=$2
        awk "$crash_awk_lib"'
                crash_parse($0) == 1 { print name " " ++count[tid, name] "\t" rest }' "$log" |
                crash_normalise | tr '\t' ' ' | grep -E -- "^[a-z0-9_]+ [0-9]+ .*($ere)" || true
}

crash_counts() {
        awk "$crash_awk_lib"'
                crash_parse($0) == 1 {
                        n = ++count[tid, name]; total[name]++
                        if (n == 1) threads[name]++
                        if (n > max[name]) max[name] = n
                }
                END { for (s in max) print s, max[s], int((total[s] + threads[s] - 1) / threads[s]) }' "$1" |
                LC_ALL=C sort
}

crash_inject() {
        local log=$1 how=$2 syscall=$3 when=$4
        shift 4
        local fast=()
        case $how in error=*) fast=(--seccomp-bpf) ;; esac
        strace -f -qq -y "${fast[@]}" -o "$log" -e trace="$syscall" -e inject="$syscall:$how:when=$when" "$@"
}

# Prints the signature of each call of LOG the injection hit.
crash_hit() {
        local log=$1 how=$2
        case $how in
        error=*)
                # The call's own line, or the line that started it when another thread's came between.
                awk "$crash_awk_lib"'
                        { k = crash_parse($0) }
                        k == 1 { start[tid] = rest }
                        / \(INJECTED\)$/ { print (k == 1 ? rest : start[tid]) }' "$log" | crash_normalise ;;
        signal=KILL)
                grep -q '+++ killed by SIGKILL' "$log" || return 0
                # The call the kill interrupted has no result: "= ?".
                awk "$crash_awk_lib"'
                        { k = crash_parse($0) }
                        k == 1 { start[tid] = rest }
                        k && / = \?$/ { print (k == 1 ? rest : start[tid]) }' "$log" | crash_normalise ;;
        *)
                echo "crash_hit: cannot tell whether $how fired" >&2
                return 1 ;;
        esac
}

crash_fired() {
        local log=$1 how=$2 sig=${3:-} hit
        hit=$(crash_hit "$log" "$how") || return 1
        [ -n "$hit" ] || return 1
        [ -z "$sig" ] || grep -qxF -- "$sig" <<<"$hit"
}

# Tests run the apply in a private mount namespace (unshare ... bash -c): the two that run commands
# must be found there too.
export -f crash_trace crash_inject
