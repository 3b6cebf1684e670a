#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A listener with many sockets and many holders cannot stall the verdict.
# Any user can put up to 32,768 sockets in one SO_REUSEPORT group and have
# each held by several processes. A rule on the executable needs every holder
# of every socket, so the scan reads them all. Judging them paired each socket
# with every link (quadratic): with 32,000 sockets and 256,000 links the alarm
# of -t 5 ended the run (UNKNOWN) although the dump had finished and another
# listener was CRITICAL. The assertions do not depend on how far the scan gets.
# Heavy: 256,000 descriptors.
source "$(dirname "$0")/lib.sh"
private_world

ulimit -n "$(ulimit -Hn)" 2>/dev/null
per=$(( $(ulimit -n) - 200 ))
[ "$per" -gt 16000 ] && per=16000
[ "$per" -ge 4000 ] || { not_ok "the descriptor limit $(ulimit -n) is too low for this test"; finish; }

AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
for g in 1 2; do
	start "${AS_NOBODY[@]}" "$SOCKHOLD" --forks 7 "tcp:127.0.0.1:27410:reuseport=$per" ||
		{ not_ok "cannot open the SO_REUSEPORT group"; finish; }
done
ok "one listener: $(( 2 * per )) sockets of nobody, each held by 8 processes"
hold tcp:127.0.0.1:27402 || { not_ok "cannot open the unassigned listener"; finish; }

cf=$(conf big.conf <<EOF
allow = ( { proto = "tcp"; port = 27410; exe = "$(readlink -f "$SOCKHOLD")"; user = "nobody"; } );
EOF
)
run_plugin -C "$cf" -t 5 -v
expect_rc "many holders, -t 5: CRITICAL, not UNKNOWN" 2
expect_no_out "the alarm did not end the run" 'timed out'
expect_line1 "line 1 names the unassigned listener" '^LISTENERS CRITICAL - .*tcp/27402'
if printf '%s\n' "$OUT" | grep -q '^note: .*ran out of time'; then
	expect_out "a cut scan is said once" '^note: .*ran out of time' 1
	expect_out "the group needs every holder: UNKNOWN" '^UNKNOWN: tcp 127\.0\.0\.1:27410 '
else
	expect_out "every holder judged: the group is recognised" '^OK: tcp 127\.0\.0\.1:27410 .*recognised'
fi
expect_stderr_empty "many holders"
finish
