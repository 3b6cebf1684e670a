#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_sample.sh: issue 15 - the sample config is right for NRPE's default: a
# stock Debian host with sshd in ssh.service is OK with it as root and as an
# unprivileged user (nobody stands in for nagios). The test puts a listener
# named sshd on port 22 into a root-owned ssh.service cgroup of its own.
source "$(dirname "$0")/lib.sh"
private_world

cg2=$(cgroup2_root)
SLICE="$cg2/cl-sample-$$.slice"
if [ -z "$cg2" ] || ! mkdir -p "$SLICE/ssh.service" 2>/dev/null; then
	skip "t_sample.sh: no writable cgroup2 hierarchy here"; finish
fi
SSHD=""
trap '[ -n "$SSHD" ] && kill "$SSHD" 2>/dev/null && wait "$SSHD" 2>/dev/null; rmdir "$SLICE/ssh.service" "$SLICE" 2>/dev/null; cleanup' EXIT

sample=$(conf sample.conf < "$TESTS_DIR/../../conf/check_listeners.conf")
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
run_nobody() {
	OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" "$@" 2>&1); RC=$?
	LINE1=$(printf '%s\n' "$OUT" | head -n 1)
}

bash -c 'echo $$ > "$1/cgroup.procs" && exec "$2" --comm sshd tcp:0.0.0.0:22 tcp:[::]:22:v6only' _ \
	"$SLICE/ssh.service" "$SOCKHOLD" > "$TMP/sshd.out" 2>&1 &
SSHD=$!
for _ in $(seq 200); do grep -q '^ready' "$TMP/sshd.out" 2>/dev/null && break; sleep 0.02; done

run_plugin -C "$sample" --max-output 1024
printf '# root:   %s\n' "$LINE1"
expect_rc "sshd in ssh.service with the sample config, as root: OK" 0
expect_line1 "as root: all recognised" '^LISTENERS OK - 2 listeners, all recognised'

run_nobody -C "$sample" --max-output 1024
printf '# nobody: %s\n' "$LINE1"
# A unit rule is judged on the cgroup each socket was created in (kernel and
# root): no holder is needed, so NRPE's unprivileged default is OK too.
expect_rc "the same as nobody (NRPE's default): OK" 0
expect_line1 "as nobody: all recognised" '^LISTENERS OK - 2 listeners, all recognised'

run_nobody --check-config -C "$sample"
expect_rc "the sample config passes --check-config" 0
expect_no_out "no rule of the sample keys on the process name alone" 'command name is chosen by the process'

# --- an impostor on 22 outside ssh.service is still caught, as nobody ----------
kill "$SSHD"; wait "$SSHD" 2>/dev/null; SSHD=""
hold --comm sshd tcp:0.0.0.0:22 || not_ok "sockhold sshd impostor"
run_nobody -C "$sample"
expect_rc "a process named sshd on 22 outside ssh.service, as nobody: WARNING" 1
stop

