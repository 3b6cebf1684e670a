#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_config_checks.sh: issue 15 - --check-config catches what cannot work, line 1
# names the first error, drop-in directories, mixed port lists, one class
# everywhere (registry.unassigned), --port-info with -C and --format json.
# In a private network and pid namespace: the owners are this test's own.
source "$(dirname "$0")/lib.sh"
private_world
ROOT=$(cd "$TESTS_DIR/../.." && pwd)

# --- registry.file: missing is an error with file:line; relative to the config ------
cfg=$(conf regmissing.conf <<'C'
registry = {
  file = "no-such-registry.csv";
};
allow = ( { proto = "tcp"; port = 22; } );
C
)
run_plugin --check-config -C "$cfg"
expect_rc "--check-config: a registry.file that does not exist is an error" 3
expect_line1 "line 1 names it with file:line" "^LISTENERS UNKNOWN - $cfg:2: file: .*no-such-registry\.csv.* \(1 error\)"
run_plugin -C "$cfg"
expect_rc "a check run: the same error, not a later registry failure" 3
expect_line1 "a check run: line 1 names file:line" "^LISTENERS UNKNOWN - $cfg:2: file: "

mkdir -p "$TMP/etc/sub" "$TMP/elsewhere"
cp "$ROOT/tests/fixtures/registry/valid.csv" "$TMP/etc/sub/iana.csv"; chmod 644 "$TMP/etc/sub/iana.csv"
cat > "$TMP/etc/relative.conf" <<'C'
registry = { file = "sub/iana.csv"; };
allow = ( { proto = "tcp"; port = 22; } );
C
chmod 644 "$TMP/etc/relative.conf"
OUT=$(cd "$TMP/elsewhere" && "$PLUGIN" --check-config -C ../etc/relative.conf); RC=$?
expect_rc "a relative registry.file resolves against the config file's directory, not the cwd" 0
hold tcp:127.0.0.1:8080 || not_ok "sockhold 8080"
OUT=$(cd "$TMP/elsewhere" && "$PLUGIN" -C ../etc/relative.conf --list); RC=$?
expect_no_out "no registry error" 'cannot use port registry'
expect_out "and the check run uses it: 8080 is not in that small registry" '^host +tcp +127\.0\.0\.1:8080 .* unassigned '
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null

# --- process longer than 15 bytes; process alone; unknown user --------------------
cfg=$(conf proc.conf <<'C'
allow = (
  { proto = "udp"; port = 53; process = "systemd-resolved"; },
  { proto = "tcp"; port = 25; process = "exim4"; }
);
C
)
run_plugin --check-config -C "$cfg"
expect_rc "a process of 16 bytes can never match the 15-byte comm: error" 3
expect_line1 "line 1 names it" "^LISTENERS UNKNOWN - $cfg:2: process: \"systemd-resolved\" is 16 bytes.*15"
cfg=$(conf alone.conf <<'C'
allow = (
  { proto = "tcp"; port = 25; process = "exim4"; },
  { proto = "tcp"; port = 26; process = "exim4"; user = "root"; },
  { proto = "tcp"; port = 27; user = "no-such-user-cl15"; }
);
C
)
run_plugin --check-config -C "$cfg"
expect_rc "a rule on process alone and an unknown user: still valid" 0
expect_out "the rule on process alone gets a note" "^note: $cfg:2: .*the command name is chosen by the process itself" 1
expect_out "an unknown user gets a warning line" "^warning: $cfg:4: user: \"no-such-user-cl15\" is not a user on this host"
expect_line1 "line 1 says valid, with the count of warnings and notes" \
	"^LISTENERS OK - configuration .* is valid \(3 rules; 1 warning, 1 note\)"

