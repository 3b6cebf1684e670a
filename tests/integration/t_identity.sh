#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Identity you can trust (issue 13): every holder of every socket is judged,
# labels come only from root-controlled cgroups, no holder is not "kernel".
# Each block reproduces an attack of the issue; before the fix each of them
# passed as recognised.
source "$(dirname "$0")/lib.sh"
private_world

FDPASS=$(dirname "$SOCKHOLD")/fdpass
[ -x "$FDPASS" ] || { not_ok "no $FDPASS (make build/fdpass)"; finish; }
cp "$SOCKHOLD" "$TMP/sockhold"; chmod 755 "$TMP/sockhold"

# Unrecognised listeners are critical whatever the port class, so that each
# block asserts on recognition only.
SEV='severity = { assigned = "critical"; unassigned = "critical"; reserved = "critical"; dynamic = "critical"; };'

# expect_line NAME PORT GLOB...: the detail line of the listener on PORT
# matches every glob.
expect_line() {
	local name=$1 l p
	l=$(printf '%s\n' "$OUT" | grep -E "^[A-Z]+: (tcp|udp) [^ ]*:$2 " | head -n 1)
	shift 2
	for p in "$@"; do
		# shellcheck disable=SC2053
		[[ $l == $p ]] || { not_ok "$name: $l"; return; }
	done
	ok "$name"
}

# --- a second owner behind the first: SO_REUSEPORT pair, different comm each ----
start "$SOCKHOLD" --comm goodd tcp:0.0.0.0:2200:reuseport=1 || not_ok "cannot start goodd"
good=$PID
start "$SOCKHOLD" --comm evil tcp:0.0.0.0:2200:reuseport=1 || not_ok "cannot start evil"
evil=$PID
cf=$(conf reuseport.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = 2200; process = "goodd"; } );
EOF
)
run_plugin -C "$cf"
expect_rc "SO_REUSEPORT pair goodd+evil: not recognised by process = goodd" 2
expect_line "the detail line names both holders" 2200 CRITICAL:* *"pid $good goodd"* *"pid $evil evil"*
run_plugin -C "$cf" --format json
expect_schema "JSON of the SO_REUSEPORT pair"
expect_jq "JSON lists both holders" \
	'[.listeners[] | select(.port == 2200) | .owner.holders[].comm] | sort == ["evil", "goodd"]'
stop

# --- UDP co-bind by root and nobody (SO_REUSEADDR) ---------------------------------
start setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/sockhold" udp:0.0.0.0:5300 ||
	not_ok "cannot start the nobody UDP socket"
start "$SOCKHOLD" udp:0.0.0.0:5300 || not_ok "cannot start the root UDP socket"
cf=$(conf cobind.conf <<EOF
$SEV
allow = ( { proto = "udp"; port = 5300; user = "root"; } );
EOF
)
run_plugin -C "$cf"
expect_rc "UDP co-bind root+nobody: not recognised by user = root" 2
expect_line "the detail line shows both uids" 5300 CRITICAL:* *"users root, nobody"*
run_plugin -C "$cf" --list
expect_out "--list shows both uids of the co-bound socket" '^host +udp +0\.0\.0\.0:5300 .*users root, nobody'
stop

# --- an inherited listening fd: the parent serves, the child only carries a name ---
start "$FDPASS" inherit 2201 /usr/bin/sleep infinity || not_ok "cannot start the inherit pair"
parent=$PID
cf=$(conf inherit.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = 2201; exe = "/usr/bin/sleep"; } );
EOF
)
run_plugin -C "$cf"
expect_rc "inherited fd: not recognised by exe = /usr/bin/sleep" 2
expect_line "the serving parent is listed next to the child" 2201 *"pid $parent fdpass"* *"sleep (/usr/bin/sleep)"*
stop

# --- socket activation: pid 1 of a pid namespace passes its socket on ---------------
start unshare --pid --fork --kill-child "$FDPASS" inherit 2230 /usr/bin/sleep infinity ||
	not_ok "cannot start the service manager pair"
start unshare --pid --fork --kill-child "$SOCKHOLD" --comm mgr tcp:127.0.0.1:2231 ||
	not_ok "cannot start the lone service manager"
cf=$(conf activation.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = 2230; exe = "/usr/bin/sleep"; },
          { proto = "tcp"; port = 2231; process = "mgr"; } );
EOF
)
run_plugin -C "$cf" -v
expect_line "a socket pid 1 passes on is judged by the service" 2230 OK:*"recognised by"*
expect_line "a socket only pid 1 holds is labelled as the service manager's" 2231 OK:*"held by the service manager"*
stop

