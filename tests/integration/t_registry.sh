#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Registry (issue 3): --port-info, --registry, classes in --list, and the
# ephemeral / local-reserved flags from the namespace's own sysctls.
source "$(dirname "$0")/lib.sh"
private_netns

root=$(cd "$TESTS_DIR/../.." && pwd)
csv="${CSV:-$root/plugin/registry/service-names-port-numbers.csv}"
empty=$(conf empty.conf < /dev/null)

run_plugin --port-info 3206/tcp
expect_rc "--port-info exits 0" 0
expect_out "3206/tcp is the IronMail POP Proxy" '^3206/tcp: assigned, service ironmail \(IronMail POP Proxy\)'
run_plugin --port-info 27374
expect_out "27374 is unassigned for every protocol" '^27374/(tcp|udp|sctp|dccp): unassigned' 4
run_plugin --port-info 22/udplite
expect_out "udplite uses udp's entries" '^22/udp: assigned, service ssh'
for bad in 65536 22/xtp -1 0x16 ""; do
	run_plugin --port-info "$bad"
	expect_rc "--port-info '$bad' is a usage error" 3
done

# --- the kernel's port settings of this namespace ----------------------------------
sysctl -qw net.ipv4.ip_local_port_range="40000 40100"
sysctl -qw net.ipv4.ip_local_reserved_ports="40060"
hold udp:127.0.0.1:40050 udp:127.0.0.1:40060 udp:127.0.0.1:41000 tcp:127.0.0.1:40070 ||
	{ not_ok "cannot open test sockets"; finish; }
run_plugin --port-info 40050/udp
expect_out "--port-info says ephemeral" 'inside the ephemeral range 40000-40100'
run_plugin -C "$empty" --list
expect_out "udp 40050 is ephemeral" '^host +udp +127\.0\.0\.1:40050 .*,ephemeral'
expect_out "udp 40060 is local-reserved, not ephemeral" '^host +udp +127\.0\.0\.1:40060 .*,local-reserved '
expect_out "udp 41000 is neither" '^host +udp +127\.0\.0\.1:41000 +v4 +- +0 +1 +unassigned +'
run_plugin -C "$empty"
expect_out "unconnected UDP in the ephemeral range is graded udp_ephemeral (OK)" '^OK: udp 127\.0\.0\.1:40050 '
expect_out "a TCP listener in the ephemeral range is still a listener" '^CRITICAL: tcp 127\.0\.0\.1:40070 unassigned'
expect_out "UDP outside the range is CRITICAL" '^CRITICAL: udp 127\.0\.0\.1:41000 unassigned'
expect_line1 "perfdata counts udp_ephemeral" 'unrecognised_udp_ephemeral=1;;;0'

# --- a registry CSV at run time -------------------------------------------------------
printf 'Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes\r\nmytest,41000,udp,"My test\r\nservice",,,2030-01-01,,,,,\r\n' > "$TMP/mini.csv"
run_plugin -C "$empty" --registry "$TMP/mini.csv" --list
expect_out "--registry FILE replaces the built-in table" '^host +udp +127\.0\.0\.1:41000 +v4 +- +0 +1 +assigned +mytest'
printf 'Service Name,Port Number,Transport Protocol,Description\r\nbad,70000,tcp,x\r\n' > "$TMP/bad.csv"
run_plugin -C "$empty" --registry "$TMP/bad.csv"
expect_rc "a malformed registry is UNKNOWN" 3
expect_line1 "naming file and line" "bad\.csv:2: "
run_plugin -C "$empty" --registry "$TMP/missing.csv"
expect_rc "a missing registry is UNKNOWN" 3

# --- make registry reproduces the committed table byte for byte -----------------------
if [ -r "$csv" ]; then
	LC_ALL=C awk -f "$root/plugin/registry/registry-gen.awk" "$csv" > "$TMP/registry_data.c"
	if cmp -s "$TMP/registry_data.c" "$root/plugin/registry/registry_data.c"; then
		ok "the generator reproduces plugin/registry/registry_data.c from the CSV"
	else
		not_ok "plugin/registry/registry_data.c differs from the generator's output"
	fi
else
	not_ok "IANA CSV not found at $csv (set CSV=)"
fi
finish
