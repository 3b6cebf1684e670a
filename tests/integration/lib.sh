# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - helpers for the integration tests (bash). Sourced by every t_*.sh.
# Each test prints "ok - ...", "not ok - ..." or "skip - ... (reason)" per assertion;
# run.sh counts them. A test file exits non-zero when any assertion failed.
set -u
PLUGIN=$(realpath "${1:?usage: t_x.sh PLUGIN SOCKHOLD}")
SOCKHOLD=$(realpath "${2:?usage: t_x.sh PLUGIN SOCKHOLD}")
SOCKHOLD_GIVEN=$SOCKHOLD
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAILED=0
HOLDERS=()
TMP=$(mktemp -d /tmp/cl-test.XXXXXX)
chmod 755 "$TMP"
# The plugin grades a listener whose executable lies in /tmp, /var/tmp or
# /dev/shm as suspicious (issue 15). A clone checked out below one of them
# must not turn every test listener into one: sockhold is then run from a
# copy in a directory of its own.
SAFE_DIR=""
case "$SOCKHOLD" in
/tmp/*|/var/tmp/*|/dev/shm/*)
	# with the test helpers beside it (fdpass, pkthold, ...): the tests find
	# them next to sockhold
	SAFE_DIR=$(mktemp -d /var/lib/cl-sockhold.XXXXXX) && chmod 755 "$SAFE_DIR" &&
		find "$(dirname "$SOCKHOLD")" -maxdepth 1 -type f -perm -u+x -exec cp {} "$SAFE_DIR/" \; &&
		SOCKHOLD=$SAFE_DIR/$(basename "$SOCKHOLD")
esac
drop_safe_dir() { if [ -n "$SAFE_DIR" ]; then rm -rf "$SAFE_DIR"; fi; SAFE_DIR=""; }

# descendants PID: every process below PID, by id (a daemon may run an
# umbrella process, workers and helpers).
descendants() {
	local p
	for p in $(pgrep -P "$1"); do
		echo "$p"
		descendants "$p"
	done
}
# alive PID: running, not a zombie (this container's init may not reap them).
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ]
}
# wait_gone TRIES PID...: waits (TRIES x 50 ms at most) until no PID is alive;
# false when one still is.
wait_gone() {
	local tries=$1 p left
	shift
	for _ in $(seq "$tries"); do
		left=
		for p in "$@"; do alive "$p" && left=1; done
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	return 1
}
# stop_tree PID: PID and all its descendants, TERM then KILL, and waits until
# they are gone (a delivered SIGKILL is not yet a closed socket).
stop_tree() {
	[ -n "$1" ] || return 0
	local pids
	pids="$1 $(descendants "$1")"
	# shellcheck disable=SC2086 # one word per pid
	kill $pids 2>/dev/null
	# shellcheck disable=SC2086
	wait_gone 100 $pids || kill -9 $pids 2>/dev/null
	wait "$1" 2>/dev/null
	# shellcheck disable=SC2086
	wait_gone 200 $pids
}

ok()     { printf 'ok - %s\n' "$*"; }
not_ok() { printf 'not ok - %s\n' "$*"; FAILED=1; }
skip()   { printf 'skip - %s\n' "$*"; }
indent() { sed 's/^/#   /' | head -n "${1:-20}"; }

cleanup() {
	for p in "${HOLDERS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
	drop_safe_dir
}
trap cleanup EXIT

# Re-runs the calling script inside a private network namespace with lo up.
# Without the privilege for that, every assertion of the file is skipped.
private_netns() {
	if [ -z "${CL_IN_NETNS:-}" ]; then
		if ! unshare --net true 2>/dev/null; then
			skip "$(basename "$0"): private network namespaces unavailable (unshare --net failed: not root?)"
			exit 0
		fi
		rmdir "$TMP"    # the re-run makes its own
		drop_safe_dir
		CL_IN_NETNS=1 exec unshare --net bash "$0" "$PLUGIN" "$SOCKHOLD_GIVEN"
	fi
	ip link set lo up
}

# Like private_netns, and in a private pid namespace with its own /proc too:
# the test sees only the processes it starts, so an owner scan can read every
# one of them (some hosts keep a process closed even to root: a sandbox's
# init), and holder sets can be complete.
private_world() {
	if [ -z "${CL_IN_NETNS:-}" ]; then
		if ! unshare --net --pid --fork --mount-proc true 2>/dev/null; then
			skip "$(basename "$0"): private network and pid namespaces unavailable (not root?)"
			exit 0
		fi
		rmdir "$TMP"    # the re-run makes its own
		drop_safe_dir
		CL_IN_NETNS=1 exec unshare --net --pid --fork --mount-proc --kill-child \
			bash "$0" "$PLUGIN" "$SOCKHOLD_GIVEN"
	fi
	ip link set lo up
}

# need_tools NAME...: ends the file with one "skip" unless every NAME is there:
# a command (on PATH, or the path of an executable) or, written user:NAME, a
# user (the daemons' packages create theirs). make deps installs them all.
need_tools() {
	local n list missing=()
	for n in "$@"; do
		case $n in
		user:*) getent passwd "${n#user:}" > /dev/null || missing+=("user ${n#user:}") ;;
		*) command -v "$n" > /dev/null || missing+=("$n") ;;
		esac
	done
	[ "${#missing[@]}" = 0 ] && return 0
	printf -v list '%s, ' "${missing[@]}"
	skip "$(basename "$0"): missing ${list%, } (make deps installs them)"
	finish
}

# A config file the plugin accepts as root: owned by root, mode 0644.
# usage: conf NAME <<'EOF' ... EOF   -> prints the path
conf() {
	local f="$TMP/$1"
	cat > "$f"
	chmod 0644 "$f"
	printf '%s\n' "$f"
}

# start CMD ARGS...: runs CMD in the background until it prints "ready" (sockhold
# and the other test helpers do once their sockets are open). Sets PID; the
# cleanup ends it. Returns 1 (and prints why) when CMD exited or never got ready.
start() {
	local out="$TMP/start.$RANDOM"
	"$@" > "$out" 2>&1 &
	PID=$!
	HOLDERS+=("$PID")
	for _ in $(seq 250); do
		grep -q '^ready' "$out" 2>/dev/null && return 0
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.02
	done
	printf '# %s failed: %s\n' "$*" "$(cat "$out")"
	return 1
}

# hold ARGS...: start sockhold with ARGS (its sockets are open on return). Sets HOLD_PID.
hold() {
	start "$SOCKHOLD" "$@"
	local rc=$?
	HOLD_PID=$PID
	return $rc
}

# stop: ends every process started so far, so that each block sees only its own
# listeners (SIGKILL: unshare ignores SIGTERM, and --kill-child takes its child).
stop() {
	for p in "${HOLDERS[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	HOLDERS=()
}

# cgroup2_root: the cgroup2 mount ("/sys/fs/cgroup" or, on a hybrid host,
# "/sys/fs/cgroup/unified"); nothing when there is none.
cgroup2_root() {
	local d
	for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		[ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ] && { printf '%s\n' "$d"; return; }
	done
}

# netns_sleeper: a process (unshare --net sleep 300) in a new network namespace
# of its own, killed at the end; sets NS_PID once its namespace is there.
netns_sleeper() {
	unshare --net sleep 300 &
	NS_PID=$!
	HOLDERS+=("$NS_PID")
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$NS_PID/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.02
	done
}

# run_bin BIN ARGS... : runs BIN; sets OUT (stdout), ERR (stderr), RC, LINE1.
run_bin() {
	local bin=$1; shift
	OUT=$("$bin" "$@" 2>"$TMP/stderr")
	RC=$?
	ERR=$(cat "$TMP/stderr")
	LINE1=$(printf '%s\n' "$OUT" | head -n 1)
}

# run_plugin ARGS... : run_bin with the plugin under test.
run_plugin() { run_bin "$PLUGIN" "$@"; }

# strip_time: drops the run-time perfdata, the one part two runs never share.
strip_time() { sed -E 's/ time=[0-9.]+s;;;0$//'; }

# expect_same NAME GOT WANT: asserts two outputs are equal but for time=.
expect_same() {
	if [ "$(printf '%s\n' "$2" | strip_time)" = "$(printf '%s\n' "$3" | strip_time)" ]; then
		ok "$1 (but time=)"
	else
		not_ok "$1: they differ"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | indent
	fi
}

# expect_rc NAME WANT: asserts the last run's exit code.
expect_rc() {
	if [ "$RC" = "$2" ]; then ok "$1 (exit $RC)"; else
		not_ok "$1: exit $RC, expected $2"; printf '%s\n' "$OUT" | indent; fi
}

# expect_line1 NAME ERE: asserts line 1 matches an extended regex.
expect_line1() {
	if printf '%s\n' "$LINE1" | grep -Eq -- "$2"; then ok "$1"; else
		not_ok "$1: line 1 does not match /$2/"; printf '%s\n' "$LINE1" | indent; fi
}

# expect_out NAME ERE [COUNT]: asserts the output has a line matching ERE (COUNT times).
expect_out() {
	local n
	n=$(printf '%s\n' "$OUT" | grep -Ec -- "$2")
	if { [ $# -ge 3 ] && [ "$n" = "$3" ]; } || { [ $# -lt 3 ] && [ "$n" -gt 0 ]; }; then ok "$1"; else
		not_ok "$1: /$2/ found $n times, expected ${3:-at least 1}"; printf '%s\n' "$OUT" | indent 40; fi
}

# expect_no_out NAME ERE: asserts no output line matches.
expect_no_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$2"; then
		not_ok "$1: /$2/ present"; printf '%s\n' "$OUT" | indent 40; else ok "$1"; fi
}

# expect_stderr_empty NAME: the plugin contract: output on stdout only.
expect_stderr_empty() {
	if [ -z "$ERR" ]; then ok "$1: nothing on stderr"; else
		not_ok "$1: stderr not empty"; printf '%s\n' "$ERR" | indent; fi
}

# run_plugin_stopped ARGS...: run_plugin for a run that must reach its own
# timeout (-t 1 in ARGS) whatever the machine's speed: the plugin is stopped
# 0.2 s after its start, while it still works on a large input, and continued
# 1.5 s later; the SIGALRM that came due meanwhile is delivered then.
run_plugin_stopped() {
	"$PLUGIN" "$@" > "$TMP/stopped.out" 2> "$TMP/stderr" &
	local pid=$!
	sleep 0.2
	kill -STOP "$pid" 2>/dev/null
	sleep 1.5
	kill -CONT "$pid" 2>/dev/null
	wait "$pid"
	RC=$?
	OUT=$(cat "$TMP/stopped.out")
	ERR=$(cat "$TMP/stderr")
	LINE1=$(printf '%s\n' "$OUT" | head -n 1)
}

# big_config FILE: a configuration of 300,000 rules, slow enough to read that
# run_plugin_stopped catches the plugin still at work.
big_config() {
	{ echo 'allow = ('; seq 1 300000 | sed 's/.*/{ proto = "tcp"; port = 1; comment = "r&"; },/'
	  echo '{ proto = "udp"; } );'; } > "$1"
	chmod 644 "$1"
}

