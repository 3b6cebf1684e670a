#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Allowlist and verdicts (issue 5): rules, classes, require, expiry, learn mode,
# --check-config, and the refusal of unsafe config files, end to end.
source "$(dirname "$0")/lib.sh"
private_world

hold tcp:127.0.0.1:8080 tcp:0.0.0.0:27374 udp:[::]:5353:dual || { not_ok "cannot open test sockets"; finish; }

# --- an unassigned port is CRITICAL and named on line 1 ------------------------
base=$(conf base.conf <<'C'
allow = (
  { proto = "tcp"; port = 8080; address = "loopback"; comment = "web"; },
  { proto = "udp"; port = 5353; address = "any"; family = "ipv4"; comment = "mdns"; }
);
C
)
run_plugin -C "$base"
expect_rc "listener on unassigned 27374 is CRITICAL" 2
expect_line1 "line 1 names it" '^LISTENERS CRITICAL - 1 unrecognised listener on an unassigned port \(tcp/27374 sockhold\), 2 recognised \| '
expect_line1 "perfdata counts the class" ' unrecognised_unassigned=1;;;0 '
expect_out "detail line with class and owner" '^CRITICAL: tcp 0\.0\.0\.0:27374 unassigned - pid [0-9]+ sockhold \(.*sockhold\) user root'
expect_no_out "recognised listeners are not detail lines by default" '^OK: '
run_plugin -C "$base" -v
expect_out "-v lists recognised listeners with their rule" '^OK: tcp 127\.0\.0\.1:8080 assigned http-alt.* recognised by .*base\.conf:2 \(web\)'
expect_out "a dual-stack [::] listener matches a family = ipv4 rule" '^OK: udp \[::\]:5353 \(dual-stack\)'

# --- allow it: OK; a temporary rule that expired: back to CRITICAL -------------
yesterday=$(date -d yesterday +%F)
tomorrow=$(date -d tomorrow +%F)
ok_conf=$(conf ok.conf <<C
allow = (
  { proto = "tcp"; port = 8080; },
  { proto = "udp"; port = 5353; },
  { proto = "tcp"; port = 27374; expires = "$tomorrow"; comment = "vendor test"; }
);
C
)
run_plugin -C "$ok_conf"
expect_rc "a live temporary rule recognises the listener" 0
expect_line1 "all recognised" '^LISTENERS OK - 3 listeners, all recognised \| '
sed -i "s/$tomorrow/$yesterday/" "$ok_conf"
run_plugin -C "$ok_conf"
expect_rc "an expired rule stops matching" 2
expect_out "the expired rule is named" "^expired rule: .*ok\.conf:[0-9]+ \(expired $yesterday\)"
expect_line1 "line 1 counts the expired rule" '1 rule expired'

# --- @include: a shared base plus a host file ------------------------------------
conf fleet.conf > /dev/null <<'C'
severity = { dynamic = "critical"; };
C
inc=$(conf host.conf <<'C'
@include "fleet.conf"
allow = ( { proto = ["tcp", "udp"]; port = [8080, 5353, 27374]; } );
C
)
run_plugin -C "$inc"
expect_rc "@include of a fleet file works" 0

# --- require: a service that must be up ----------------------------------------
req=$(conf req.conf <<'C'
allow = (
  { proto = "tcp"; port = "1-65535"; },
  { proto = "udp"; },
  { proto = "tcp"; port = 22; comment = "OpenSSH"; require = true; }
);
C
)
run_plugin -C "$req"
expect_rc "a required listener that is missing is CRITICAL" 2
expect_line1 "line 1 says which" '1 required listener missing \(OpenSSH\)'
expect_out "detail line names the rule" '^CRITICAL: required listener missing: rule .*req\.conf:4 \(OpenSSH\)'

# --- severities by class, from the file and the command line --------------------
hold udp:127.0.0.1:61500 || not_ok "cannot open udp 61500"
dyn=$(conf dyn.conf <<'C'
allow = ( { proto = ["tcp", "udp"]; port = [8080, 5353, 27374]; } );
C
)
run_plugin -C "$dyn"
expect_rc "an unrecognised UDP socket on a dynamic port outside the ephemeral range is WARNING" 1
run_plugin -C "$dyn" --severity dynamic=critical
expect_rc "--severity dynamic=critical raises it" 2
run_plugin -C "$dyn" --severity dynamic=ok
expect_rc "--severity dynamic=ok lowers it" 0

