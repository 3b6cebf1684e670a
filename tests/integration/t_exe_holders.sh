#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_exe_holders.sh: the suspicious-executable grade looks at every holder of
# an unrecognised listener, and a place it cannot verify is never OK.
# The review's repro (F1): a python3 copied to /tmp bound UDP 45001 and
# passed the socket to a child /usr/bin/sleep; the owner scan stopped at the
# child and said "OK ... (udp/45001 sleep)" (TCP 5001: WARNING, not CRITICAL).
# The same python3 in a private mount namespace on its own tmpfs was OK with
# no executable shown, and an unprivileged plugin said "OK ... pid ? user
# daemon" for the copy run by daemon.
source "$(dirname "$0")/lib.sh"
private_world
[ -x /usr/bin/python3 ] || { skip "t_exe_holders.sh: no /usr/bin/python3"; finish; }
PX=/tmp/cl-px-${TMP##*.}      # $$ is 1 in the private pid namespace
cp "$(realpath /usr/bin/python3)" "$PX" && chmod 755 "$PX"
trap 'rm -f "$PX"; cleanup' EXIT
# u.py PROTO PORT [child]: binds, optionally hands the socket to /usr/bin/sleep
cat > "$TMP/u.py" <<'PY'
import socket, subprocess, sys, time
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.bind(("0.0.0.0", int(sys.argv[2])))
if kind == socket.SOCK_STREAM:
    s.listen()
if len(sys.argv) > 3:
    subprocess.Popen(["/usr/bin/sleep", "600"], pass_fds=[s.fileno()])
print("ready", flush=True)
time.sleep(600)
PY
chmod 644 "$TMP/u.py"
sample=$(conf sample.conf < "$TESTS_DIR/../../conf/check_listeners.conf")
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
run_nobody() {
	OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" "$@" 2>&1); RC=$?
	LINE1=$(printf '%s\n' "$OUT" | head -n 1)
}
PIDS=()
# start AS CMD...: runs CMD as user AS (root: as is), waits for "ready"
start() {
	local as=$1 out="$TMP/start.$RANDOM"; shift
	if [ "$as" = root ]; then "$@" > "$out" 2>&1 &
	else setpriv --reuid="$as" --regid=nogroup --clear-groups "$@" > "$out" 2>&1 &
	fi
	PIDS+=($!)
	for _ in $(seq 250); do grep -q '^ready' "$out" 2>/dev/null && return 0; sleep 0.02; done
	printf '# %s did not start: %s\n' "$*" "$(cat "$out")"; return 1
}
stop_all() { for p in "${PIDS[@]}"; do stop_tree "$p"; done; PIDS=(); }

# --- control: the copy in /tmp holds the socket itself --------------------------------
start nobody "$PX" "$TMP/u.py" udp 45000 || not_ok "start the control"
run_plugin -C "$sample"
expect_rc "control: a python3 copied to /tmp on UDP 45000 is CRITICAL" 2
expect_line1 "control: line 1 says why" 'suspicious executable \(udp/45000 cl-px'
stop_all

# --- (a) the socket inherited by a child /usr/bin/sleep --------------------------------
start nobody "$PX" "$TMP/u.py" udp 45001 child || not_ok "start (a) udp"
run_plugin -C "$sample"
printf '# (a) udp: %s\n' "$LINE1"
expect_rc "(a) UDP 45001 held by /tmp/... and by its child sleep: CRITICAL" 2
expect_out "(a) the detail names the /tmp holder beside the child" \
	"^CRITICAL: udp 0\.0\.0\.0:45001 .* - executable in /tmp \(writable by all\); .*\($PX\).*sleep \(/usr/bin/sleep\)"
stop_all
start nobody "$PX" "$TMP/u.py" tcp 5001 child || not_ok "start (a) tcp"
run_plugin -C "$sample"
printf '# (a) tcp: %s\n' "$LINE1"
expect_rc "(a) TCP 5001 the same way: CRITICAL, not WARNING" 2
expect_out "(a) tcp: the /tmp holder is named" "^CRITICAL: tcp 0\.0\.0\.0:5001 .* - executable in /tmp .*\($PX\)"
stop_all

# --- (b) a private mount namespace with its own tmpfs on /tmp ---------------------------
# (the script comes on stdin, opened before the tmpfs hides $TMP)
start nobody unshare -Urm sh -c 'exec < "$0"; mount -t tmpfs t /tmp && cp /usr/bin/python3 /tmp/x &&
	exec /tmp/x - udp 45003' "$TMP/u.py" || not_ok "start (b)"
run_plugin -C "$sample"
printf '# (b): %s\n' "$LINE1"
expect_rc "(b) an executable on a tmpfs of a private mount namespace: CRITICAL" 2
expect_out "(b) the claimed path is shown, marked unverified" \
	'^CRITICAL: udp 0\.0\.0\.0:45003 .* - executable on a memory-backed filesystem that the plugin cannot see .*\(/tmp/x, unverified\)'
stop_all

# --- (c) the plugin without privilege, the copy run by another user ----------------------
start daemon "$PX" "$TMP/u.py" udp 45000 || not_ok "start (c)"
run_nobody -C "$sample"
printf '# (c): %s\n' "$LINE1"
expect_rc "(c) unprivileged, another user's listener on a UDP ephemeral port: UNKNOWN, not OK" 3
expect_line1 "(c) line 1 says the executable is not verifiable" \
	'^LISTENERS UNKNOWN - 1 unrecognised listener on an ephemeral UDP port \(udp/45000\), 1 of them with an executable not verifiable'
expect_out "(c) the detail line says why" \
	'^UNKNOWN: udp 0\.0\.0\.0:45000 .* - executable not verifiable: not every process could be read .*user daemon'
run_plugin -C "$sample"
expect_rc "(c) the same listener seen by root: CRITICAL" 2
stop_all

# --- no false page: normal executables stay as they were ---------------------------------
start root /usr/bin/python3 "$TMP/u.py" udp 45010 child || not_ok "start root's python3"
start nobody /usr/bin/python3 "$TMP/u.py" udp 45011 child || not_ok "start nobody's python3"
run_plugin -C "$sample"
printf '# normal, root: %s\n' "$LINE1"
expect_rc "/usr/bin/python3 of root and of nobody, seen by root: OK (udp_ephemeral)" 0
stop_all
start root /usr/bin/python3 "$TMP/u.py" udp 45010 || not_ok "start root's python3"
run_nobody -C "$sample"
printf '# normal, nobody: %s\n' "$LINE1"
# a socket only root could create keeps its class when root's process cannot
# be read: as nagios, a stock host's root daemons must not page
expect_rc "root's python3, seen without privilege: OK (its socket is root's)" 0
stop_all
finish
