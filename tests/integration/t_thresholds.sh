#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Thresholds in the file (issue 18): `thresholds = { warning = "RANGE";
# critical = "RANGE"; };` drives the state from the number of unrecognised
# listeners, so that a sudo command line can stay fixed; -w/-c win when given.
source "$(dirname "$0")/lib.sh"
private_netns

# Three unrecognised listeners on assigned ports, graded ok (assigned defaults
# to warning since issue 15), so any WARNING or CRITICAL below comes from the
# thresholds.
OK_ASSIGNED='severity = { assigned = "ok"; };'
svc=$(conf none.conf <<< "$OK_ASSIGNED")
if ! hold tcp:127.0.0.1:80 tcp:127.0.0.1:443 tcp:127.0.0.1:25; then
	not_ok "could not open the test sockets"; finish
fi

run_plugin -C "$svc"
expect_rc "no thresholds: three unrecognised listeners on assigned ports are OK" 0
expect_line1 "no thresholds: the perfdata has no warn/crit" ' unrecognised=3;;;0 '

warn=$(conf warn.conf <<EOF
$OK_ASSIGNED
thresholds = { warning = "2"; };
EOF
)
run_plugin -C "$warn"
expect_rc "thresholds.warning = \"2\" and 3 unrecognised: WARNING" 1
expect_line1 "thresholds.warning reaches the perfdata" ' unrecognised=3;2;;0 '

both=$(conf both.conf <<EOF
$OK_ASSIGNED
# The pattern for sudo: the command line stays fixed, the file moves.
thresholds = {
	warning = "1";
	critical = "@3:5";
};
EOF
)
run_plugin -C "$both"
expect_rc "thresholds.critical = \"@3:5\" and 3 unrecognised: CRITICAL" 2
expect_line1 "both thresholds reach the perfdata" ' unrecognised=3;1;@3:5;0 '

run_plugin -C "$both" -c 10
expect_rc "-c 10 wins over the file's critical: WARNING from the file's warning" 1
expect_line1 "-c on the command line is the perfdata's critical" ' unrecognised=3;1;10;0 '
run_plugin -C "$both" -w 5 -c 10
expect_rc "-w 5 -c 10 win over both: OK" 0

run_plugin -C "$both" --check-config
expect_rc "--check-config accepts the thresholds group" 0

run_plugin -C "$(conf int.conf <<< "$OK_ASSIGNED thresholds = { critical = 2; };")"
expect_rc "thresholds.critical = 2 (an integer is the range 2) and 3 unrecognised: CRITICAL" 2

for bad in 'warning = "5:1";' 'critical = "x";' 'warning = true;' 'critical = -1;' 'warn = "1";' 'warning = "";'; do
	f=$(conf bad.conf <<< "thresholds = { $bad };")
	run_plugin -C "$f"
	expect_rc "thresholds { $bad } is refused" 3
	expect_line1 "thresholds { $bad }: line 1 is the error, with FILE:LINE" '^LISTENERS UNKNOWN - .*bad\.conf:1: (warning|critical|warn|thresholds): .* \(1 error\)$'
	expect_out "thresholds { $bad }: the error names FILE:LINE and the key" "bad\\.conf:1: (warning|critical|warn|thresholds): "
done
finish
