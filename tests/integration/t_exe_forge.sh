#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_exe_forge.sh: review3 F1 - any user can make /proc/PID/exe name a file of
# their choice. In a user namespace of its own a process holds CAP_SYS_ADMIN,
# which is all prctl(PR_SET_MM, PR_SET_MM_MAP, exe_fd) asks; build/exeforge
# does it (as nobody) after moving its own code to anonymous memory. The
# executable of a process outside the plugin's user namespace is no identity:
# never matched by a rule, its place not known (UNKNOWN below suspicious),
# unless the file it names lies in a suspicious place (still CRITICAL).
# In private network and pid namespaces: holder sets are complete.
source "$(dirname "$0")/lib.sh"
private_world

NOB=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
"${NOB[@]}" unshare --user true 2>/dev/null ||
	{ skip "$(basename "$0"): unprivileged user namespaces are disabled here (the forgery needs one)"; finish; }
sysctl -qw net.ipv4.ping_group_range="0 2147483647" ||
	{ not_ok "cannot set net.ipv4.ping_group_range in the test's namespace"; finish; }
# A copy nobody can run; below /tmp, which matters only for the last block.
FORGE=$TMP/exeforge
cp "$(dirname "$SOCKHOLD")/exeforge" "$FORGE" && chmod 755 "$FORGE" ||
	{ not_ok "no exeforge beside sockhold (make build/exeforge)"; finish; }
sample=$(conf sample.conf < "$TESTS_DIR/../../conf/check_listeners.conf")
none=$(conf none.conf <<'C'
allow = ( { proto = "tcp"; port = 1; comment = "nothing here"; } );
C
)
UNVERIFIED='executable not verifiable: it runs in another user namespace'
forge() { start "${NOB[@]}" "$FORGE" "$@"; }
# every process started, with its children (the launcher of (b) has two)
stop_all() { local p; for p in "${HOLDERS[@]}"; do stop_tree "$p"; done; HOLDERS=(); }

# --- (a) nobody's ping socket named /usr/bin/ping: not ping(8) of the sample -------
if forge /usr/bin/ping ping 4919; then
	[ "$(readlink "/proc/$PID/exe")" = /usr/bin/ping ] || not_ok "the forgery did not take: $(readlink "/proc/$PID/exe")"
	run_plugin -t 60 -v -C "$sample"
	printf '# %s\n' "$LINE1"
	expect_rc "a ping socket that only names /usr/bin/ping, sample config: UNKNOWN, not OK" 3
	expect_no_out "the sample's ping(8) rule does not recognise it (-v lists the recognised)" 'recognised by .*ping\(8\)'
	expect_out "the detail line says why, and shows the claimed path as unverified" \
		"^UNKNOWN: ping 0\.0\.0\.0:id=4919 \(ping socket: [^)]*\) - $UNVERIFIED.*; pid $PID ping \(/usr/bin/ping, unverified\) user nobody$"
else
	not_ok "exeforge did not start as nobody (ping socket)"
fi
stop_all

# --- (b) tcp/8080 named /usr/bin/sleep, beside a real sleep holding the same socket -----
# The real sleep (host user namespace, higher pid) is read first and its file
# judged normal; the forged holder names the same file and must not inherit that.
LAUNCH='
import socket, subprocess, sys
s = socket.socket(); s.bind(("0.0.0.0", 8080)); s.listen()
f = subprocess.Popen([sys.argv[1], "/usr/bin/sleep", "fd", str(s.fileno())], pass_fds=[s.fileno()],
                     stdout=subprocess.PIPE, text=True)
if not f.stdout.readline().startswith("ready"): sys.exit(1)
r = subprocess.Popen(["/usr/bin/sleep", "300"], pass_fds=[s.fileno()])
s.close()
open(sys.argv[2], "w").write("%d %d\n" % (f.pid, r.pid))
print("ready", flush=True)
f.wait()
'
touch "$TMP/pids" && chown nobody "$TMP/pids"
if start "${NOB[@]}" /usr/bin/python3 -c "$LAUNCH" "$FORGE" "$TMP/pids"; then
	read -r fpid rpid < "$TMP/pids"
	[ "$rpid" -gt "$fpid" ] || not_ok "the real sleep ($rpid) should have the higher pid than the forged one ($fpid)"
	run_plugin -t 60 -C "$none"
	printf '# %s\n' "$LINE1"
	expect_rc "a forged /usr/bin/sleep on tcp/8080 beside a real one: UNKNOWN, not WARNING" 3
	expect_out "the detail line says why" "^UNKNOWN: tcp 0\.0\.0\.0:8080 assigned http-alt - $UNVERIFIED"
	expect_out "the forged holder is shown, its path unverified" "pid $fpid sleep \(/usr/bin/sleep, unverified\)"
else
	not_ok "the launcher of a forged and a real sleep did not start"
fi
stop_all

# --- (c) the same alone on an ephemeral UDP port (OK by default) -------------------------
if forge /usr/bin/sleep udp 40000; then
	run_plugin -t 60 -C "$none"
	printf '# %s\n' "$LINE1"
	expect_rc "a forged /usr/bin/sleep on udp/40000: UNKNOWN, not OK" 3
	expect_out "the detail line says why" "^UNKNOWN: udp 0\.0\.0\.0:40000 .* - $UNVERIFIED"
else
	not_ok "exeforge did not start as nobody (udp)"
fi
stop_all

# --- guard: in a user namespace of its own, naming its own file in /tmp: still CRITICAL --
# (as before the fix: a suspicious place is kept, whoever names it)
if forge "$FORGE" tcp 8081; then
	run_plugin -t 60 -C "$none"
	expect_rc "a dropper in /tmp in a user namespace of its own: CRITICAL" 2
	expect_out "the place is named" "^CRITICAL: tcp 0\.0\.0\.0:8081 .* - executable in /tmp \(writable by all\); pid $PID exeforge \($FORGE, unverified\)"
else
	not_ok "exeforge did not start as nobody (tcp/8081)"
fi
stop_all
cleanup
finish
