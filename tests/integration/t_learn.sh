#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_learn.sh: issue 15 - learning that survives restarts: UDP ports the
# kernel chose are learned as port = "ephemeral" with their owner, fixed ports
# stay exact (a TCP listener's port too, even inside ip_local_port_range: it
# is its service's choice), an exe comes with its user, containers are
# learned by a stable label and never by pid, and an unprivileged run says
# which rules lack an owner.
source "$(dirname "$0")/lib.sh"
# --all-netns must see only this test's namespaces, not those of tests running
# beside it: a private network, pid and mount namespace, /proc and /run/netns.
if [ -z "${CL_IN_NETNS:-}" ]; then
	if ! unshare --net --pid --fork --mount true 2>/dev/null; then
		skip "t_learn.sh: private namespaces unavailable (unshare failed: not root?)"; exit 0
	fi
	rmdir "$TMP"
	drop_safe_dir
	CL_IN_NETNS=1 exec unshare --net --pid --fork --mount --propagation private --mount-proc \
		bash "$0" "$PLUGIN" "$SOCKHOLD_GIVEN"
fi
ip link set lo up
[ -d /run/netns ] && mount -t tmpfs cl-learn /run/netns

cg2=$(cgroup2_root)
if [ -z "$cg2" ] || ! mkdir "$cg2/cl-learn-${TMP##*.}.slice" 2>/dev/null; then
	skip "t_learn.sh: no writable cgroup2 hierarchy here"; finish