# --- line 1 names the first error ---------------------------------------------------
cfg=$(conf errors.conf <<'C'
# a comment
allow = (
  { proto = "tcp"; port = 22; },
  { proto = "tcp"; port = 23; },
  { proto = "tcp"; port = 24; },
  { proto = "tcp";
    port = 70000; },
  { proto = "tcpx"; port = 1; },
  { proto = "tcp"; port = "9-8"; }
);
C
)
run_plugin -C "$cfg"
expect_rc "an invalid config is UNKNOWN" 3
expect_line1 "line 1 is the first error with file:line and the count" \
	"^LISTENERS UNKNOWN - $cfg:7: port: 70000 is out of range \(0-65535\) \(3 errors\)$"
run_plugin --check-config -C "$cfg"
expect_line1 "--check-config: the same line 1" "^LISTENERS UNKNOWN - $cfg:7: port: 70000 is out of range \(0-65535\) \(3 errors\)$"
expect_out "every error on its own line after it" "^$cfg:(7|8|9): " 3

# --- mixed port lists ------------------------------------------------------------------
cfg=$(conf mixed.conf <<'C'
allow = ( { proto = "tcp"; port = ( 22, "8000-8099", 27374 ); } );
C
)
run_plugin --check-config -C "$cfg"
expect_rc "port = ( 22, \"8000-8099\", 27374 ): a list mixes numbers and ranges" 0
hold tcp:127.0.0.1:22 tcp:127.0.0.1:8050 tcp:127.0.0.1:27374 || not_ok "sockhold for the mixed list"
run_plugin -C "$cfg"
expect_line1 "every port of the mixed list is recognised" '^LISTENERS OK - 3 listeners, all recognised'
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
cfg=$(conf array.conf <<'C'
allow = ( { proto = "tcp"; port = [ 22, "80-90" ]; } );
C
)
run_plugin --check-config -C "$cfg"
expect_rc "an array [ ] of mixed types is an error" 3
expect_line1 "the error says what to write instead" \
	"^LISTENERS UNKNOWN - $cfg:1: .*\[ \] holds values of one type: write a list \( 22, \"80-90\" \)"