# --- owner rules without privilege: UNKNOWN, never a silent mismatch -----------------
own=$(conf own.conf <<'C'
allow = (
  { proto = ["tcp", "udp"]; port = [8080, 5353, 61500]; },
  { proto = "tcp"; port = 27374; process = "sockhold"; comment = "test daemon"; }
);
C
)
run_plugin -C "$own"
expect_rc "as root the process rule is verified" 0
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" -C "$own" 2>&1); RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
expect_rc "as nobody the process rule cannot be verified: UNKNOWN" 3
expect_line1 "line 1 says why" 'not verifiable \(owner unknown\)'
expect_out "the missing privilege is explained" 'CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE'

reqown=$(conf reqown.conf <<'C'
allow = (
  { proto = ["tcp", "udp"]; port = [8080, 5353, 61500]; },
  { proto = "tcp"; port = 27374; process = "sockhold"; comment = "test daemon"; require = true; }
);
C
)
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" -C "$reqown" 2>&1); RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
expect_rc "as nobody a required rule with a process field is UNKNOWN, not CRITICAL" 3
expect_line1 "line 1 says the required listener is not verifiable" '1 required listener not verifiable'
expect_no_out "it is not reported missing" 'required listener missing'
expect_out "the detail line names the rule" '^UNKNOWN: required listener not verifiable \(owner unknown\): rule .*reqown\.conf:3 \(test daemon\)'
run_plugin -C "$reqown"
expect_rc "as root the same required rule is met" 0

# --- learn mode round trip --------------------------------------------------------
run_plugin --generate-config
expect_rc "--generate-config exits 0" 0
printf '%s\n' "$OUT" > "$TMP/learned.conf"; chmod 644 "$TMP/learned.conf"
run_plugin --check-config -C "$TMP/learned.conf"
expect_rc "the generated config is valid" 0
run_plugin -C "$TMP/learned.conf"
expect_rc "the generated config recognises every listener" 0
expect_line1 "round trip line 1" '^LISTENERS OK - 4 listeners, all recognised'

# --- --check-config reports every error with file and line -----------------------
bad=$(conf bad.conf <<'C'
allow = (
  { proto = "tcp"; port = 65536; },
  { proto = "tcp"; port = "22-21"; },
  { proto = "tcp"; port = "0x16"; },
  { proto = "tcp"; address = "10.0.0.0/33"; },
  { proto = "tcp"; port = 1; expires = "2026-02-30"; },
  { },
  { proto = "tcp"; colour = "blue"; },
  { proto = 6; }
);
C
)
run_plugin --check-config -C "$bad"
expect_rc "--check-config on a bad file" 3
expect_line1 "line 1 names the first error with file:line, and the count" "^LISTENERS UNKNOWN - .*bad\.conf:2: port: 65536 is out of range \(0-65535\) \(8 errors\)$"
for line in 2 3 4 5 6 7 8 9; do
	expect_out "error reported at line $line" "bad\.conf:$line: "
done
run_plugin -C "$bad"
expect_rc "a check with an invalid config is UNKNOWN" 3
run_plugin --check-config -C "$base"
expect_rc "--check-config on a good file" 0
expect_line1 "--check-config OK line" 'configuration .*base\.conf is valid \(2 rules\)'
run_plugin -C "$TMP/does-not-exist.conf"
expect_rc "a named config that does not exist is UNKNOWN" 3

# --- as root, an unsafe config is refused --------------------------------------------
chmod 666 "$base"
run_plugin -C "$base"
expect_rc "a world-writable config is refused as root" 3
expect_out "the refusal says why" 'writable by'
chmod 644 "$base"
chown nobody "$base"
run_plugin -C "$base"
expect_rc "a config not owned by root is refused as root" 3
chown root "$base"
ln -s "$base" "$TMP/link.conf"
run_plugin -C "$TMP/link.conf"
expect_rc "a symlink to a safe config is accepted" 2
run_plugin -C "$TMP"
expect_rc "a directory as config is UNKNOWN" 3
finish
