#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_rpc.sh: issue 15 - port = "rpc": a listener whose port root registered
# with the real rpcbind (Debian's, in a private network, pid and mount
# namespace with its own /run) is recognised; one that a user registered is
# not; a fake rpcbind that is not root's is not believed; without rpcbind a
# note says why and nothing is recognised by it; and learning survives a
# restart of an RPC service onto a new port below 1024.
source "$(dirname "$0")/lib.sh"
RPCBIND=$(command -v rpcbind || echo /sbin/rpcbind)
PY=/usr/bin/python3
if [ -z "${CL_IN_NETNS:-}" ]; then
	if [ ! -x "$RPCBIND" ] || [ ! -x "$PY" ]; then
		skip "t_rpc.sh: no rpcbind or python3 (make deps installs them)"; exit 0
	fi
	if ! unshare --net --pid --fork --mount --mount-proc true 2>/dev/null; then
		skip "t_rpc.sh: private namespaces unavailable (unshare failed: not root?)"; exit 0
	fi
	rmdir "$TMP"
	drop_safe_dir
	CL_IN_NETNS=1 exec unshare --net --pid --fork --mount --propagation private --mount-proc --kill-child \
		bash "$0" "$PLUGIN" "$SOCKHOLD_GIVEN"
fi
ip link set lo up
# rpcbind's socket, lock and state files go to a /run of this test's own
mount -t tmpfs -o mode=755 cl-rpc /run
cp "$TESTS_DIR/rpcreg.py" "$TMP/rpcreg.py" && chmod 755 "$TMP/rpcreg.py"
REG="$TMP/rpcreg.py"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
RB=""
start_rpcbind() {
	"$RPCBIND" -f -w > "$TMP/rpcbind.log" 2>&1 &
	RB=$!
	for _ in $(seq 250); do [ -S /run/rpcbind.sock ] && "$PY" "$REG" dump > /dev/null 2>&1 && return 0; sleep 0.02; done
	not_ok "rpcbind did not start: $(cat "$TMP/rpcbind.log")"; return 1
}
stop_rpcbind() { [ -n "$RB" ] && kill "$RB" 2>/dev/null && wait "$RB" 2>/dev/null; RB=""; rm -f /run/rpcbind.sock; }
stop_holders() { for p in "${HOLDERS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; HOLDERS=(); }
FAKE=""
trap 'stop_holders; [ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null; stop_rpcbind; cleanup' EXIT
# register AS PROG NETID UADDR: AS is root or nobody
register() {
	local who=$1; shift
	local r
	if [ "$who" = nobody ]; then r=$(as_nobody "$PY" "$REG" set "$1" 1 "$2" "$3"); else r=$("$PY" "$REG" set "$1" 1 "$2" "$3"); fi
	[ "$r" = 1 ] || not_ok "rpcbind refused to register $* as $who ($r)"
}
# uaddr PORT: the universal address of 0.0.0.0:PORT
uaddr() { printf '0.0.0.0.%d.%d' $(($1 / 256)) $(($1 % 256)); }

CFG=$(conf rpc.conf <<EOF2
allow = (
  { port = 111; exe = "$(realpath "$RPCBIND")"; comment = "rpcbind itself"; },
  { port = "rpc"; exe = "$SOCKHOLD"; comment = "what root registered"; }
);
EOF2
)
run_plugin --check-config -C "$CFG"
expect_rc "--check-config accepts port = \"rpc\"" 0

start_rpcbind || finish
# a "statd" on ports below 1024 (bindresvport's 512-1023, outside the
# ephemeral range), registered by root
hold tcp:0.0.0.0:813 udp:0.0.0.0:817 || not_ok "sockhold 813/817"
register root 100024 tcp "$(uaddr 813)"
register root 100024 udp "$(uaddr 817)"
run_plugin -C "$CFG" -vv
expect_rc "root's registrations: the rpc listeners are recognised" 0
expect_line1 "line 1 is OK" '^LISTENERS OK'
expect_out "-vv names the source" 'note: rpcbind \(/run/rpcbind.sock\): [0-9]+ of [0-9]+ registrations on TCP/UDP ports by root count'

# as nobody (NRPE's default): rpcbind is asked the same way (its socket is
# world-writable; the peer's namespace cannot be read, its uid still can)
CFG_ANY=$(conf rpc_any.conf <<'EOF2'
allow = ( { port = 111; }, { port = "rpc"; address = "any"; comment = "no owner: verifiable without privilege"; } );
EOF2
)
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
run_nobody() { OUT=$(as_nobody "$TMP/check_listeners" "$@" 2>&1); RC=$?; LINE1=$(printf '%s\n' "$OUT" | head -n 1); }
run_nobody -C "$CFG_ANY"
expect_rc "as nobody, root's registrations are recognised too" 0
expect_line1 "as nobody: OK" '^LISTENERS OK'

# nobody registers its own program on its own port: not recognised
hold tcp:0.0.0.0:815 || not_ok "sockhold 815"
register nobody 100099 tcp "$(uaddr 815)"
"$PY" "$REG" dump > "$TMP/dump"
grep -q '^100099 1 tcp 0.0.0.0.3.47 65534$' "$TMP/dump" && ok "rpcbind records nobody's registration as owner 65534" ||
	not_ok "rpcbind's owner of nobody's registration: $(grep 100099 "$TMP/dump")"
run_plugin -C "$CFG" -vv
expect_rc "a port registered by nobody is not recognised" 2
expect_out "the listener nobody registered is the finding" '^CRITICAL: tcp 0.0.0.0:815 '
expect_no_out "root's registered listeners stay recognised" '^(CRITICAL|WARNING): (tcp 0.0.0.0:813|udp 0.0.0.0:817) '
expect_out "-vv counts the registrations of other users" 'registrations on TCP/UDP ports by root count for port = "rpc"; 1 by other users do not'
run_nobody -C "$CFG_ANY"
expect_rc "as nobody, the port nobody registered is not recognised either" 2
expect_out "as nobody: tcp/815 is the finding" '^CRITICAL: tcp 0.0.0.0:815 '
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null

# rpcbind gone: the note says why; the rpc listeners keep their severity
stop_rpcbind
run_plugin -C "$CFG"
expect_rc "without rpcbind the rpc listeners are not recognised (never a false OK)" 2
expect_out "a note says why, at any verbosity" '^note: port = "rpc" recognises nothing: cannot connect to /run/rpcbind.sock: No such file or directory \(rpcbind is not running\)$'
expect_out "the statd listener is a finding again" '^CRITICAL: tcp 0.0.0.0:813 '
run_plugin -C "$CFG" --format json
if printf '%s\n' "$OUT" | jq -e '.notes | map(select(startswith("port = \"rpc\" recognises nothing"))) | length == 1' > /dev/null; then
	ok "JSON carries the note"; else not_ok "JSON notes: $(printf '%s\n' "$OUT" | jq -c .notes)"; fi
expect_schema "JSON without rpcbind"

# a fake rpcbind of nobody's at the same path claims root registered 813
chmod 1777 /run
as_nobody "$PY" "$REG" serve /run/rpcbind.sock "tcp,$(uaddr 813),superuser" "udp,$(uaddr 817),superuser" \
	> "$TMP/fake.out" 2>&1 &
FAKE=$!
for _ in $(seq 250); do grep -q ready "$TMP/fake.out" 2>/dev/null && break; sleep 0.02; done
"$PY" "$REG" dump > "$TMP/dump"
grep -q 'tcp 0.0.0.0.3.45 superuser' "$TMP/dump" &&
	ok "the fake rpcbind answers (it claims root's registrations)" || not_ok "the fake rpcbind does not answer"
run_plugin -C "$CFG"
expect_rc "a rpcbind that is not root's is not believed" 2
expect_out "the note names the peer's uid" '^note: port = "rpc" recognises nothing: /run/rpcbind.sock is served by uid 65534, not root: not trusted$'
kill "$FAKE"; wait "$FAKE" 2>/dev/null; FAKE=""
rm -f /run/rpcbind.sock
chmod 755 /run

# learn, restart the service on a new port below 1024 (re-registered), check
stop_holders
start_rpcbind || finish
hold tcp:0.0.0.0:813 udp:0.0.0.0:817 || not_ok "sockhold 813/817"
register root 100024 tcp "$(uaddr 813)"
register root 100024 udp "$(uaddr 817)"
run_plugin --generate-config
printf '%s\n' "$OUT" > "$TMP/learned.conf"; chmod 644 "$TMP/learned.conf"
printf '%s\n' "$OUT" | grep -v '^#' | indent 12
expect_out "the RPC service is learned as port = \"rpc\" with its exe and program (tcp)" \
	"^  \{ proto = \"tcp\"; port = \"rpc\"; address = \"any\"; exe = \"$SOCKHOLD\"; user = \"root\"; comment = \"RPC status \(100024\): any port root registered with rpcbind\"; \}" 1
expect_out "the same for udp" "^  \{ proto = \"udp\"; port = \"rpc\"; address = \"any\"; exe = \"$SOCKHOLD\";" 1
expect_out "rpcbind's own port 111 stays exact" '^  \{ proto = "tcp"; port = 111; address = "any"; exe = "[^"]*rpcbind"; user = "root"; comment = "RPC portmapper \(100000\) registered by root; IANA tcp 111: sunrpc'
expect_no_out "no exact port 813 or 817 is learned" 'port = (813|817);'
run_plugin -C "$TMP/learned.conf"
expect_rc "the learned config is OK as learned" 0
stop_holders
"$PY" "$REG" unset 100024 1 tcp "$(uaddr 813)" > /dev/null
"$PY" "$REG" unset 100024 1 udp "$(uaddr 817)" > /dev/null
hold tcp:0.0.0.0:600 udp:0.0.0.0:601 || not_ok "sockhold 600/601"
run_plugin -C "$TMP/learned.conf"
expect_rc "restarted on new ports, not registered yet: not recognised (600, 601: IANA-assigned)" 1
register root 100024 tcp "$(uaddr 600)"
register root 100024 udp "$(uaddr 601)"
run_plugin -C "$TMP/learned.conf"
expect_rc "restarted on new ports and registered by root: the learned config is still OK" 0
expect_line1 "line 1 after the restart" '^LISTENERS OK - 6 listeners, all recognised'
stop_holders
stop_rpcbind
finish
