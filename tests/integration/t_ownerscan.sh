#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The owner scan cannot be stalled (issue 13): 60 processes of user nobody
# with 16,000 descriptors each, started after the listener so that a newest-
# first /proc walk meets them first. With -t 3 the verdict of a listener on an
# unassigned port, which no rule needs the owner of, is CRITICAL, decided as
# if the owner were known; the alarm never ends the run. Heavy (960,000
# descriptors); the assertions do not depend on how far the scan gets.
source "$(dirname "$0")/lib.sh"
private_world

FDPASS=$(dirname "$SOCKHOLD")/fdpass
[ -x "$FDPASS" ] || { not_ok "no $FDPASS (make build/fdpass)"; finish; }

hold tcp:0.0.0.0:27400 tcp:127.0.0.1:27401 || { not_ok "cannot open the listeners"; finish; }
FLOOD_OUT="$TMP/flood.out"
"$FDPASS" flood 60 16000 65534 > "$FLOOD_OUT" 2>&1 &
HOLDERS+=($!)
for _ in $(seq 1500); do grep -q '^ready' "$FLOOD_OUT" && break; kill -0 "${HOLDERS[-1]}" 2>/dev/null || break; sleep 0.02; done
if ! grep -q '^ready' "$FLOOD_OUT"; then
	not_ok "cannot start the descriptor flood: $(cat "$FLOOD_OUT")"; finish
fi
ok "descriptor flood up: 60 processes of nobody, 16000 descriptors each"

# 27400: no rule at all, the owner is only shown. 27401: the only rule needs
# the process, so that listener alone may be UNKNOWN when the scan is cut.
cf=$(conf flood.conf <<'EOF'
allow = ( { proto = "tcp"; port = 27401; process = "sockhold"; } );
EOF
)
run_plugin -C "$cf" -t 3
expect_rc "descriptor flood, -t 3: CRITICAL, not UNKNOWN" 2
expect_no_out "the alarm did not end the run" 'timed out'
expect_line1 "line 1 names the unrecognised listener" '^LISTENERS CRITICAL - .*tcp/27400'
expect_out "the listener is decided and shown" '^CRITICAL: tcp 0\.0\.0\.0:27400 unassigned - '
if printf '%s\n' "$OUT" | grep -q 'pid ?'; then
	expect_out "a cut scan is said once" '^note: .*ran out of time' 1
	expect_no_out "a cut scan never shows no holder" 'no holder'
else
	expect_out "the scan finished in time: the owner is shown" '^CRITICAL: tcp 0\.0\.0\.0:27400 unassigned - pid [0-9]+ '
fi
expect_stderr_empty "flood"

run_plugin -C "$cf" -t 3 --format json
expect_schema "JSON under the flood"
if printf '%s\n' "$OUT" | jq -e '.state == "CRITICAL"' > /dev/null 2>&1; then
	ok "JSON under the flood: CRITICAL"
else
	not_ok "JSON under the flood: CRITICAL"; printf '%s\n' "$OUT" | indent 3
fi
finish
