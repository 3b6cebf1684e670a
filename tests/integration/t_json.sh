#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# JSON and output size (issues 7 and 18): --format json is one document of
# the versioned contract (conf/check_listeners.schema.json) with every
# listener, whatever the process names hold; every document here is validated
# against the schema; --max-output keeps the whole text output within the
# limit while line 1 and its perfdata stay whole.
source "$(dirname "$0")/lib.sh"
# In a pid namespace of its own: the owner scan reads only the processes of
# this test. On the host's /proc, processes with many descriptors started after
# the holders (another test's descriptor flood, a bench) are read first, newest
# first, and can use up the scan's time: the owner was then "denied", pid null.
private_world

need_tools jq

# A name made to break parsers and terminals: | starts perfdata, " ends a
# JSON string, \ escapes, a newline starts a line, ESC colours a terminal.
HOSTILE=$'x|y"z\\\n\x1b[31m'
allow=$(conf allow.conf <<'EOF'
allow = ( { proto = "tcp"; port = 8080; address = "loopback"; comment = "a \"quoted\" | piped comment"; } );
EOF
)

if ! hold tcp:127.0.0.1:8080 'tcp:[::1]:8443:v6only' udp:127.0.0.1:5353 'tcp:[::]:2222:dual'; then
	not_ok "could not open the test sockets"; finish
fi
if ! hold --comm "$HOSTILE" tcp:127.0.0.1:27374 'udp:[::1]:40000'; then
	not_ok "could not open the hostile process's sockets"; finish
fi
HOSTILE_PID=$HOLD_PID

run_plugin -C "$allow"
TEXT_RC=$RC TEXT_LINE1=$LINE1 TEXT_OUT=$OUT
expect_rc "text run: the unassigned port is CRITICAL" 2
if [ "$(printf '%s\n' "$TEXT_LINE1" | tr -cd '|' | wc -c)" = 1 ]; then
	ok "text run: the hostile name adds no '|' to line 1"
else
	not_ok "text run: line 1 holds more than one '|'"; printf '%s\n' "$TEXT_LINE1" | cat -v | indent
fi
if printf '%s' "$TEXT_OUT" | grep -q $'\x1b'; then
	not_ok "text run: an escape character reaches the output"
else
	ok "text run: no escape character in the output"
fi

run_plugin -C "$allow" --format json
JSON=$OUT
expect_rc "--format json exits with the check's state" "$TEXT_RC"
expect_stderr_empty "--format json"
expect_schema "--format json with hostile names"
if printf '%s' "$JSON" | jq -e . > /dev/null 2>&1; then ok "--format json is valid JSON (jq)"; else
	not_ok "--format json is not valid JSON"; printf '%s\n' "$JSON" | cat -v | indent 40; finish; fi
if printf '%s' "$JSON" | python3 -m json.tool > /dev/null 2>&1; then ok "--format json is valid JSON (python3 -m json.tool)"; else
	not_ok "python3 -m json.tool rejects the document"; fi
if [ "$(printf '%s\n' "$JSON" | wc -l)" = 1 ]; then ok "--format json is one line"; else
	not_ok "--format json spans $(printf '%s\n' "$JSON" | wc -l) lines"; fi

jqv() { printf '%s' "$JSON" | jq -r "$@"; }
state_word=$(printf '%s\n' "$TEXT_LINE1" | sed -E 's/^LISTENERS ([A-Z]+) - .*/\1/')
[ "$(jqv .state)" = "$state_word" ] && ok "json state $(jqv .state) equals the text run's" ||
	not_ok "json state $(jqv .state), text run $state_word"
[ "$(jqv .exit_code)" = "$TEXT_RC" ] && ok "json exit_code equals the text run's exit code" ||
	not_ok "json exit_code $(jqv .exit_code), text run $TEXT_RC"
expect_same "json output (unescaped) equals the text run's line 1" "$(unescape "$(jqv .output)")" "$TEXT_LINE1"
[ "$(jqv '.schema_version') $(jqv '.outcome') $(jqv '.plugin.name')" = "2 checked check_listeners" ] &&
	ok "schema_version 2, outcome checked, plugin check_listeners" ||
	not_ok "head: $(jqv '.schema_version') $(jqv '.outcome') $(jqv '.plugin.name')"
