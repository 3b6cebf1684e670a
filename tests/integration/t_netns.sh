#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Network namespaces (issue 6): --all-netns finds every namespace, labels it,
# applies netns rules to it, names it in findings, and an unprivileged run says
# what it had to skip.
#
# Three namespaces besides the own one: two ip netns (cl-test-a, cl-test-b) and
# one held only by a process (unshare --net sleep). Each has a TCP listener on
# 47101 and a UDP one on 47102; cl-test-b also listens on the unassigned 27374.
# Every other port is allowed by a catch-all rule, so whatever else runs on the
# machine cannot change the verdicts asserted here.
source "$(dirname "$0")/lib.sh"
private_netns

NS_A=cl-test-a
NS_B=cl-test-b
U_PID=

netns_cleanup() {
	# Before cleanup(), whose wait would otherwise wait for the sleep.
	[ -n "$U_PID" ] && kill "$U_PID" 2>/dev/null
	cleanup
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
}
trap netns_cleanup EXIT

# hold_in WRAPPER... -- SPEC...: sockhold inside a namespace. The wrappers
# (ip netns exec, nsenter) exec the command, so HOLD_PID is sockhold itself.
hold_in() {
	local wrap=()
	while [ "$1" != "--" ]; do wrap+=("$1"); shift; done
	shift
	SOCKHOLD="${wrap[0]}" hold "${wrap[@]:1}" "$SOCKHOLD" "$@"
}

# list_rows LABEL_ERE PROTO PORT: the --list rows (in $OUT) of that listener.
list_rows() {
	printf '%s\n' "$OUT" | grep -E -- "^($1) +$2 +[^ ]*:$3 "
}

# expect_rows NAME LABEL_ERE PROTO PORT COUNT
expect_rows() {
	local n
	n=$(list_rows "$2" "$3" "$4" | wc -l)
	if [ "$n" = "$5" ]; then ok "$1"; else
		not_ok "$1: $n rows for $3/$4 in /$2/, expected $5"; printf '%s\n' "$OUT" | indent 40; fi
}

# expect_state NAME LABEL_ERE PROTO PORT ERE: the STATE column of that row.
expect_state() {
	local row
	row=$(list_rows "$2" "$3" "$4" | head -n 1)
	if printf '%s\n' "$row" | grep -Eq -- " $5 "; then ok "$1"; else
		not_ok "$1: state of $3/$4 in /$2/ is not /$5/"; printf '%s\n' "${row:-(no row)}" | indent; fi
}

# --- set-up -----------------------------------------------------------------
ip netns del "$NS_A" 2>/dev/null
ip netns del "$NS_B" 2>/dev/null
for ns in "$NS_A" "$NS_B"; do
	if ! ip netns add "$ns" || ! ip -n "$ns" link set lo up; then
		not_ok "cannot create network namespace $ns"; finish
	fi
