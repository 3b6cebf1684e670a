#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line per the Monitoring Plugins guidelines (issue 18): --help
# starts with the version line and "Usage:", fits 80 columns; -V is one line;
# -t SECONDS[:STATE] takes a state name or number; -vvv adds the sources and
# the time of each stage. Then every usage error and every UNKNOWN path the
# test can reach: Nagios and Icinga take the first '|' of the output for the
# start of perfdata, so the only '|' allowed is the one on line 1 before valid
# perfdata, and the long output holds none.
source "$(dirname "$0")/lib.sh"
private_netns

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
DATE_RE='[0-9]{4}-[0-9]{2}-[0-9]{2}'
VERSION_RE="^check_listeners [0-9]+\.[0-9]+\.[0-9]+[^ ]* \(IANA port registry snapshot $DATE_RE\)$"
# One perfdata item: 'label'=value[UOM];[warn];[crit];[min];[max]
PERF_RE="^('[^'=]+'|[^' =|]+)=-?[0-9]+(\.[0-9]+)?(s|ms|us|%|B|KB|MB|TB|c)?(;[@~0-9.:-]*){0,4}$"

# wide NAME TEXT: asserts every line of TEXT fits in 80 columns.
wide() {
	local long
	long=$(printf '%s\n' "$2" | awk 'length($0) > 80 { printf "%d: %s\n", length($0), $0 }')
	if [ -z "$long" ]; then ok "$1: every line fits in 80 columns"; else
		not_ok "$1: lines wider than 80 columns"; printf '%s\n' "$long" | indent; fi
}

