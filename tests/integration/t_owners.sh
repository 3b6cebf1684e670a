#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Owners (issue 4): process, executable, user and unit of each listener, as root
# and as an unprivileged user; hostile process names cannot forge output.
# A private pid namespace too: the owner scan sees only this test's processes,
# so it can read every one of them, whatever else runs on the host.
source "$(dirname "$0")/lib.sh"
private_world

empty=$(conf empty.conf < /dev/null)
cp "$SOCKHOLD" "$TMP/doomed"

hold --comm webby tcp:0.0.0.0:27374 || { not_ok "cannot open test sockets"; finish; }
webby=$HOLD_PID
hold --fork tcp:127.0.0.1:27375 || not_ok "cannot open the shared socket"
shared=$HOLD_PID
SOCKHOLD_SAVED=$SOCKHOLD; SOCKHOLD="$TMP/doomed"
hold tcp:127.0.0.1:27376 || not_ok "cannot start the doomed holder"
SOCKHOLD=$SOCKHOLD_SAVED
rm -f "$TMP/doomed"

run_plugin -C "$empty" --list
expect_out "--list names pid, comm and exe" "^host +tcp +0\.0\.0\.0:27374 .* pid $webby webby \(.*/sockhold\) user root"
expect_out "a socket held by two processes lists both" "^host +tcp +127\.0\.0\.1:27375 .* pid $shared sockhold \(.*\) \+1 more process user root"
expect_out "a deleted binary is flagged" "^host +tcp +127\.0\.0\.1:27376 .* \(.*/doomed, deleted\) user root"
run_plugin -C "$empty"
expect_out "the long output names the owner of an unrecognised listener" \
	"^CRITICAL: tcp 0\.0\.0\.0:27374 unassigned - pid $webby webby \(.*/sockhold\) user root"

# --- a unit from the socket's cgroup (cgroup v2 id -> path -> unit) -----------------
cg2=$(cgroup2_root)
# $$ is 1 in this pid namespace: the name takes the unique part of $TMP.
unit="cl-test-${TMP##*.}.scope"
if [ -n "$cg2" ] && mkdir "$cg2/$unit" 2>/dev/null; then
	out="$TMP/unit.out"
	bash -c "echo \$\$ > '$cg2/$unit/cgroup.procs' && exec '$SOCKHOLD' tcp:127.0.0.1:27377" > "$out" 2>&1 &
	HOLDERS+=($!)
	for _ in $(seq 100); do grep -q ready "$out" && break; sleep 0.02; done
	run_plugin -C "$empty" --list
	expect_out "the unit comes from the socket's cgroup" "^host +tcp +127\.0\.0\.1:27377 .* unit $unit"
	kill "${HOLDERS[-1]}"; wait "${HOLDERS[-1]}" 2>/dev/null
	rmdir "$cg2/$unit" 2>/dev/null
else
	skip "unit from cgroup: no writable cgroup2 hierarchy here"
fi

# --- unprivileged: uid, user and unit still come; the missing privilege is explained ---
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" -C "$empty" 2>&1); RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
expect_rc "unprivileged run still answers" 2
expect_out "unprivileged: pid unknown but user known" '^CRITICAL: tcp 0\.0\.0\.0:27374 unassigned - pid \? user root'
expect_out "unprivileged: the missing privilege is said once" 'CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE' 1
expect_no_out "never an unexplained unknown process" 'unknown process'

# --- hostile process names cannot forge lines or perfdata ---------------------------
hold --comm $'x|fake=1\n\e[31mZ' tcp:127.0.0.1:27378 || not_ok "cannot start the hostile holder"
run_plugin -C "$empty"
expect_line1 "line 1 holds exactly one '|'" '^[^|]*\|[^|]*$'
expect_no_out "no forged perfdata" 'fake=1;'
expect_no_out "no raw escape character" $'\e'
expect_out "the name is shown escaped" 'x\\x7cfake=1\\x0a\\x1b\[31mZ'
finish