done
unshare --net sleep 300 &
U_PID=$!
for _ in $(seq 100); do
	[ "$(readlink "/proc/$U_PID/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.02
done
nsenter --net="/proc/$U_PID/ns/net" ip link set lo up || { not_ok "cannot enter the unshare namespace"; finish; }

hold_in ip netns exec "$NS_A" -- tcp:0.0.0.0:47101 udp:0.0.0.0:47102 || { not_ok "sockhold in $NS_A"; finish; }
hold_in ip netns exec "$NS_B" -- tcp:0.0.0.0:47101 udp:0.0.0.0:47102 tcp:127.0.0.1:27374 \
	|| { not_ok "sockhold in $NS_B"; finish; }
hold_in nsenter --net="/proc/$U_PID/ns/net" -- tcp:[::]:47101:dual udp:0.0.0.0:47102 \
	|| { not_ok "sockhold in the unshare namespace"; finish; }
# The lowest pid in it is the sleep, unless pids wrapped; a cgroup naming a
# service would win over both.
U_LABEL="pid [0-9]+ \((sleep|sockhold)\)|[^ ]+\.service(#[0-9]+)?"

cfg=$(conf netns.conf <<'C'
allow = (
  { port = ["1-27373", "27375-47100", "47103-65535"]; comment = "everything else"; },
  { proto = "tcp"; port = 47101; netns = "cl-test-a"; comment = "only in a"; },
  { proto = "udp"; port = 47102; comment = "everywhere"; }
);
C
)

# --- --list: each listener once, with its namespace's label -----------------
run_plugin --all-netns --list -C "$cfg"
expect_out "--list has a header" '^NETNS +PROTO'
expect_rows "tcp/47101 once in $NS_A" "$NS_A" tcp 47101 1
expect_rows "tcp/47101 once in $NS_B" "$NS_B" tcp 47101 1
expect_rows "tcp/47101 once in the unshare namespace" "$U_LABEL" tcp 47101 1
expect_rows "udp/47102 once in $NS_A" "$NS_A" udp 47102 1
expect_rows "udp/47102 once in $NS_B" "$NS_B" udp 47102 1
expect_rows "udp/47102 once in the unshare namespace" "$U_LABEL" udp 47102 1
expect_rows "tcp/27374 only in $NS_B" "$NS_B" tcp 27374 1
expect_rows "tcp/27374 not in $NS_A" "$NS_A" tcp 27374 0
expect_rows "tcp/27374 not in the unshare namespace" "$U_LABEL" tcp 27374 0
expect_rows "nothing of ours is labelled host" "host" tcp 47101 0
expect_no_out "no label clash suffix on our namespaces" "^cl-test-[ab]#"

# --- a netns rule recognises only its own namespace -------------------------
expect_state "netns = \"$NS_A\" recognises tcp/47101 in $NS_A" "$NS_A" tcp 47101 ok
expect_state "the same port in $NS_B stays unrecognised" "$NS_B" tcp 47101 '(WARNING|CRITICAL)'
expect_state "the same port in the unshare namespace stays unrecognised" "$U_LABEL" tcp 47101 '(WARNING|CRITICAL)'
expect_state "a rule without netns recognises udp/47102 in $NS_B" "$NS_B" udp 47102 ok

# --- without --all-netns only the own namespace ------------------------------
run_plugin --list -C "$cfg"
expect_no_out "without --all-netns no other namespace is listed" "^(cl-test-|pid [0-9]+ \()"
run_plugin -C "$cfg"
expect_rc "without --all-netns the own namespace is clean" 0

# --- an unassigned port in a namespace: CRITICAL, and the namespace named ----
run_plugin --all-netns -C "$cfg"
expect_rc "--all-netns with tcp/27374 in $NS_B is CRITICAL" 2
expect_line1 "line 1 is CRITICAL" '^LISTENERS CRITICAL - '
if printf '%s\n' "$OUT" | grep -E -- '27374' | grep -q -- "$NS_B"; then
	ok "the finding names namespace $NS_B"
else
	not_ok "no line names both 27374 and $NS_B"; printf '%s\n' "$OUT" | indent 40
fi
expect_stderr_empty "--all-netns"
all_cfg=$(conf netns-all.conf < "$cfg")
printf 'netns = { all = true; };\n' >> "$all_cfg"
run_plugin -C "$all_cfg"
expect_rc "netns.all = true in the config acts like --all-netns" 2

# --- unprivileged: the own namespace is checked, the others reported skipped --
as_nobody() {
	if command -v setpriv > /dev/null; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		runuser -u nobody -- "$@"
	fi
}
if ! as_nobody true 2>/dev/null; then
	skip "unprivileged run (cannot switch to user nobody)"
else
	OUT=$(as_nobody "$PLUGIN" --all-netns -vv -C "$cfg" 2>"$TMP/stderr")
	RC=$?
	ERR=$(cat "$TMP/stderr")
	LINE1=$(printf '%s\n' "$OUT" | head -n 1)
	expect_rc "unprivileged --all-netns cannot decide: UNKNOWN" 3
	expect_out "it says namespaces were not checked and why" 'not checked.*privilege'
	expect_no_out "no listener of another namespace is claimed as checked" "27374"
	OUT=$(as_nobody "$PLUGIN" -C "$cfg" 2>/dev/null)
	RC=$?
	expect_rc "unprivileged without --all-netns the own namespace is still checked" 0
fi

finish
