#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_learn_scope.sh: a learned rule must not widen a fixed TCP port into the
# whole ip_local_port_range, nor let any user run the learned executable.
# The review's repro: root runs python3 on TCP 40000; --generate-config
# wrote { proto = "tcp"; port = "ephemeral"; address = "any"; exe = ... },
# and then nobody's python3 on 50000 and 33000 was "all recognised", OK.
source "$(dirname "$0")/lib.sh"
private_world
# Debian's python3 (make check installs it), which any user may run
[ -x /usr/bin/python3 ] || { skip "t_learn_scope.sh: no /usr/bin/python3"; finish; }
PY=$(realpath /usr/bin/python3)
# python3 serving one TCP port until killed; prints ready once listening
SERVE='import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)
s.bind(("0.0.0.0",int(sys.argv[1]))); s.listen(); print("ready",flush=True); time.sleep(600)'
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; cleanup' EXIT
# serve AS PORT: python3 as user AS (root: as is) on PORT, waits until ready
serve() {
	local as=$1 port=$2 out="$TMP/serve.$2"
	if [ "$as" = root ]; then /usr/bin/python3 -c "$SERVE" "$port" > "$out" 2>&1 &
	else setpriv --reuid="$as" --regid=nogroup --clear-groups /usr/bin/python3 -c "$SERVE" "$port" > "$out" 2>&1 &
	fi
	PIDS+=($!)
	for _ in $(seq 200); do grep -q '^ready' "$out" 2>/dev/null && return 0; sleep 0.02; done
	printf '# python3 as %s on %s did not start: %s\n' "$as" "$port" "$(cat "$out")"; return 1
}
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; PIDS=(); }

read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
if [ "$lo" -gt 40000 ] || [ "$hi" -lt 50000 ]; then
	skip "t_learn_scope.sh: ip_local_port_range $lo-$hi does not hold 40000 and 50000"; finish
fi

serve root 40000 || not_ok "python3 as root on 40000"
run_plugin --generate-config
printf '%s\n' "$OUT" > "$TMP/learned.conf"; chmod 644 "$TMP/learned.conf"
printf '%s\n' "$OUT" | grep -v '^#' | indent
expect_out "the TCP port is learned exact, not as \"ephemeral\"" \
	"^  \{ proto = \"tcp\"; port = 40000; address = \"any\"; exe = \"$PY\"; user = \"root\";"
expect_no_out "no ephemeral TCP rule" 'proto = "tcp"; port = "ephemeral"'
run_plugin -C "$TMP/learned.conf"
expect_rc "the learned host is OK" 0
stop_all

serve nobody 50000 || not_ok "python3 as nobody on 50000"
serve nobody 33000 || not_ok "python3 as nobody on 33000"
run_plugin -C "$TMP/learned.conf"
printf '# %s\n' "$LINE1"
if [ "$RC" != 0 ]; then ok "nobody's python3 on 50000 and 33000 is not recognised (exit $RC)"; else
	not_ok "nobody's python3 on 50000 and 33000 is recognised: exit 0"; printf '%s\n' "$OUT" | indent; fi
expect_line1 "both are unrecognised" '^LISTENERS (WARNING|CRITICAL) - 2 unrecognised listeners'
stop_all

# the same port as nobody: the rule keys on root
serve nobody 40000 || not_ok "python3 as nobody on 40000"
run_plugin -C "$TMP/learned.conf"
expect_line1 "the learned port run by another user is not recognised" '^LISTENERS (WARNING|CRITICAL) - 1 unrecognised listener'
expect_out "it is nobody's" "^(WARNING|CRITICAL): tcp 0\.0\.0\.0:40000 .*user nobody"
stop_all

run_plugin --check-config -C "$(conf exe.conf <<C
allow = ( { proto = "tcp"; port = 40000; exe = "$PY"; } );
C
)"
expect_rc "--check-config accepts an exe rule without user" 0
expect_out "and notes that it lacks a user" 'rule matches on exe without user'
finish