# expect_schema NAME [SCHEMA]: the last run's output is one JSON document, valid
# against SCHEMA, by default conf/check_listeners.schema.json (python3-jsonschema,
# Debian's); PORT_INFO_SCHEMA is that of --port-info --format json.
SCHEMA="$TESTS_DIR/../../conf/check_listeners.schema.json"
PORT_INFO_SCHEMA="$TESTS_DIR/../../conf/check_listeners.port-info.schema.json"
expect_schema() {
	local why
	if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
		not_ok "$1: python3-jsonschema is not installed (make deps installs it)"; return
	fi
	if why=$(printf '%s\n' "$OUT" | /usr/bin/python3 "$TESTS_DIR/validate_json.py" "${2:-$SCHEMA}" 2>&1); then
		ok "$1: valid against the JSON Schema"
	else
		not_ok "$1: not valid against the JSON Schema"; printf '%s\n' "$why" | indent 20
	fi
}

# expect_jq NAME FILTER: jq FILTER is true of the JSON document in $OUT.
expect_jq() {
	if printf '%s\n' "$OUT" | jq -e "$2" > /dev/null 2>&1; then ok "$1"; else
		not_ok "$1"; printf '%s\n' "$OUT" | indent 5; fi
}

# unescape: the JSON contract's byte-escaped text (\\, \xHH and \uHHHH) as
# raw bytes. In a UTF-8 locale: in C, bash's printf leaves \u2028 as it is.
unescape() { local LC_ALL=C.UTF-8; printf '%b' "$1"; }

finish() { exit "$FAILED"; }