got=$(jqv '.details[]' | while IFS= read -r l; do unescape "$l"; echo; done)
expect_same "json details (unescaped) equal the text run's long output" "$got" "$(printf '%s\n' "$TEXT_OUT" | tail -n +2)"

# Every listener, by protocol and endpoint.
want="tcp 127.0.0.1:8080
tcp [::1]:8443
udp 127.0.0.1:5353
tcp [::]:2222
tcp 127.0.0.1:27374
udp [::1]:40000"
got=$(jqv '.listeners[] | "\(.proto) \(if .family == "ipv6" then "[\(.address)]" else .address end):\(.port)"' | sort)
if [ "$got" = "$(printf '%s\n' "$want" | sort)" ]; then ok "json lists exactly the 6 listeners"; else
	not_ok "json listeners differ"; diff <(printf '%s\n' "$want" | sort) <(printf '%s\n' "$got") | indent; fi
[ "$(jqv .counts.listeners)" = 6 ] && ok "json counts.listeners is 6" || not_ok "json counts.listeners = $(jqv .counts.listeners)"
sum=$(jqv '.counts.recognised + .counts.unrecognised + .counts.unverifiable')
[ "$sum" = 6 ] && ok "recognised + unrecognised + unverifiable = 6" || not_ok "counts add up to $sum"

l8080='.listeners[] | select(.address == "127.0.0.1" and .port == 8080)'
[ "$(jqv "$l8080 | .verdict")" = recognised ] && ok "tcp/8080 recognised" || not_ok "tcp/8080: $(jqv "$l8080 | .verdict")"
[ "$(jqv "$l8080 | .rule.comment")" = 'a "quoted" | piped comment' ] &&
	ok "the matching rule's comment round-trips" || not_ok "rule comment: $(jqv "$l8080 | .rule.comment" | cat -v)"
jqv "$l8080 | .rule.origin" | grep -Eq "^$allow:[0-9]+$" && ok "the matching rule names its FILE:LINE" ||
	not_ok "rule origin: $(jqv "$l8080 | .rule.origin")"

h='.listeners[] | select(.address == "127.0.0.1" and .port == 27374)'
[ "$(jqv "$h | .verdict") $(jqv "$h | .state") $(jqv "$h | .class")" = "unrecognised CRITICAL unassigned" ] &&
	ok "tcp/27374: unrecognised, CRITICAL, unassigned" ||
	not_ok "tcp/27374: $(jqv "$h | .verdict") $(jqv "$h | .state") $(jqv "$h | .class")"
[ "$(jqv "$h | .owner.pid")" = "$HOSTILE_PID" ] && ok "the owner's pid is the holder's" ||
	not_ok "owner pid $(jqv "$h | .owner.pid"), expected $HOSTILE_PID"
# jq -j prints the string raw, without a newline of its own.
# The contract's text is unescaped (\\ and \xHH) back to the bytes.
comm=$(unescape "$(printf '%s' "$JSON" | jq -j "$h | .owner.comm")"; printf .)
comm=${comm%.}
if [ "$comm" = "$HOSTILE" ]; then ok "the hostile process name round-trips byte for byte"; else
	not_ok "comm is $(printf '%s' "$comm" | od -c | head -3 | tr '\n' ' ')"; fi
printf '%s' "$JSON" | grep -q $'\x1b' && not_ok "a raw ESC in the JSON" || ok "no raw control character in the JSON"
[ "$(jqv '.listeners[] | select(.address == "::" and .port == 2222) | .dual_stack')" = true ] &&
	ok "the dual-stack listener says so" || not_ok "dual_stack not set on [::]:2222"
[ "$(jqv "$l8080 | .netns")" = host ] &&
	ok "the namespace label is there" || not_ok "netns missing"

# --- --max-output: 300 unrecognised listeners, 1 KiB ---------------------------------
if ! hold tcp:127.0.0.1:20000:n=300; then not_ok "could not open 300 listeners"; finish; fi
run_plugin -C "$allow"
FULL_LINE1=$LINE1
full_bytes=$(printf '%s\n' "$OUT" | wc -c)
run_plugin -C "$allow" --max-output 1024
bytes=$(printf '%s\n' "$OUT" | wc -c)
expect_rc "--max-output 1024 keeps the state" 2
if [ "$bytes" -le 1024 ]; then ok "--max-output 1024: $bytes bytes (without it: $full_bytes)"; else
	not_ok "--max-output 1024: $bytes bytes"; fi