# --- review3 F5: a port below 1024 does not mean root -----------------------------
# The daemons of a Debian 12 host on their privileged ports, each in its unit
# and as the user it runs as there: systemd creates rpcbind's sockets in
# rpcbind.socket (uid 0); systemd-networkd's DHCP client (systemd-network),
# systemd-resolved's stub (systemd-resolve) and chronyd (_chrony, which keeps
# CAP_NET_BIND_SERVICE: an NTP socket it opens after start-up is _chrony's)
# bind as non-root users with CAP_NET_BIND_SERVICE; nobody stands in for them.
# exim4's daemon binds as root.
DAEMONS=()
BIND="--inh-caps=+net_bind_service --ambient-caps=+net_bind_service"
daemon() {     # UNIT USER SPEC...: sockhold as USER in a root-owned cgroup named UNIT
	local unit=$1 user=$2; shift 2
	mkdir -p "$SLICE/$unit" || { not_ok "mkdir $SLICE/$unit"; return 1; }
	bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$SLICE/$unit" \
		setpriv --reuid="$user" --regid="$user" --clear-groups $BIND "$SOCKHOLD" "$@" > "$TMP/$unit.out" 2>&1 &
	DAEMONS+=($!)
	for _ in $(seq 200); do grep -q '^ready' "$TMP/$unit.out" 2>/dev/null && return 0; sleep 0.02; done
	not_ok "$unit did not start: $(cat "$TMP/$unit.out")"; return 1
}
stop_daemons() {
	local p u
	for p in "${DAEMONS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	DAEMONS=()
	for u in rpcbind.socket systemd-networkd.service systemd-resolved.service chrony.service exim4.service; do
		[ -d "$SLICE/$u" ] && rmdir "$SLICE/$u"
	done
}
trap 'stop_daemons; [ -n "$SSHD" ] && kill "$SSHD" 2>/dev/null && wait "$SSHD" 2>/dev/null; rmdir "$SLICE/ssh.service" "$SLICE" 2>/dev/null; cleanup' EXIT
NOBODY=$(id -u nobody)
daemon rpcbind.socket 0 tcp:0.0.0.0:111 udp:0.0.0.0:111 tcp:[::]:111:v6only udp:[::]:111:v6only
daemon systemd-networkd.service "$NOBODY" udp:0.0.0.0:68
daemon systemd-resolved.service "$NOBODY" udp:127.0.0.53:53 tcp:127.0.0.53:53 udp:127.0.0.54:53 tcp:127.0.0.54:53
daemon chrony.service "$NOBODY" udp:0.0.0.0:123 udp:127.0.0.1:323 udp:[::1]:323
daemon exim4.service 0 tcp:127.0.0.1:25 tcp:[::1]:25
run_plugin -C "$sample" --max-output 4096
printf '# root:   %s\n' "$LINE1"
expect_rc "rpcbind, networkd, resolved, chrony and exim4 in their units, as root: OK" 0
expect_line1 "their 14 listeners, as root: all recognised" '^LISTENERS OK - 14 listeners, all recognised'
run_nobody -C "$sample" --max-output 4096
printf '# nobody: %s\n' "$LINE1"
expect_rc "the same as nobody (NRPE's default): OK, the unit rules need no privilege" 0
expect_line1 "their 14 listeners, as nobody: all recognised" '^LISTENERS OK - 14 listeners, all recognised'
stop_daemons

# A non-root process with CAP_NET_BIND_SERVICE outside these units (a
# compromised daemon, or a host that lowered ip_unprivileged_port_start) on
# the same ports: assigned ports with an owner no rule names, WARNING; 323 is
# IANA-reserved, CRITICAL. Before review3 F5 the sample's port-only rules
# said OK to all but 323.
setpriv --reuid=nobody --regid=nogroup --clear-groups $BIND "$SOCKHOLD" tcp:0.0.0.0:111 udp:0.0.0.0:111 \
	udp:0.0.0.0:67 udp:0.0.0.0:68 udp:0.0.0.0:123 udp:127.0.0.1:323 tcp:127.0.0.1:53 udp:127.0.0.1:53 \
	tcp:127.0.0.1:25 > "$TMP/impostor.out" 2>&1 &
DAEMONS+=($!)
for _ in $(seq 200); do grep -q '^ready' "$TMP/impostor.out" 2>/dev/null && break; sleep 0.02; done
run_plugin -C "$sample" --max-output 8192
printf '# root:   %s\n' "$LINE1"
expect_rc "nobody with CAP_NET_BIND_SERVICE on 111, 67, 68, 123, 323, 53, 25, as root: CRITICAL (323 reserved)" 2
expect_line1 "as root: all 9 unrecognised" '^LISTENERS CRITICAL - 9 unrecognised listeners .*, 0 recognised'
for p in tcp:0.0.0.0:111 udp:0.0.0.0:111 udp:0.0.0.0:67 udp:0.0.0.0:68 udp:0.0.0.0:123 \
		tcp:127.0.0.1:53 udp:127.0.0.1:53 tcp:127.0.0.1:25; do
	expect_out "as root: ${p%%:*} ${p#*:} (assigned) is WARNING" "^WARNING: ${p%%:*} ${p#*:} assigned .*user nobody"
done
expect_out "as root: udp 127.0.0.1:323 (reserved) is CRITICAL" '^CRITICAL: udp 127.0.0.1:323 reserved .*user nobody'
run_nobody -v -C "$sample" --max-output 8192
printf '# nobody: %s\n' "$LINE1"
expect_rc "the same as nobody: CRITICAL, never OK" 2
expect_line1 "as nobody: all 9 unrecognised" '^LISTENERS CRITICAL - 9 unrecognised listeners .*, 0 recognised'
expect_no_out "as nobody: no rule recognises any of them" 'recognised by'
stop_daemons
finish