# --- the same pair, but pid 1 of a pid namespace in the user's own user namespace ---
# Anyone can be PID 1 (and uid 0) there: that parent is no service manager,
# it serves the socket it hands on and is judged like any other holder.
cp "$FDPASS" "$TMP/fdpass"; chmod 755 "$TMP/fdpass"
start setpriv --reuid=nobody --regid=nogroup --clear-groups \
	unshare -Urpf --kill-child "$TMP/fdpass" inherit 2232 /usr/bin/sleep infinity ||
	not_ok "cannot start the user-namespace pair"
cf=$(conf userns-manager.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = 2232; exe = "/usr/bin/sleep"; user = "nobody"; } );
EOF
)
run_plugin -C "$cf" -v
expect_rc "PID 1 of a user's own pid namespace is no service manager" 2
expect_line "its fdpass is judged, not passed as a service manager" 2232 CRITICAL:*fdpass*
stop

# --- exe forged by a bind mount in the user's own mount namespace --------------------
# /proc/PID/exe is a path in the holder's mount namespace: there a user can
# mount any file over /usr/bin/sleep. The plugin must not believe that path.
start setpriv --reuid=nobody --regid=nogroup --clear-groups unshare -Urm sh -c \
	"mount --bind '$TMP/sockhold' /usr/bin/sleep && exec /usr/bin/sleep tcp:0.0.0.0:2234" ||
	not_ok "cannot start the bind-mounted sleep"
cf=$(conf bindexe.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = 2234; exe = "/usr/bin/sleep"; } );
EOF
)
run_plugin -C "$cf" -v
expect_not_ok_rc() { [ "$RC" != 0 ] && ok "$1 (exit $RC)" || { not_ok "$1 (exit $RC)"; printf '%s\n' "$OUT" | indent 5; }; }
expect_not_ok_rc "an exe path bind-mounted in a private mount namespace does not recognise"
l=$(printf '%s\n' "$OUT" | grep -E '^[A-Z]+: tcp [^ ]*:2234 ')
case $l in
*"sleep (/usr/bin/sleep)"*|"") not_ok "the forged path is not shown as its exe: $l" ;;
*) ok "the forged path is not shown as its exe" ;;
esac
stop

# --- forged unit and container labels in a user-owned cgroup -------------------------
cg2=$(cgroup2_root)
id64=$(printf 'c1%.0s' $(seq 32))
# $$ is 1 in this pid namespace: the names take the unique part of $TMP.
uniq=${TMP##*.}
deleg="$cg2/cl-deleg-$uniq" real="$cg2/cl-real-$uniq"
CGROUPS=()
cg_cleanup() {
	for p in "${CG_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for ((i = ${#CGROUPS[@]} - 1; i >= 0; i--)); do rmdir "${CGROUPS[$i]}" 2>/dev/null; done
}
CG_PIDS=()
trap 'cg_cleanup; cleanup' EXIT
# in_cgroup DIR PORT: a root sockhold on PORT created inside cgroup DIR; sets PID.
in_cgroup() {
	start bash -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "tcp:127.0.0.1:$3"' _ "$1" "$SOCKHOLD" "$2"
	local rc=$?
	CG_PIDS+=("$PID")
	return $rc
}
if [ -n "$cg2" ] && mkdir "$deleg" 2>/dev/null; then
	CGROUPS+=("$deleg")
	chown nobody "$deleg"
	for c in nginx.service "docker-$id64.scope"; do
		setpriv --reuid=nobody --regid=nogroup --clear-groups mkdir "$deleg/$c" && CGROUPS+=("$deleg/$c")
	done
	mkdir "$real" && CGROUPS+=("$real")
	for c in nginx.service "docker-$id64.scope"; do mkdir "$real/$c" && CGROUPS+=("$real/$c"); done
	in_cgroup "$deleg/nginx.service" 2210 && in_cgroup "$deleg/docker-$id64.scope" 2211 &&
	in_cgroup "$real/nginx.service" 2212 && in_cgroup "$real/docker-$id64.scope" 2213 ||
		not_ok "cannot start the listeners in their cgroups"
	cf=$(conf cgroups.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = [ 2210, 2212 ]; unit = "nginx.service"; },
          { proto = "tcp"; port = [ 2211, 2213 ]; unit = "docker:*"; } );
EOF
)
	run_plugin -C "$cf" -v
	expect_rc "forged unit and container cgroups are not recognised" 2
	expect_line "forged nginx.service: labelled below the boundary" 2210 CRITICAL:*"unit cl-deleg-$uniq/nginx.service"*
	expect_line "forged docker scope: no container label" 2211 CRITICAL:*"unit cl-deleg-$uniq/docker-$id64.scope"*
	expect_line "root-owned nginx.service still recognised" 2212 OK:*"unit nginx.service"*
	expect_line "root-owned docker scope still recognised" 2213 OK:*"unit docker:c1c1c1c1c1c1"*
	cg_cleanup
	left=0; for c in "${CGROUPS[@]}"; do [ -d "$c" ] && left=1; done
	if [ "$left" = 0 ]; then ok "every test cgroup removed"; else not_ok "test cgroups left behind"; fi