# --- fleet drop-ins ----------------------------------------------------------------------
mkdir -p "$TMP/fleet/check_listeners.d"
cat > "$TMP/fleet/check_listeners.conf" <<'C'
allow = ( { proto = "tcp"; port = 22; comment = "main"; } );
C
cat > "$TMP/fleet/check_listeners.d/20-host.conf" <<'C'
allow = ( { proto = "tcp"; port = 8080; comment = "host 20"; } );
C
cat > "$TMP/fleet/check_listeners.d/10-base.conf" <<'C'
allow = ( { proto = "tcp"; port = [ 8080, 8081 ]; comment = "base 10"; } );
C
printf 'allow = ( { proto = "tcp"; port = 1; } );\n' > "$TMP/fleet/check_listeners.d/ignored.txt"
chmod 644 "$TMP/fleet/check_listeners.conf" "$TMP/fleet/check_listeners.d"/*
hold tcp:127.0.0.1:22 tcp:127.0.0.1:8080 tcp:127.0.0.1:8081 || not_ok "sockhold for the drop-ins"
run_plugin -C "$TMP/fleet/check_listeners.conf" -v
expect_rc "the drop-ins' rules are appended to the main file's" 0
expect_out "read in name order: 10-base before 20-host" "^OK: tcp 127\.0\.0\.1:8080 .*recognised by $TMP/fleet/check_listeners\.d/10-base\.conf:1 \(base 10\)"
expect_out "the main file's rules come first" "^OK: tcp 127\.0\.0\.1:22 .*recognised by $TMP/fleet/check_listeners\.conf:1 \(main\)"
run_plugin --check-config -C "$TMP/fleet/check_listeners.conf"
expect_line1 "--check-config counts the rules of every file" '^LISTENERS OK - configuration .* is valid \(3 rules\)'
printf 'severity = { assigned = "ok"; };\n' > "$TMP/fleet/check_listeners.d/30-bad.conf"; chmod 644 "$TMP/fleet/check_listeners.d/30-bad.conf"
run_plugin --check-config -C "$TMP/fleet/check_listeners.conf"
expect_line1 "a drop-in holds allow only" "^LISTENERS UNKNOWN - $TMP/fleet/check_listeners\.d/30-bad\.conf:1: severity: .*drop-in"
rm -f "$TMP/fleet/check_listeners.d/30-bad.conf"
chmod 666 "$TMP/fleet/check_listeners.d/20-host.conf"
run_plugin -C "$TMP/fleet/check_listeners.conf"
expect_rc "as root, a drop-in writable by others is refused like the main file" 3
expect_line1 "and named" "20-host\.conf.*refused: writable by others"
chmod 644 "$TMP/fleet/check_listeners.d/20-host.conf"
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null

# --- the README's fleet example, as written there ------------------------------------------
readme_block() {   # the code block after the marker line <!-- example: NAME -->
	awk -v m="<!-- example: $1 -->" '$0 == m { on = 1; next } on && /^```/ { if (inb) exit; inb = 1; next } on && inb' "$ROOT/README.md"
}
mkdir -p "$TMP/readme/check_listeners.d"
readme_block check_listeners.conf > "$TMP/readme/check_listeners.conf"
readme_block check_listeners.d/00-fleet.conf > "$TMP/readme/check_listeners.d/00-fleet.conf"
chmod 644 "$TMP/readme/check_listeners.conf" "$TMP/readme/check_listeners.d/00-fleet.conf"
if [ -s "$TMP/readme/check_listeners.conf" ] && [ -s "$TMP/readme/check_listeners.d/00-fleet.conf" ]; then
	run_plugin --check-config -C "$TMP/readme/check_listeners.conf"
	expect_rc "the README's fleet example is valid" 0
	hold tcp:0.0.0.0:22 udp:0.0.0.0:123 tcp:127.0.0.1:8080 tcp:127.0.0.1:8443 || not_ok "sockhold for the README example"
	run_plugin -C "$TMP/readme/check_listeners.conf"
	expect_line1 "the README's fleet example recognises its listeners" '^LISTENERS OK - 4 listeners, all recognised'
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
else
	not_ok "the README has no fleet example (<!-- example: check_listeners.conf --> and check_listeners.d/00-fleet.conf)"
fi

# --- one class everywhere: registry.unassigned ---------------------------------------------
cfg=$(conf override.conf <<'C'
registry = { unassigned = [ "3206/tcp" ]; };
allow = ( { proto = "tcp"; port = 1; } );
C
)
hold tcp:127.0.0.1:3206 || not_ok "sockhold 3206"
run_plugin -C "$cfg"
expect_line1 "line 1: unassigned" 'on an unassigned port \(tcp/3206'
expect_out "the detail line: unassigned, not ironmail" '^CRITICAL: tcp 127\.0\.0\.1:3206 unassigned - '
run_plugin -C "$cfg" --list
expect_out "--list: unassigned" '^host +tcp +127\.0\.0\.1:3206 .* unassigned +- +CRITICAL'
run_plugin -C "$cfg" --format json
if printf '%s\n' "$OUT" | jq -e '.listeners[] | select(.port == 3206) | .class == "unassigned" and .service == null' > /dev/null; then
	ok "JSON: class unassigned, no service"; else not_ok "JSON class of 3206"; printf '%s\n' "$OUT" | indent; fi
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
run_plugin --port-info 3206/tcp -C "$cfg"
expect_out "--port-info -C FILE: unassigned by the configuration" '^3206/tcp: unassigned \(registry\.unassigned in the configuration; IANA: ironmail\)'
run_plugin --port-info 3206/tcp
expect_out "--port-info without -C: the registry's class" '^3206/tcp: assigned, service ironmail'
run_plugin --port-info 4444/tcp --format json
if printf '%s\n' "$OUT" | jq -e '.port == 4444 and (.protocols | length == 1) and .protocols[0].proto == "tcp"
		and .protocols[0].class == "assigned" and .protocols[0].service == "krb524"
		and (.protocols[0].suspicious.reason | test("Metasploit"))' > /dev/null; then
	ok "--port-info --format json"; else not_ok "--port-info --format json"; printf '%s\n' "$OUT" | indent; fi
finish
