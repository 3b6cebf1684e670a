#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Foundation (issue 2): the plugin contract and the netlink inventory, in a
# private network namespace holding sockets this test opens itself.
source "$(dirname "$0")/lib.sh"
private_netns

empty=$(conf empty.conf < /dev/null)

# --- contract: options, help, version, usage errors -------------------------
run_plugin --help
expect_rc "--help" 3
expect_out "--help documents --config" '-C, --config FILE'
run_plugin -V
expect_rc "--version" 3
expect_line1 "--version names the registry snapshot" '^check_listeners [0-9.]+ \(IANA port registry snapshot [0-9]{4}-[0-9]{2}-[0-9]{2}\)$'
for bad in "--bogus" "-w" "-w 5:1" "-c 10:x" "-t 0" "-t 5:maybe" "--format xml" "positional"; do
	# shellcheck disable=SC2086
	run_plugin -C "$empty" $bad
	expect_rc "bad usage '$bad'" 3
	expect_line1 "bad usage '$bad' explains" '^LISTENERS UNKNOWN - '
	expect_out "bad usage '$bad' prints the usage" '^Usage: check_listeners'
	expect_stderr_empty "bad usage '$bad'"
done

# --- an empty namespace ------------------------------------------------------
run_plugin -C "$empty"
expect_rc "empty namespace is OK" 0
expect_line1 "empty namespace line 1" '^LISTENERS OK - 0 listeners, all recognised \| listeners=0;;;0 unrecognised=0;;;0 .*time=[0-9.]+s;;;0$'
expect_stderr_empty "empty namespace"

# --- known sockets ------------------------------------------------------------
if ! hold tcp:127.0.0.1:8080 tcp:[::1]:8443:v6only tcp:[::]:2222:dual udp:127.0.0.1:5353 \
	udp:[::1]:5353 tcp:0.0.0.0:7000:dev=lo tcp:0.0.0.0:9000:reuseport=4 udp:[::]:5060:v6only; then
	not_ok "could not open the test sockets"
	finish
fi
run_plugin -C "$empty" --list
expect_rc "--list exits with the check's state (assigned ports: WARNING by default)" 1
rows() { printf '%s\n' "$OUT" | grep -E "^host +$1 +$2 +$3 +$4 +[0-9]+ +$5 "; }
check_row() {
	if [ -n "$(rows "$@")" ]; then ok "--list row $1 $2 stack=$3 if=$4 socks=$5"; else
		not_ok "--list row $1 $2 $3 $4 $5 missing"; printf '%s\n' "$OUT" | indent 30; fi
}
check_row tcp '127\.0\.0\.1:8080' v4 - 1
check_row tcp '\[::1\]:8443' v6 - 1
check_row tcp '\[::\]:2222' dual - 1
check_row udp '127\.0\.0\.1:5353' v4 - 1
check_row udp '\[::1\]:5353' v6 - 1
check_row udp '\[::\]:5060' v6only - 1
check_row tcp '0\.0\.0\.0:7000%lo' v4 lo 1
check_row tcp '0\.0\.0\.0:9000' v4 - 4
expect_out "--list shows exactly the 8 listeners" '^host ' 8
expect_out "--list shows the uid" '^host +tcp +127\.0\.0\.1:8080 +v4 +- +0 '
expect_out "--list is sorted by protocol then port" '^host +tcp +\[::\]:2222'

run_plugin -C "$empty"
expect_rc "listeners on assigned ports, no thresholds: WARNING (assigned defaults to warning)" 1
expect_line1 "perfdata counts listeners per protocol" 'listeners=8;;;0 .* tcp=5;;;0 udp=3;;;0 udplite=0;;;0 sctp=0;;;0 '
expect_line1 "perfdata counts unrecognised" 'unrecognised=8;;;0 '
# the thresholds: with assigned graded ok, only they can raise the state
run_plugin -C "$empty" --severity assigned=ok
expect_rc "assigned graded ok, no thresholds: OK" 0
run_plugin -C "$empty" -w 0 --severity assigned=ok
expect_rc "-w 0 turns the state to WARNING" 1
expect_line1 "-w 0 line 1" '^LISTENERS WARNING - 8 unrecognised listeners'
expect_line1 "-w 0 shows in perfdata" 'unrecognised=8;0;;0 '
run_plugin -C "$empty" -c 5: -w 10 --severity assigned=ok
expect_rc "-c 5: stays OK with 8" 0
run_plugin -C "$empty" -w 0 -c @8:9 --severity assigned=ok
expect_rc "-c @8:9 is CRITICAL" 2

# --- UDP-Lite and SCTP where the kernel has them -------------------------------
if hold udplite:127.0.0.1:6000 2>/dev/null; then
	run_plugin -C "$empty" --list
	expect_out "UDP-Lite listener listed" '^host +udplite +127\.0\.0\.1:6000 '
else
	skip "UDP-Lite: this kernel cannot open UDP-Lite sockets"
fi
if hold sctp:127.0.0.1:3868 2>/dev/null; then
	run_plugin -C "$empty" --list -vv
	if printf '%s\n' "$OUT" | grep -q 'sctp: not supported'; then
		skip "SCTP: sockets open but the kernel has no sctp_diag"
	else
		expect_out "SCTP listener listed" '^host +sctp +127\.0\.0\.1:3868 '
	fi
else
	skip "SCTP: this kernel has no SCTP (modprobe sctp)"
fi
finish
