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

# --- review3 F7: a unit that runs other users' code --------------------------------
# Debian runs every user's cron and at jobs in cron.service and atd.service
# (its pam cron stack has no pam_systemd). nobody's @reboot job on tcp/8080,
# learned as { unit = "cron.service"; } alone, let any other crontab user's
# job on 8080 pass. Root places the jobs into a root-owned cron.service cgroup,
# as cron's fork does; the plugin sees the same kernel data.
cg2=$(cgroup2_root)
CRON="$cg2/cl-learn-$$.slice/cron.service"
if [ -z "$cg2" ] || ! mkdir -p "$CRON" 2>/dev/null; then
	skip "cron.service rules: no writable cgroup2 hierarchy here"
else
	trap 'stop_all; rmdir "$CRON" "${CRON%/*}" 2>/dev/null; cleanup' EXIT
	job() {     # AS PORT: a cron job of AS (a uid) serving PORT
		local out="$TMP/job.$1.$2"
		bash -c 'echo $$ > "$1/cgroup.procs" && exec setpriv --reuid="$2" --regid="$2" --clear-groups \
			/usr/bin/python3 -c "$3" "$4"' _ "$CRON" "$1" "$SERVE" "$2" > "$out" 2>&1 &
		PIDS+=($!)
		for _ in $(seq 200); do grep -q '^ready' "$out" 2>/dev/null && return 0; sleep 0.02; done
		printf '# job of %s on %s did not start: %s\n' "$1" "$2" "$(cat "$out")"; return 1
	}
	job "$(id -u nobody)" 8080 || not_ok "nobody's cron job on 8080"
	job 0 8081 || not_ok "root's cron job on 8081"
	run_plugin --generate-config
	printf '%s\n' "$OUT" > "$TMP/cron.conf"; chmod 644 "$TMP/cron.conf"
	printf '%s\n' "$OUT" | grep -E 'port = 808[01];' | indent
	expect_out "nobody's job in cron.service is learned with its user" \
		'^  \{ proto = "tcp"; port = 8080; address = "any"; unit = "cron\.service"; user = "nobody";'
	expect_out "root's job in cron.service is learned by unit alone" \
		'^  \{ proto = "tcp"; port = 8081; address = "any"; unit = "cron\.service"; comment'
	run_plugin -C "$TMP/cron.conf"
	expect_rc "the learned host is OK" 0
	stop_all
	job 4242 8080 || not_ok "uid 4242's cron job on 8080"
	run_plugin -C "$TMP/cron.conf"
	printf '# %s\n' "$LINE1"
	expect_rc "another user's cron job on the learned port: WARNING" 1
	expect_out "it is uid 4242's, in cron.service" '^WARNING: tcp 0\.0\.0\.0:8080 .*user 4242 unit cron\.service'
	stop_all
fi

run_plugin --check-config -C "$(conf exe.conf <<C
allow = ( { proto = "tcp"; port = 40000; exe = "$PY"; } );
C
)"
expect_rc "--check-config accepts an exe rule without user" 0
expect_out "and notes that it lacks a user" 'rule matches on exe without user'
finish