expect_same "--max-output 1024: line 1 as without the limit" "$LINE1" "$FULL_LINE1"
expect_line1 "--max-output 1024: perfdata whole" '\| listeners=30[0-9];;;0 unrecognised=30[0-9];;;0 .* sctp=0;;;0 packet=0;;;0 raw=0;;;0 ping=0;;;0 time=[0-9.]+s;;;0$'
expect_out "--max-output 1024: says how much was cut" '^\.\.\. and [0-9]+ more lines? \(see --list\)$' 1
expect_out "--max-output 1024: keeps some detail lines" '^CRITICAL: tcp ' 
run_plugin -C "$allow" --max-output 1024 --format json
expect_schema "--format json with --max-output and 306 listeners"
if printf '%s' "$OUT" | jq -e '.listeners | length > 300' > /dev/null 2>&1; then
	ok "--format json with --max-output stays one whole valid document (306 listeners)"
else
	not_ok "--format json with --max-output is not a full valid document"
fi
# --- an early UNKNOWN and a timeout are JSON documents of the same shape ---------
run_plugin --format json -C "$TMP/no-such.conf"
expect_rc "--format json with a missing config" 3
expect_schema "--format json with a missing config"
if printf '%s' "$OUT" | jq -e --arg f "$TMP/no-such.conf" '.state == "UNKNOWN" and .exit_code == 3 and .outcome == "error"
		and (.output | startswith("LISTENERS UNKNOWN - " + $f + ": cannot open")) and (.details | length == 1)
		and .listeners == [] and .counts.listeners == 0 and .notes == []' > /dev/null 2>&1; then
	ok "an UNKNOWN before any listener is a JSON document: outcome error, empty lists"
else
	not_ok "an early UNKNOWN is not a JSON document of the contract"; printf '%s\n' "$OUT" | indent
fi
# The timeout: only what holds at any machine speed - the exit code, a valid
# document, a stage named (which stage ran out of time depends on the machine).
big_config "$TMP/big.conf"
run_plugin_stopped --format json -t 1 -C "$TMP/big.conf"
expect_rc "--format json -t 1 on a 300,000-rule config times out" 3
expect_schema "the timeout document"
if printf '%s' "$OUT" | jq -e '.state == "UNKNOWN" and .outcome == "timeout" and (.stage | length > 0)
		and (.stage as $s | .output | contains("timed out after 1 s while " + $s))' > /dev/null 2>&1; then
	ok "the timeout is a JSON document naming the stage ($(printf '%s' "$OUT" | jq -r .stage))"
else
	not_ok "the timeout is not a JSON document naming a stage"; printf '%s\n' "$OUT" | indent
fi

# --- a byte and a character can be told apart ------------------------------------------
# comm "caf\xe9" holds the byte 0xE9 (not UTF-8), comm "café" the character U+00E9.
if hold --comm $'caf\xe9' tcp:127.0.0.1:27401 && hold --comm 'café' tcp:127.0.0.1:27402 &&
	hold --comm 'caf\xe9' tcp:127.0.0.1:27403 && hold tcp:127.0.0.1:27404:dev=lo; then
	run_plugin -C "$allow" --format json
	expect_schema "--format json with non-UTF-8 names"
	c() { printf '%s' "$OUT" | jq -j ".listeners[] | select(.port == $1) | .owner.comm"; }
	[ "$(c 27401)" = 'caf\xe9' ] && ok "the byte 0xE9 is the text \\xe9" || not_ok "byte 0xE9: $(c 27401 | od -c | head -2)"
	[ "$(c 27402)" = 'café' ] && ok "the character é stays é" || not_ok "é: $(c 27402 | od -c | head -2)"
	[ "$(c 27403)" = 'caf\\xe9' ] && ok "the text \\xe9 in a name is \\\\xe9: no confusion with the byte" ||
		not_ok "text \\xe9: $(c 27403)"
	[ "$(unescape "$(c 27401)" | od -An -tx1 | tr -d ' \n')" = 636166e9 ] &&
		ok "unescaping gives back the byte 0xE9" || not_ok "unescaping 0xE9 failed"
	d='.listeners[] | select(.port == 27404)'
	[ "$(printf '%s' "$OUT" | jq -r "$d | \"\(.family) \(.address) \(.port) \(.interface)\"")" = "ipv4 127.0.0.1 27404 lo" ] &&
		ok "family, address, port and interface are separate fields" ||
		not_ok "fields of 127.0.0.1:27404%lo: $(printf '%s' "$OUT" | jq -c "$d")"
