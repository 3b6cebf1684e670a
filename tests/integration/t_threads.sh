#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Holders and namespaces that only one thread shows (review3 F2, F3). A thread
# may take a descriptor table of its own (unshare(CLONE_FILES)) and a network
# namespace of its own: /proc/PID/fd and /proc/PID/ns/net are the leader's,
# only /proc/PID/task/TID shows the thread's. A leader that ended
# (pthread_exit) has no fd table and no exe while its threads serve on. And a
# socket parked in flight (SCM_RIGHTS) has no holder at all. Before the fix
# each gave OK or a lower grade than the same listener held in plain sight.
source "$(dirname "$0")/lib.sh"
private_world
need_tools python3 setpriv ip

PY=/usr/bin/python3
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
DROP="$TMP/drop"; mkdir "$DROP"; chmod 755 "$DROP"
cp "$(realpath "$PY")" "$DROP/evil"; chmod 755 "$DROP/evil"
cp "$TESTS_DIR/threadhide.py" "$TESTS_DIR/hideout.py" "$TMP/"; chmod 644 "$TMP/threadhide.py" "$TMP/hideout.py"
NONE=$(conf none.conf <<'EOF2'
allow = ( { proto = "tcp"; port = 1; } );
EOF2
)
SAMPLE="$TESTS_DIR/../../conf/check_listeners.conf"

# serves PORT: what a TCP client gets on 127.0.0.1:PORT
serves() { "$PY" -c 'import socket,sys; print(socket.create_connection(("127.0.0.1",int(sys.argv[1]))).recv(64).decode().strip())' "$1" 2>/dev/null; }

# --- F2 (1): the socket only in a thread's own descriptor table -------------------
for sock in tcp:8080 udp:40000; do
	kind=${sock%%:*} port=${sock#*:}
	if ! start "${AS_NOBODY[@]}" "$DROP/evil" "$TMP/threadhide.py" thread "$kind" "$port"; then
		not_ok "cannot start the thread-hidden $sock"; continue
	fi
	[ "$kind" = tcp ] && [ "$(serves "$port")" != "backdoor here" ] && not_ok "the hidden thread does not serve $sock"
	run_plugin -C "$NONE"
	expect_rc "F2: /tmp dropper, $sock only in a thread's table: CRITICAL" 2
	expect_out "F2: its holder is found through the thread, executable in /tmp ($sock)" \
		"^CRITICAL: $kind 0\.0\.0\.0:$port .* - executable in /tmp \(writable by all\); pid $PID evil \($DROP/evil\) user nobody\$"
	stop
done

# --- F2 (1), sample config: a hidden python thread beside a real ping(8) ----------------
sysctl -qw net.ipv4.ping_group_range="0 2147483647" || not_ok "cannot set ping_group_range"
if [ -x /usr/bin/ping ] &&
   start "${AS_NOBODY[@]}" "$PY" "$TMP/threadhide.py" thread ping 4919 /usr/bin/ping -q -i 30 127.0.0.1; then
	HOLDERS+=($(cat "/proc/$PID/task/$PID/children" 2>/dev/null))    # the ping(8) child
	run_plugin -C "$SAMPLE"
	expect_rc "F2: ping id 4919 also in a python thread's table: not recognised as ping(8) (WARNING)" 1
	expect_out "F2: the python holder is named beside ping" \
		"^WARNING: ping 0\.0\.0\.0:id=4919 .* - pid $PID python3 \([^)]*\), pid [0-9]+ ping \(/usr/bin/ping\) user nobody\$"
	stop
else
	not_ok "cannot start the hidden ping socket with a ping(8) child"
fi

# --- F2 (2): the leader ended (pthread_exit), a thread serves ---------------------
if start "${AS_NOBODY[@]}" "$DROP/evil" "$TMP/threadhide.py" zombie tcp 8080; then
	for _ in $(seq 100); do readlink "/proc/$PID/exe" > /dev/null 2>&1 || break; sleep 0.02; done
	[ "$(serves 8080)" != "backdoor here" ] && not_ok "the zombie's thread does not serve tcp/8080"
	run_plugin -C "$NONE"
	expect_rc "F2: /tmp dropper whose leader ended: CRITICAL" 2
	expect_out "F2: its executable read through the live thread" \
		"^CRITICAL: tcp 0\.0\.0\.0:8080 .* - executable in /tmp \(writable by all\); pid $PID [^ ]+ \($DROP/evil\) user nobody\$"
	stop
else
	not_ok "cannot start the zombie-leader dropper"
fi

# --- F2 (3): in flight, no holder at all: never OK --------------------------------
if start "${AS_NOBODY[@]}" "$DROP/evil" "$TMP/hideout.py" inflight udp:40002; then
	run_plugin -C "$NONE"
	expect_rc "F2: nobody's udp/40002 in flight (ephemeral, OK class): UNKNOWN, not OK" 3
	expect_out "F2: line 1 says UNKNOWN" '^LISTENERS UNKNOWN - .*udp/40002'
	expect_out "F2: the detail line says why" \
		'^UNKNOWN: udp 0\.0\.0\.0:40002 .* - no holder found: a descriptor in flight \(SCM_RIGHTS\) or a holder hidden from /proc; '
	stop
else
	not_ok "cannot start the in-flight udp/40002"
fi

# --- F3: -n and a network namespace that only one thread is in ---------------------
if start "${AS_NOBODY[@]}" unshare -Ur "$PY" "$TMP/threadhide.py" netns tcp 27374; then
	run_plugin -n -C "$NONE"
	expect_rc "F3: -n, tcp/27374 in one thread's namespace: CRITICAL" 2
	expect_out "F3: the listener is listed, in its namespace" '^CRITICAL: tcp 0\.0\.0\.0:27374 .*netns '
	stop
else
	not_ok "cannot start the thread in a namespace of its own"
fi
# the thread went back: only the socket in its own table keeps the namespace
if start "${AS_NOBODY[@]}" unshare -Urn "$PY" "$TMP/threadhide.py" netns-back tcp 27375; then
	run_plugin -n -C "$NONE"
	expect_rc "F3: -n, tcp/27375 in a namespace only a thread's socket keeps: CRITICAL" 2
	expect_out "F3: found through the thread's socket" \
		'^CRITICAL: tcp 0\.0\.0\.0:27375 .*netns socket of pid [0-9]+ \(python3\)$'
	stop
else
	not_ok "cannot start the thread whose namespace only its socket keeps"
fi
finish