else
	skip "forged cgroups: no writable cgroup2 hierarchy here"
fi

# --- a socket whose cgroup is gone: its holder's cgroup gives no unit ---------------------
# The unit of a socket is the cgroup it was created in. Once that cgroup is
# removed (its process moved out first), the holder may move into a cgroup
# named like a root unit; the label must not follow it there (it did before
# the fix of bce227c: the unit came from the holders' cgroups, and a
# unit = "ssh.service" rule recognised the listener). A socket created in
# the same unit stays recognised: the rule and the labels work.
gone="$cg2/cl-gone-$uniq"
if [ -n "$cg2" ] && mkdir "$gone" 2>/dev/null; then
	CGROUPS=("$gone") CG_PIDS=()
	for c in created ssh.service; do mkdir "$gone/$c" && CGROUPS+=("$gone/$c"); done
	if in_cgroup "$gone/created" 2240 && mover=$PID && in_cgroup "$gone/ssh.service" 2241 &&
		echo "$mover" > "$gone/cgroup.procs" && rmdir "$gone/created" &&
		echo "$mover" > "$gone/ssh.service/cgroup.procs"; then
		ok "the socket's cgroup is removed, its holder is in $gone/ssh.service"
		cf=$(conf gone.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = [ 2240, 2241 ]; unit = "ssh.service"; } );
EOF
)
		run_plugin -C "$cf" -v
		expect_not_ok_rc "a removed cgroup: the holder's ssh.service does not recognise the socket"
		l=$(printf '%s\n' "$OUT" | grep -E '^[A-Z]+: tcp [^ ]*:2240 ')
		case $l in
		*"unit ssh.service"*|*"recognised by"*|"") not_ok "the socket of the removed cgroup: $l" ;;
		*"pid $mover sockhold"*) ok "the socket of the removed cgroup: held by sockhold, no unit ssh.service" ;;
		*) not_ok "the socket of the removed cgroup: its holder not shown: $l" ;;
		esac
		expect_line "a socket created in ssh.service is recognised" 2241 OK:*"unit ssh.service"*
		run_plugin -C "$cf" --format json
		expect_schema "JSON of the socket whose cgroup is gone"
		expect_jq "JSON: its unit is unknown, its verdict not recognised" \
			'.listeners[] | select(.port == 2240) | .owner.unit == null and .owner.units == []
				and .verdict != "recognised" and .owner.pid != null'
	else
		not_ok "cannot create the socket, remove its cgroup and move its holder"
	fi
	cg_cleanup
	left=0; for c in "${CGROUPS[@]}"; do [ -d "$c" ] && left=1; done
	if [ "$left" = 0 ]; then ok "every test cgroup removed"; else not_ok "test cgroups left behind"; fi
else
	skip "a removed cgroup: no writable cgroup2 hierarchy here"
fi

# --- a socket held only in an SCM_RIGHTS message in flight ---------------------------
start "$FDPASS" inflight 2220 || not_ok "cannot start the in-flight socket"
start "$SOCKHOLD" tcp:127.0.0.1:2221 || not_ok "cannot start the held socket"
cf=$(conf inflight.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = 2220; process = "kernel"; },
          { proto = "tcp"; port = 2220; user = "root"; },
          { proto = "tcp"; port = 2220; exe = "*"; },
          { proto = "tcp"; port = 2221; } );
EOF
)
run_plugin -C "$cf"
expect_rc "in flight: process/user/exe rules do not recognise it" 2
expect_out "in flight: shown as no holder" \
	'^CRITICAL: tcp 127\.0\.0\.1:2220 .* - no holder \(kernel socket, or a descriptor in flight\)'
expect_no_out "in flight: never called kernel" 'tcp 127\.0\.0\.1:2220 .* - kernel'
cf=$(conf none.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = 2220; holder = "none"; }, { proto = "tcp"; port = 2221; } );
EOF
)
run_plugin -C "$cf"
expect_rc "holder = \"none\" recognises the socket nobody holds" 0
cf=$(conf none2.conf <<EOF
$SEV
allow = ( { proto = "tcp"; port = [ 2220, 2221 ]; holder = "none"; } );
EOF
)
run_plugin -C "$cf"
expect_rc "holder = \"none\" does not recognise a held socket" 2
expect_out "the held socket stays unrecognised under holder = none" '^CRITICAL: tcp 127\.0\.0\.1:2221 ' 1
run_plugin -C "$cf" --format json
expect_schema "JSON of the in-flight socket"
expect_jq "JSON: no holder for the in-flight socket" \
	'.listeners[] | select(.port == 2220) | .owner.holders == [] and .owner.unheld_sockets == 1'
expect_jq "JSON: one holder for the held socket" \
	'.listeners[] | select(.port == 2221) | (.owner.holders | length) == 1'
stop
finish