fi
ID=${TMP##*.}   # $$ is 1 in the private pid namespace
BASE="$cg2/cl-learn-$ID.slice"
UNIT_A="cl-learn-$ID-a.service"
UNIT_C="cl-learn-$ID-ctr.scope"
PIDS=()
stop_all() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PIDS=()
	# an unshare'd child may outlive its parent briefly: empty the cgroups
	for cg in "$BASE"/*/; do
		[ -d "$cg" ] || continue
		for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do kill "$p" 2>/dev/null; done
		for _ in $(seq 100); do [ -n "$(cat "$cg/cgroup.procs" 2>/dev/null)" ] || break; sleep 0.02; done
	done
}
trap 'stop_all; for cg in "$BASE"/*/; do rmdir "$cg" 2>/dev/null; done; rmdir "$BASE" 2>/dev/null; cleanup' EXIT
mkdir -p "$BASE/$UNIT_A" "$BASE/$UNIT_C"

# start_in CGROUP CMD...: runs CMD in the cgroup, waits for sockhold's "ready".
start_in() {
	local cg=$1 out="$TMP/start.$RANDOM"; shift
	bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$cg" "$@" > "$out" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 200); do grep -q "^ready" "$out" 2>/dev/null && return 0; sleep 0.02; done
	printf '# %s did not start: %s\n' "$*" "$(cat "$out")"; return 1
}

# The services: a unit whose UDP ports the kernel chooses (IPv4 and IPv6)
# next to fixed TCP ports, one inside ip_local_port_range; a process in no
# unit that binds UDP port 0; a "container": its own network namespace, in a
# cgroup scope, a fixed port. (Kernel-chosen ports are UDP only: a TCP
# service with a random port is an RPC service, learned as port = "rpc".)
start_services() {
	start_in "$BASE/$UNIT_A" "$SOCKHOLD" udp:0.0.0.0:0 udp:[::]:0:v6only tcp:127.0.0.1:8765 tcp:0.0.0.0:40123 \
		|| not_ok "start $UNIT_A"
	start_in "$cg2" "$SOCKHOLD" --comm noservice udp:0.0.0.0:0 || not_ok "start the process without unit"
	start_in "$BASE/$UNIT_C" unshare --net sh -c 'ip link set lo up; exec "$0" tcp:0.0.0.0:8766' "$SOCKHOLD" \
		|| not_ok "start the container"
}

start_services
run_plugin --generate-config --all-netns
printf '%s\n' "$OUT" > "$TMP/learned.conf"; chmod 644 "$TMP/learned.conf"
printf '%s\n' "$OUT" | grep -v '^#' | indent 30
expect_out "kernel-chosen UDP ports of a unit (IPv4 and IPv6): one rule, port = \"ephemeral\" and the unit" \
	"^  \{ proto = \"udp\"; port = \"ephemeral\"; address = \"any\"; unit = \"$UNIT_A\";" 1
expect_out "the fixed port stays exact" "proto = \"tcp\"; port = 8765; address = \"loopback\"; unit = \"$UNIT_A\";"
expect_out "a TCP port inside ip_local_port_range stays exact" \
	"proto = \"tcp\"; port = 40123; address = \"any\"; unit = \"$UNIT_A\"; comment = \"[^\"]*inside ip_local_port_range, learned exact"
expect_no_out "no TCP rule is ephemeral" 'proto = "tcp"; port = "ephemeral"' 
expect_no_out "no exact kernel-chosen port is left for a listener with an owner" 'port = [0-9]+;.*kernel-chosen port: it changes on restart' 
expect_out "a process in no unit is keyed on its exe and user, not its comm" \
	"proto = \"udp\"; port = \"ephemeral\"; address = \"any\"; exe = \"[^\"]*/sockhold\"; user = \"root\";"
expect_no_out "no rule keys on the comm when the exe is known" 'process = "noservice"'
expect_out "the container is learned by its stable label" "proto = \"tcp\"; port = 8766; address = \"any\"; unit = \"$UNIT_C\";"
expect_no_out "no rule names a pid" 'netns = "pid [0-9]+'
run_plugin --check-config -C "$TMP/learned.conf"
expect_rc "the learned file is valid" 0

run_plugin --all-netns -C "$TMP/learned.conf"
expect_rc "the same host, right after learning: OK" 0

# --- restart every service: new random ports, a new container pid ---------------------
before=$("$PLUGIN" --list --all-netns -C "$TMP/learned.conf" | grep -E '^[^ ]+ +(tcp|udp) ' | awk '{print $3}' | sort)
stop_all
start_services
after=$("$PLUGIN" --list --all-netns -C "$TMP/learned.conf" | grep -E '^[^ ]+ +(tcp|udp) ' | awk '{print $3}' | sort)
if [ "$before" != "$after" ]; then ok "the restarted services have new ports"; else
	not_ok "the ports did not change on restart: the cycle proves nothing"; fi
run_plugin --all-netns -C "$TMP/learned.conf"
printf '# %s\n' "$LINE1"
expect_rc "after restarting every service, the learned config is still OK" 0
expect_line1 "all recognised" '^LISTENERS OK - [0-9]+ listeners, all recognised'

# --- the ephemeral rule is no wildcard: another exe on a kernel-chosen port ----------
OTHER=$(mktemp -d /var/lib/cl-learn.XXXXXX)   # not in /tmp: that alone would be suspicious
cp "$SOCKHOLD" "$OTHER/other" && chmod 755 "$OTHER/other"
SOCKHOLD_SAVED=$SOCKHOLD; SOCKHOLD=$OTHER/other
hold udp:0.0.0.0:0 || not_ok "sockhold as another exe"
SOCKHOLD=$SOCKHOLD_SAVED
# udp_ephemeral is OK by default: grade it so that "not recognised" shows in the exit code
run_plugin --all-netns -C "$TMP/learned.conf" --severity udp_ephemeral=warning
if [ "$RC" = 1 ] || [ "$RC" = 2 ]; then ok "another executable on an ephemeral port is not recognised (exit $RC)"; else
	not_ok "another executable on an ephemeral port: exit $RC"; printf '%s\n' "$OUT" | indent; fi
expect_out "it is the one named" "^(WARNING|CRITICAL): udp 0\.0\.0\.0:[0-9]+ .* pid [0-9]+ other "
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
rm -rf "$OTHER"

# --- nor is it one for every user: the same exe as nobody -----------------------------
hold_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$SOCKHOLD" "$@" > "$TMP/nobody.out" 2>&1 &
	HOLD_PID=$!
	for _ in $(seq 200); do grep -q '^ready' "$TMP/nobody.out" 2>/dev/null && return 0; sleep 0.02; done
	return 1
}
hold_nobody udp:0.0.0.0:0 || not_ok "sockhold as nobody"
run_plugin --all-netns -C "$TMP/learned.conf" --severity udp_ephemeral=warning
expect_rc "the learned exe run by another user is not recognised" 1
expect_out "it is nobody's" "^WARNING: udp 0\.0\.0\.0:[0-9]+ .* pid [0-9]+ sockhold .*user nobody"
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null

# --- unprivileged learning says which rules lack an owner, and why -------------------
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" --generate-config 2>&1); RC=$?
expect_rc "unprivileged --generate-config runs" 0
expect_out "the unit still comes from the cgroup without privilege" "port = \"ephemeral\"; address = \"any\"; unit = \"$UNIT_A\";"
expect_out "a rule without an owner says so, and why" \
	'^ *# no owner: .*(privilege|CAP_SYS_PTRACE).*'
expect_out "a kernel-chosen port without an owner stays exact (a wildcard would allow anything)" \
	'proto = "udp"; port = [0-9]+; address = "any"; comment = "[^"]*kernel-chosen'
finish
