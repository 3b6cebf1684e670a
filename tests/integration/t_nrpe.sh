#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# NRPE (issue 7): a real NRPE daemon on loopback in a private network namespace
# runs the shipped snippet (adapted to this build's binary and a test
# allowlist); check_nrpe, with v3/v4 and with v2 packets (-2, 1 KiB), returns
# the same state and line 1 as a direct run as the user NRPE runs checks as.
source "$(dirname "$0")/lib.sh"
private_netns

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
SNIPPET="$ROOT/conf/nrpe/check_listeners.cfg"
NRPE=/usr/sbin/nrpe
CHECK_NRPE=/usr/lib/nagios/plugins/check_nrpe
PORT=5666                       # free: this namespace is private
DAEMON_PID=

need_tools "$NRPE" "$CHECK_NRPE" user:nagios

stop_daemon() {
	[ -n "$DAEMON_PID" ] || return 0
	kill "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
}
trap 'stop_daemon; cleanup' EXIT

# --- what NRPE runs: a copy readable by nagios, the snippet pointing at it -----
N="$TMP/nrpe"
mkdir -p "$N/nrpe.d" "$TMP/plugins"
install -m 0755 "$PLUGIN" "$TMP/plugins/check_listeners"
allow=$(conf allow.conf <<EOF
allow = ( { proto = "tcp"; port = $PORT; address = "loopback"; comment = "NRPE of this test"; } );
EOF
)
if grep -Eq '^command\[check_listeners\]=/usr/lib/nagios/plugins/check_listeners -C /etc/check_listeners\.conf --max-output 1024' "$SNIPPET"; then
	ok "the snippet runs the installed plugin with -C /etc/check_listeners.conf --max-output 1024"
else
	not_ok "unexpected command line in $SNIPPET"
fi
sed -e "s|/usr/lib/nagios/plugins/check_listeners|$TMP/plugins/check_listeners|g" \
	-e "s|/etc/check_listeners.conf|$allow|g" "$SNIPPET" > "$N/nrpe.d/check_listeners.cfg"
cmdline=$(sed -n 's/^command\[check_listeners\]=//p' "$N/nrpe.d/check_listeners.cfg")
if [ "$(grep -c '^command\[' "$N/nrpe.d/check_listeners.cfg")" = 1 ]; then
	ok "the snippet defines exactly one active command (the sudo variant is commented)"
else
	not_ok "the snippet defines $(grep -c '^command\[' "$N/nrpe.d/check_listeners.cfg") active commands"
fi
# A common mistake: an allowlist only root can read. NRPE runs as nagios.
secret=$(conf secret.conf < "$allow")
chmod 0600 "$secret"
printf 'command[check_listeners_secret]=%s -C %s\n' "$TMP/plugins/check_listeners" "$secret" >> "$N/nrpe.d/zz-test.cfg"
chown nagios:nagios "$N"
cat > "$N/nrpe.cfg" <<EOF
log_facility=daemon
log_file=$N/nrpe.log
debug=0
pid_file=$N/nrpe.pid
server_address=127.0.0.1
server_port=$PORT
nrpe_user=nagios
nrpe_group=nagios
allowed_hosts=127.0.0.1,::1
dont_blame_nrpe=0
allow_bash_command_substitution=0
command_timeout=60
connection_timeout=300
include_dir=$N/nrpe.d
EOF

# --- listeners to report: one unassigned, and enough to pass 1 KiB -------------
if ! hold tcp:127.0.0.1:27374 tcp:127.0.0.1:20000:n=40; then
	not_ok "sockhold could not open the test sockets"
	finish
fi

"$NRPE" -c "$N/nrpe.cfg" -f > "$TMP/nrpe.out" 2>&1 &
DAEMON_PID=$!
up=
for _ in $(seq 100); do
	ss -Hltn "sport = :$PORT" | grep -q LISTEN && { up=1; break; }
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$up" ]; then
	not_ok "nrpe did not listen on 127.0.0.1:$PORT"
	indent < "$TMP/nrpe.out"; [ -r "$N/nrpe.log" ] && indent < "$N/nrpe.log"
	finish
fi
ok "nrpe listens on 127.0.0.1:$PORT"
wide=$(ss -Hltnu | awk '{print $5}' | grep -Ev '^(127\.[0-9.]+|\[::1\]):[0-9]+$')
if [ -z "$wide" ]; then ok "nothing listens beyond loopback"; else
	not_ok "listening beyond loopback: $wide"; fi

# The direct run: the snippet's command line, as the user NRPE runs it as.
# shellcheck disable=SC2086
OUT=$(runuser -u nagios -- $cmdline 2> "$TMP/stderr")
RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
DIRECT_OUT=$OUT DIRECT_RC=$RC DIRECT_LINE1=$LINE1
if [ "$RC" = 2 ]; then ok "direct run as nagios: CRITICAL (exit 2)"; else
	not_ok "direct run as nagios: exit $RC, expected 2"; printf '%s\n' "$OUT" | indent; fi
if [ "$(printf '%s\n' "$OUT" | wc -c)" -le 1024 ]; then ok "direct run fits --max-output 1024"; else
	not_ok "direct run is $(printf '%s\n' "$OUT" | wc -c) bytes"; fi

# via NAME ARGS...: check_nrpe with ARGS; compares with the direct run.
via() {
	local name=$1; shift
	OUT=$("$CHECK_NRPE" -H 127.0.0.1 -p "$PORT" -c check_listeners "$@" 2>&1)
	RC=$?
	LINE1=$(printf '%s\n' "$OUT" | head -n 1)
	if [ "$RC" = "$DIRECT_RC" ]; then ok "$name: exit $RC, as the direct run"; else
		not_ok "$name: exit $RC, direct run $DIRECT_RC"; printf '%s\n' "$OUT" | indent; fi
	expect_same "$name: line 1 equals the direct run's" "$LINE1" "$DIRECT_LINE1"
	expect_line1 "$name: line 1 keeps its perfdata to the end" ' \| listeners=42;;;0 .* time=[0-9.]+s;;;0$'
	expect_out "$name: detail lines were cut with a note" '^\.\.\. and [0-9]+ more lines? \(see --list\)$' 1
	expect_same "$name: the whole output equals the direct run's" "$OUT" "$DIRECT_OUT"
}
via "check_nrpe (v4 packets)"
via "check_nrpe -2 (v2 packets, 1 KiB)" -2

OUT=$("$CHECK_NRPE" -H 127.0.0.1 -p "$PORT" -c check_listeners_secret 2>&1)
RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
expect_rc "an allowlist nagios cannot read: UNKNOWN through NRPE" 3
expect_line1 "... and line 1 says the configuration cannot be read, and why" '^LISTENERS UNKNOWN - .*secret\.conf: cannot open: Permission denied \(1 error\)$'
expect_out "... and why" 'secret\.conf: cannot open: Permission denied'

stop_daemon
if ss -Hltn "sport = :$PORT" | grep -q LISTEN; then not_ok "port $PORT still open after stopping nrpe"; else
	ok "nrpe stopped, port $PORT closed"; fi
finish