else
	not_ok "could not open the sockets of the byte test"
fi

# --- control characters are shown, never acted on (issue 18, F5) -------------------------
# A terminal acts on ESC, BEL and the C1 CSI (U+009B), a JavaScript parser ends
# a line at U+2028. A process chooses its comm and the path it runs from: both
# carry them here, with the byte 0x9B (not UTF-8), which must stay told apart
# from the character U+009B. The directory also holds the bidi override RLO and
# isolate LRI, which reorder what a display shows (comm has no room for them).
# Every string jq -r prints shows them as \uHHHH.
CTL=$'\x1b[31m\x07\xe2\x80\xa8\xc2\x9b\x9b'
CTL_TEXT='\u001b[31m\u0007\u2028\u009b\x9b'
BIDI=$'\xe2\x80\xae\xe2\x81\xa6'
BIDI_TEXT='\u202e\u2066'
CTL_DIR="$TMP/dir$CTL$BIDI"
# control_chars: counts the control characters (C0 but newline, DEL, C1, U+2028,
# U+2029, the bidi controls) in the UTF-8 text on stdin; prints nothing when it
# is not UTF-8.
control_chars() {
	/usr/bin/python3 -c 'import re, sys
print(len(re.findall(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]", sys.stdin.buffer.read().decode())))'
}
if mkdir "$CTL_DIR" && cp "$SOCKHOLD" "$CTL_DIR/evil$CTL" && start "$CTL_DIR/evil$CTL" --comm "e$CTL" tcp:127.0.0.1:27410; then
	CTL_PID=$PID
	run_plugin -C "$allow"
	n=$(printf '%s\n' "$OUT" | LC_ALL=C tr -d '\n -~' | wc -c)
	[ "$n" = 0 ] && ok "text run: only printable ASCII in the output" ||
		not_ok "text run: $n bytes outside printable ASCII"
	expect_out "text run: comm and exe show their control characters as \\xHH" \
		"^CRITICAL: tcp 127\\.0\\.0\\.1:27410 .*pid $CTL_PID e\\\\x1b\\[31m\\\\x07\\\\xe2\\\\x80\\\\xa8\\\\xc2\\\\x9b\\\\x9b \\(.*/evil\\\\x1b\\[31m\\\\x07"
	run_plugin -C "$allow" --list
	n=$(printf '%s\n' "$OUT" | LC_ALL=C tr -d '\n -~' | wc -c)
	[ "$n" = 0 ] && ok "--list: only printable ASCII" || not_ok "--list: $n bytes outside printable ASCII"
	run_plugin -C "$allow" --format json
	expect_schema "--format json with control characters in comm and exe"
	c='.listeners[] | select(.port == 27410) | .owner'
	n=$(printf '%s' "$OUT" | jq -r '.. | strings' | control_chars)
	[ "$n" = 0 ] && ok "jq -r: no control character in any decoded string" ||
		not_ok "jq -r: $n control characters in the decoded strings"
	got=$(printf '%s' "$OUT" | jq -r "$c | .comm")
	[ "$got" = "e$CTL_TEXT" ] && ok "comm decodes to the text e$CTL_TEXT" || not_ok "comm decodes to $got"
	got=$(printf '%s' "$OUT" | jq -r "$c | .holders[0].exe")
	[ "$got" = "$TMP/dir$CTL_TEXT$BIDI_TEXT/evil$CTL_TEXT" ] &&
		ok "exe decodes to $TMP/dir$CTL_TEXT$BIDI_TEXT/evil$CTL_TEXT" ||
		not_ok "exe decodes to $got"
	got=$(unescape "$(printf '%s' "$OUT" | jq -r "$c | .comm")"; printf .)
	[ "${got%.}" = "e$CTL" ] && ok "unescaping gives back the comm byte for byte" ||
		not_ok "unescaped comm: $(printf '%s' "${got%.}" | od -An -tx1)"
	# details hold the text output's lines, whose \xHH is text: \\x1b once decoded
	printf '%s' "$OUT" | jq -r '.details[]' | grep -qF "pid $CTL_PID e\\\\x1b[31m\\\\x07" &&
		ok "details hold the text output's \\xHH, its backslash escaped" ||
		not_ok "details: $(printf '%s' "$OUT" | jq -r '.details[]' | grep -F "pid $CTL_PID")"
else
	not_ok "could not start the process with control characters in its comm and exe"
fi

# --- --port-info --format json: its own contract (check_listeners.port-info.schema.json) --
run_plugin --port-info 4444/tcp --format json
expect_rc "--port-info 4444/tcp --format json exits 0" 0
expect_schema "--port-info 4444/tcp" "$PORT_INFO_SCHEMA"
expect_jq "--port-info: schema_version 1, the port, one protocol, the known-abuse reason and its source" \
	'.schema_version == 1 and .port == 4444 and [.protocols[].proto] == ["tcp"] and
	 (.protocols[0].suspicious.reason | test("Metasploit")) and (.protocols[0].suspicious.source | type == "string")'
PORT_INFO_DOC=$OUT
run_plugin --port-info 4444 --format json
expect_schema "--port-info 4444 (every protocol)" "$PORT_INFO_SCHEMA"
expect_jq "--port-info without PROTO: every protocol, in order" '[.protocols[].proto] == ["tcp", "udp", "sctp", "dccp"]'
pi_conf=$(conf port-info.conf <<'EOF'
registry = { unassigned = [ "3206/tcp" ]; suspicious = [ "6667/tcp" ]; };
allow = ( { proto = "tcp"; port = 1; } );
EOF
)
run_plugin --port-info 3206/tcp -C "$pi_conf" --format json
expect_schema "--port-info -C: a port the configuration made unassigned" "$PORT_INFO_SCHEMA"
expect_jq "--port-info -C: unassigned, overridden, no service, the registry's own kept" \
	'.protocols[0] | .class == "unassigned" and .overridden and .service == null and .iana_service == "ironmail"'
run_plugin --port-info 6667/tcp -C "$pi_conf" --format json
expect_schema "--port-info -C: a port registry.suspicious adds" "$PORT_INFO_SCHEMA"
expect_jq "--port-info -C: the configuration's reason, no source" \
	'.protocols[0].suspicious | (.reason | test("registry\\.suspicious")) and .source == null'
# A registry CSV with a backslash, a byte that is not UTF-8 and a bidi control.
printf '%s\n%s\n' 'Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes' \
	$'ev\\il\xe9,7777,tcp,"turn \xe2\x80\xae around",,,,2020-01-02,,,,' > "$TMP/hostile.csv"
chmod 644 "$TMP/hostile.csv"
run_plugin --registry "$TMP/hostile.csv" --port-info 7777/tcp --format json
expect_schema "--port-info with hostile registry strings" "$PORT_INFO_SCHEMA"
expect_jq "--port-info: the hostile strings byte-escaped" \
	'.protocols[0] | .service == "ev\\\\il\\xe9" and .description == "turn \\u202e around"'
expect_jq "--port-info: the snapshot is the CSV's" '.registry_snapshot == "2020-01-02"'
# The schemas are not vacuous: each refuses the other's document, and an
# undocumented field.
refused() {
	printf '%s\n' "$3" | /usr/bin/python3 "$TESTS_DIR/validate_json.py" "$2" > /dev/null 2>&1
	local rc=$?
	if [ "$rc" = 1 ]; then ok "$1"; else not_ok "$1 (validate_json.py exited $rc, not 1)"; fi
}
refused "the port-info schema refuses a check result" "$PORT_INFO_SCHEMA" "$JSON"
refused "the result schema refuses a port-info document" "$SCHEMA" "$PORT_INFO_DOC"
refused "the port-info schema refuses an undocumented field" "$PORT_INFO_SCHEMA" \
	"$(printf '%s\n' "$PORT_INFO_DOC" | jq -c '.protocols[0].extra = 1')"
finish
