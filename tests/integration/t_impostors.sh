#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_impostors.sh: issue 15 - defaults that catch impostors, known-abuse ports,
# thresholds that count findings (UDP clients apart). With the shipped sample
# config, in a private network and pid namespace (the owner scan reads only
# this test's processes, so every holder is known).
source "$(dirname "$0")/lib.sh"
private_world

sample=$(conf sample.conf < "$TESTS_DIR/../../conf/check_listeners.conf")
empty=$(conf empty.conf <<'C'
allow = ( { proto = "tcp"; port = 1; comment = "nothing"; } );
C
)

# impostor NAME SPEC RC LINE1 DETAIL: a process named evil holds SPEC.
impostor() {
	if ! hold --comm evil "$2"; then not_ok "$1: sockhold"; return; fi
	run_plugin -t 60 -C "$sample"
	printf '# %s\n' "$LINE1"
	expect_rc "$1" "$3"
	expect_line1 "$1: line 1" "$4"
	expect_out "$1: the detail line" "$5"
	expect_stderr_empty "$1"
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
}

# --- the three impostors of issue 15 ---------------------------------------------
impostor "evil on tcp/22 is not OK: assigned defaults to warning" tcp:0.0.0.0:22 1 \
	'^LISTENERS WARNING - 1 unrecognised listener on an assigned port \(tcp/22 evil\)' \
	'^WARNING: tcp 0\.0\.0\.0:22 assigned ssh - pid [0-9]+ evil '
impostor "evil on tcp/4444 is CRITICAL: Metasploit's port" tcp:0.0.0.0:4444 2 \
	'^LISTENERS CRITICAL - 1 unrecognised listener on a known-abuse port \(tcp/4444 evil\)' \
	'^CRITICAL: tcp 0\.0\.0\.0:4444 assigned krb524 known-abuse - Metasploit default handler port.*; pid [0-9]+ evil '
impostor "evil on udp/31337 is CRITICAL: Back Orifice's port" udp:0.0.0.0:31337 2 \
	'^LISTENERS CRITICAL - 1 unrecognised listener on a known-abuse port \(udp/31337 evil\)' \
	'^CRITICAL: udp 0\.0\.0\.0:31337 assigned eldim known-abuse - Back Orifice'

# --- every listed port, with the built-in defaults (no config file at all) --------
for spec in tcp:0.0.0.0:12345 tcp:0.0.0.0:12346 tcp:127.0.0.1:2375 tcp:0.0.0.0:9001 \
		tcp:0.0.0.0:9030 tcp:0.0.0.0:1337 tcp:0.0.0.0:31337; do
	hold "$spec" || { not_ok "sockhold $spec"; continue; }
	run_plugin -t 60 -C "$empty"
	expect_rc "$spec: known-abuse is critical by default" 2
	expect_line1 "$spec: named on line 1" "known-abuse port"
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
done

# --- severity.suspicious and the config's own list --------------------------------
hold tcp:0.0.0.0:4444 tcp:0.0.0.0:6667 || not_ok "sockhold 4444 6667"
cfg=$(conf abuse.conf <<'C'
severity = { suspicious = "warning"; assigned = "ok"; };
registry = { suspicious = [ "6667/tcp" ]; not_suspicious = [ "4444/tcp" ]; };
allow = ( { proto = "tcp"; port = 1; } );
C
)
run_plugin -t 60 -C "$cfg"
expect_rc "registry.suspicious adds 6667/tcp, graded severity.suspicious = warning" 1
expect_out "6667/tcp is suspicious by the configuration" \
	'^WARNING: tcp 0\.0\.0\.0:6667 assigned [a-z]+ known-abuse - listed in registry\.suspicious'
expect_out "registry.not_suspicious removes 4444/tcp: graded as assigned (ok)" '^OK: tcp 0\.0\.0\.0:4444 assigned krb524 - '
run_plugin --severity suspicious=critical -C "$cfg"
expect_rc "--severity suspicious=critical wins over the file" 2
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null

# --- --port-info shows the reason ---------------------------------------------------
run_plugin --port-info 4444/tcp
expect_out "--port-info 4444/tcp gives the reason and its source" \
	'^4444/tcp: assigned, service krb524 .*; known-abuse port: Metasploit default handler port .*\(source: Metasploit'
run_plugin --port-info 22/tcp
expect_no_out "--port-info 22/tcp: not a known-abuse port" 'known-abuse'
run_plugin --port-info 6667/tcp -C "$cfg"
expect_out "--port-info -C FILE: ports the configuration adds" '^6667/tcp: .*known-abuse port: listed in registry\.suspicious'
run_plugin --port-info 4444/tcp -C "$cfg"
expect_no_out "--port-info -C FILE: entries the configuration removes" 'known-abuse'

# --- thresholds count findings; UDP clients have their own label ------------------
hold udp:0.0.0.0:0 || not_ok "sockhold udp:0 (a UDP client socket)"
run_plugin -t 60 -C "$empty" -w 0
expect_rc "-w 0 next to a UDP client socket in the ephemeral range: OK, cannot flap" 0
expect_line1 "unrecognised= counts no UDP client" ' unrecognised=0;0;;0 '
expect_line1 "UDP clients have their own perfdata label" ' unrecognised_udp_ephemeral=1;;;0 '
hold tcp:127.0.0.1:8080 || not_ok "sockhold tcp 8080"
run_plugin -t 60 -C "$empty" -w 0 --severity assigned=ok
expect_rc "-w 0 with one real finding graded ok: WARNING by the threshold" 1
expect_line1 "unrecognised= counts the finding" ' unrecognised=1;0;;0 '
finish