# pipes NAME: the last run's output keeps '|' for perfdata only.
pipes() {
	local name=$1 n perf tok bad= rest
	n=$(printf '%s' "$LINE1" | tr -cd '|' | wc -c)
	if [ "$n" = 0 ]; then
		ok "$name: no '|' on line 1"
	elif [ "$n" = 1 ]; then
		perf=${LINE1#*| }
		[ "$perf" = "$LINE1" ] && bad="no blank after '|'"
		for tok in $perf; do
			[[ $tok =~ $PERF_RE ]] || bad="$bad '$tok'"
		done
		if [ -z "$bad" ] && [ -n "$perf" ]; then ok "$name: the one '|' on line 1 starts valid perfdata"; else
			not_ok "$name: after '|' on line 1 is not perfdata:$bad"; printf '%s\n' "$LINE1" | indent; fi
	else
		not_ok "$name: $n '|' on line 1"; printf '%s\n' "$LINE1" | indent
	fi
	rest=$(printf '%s\n' "$OUT" | tail -n +2)
	if printf '%s' "$rest" | grep -q '|'; then
		not_ok "$name: '|' in the long output"; printf '%s\n' "$rest" | grep '|' | indent
	else
		ok "$name: no '|' in the long output"
	fi
}

# usage_error NAME ARGS...: exit 3, a reason on line 1, the short usage, no '|'.
usage_error() {
	local name=$1; shift
	run_plugin "$@"
	expect_rc "$name" 3
	expect_stderr_empty "$name"
	expect_line1 "$name: line 1 gives the reason" '^LISTENERS UNKNOWN - [^ ].*'
	expect_out "$name: prints the usage" '^Usage: check_listeners ' 1
	wide "$name: the usage" "$(printf '%s\n' "$OUT" | tail -n +2)"
	pipes "$name"
}

# unknown NAME ARGS...: an UNKNOWN result with a reason and no stray '|'.
unknown() {
	local name=$1; shift
	run_plugin "$@"
	expect_rc "$name" 3
	expect_stderr_empty "$name"
	expect_line1 "$name: line 1 is UNKNOWN with a reason" '^LISTENERS UNKNOWN - [^ ].*'
	pipes "$name"
}

# --- --help and -V -------------------------------------------------------------------
run_plugin --help
expect_rc "--help" 3
expect_stderr_empty "--help"
expect_line1 "--help: line 1 is the version" "$VERSION_RE"
if [ "$(printf '%s\n' "$OUT" | sed -n 2p)" = "Usage:" ]; then ok "--help: line 2 is 'Usage:'"; else
	not_ok "--help: line 2 is '$(printf '%s\n' "$OUT" | sed -n 2p)'"; fi
wide "--help" "$OUT"
if printf '%s' "$OUT" | grep -q '|'; then not_ok "--help holds a '|'"; printf '%s\n' "$OUT" | grep '|' | indent
else ok "--help holds no '|'"; fi
if printf '%s' "$OUT" | grep -q '\\x'; then not_ok "--help holds an escape sequence"; else
	ok "--help holds no escape sequence (\\x..)"; fi
missing=
for opt in --config --all-netns --registry --severity --warning --critical --verbose --list --format \
	--max-output --timeout --check-config --generate-config --port-info --help --version; do
	printf '%s\n' "$OUT" | grep -q -- "$opt\\b" || missing="$missing $opt"
	grep -q -- "${opt//-/\\\\-}" "$ROOT/conf/check_listeners.8" || missing="$missing $opt(man)"
done
if [ -z "$missing" ]; then ok "--help and the man page document every long option"; else
	not_ok "undocumented:$missing"; fi
for group in 'What to check:' 'Thresholds ' 'Output:' 'Other modes:'; do
	expect_out "--help: the options grouped ($group)" "^$group" 1
done
HELP=$OUT

run_plugin -V
expect_rc "-V" 3
expect_stderr_empty "-V"
if [ "$(printf '%s\n' "$OUT" | wc -l)" = 1 ] && [[ $OUT =~ $VERSION_RE ]]; then
	ok "-V prints one line: name, version, registry snapshot"
else
	not_ok "-V: $OUT"
fi
if [ "$OUT" = "$(printf '%s\n' "$HELP" | head -n 1)" ]; then ok "--help starts with the -V line"; else
	not_ok "--help's first line differs from -V"; fi
run_plugin --version
[ "$OUT" = "$(printf '%s\n' "$HELP" | head -n 1)" ] && ok "--version equals -V" || not_ok "--version: $OUT"

# --- -t SECONDS[:STATE] --------------------------------------------------------------
empty=$(conf empty.conf <<< '')
for t in 5 5:ok 5:warning 5:critical 5:unknown 5:0 5:1 5:2 5:3 5:CRITICAL; do
	run_plugin -C "$empty" -t "$t"
	if [ "$RC" = 0 ] && [[ $LINE1 == "LISTENERS OK - "* ]]; then ok "-t $t is accepted"; else
		not_ok "-t $t: exit $RC"; printf '%s\n' "$OUT" | indent 4; fi
done
for t in 0 3601 5:4 5:-1 5:02 5: :2 5:2:1 5:okay x 5x; do
	usage_error "-t $t is a usage error" -C "$empty" -t "$t"
done

# A timeout that fires whatever the machine's speed (run_plugin_stopped).
big_config "$TMP/big.conf"
for pair in "1:2 2" "1:warning 1" "1:0 0" "1 3"; do
	read -r arg want <<< "$pair"
	run_plugin_stopped -t "$arg" -C "$TMP/big.conf"
	expect_rc "-t $arg: the timeout exits with its state" "$want"
	expect_line1 "-t $arg: line 1 names the stage" '^LISTENERS [A-Z]+ - plugin timed out after 1 s while [a-z]'
	pipes "-t $arg timeout"
done
run_plugin_stopped -t 1:2 -C "$TMP/big.conf" --format json
expect_rc "-t 1:2 --format json: the timeout exits with its state" 2
expect_schema "-t 1:2 --format json: the timeout document"
if printf '%s' "$OUT" | jq -e '.outcome == "timeout" and .state == "CRITICAL" and (.stage | length > 0)
		and (.stage as $s | .output | endswith("while " + $s + " (raise -t/--timeout)"))' > /dev/null; then
	ok "-t 1:2 --format json: outcome timeout, CRITICAL, the stage named in stage and output"
else
	not_ok "-t 1:2 --format json: $OUT"
fi

# --- -vvv adds the sources and the time of each stage -----------------------------------
allow=$(conf allow.conf <<'EOF'
allow = ( { proto = "tcp"; port = 22; comment = "ssh"; } );
EOF
)
hold tcp:127.0.0.1:22 || not_ok "sockhold tcp:127.0.0.1:22"
run_plugin -C "$allow" -vv
VV=$OUT
run_plugin -C "$allow" -vvv
expect_rc "-vvv" 0
expect_out "-vvv names the configuration used" "^debug: config $allow \\(1 rule\\)" 1
expect_out "-vvv names the registry used" "^debug: registry built-in \\(IANA snapshot $DATE_RE\\)" 1
expect_out "-vvv names the socket source" '^debug: sockets from netlink sock_diag: [0-9]+ sockets? in [0-9]+ network namespaces?' 1
expect_out "-vvv gives the time of each stage" '^debug: stages: reading the configuration [0-9.]+ ms, .*dumping listening sockets [0-9.]+ ms, .*deciding [0-9.]+ ms' 1
if [ "$(printf '%s\n' "$OUT" | grep -v '^debug: ' | strip_time)" = "$(printf '%s\n' "$VV" | strip_time)" ]; then
	ok "-vvv is -vv plus the debug lines"
else
	not_ok "-vvv differs from -vv beyond the debug lines"; diff <(printf '%s\n' "$VV") <(printf '%s\n' "$OUT") | indent
fi
pipes "-vvv"
unknown "--registry with a bad header (-vvv)" -C "$allow" -vvv --registry "$ROOT/tests/fixtures/registry/bad_header.csv"

# --- every usage error ----------------------------------------------------------------
usage_error "unknown long option" --bogus
usage_error "unknown short option" -x
usage_error "missing argument of -t" -t
usage_error "missing argument of --config" --config
usage_error "bad -w" -w 5:1
usage_error "bad -c" -c 'x|y'
usage_error "bad --port-info" --port-info 70000
usage_error "bad --port-info protocol" --port-info '22/t|cp'
usage_error "two modes" --list --check-config
usage_error "bad --severity class" --severity 'bo|gus=ok'
usage_error "--severity without =" --severity dynamic
usage_error "bad --severity state" --severity dynamic=fine
usage_error "bad --format" --format 'text|json'
usage_error "--max-output below 512" --max-output 256
usage_error "a positional argument" 'stray|arg'
usage_error "a '|' in a bad -t" -t '1|2'
# With --format json anywhere on the line, a usage error is a JSON document.
for args in "--bogus --format json" "--format json -t 0" "-w x --format=json"; do
	# shellcheck disable=SC2086 # one word per argument
	run_plugin $args
	expect_rc "$args" 3
	expect_schema "$args: the usage error"
	if printf '%s' "$OUT" | jq -e '.outcome == "error" and (.output | startswith("LISTENERS UNKNOWN - "))
			and (.details[0] | startswith("Usage: "))' > /dev/null; then
		ok "$args: outcome error, the reason in output, the usage in details"
	else
		not_ok "$args: $OUT"
	fi
done

# --- every UNKNOWN path this test can reach -------------------------------------------------
unknown "missing -C file" -C "$TMP/no-such.conf"
syntax=$(conf 'syn|tax.conf' <<< 'allow = ( { proto = "tcp" ')
unknown "a libconfig syntax error in a file named with '|'" -C "$syntax"
bad=$(conf bad.conf <<'EOF'
allow = ( { proto = "t|cp"; port = "1|2"; comment = "x"; }, { bogus|key = 1; } );
EOF
)
unknown "invalid values holding '|'" -C "$bad"
bad=$(conf bad2.conf <<'EOF'
allow = ( { proto = "t|cp"; port = "1|2"; address = "a|b"; interface = "[|"; comment = "x"; } );
severity = { dynamic = "so|so"; };
registry = { unassigned = "x|y"; };
EOF
)
unknown "several errors holding '|'" -C "$bad"
expect_out "several errors: one detail line each" '^.*bad2\.conf:[0-9]+: ' 
unknown "--check-config on an invalid file" --check-config -C "$bad"
foreign=$(conf foreign.conf <<< 'allow = ( { proto = "tcp"; port = 22; } );')
chown nobody "$foreign"
unknown "a configuration not owned by root" -C "$foreign"
chmod 0666 "$foreign"; chown root "$foreign"
unknown "a configuration writable by others" -C "$foreign"
unknown "a missing --registry" -C "$allow" --registry "$TMP/no-such.csv"
printf 'Service Name,Port Number,Transport Protocol,Description\nx|y,70000,tcp,a|b\n' > "$TMP/pipe.csv"
unknown "a --registry with a bad port and '|'" -C "$allow" --registry "$TMP/pipe.csv"
cp "$ROOT/tests/fixtures/registry/bad_port.csv" "$TMP/bad|port.csv"
unknown "a --registry named with '|'" -C "$allow" --registry "$TMP/bad|port.csv"
reg=$(conf reg.conf <<< "registry = { file = \"$TMP/no|such.csv\"; };")
unknown "registry.file missing and named with '|'" -C "$reg"

# An owner that cannot be read makes a process rule unverifiable: UNKNOWN.
if getent passwd nobody > /dev/null; then
	proc=$(conf proc.conf <<'EOF'
allow = ( { proto = "tcp"; port = 22; process = "sshd|x"; comment = "a|b"; require = true; } );
EOF
)
	OUT=$(runuser -u nobody -- "$PLUGIN" -C "$proc" -v 2> "$TMP/stderr"); RC=$?
	ERR=$(cat "$TMP/stderr"); LINE1=$(printf '%s\n' "$OUT" | head -n 1)
	expect_rc "as nobody, a process rule on a root listener" 3
	expect_line1 "as nobody: not verifiable" '^LISTENERS UNKNOWN - .*not verifiable'
	pipes "as nobody, unverifiable"
else
	skip "no user nobody: the unverifiable path is not driven"
fi

# Hostile text on the OK path: a comment and a process name with '|'.
hold --comm 'evil|name' tcp:127.0.0.1:27374 || not_ok "sockhold --comm"
run_plugin -C "$allow" -vv -t 60
expect_rc "a process named 'evil|name' on an unassigned port" 2
pipes "a hostile process name"
run_plugin -C "$allow" --list
if printf '%s\n' "$OUT" | grep -v '^LISTENERS ' | grep -q '|'; then
	not_ok "--list: a '|' outside the result line"; else ok "--list: no '|' outside the result line"; fi
run_plugin --port-info '27374/tcp' --registry "$TMP/bad|port.csv"
pipes "--port-info with a bad registry named with '|'"
finish
