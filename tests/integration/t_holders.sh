#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sockets that no /proc/PID/fd shows, and sockets whose creation cgroup is
# gone. Each block reproduces a finding of the holder review; before the fix
# each gave a false OK or an UNKNOWN where the class state must stand.
#   F2  holder = "none" forged by any user: a socket in an io_uring's table or
#       in flight (SCM_RIGHTS) is not root's kernel socket
#   F5  a packet socket with a BPF filter and no visible holder: CRITICAL,
#       not UNKNOWN
#   F6  a socket whose creation cgroup a user removed: a unit rule answers NO
source "$(dirname "$0")/lib.sh"
private_world

PY=/usr/bin/python3
[ -x "$PY" ] || { not_ok "no $PY (make check installs python3)"; finish; }
HIDEOUT="$TMP/hideout.py"
cp "$TESTS_DIR/hideout.py" "$HIDEOUT"; chmod 755 "$HIDEOUT"
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# --- F2: a learned holder = "none" is not a pass for anyone's hidden socket ----------
if ip link add vx0 type vxlan id 42 dstport 4789 local 127.0.0.1 dev lo 2>/dev/null &&
   ip link set vx0 up; then
	run_plugin --generate-config
	printf '%s\n' "$OUT" | conf learned.conf > /dev/null
	cf=$TMP/learned.conf
	expect_out "learn: the VXLAN socket is root's, without a holder" \
		'^  \{ proto = "udp"; port = 4789; address = "any"; user = "root"; holder = "none"; '
	run_plugin -C "$cf"
	expect_rc "learned config: the VXLAN socket is recognised" 0
	ip link del vx0
	# a TCP kernel socket (nfsd, say) learns the same rule
	tcf=$(conf tcp-none.conf <<'EOF'
allow = ( { proto = "tcp"; port = 4789; address = "loopback"; holder = "none"; } );
EOF
)
	# UDP 4789 is assigned (vxlan): WARNING; TCP 4789 reserved: CRITICAL
	for sock in udp:4789 tcp:4789; do
		rc=1 state=WARNING
		[ "${sock%%:*}" = tcp ] && rc=2 state=CRITICAL cf=$tcf
		for mode in uring inflight; do
			if ! start "${AS_NOBODY[@]}" "$PY" "$HIDEOUT" "$mode" "$sock"; then
				not_ok "cannot start nobody's $mode $sock"; continue
			fi
			run_plugin -C "$cf"
			expect_rc "F2: nobody's $sock ($mode) is not recognised by holder = none" "$rc"
			if [ "$mode" = uring ]; then
				expect_out "F2: the io_uring's process is its holder ($sock)" \
					"^$state: ${sock%%:*} [^ ]*:4789 .* - pid $PID python3 .* user nobody\$"
			else
				expect_out "F2: in flight, no holder, nobody's ($sock)" \
					"^$state: ${sock%%:*} [^ ]*:4789 .* - no holder \(kernel socket, or a descriptor in flight\) user nobody\$"
			fi
			stop
		done
	done
else
	ip link del vx0 2>/dev/null
	skip "F2: no VXLAN device here (kernel module vxlan)"
fi

# --- F5: a filtered packet socket with no visible holder stays CRITICAL -------------
for mode in plain uring inflight; do
	if ! start "$PY" "$HIDEOUT" "$mode" packet-filter; then
		not_ok "cannot start the $mode packet socket"; continue
	fi
	run_plugin -C "$TESTS_DIR/../../conf/check_listeners.conf"
	expect_rc "F5: the filtered packet socket ($mode) is CRITICAL" 2
	expect_out "F5: its line names the filter ($mode)" \
		'^CRITICAL: packet all \(type raw, BPF filter of 1 instruction\) - '
	expect_no_out "F5: never UNKNOWN ($mode)" '^LISTENERS UNKNOWN'
	stop
done

# --- F6: a user removes the cgroup the socket was created in -------------------------
cg2=$(cgroup2_root)
deleg="$cg2/cl-holders-$$"
cg_cleanup() {
	stop
	rmdir "$deleg/a" 2>/dev/null
	rmdir "$deleg" 2>/dev/null
}
trap 'cg_cleanup; cleanup' EXIT
if [ -n "$cg2" ] && mkdir "$deleg" 2>/dev/null; then
	# a delegated subtree, as systemd makes one for a user manager
	chown nobody "$deleg" "$deleg"/cgroup.procs "$deleg"/cgroup.subtree_control "$deleg"/cgroup.threads
	cf=$(conf docker.conf <<'EOF'
allow = ( { unit = "docker:*"; } );
EOF
)
	# in_deleg ARGS...: hideout as nobody, started inside the delegated cgroup
	in_deleg() {
		start bash -c "echo \$\$ > '$deleg/cgroup.procs' && exec ${AS_NOBODY[*]} '$PY' '$HIDEOUT' $*"
	}
	if in_deleg plain tcp:4444; then
		run_plugin -C "$cf"
		expect_rc "F6: kept cgroup: the user's socket is CRITICAL" 2
		expect_out "F6: kept cgroup: its line" '^CRITICAL: tcp 127\.0\.0\.1:4444 .*known-abuse .* user nobody unit cl-holders-[0-9]+$'
	else
		not_ok "F6: cannot start the listener in the delegated cgroup"
	fi
	stop
	if in_deleg plain tcp:4444 "$deleg/a"; then
		[ -d "$deleg/a" ] && not_ok "F6: the creation cgroup is still there"
		run_plugin -C "$cf"
		expect_rc "F6: removed cgroup: still CRITICAL, not UNKNOWN" 2
		expect_out "F6: removed cgroup: its line" \
			"^CRITICAL: tcp 127\.0\.0\.1:4444 .*known-abuse .* pid $PID python3 .* user nobody\$"
	else
		not_ok "F6: cannot start the listener in a cgroup it then removes"
	fi
	cg_cleanup
	if [ -d "$deleg" ]; then not_ok "F6: test cgroup left behind"; else ok "F6: test cgroup removed"; fi
else
	skip "F6: no writable cgroup2 hierarchy here"
fi
finish
