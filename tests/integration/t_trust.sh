#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 14, fail closed: every finding of the issue reproduced as the attacker
# would, and shown fixed.
#   1. forged netlink replies from a user namespace: 0 false OKs over many runs;
#   2. an include swapped by renameat2(RENAME_EXCHANGE) under --check-config:
#      0 loads of the user's file;
#   3. a setcap copy run as nobody: a 0666 config and a root-only 0600 file
#      are refused, and no byte of the secret is shown;
#   4. a FIFO, a world-writable CSV, a group-writable directory: refused, and
#      nothing hangs;
#   5. netns = { all = true; } without privilege: UNKNOWN, count on line 1;
#   6. a namespace only a socket keeps: found, labelled by its holder, checked;
#   7. a hostile config path and rule origin through every output path.
# Run as root, in a private network namespace; parts 1 and 6 also in a
# private pid namespace, so that only the processes made here are seen.
source "$(dirname "$0")/lib.sh"
private_netns

BUILD=$(dirname "$SOCKHOLD")
NLFORGE=$BUILD/nlforge SWAPX=$BUILD/swapx NSHOLDER=$BUILD/nsholder
FORGE_RUNS=${FORGE_RUNS:-200}
SWAP_RUNS=${SWAP_RUNS:-2000}
NOBODY=65534

for h in "$NLFORGE" "$SWAPX" "$NSHOLDER"; do
	[ -x "$h" ] || { not_ok "test helper $h missing (make $h)"; finish; }
done
if [ "$(id -u)" != 0 ]; then
	skip "t_trust.sh: needs root (chown, setcap, namespaces)"
	finish
fi
as_nobody() { setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$@"; }

# A file nobody can write into (their output), made here.
nobody_file() { : > "$1"; chown $NOBODY:$NOBODY "$1"; }

# Inside a private pid and mount namespace: hide the ip netns and Docker
# namespaces other tests of the machine may have, so only ours are seen.
ISOLATE='for nsdir in /run/netns /var/run/docker/netns; do [ -d "$nsdir" ] && mount -t tmpfs none "$nsdir"; done'

CATCH_ALL='allow = ( { port = ["1-27373", "27375-65535"]; comment = "everything else"; } );'

# --- 1. forged netlink replies --------------------------------------------------
# nlforge, unprivileged in its own user and network namespace (where it has
# CAP_NET_ADMIN), sprays NLMSG_DONE with seq 0 / port id 0 (libmnl's
# wildcards) at every sock_diag socket there, and at every pid's port id
# before the socket exists. Its namespace holds a listener on the unassigned
# 27374, so the right answer is CRITICAL; a forged "end of dump" makes it OK.
forged() {
	local d=$TMP/forge cfg
	mkdir -p "$d"; chmod 755 "$d"
	nobody_file "$d/hold.out"; nobody_file "$d/forge.out"
	cfg=$(printf '%s\n' "$CATCH_ALL" | conf forge.conf)
	if ! as_nobody unshare -Urn true 2>/dev/null; then
		skip "forged replies: unprivileged user namespaces are disabled here"
		return
	fi
	unshare --pid --fork --mount-proc bash -c '
		d=$1 plugin=$2 cfg=$3 runs=$4 sockhold=$5 nlforge=$6
		eval "$7"
		setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn sh -c \
			"ip link set lo up; $sockhold tcp:0.0.0.0:27374 udp:0.0.0.0:27374 > $d/hold.out 2>&1 &
			 exec $nlforge > $d/forge.out 2>&1" &
		forger=$!               # setpriv, unshare and sh exec: nlforge itself
		for _ in $(seq 200); do
			grep -q ready "$d/hold.out" && grep -q ready "$d/forge.out" && break
			sleep 0.05
		done
		ok=0 crit=0 unk=0 other=0
		for _ in $(seq "$runs"); do
			out=$("$plugin" -n -C "$cfg"); rc=$?
			case $rc in
			0) ok=$((ok + 1)); printf "%s\n" "$out" | head -n 2 > "$d/ok.sample" ;;
			2) crit=$((crit + 1)); printf "%s\n" "$out" | head -n 1 > "$d/crit.sample" ;;
			3) unk=$((unk + 1)); printf "%s\n" "$out" | head -n 2 > "$d/unk.sample" ;;
			*) other=$((other + 1)) ;;
			esac
		done
		echo "$ok $crit $unk $other" > "$d/counts"
		kill -TERM "$forger"    # it prints its counts, then the namespace goes
		wait "$forger"
	' forged "$d" "$PLUGIN" "$cfg" "$FORGE_RUNS" "$SOCKHOLD" "$NLFORGE" "$ISOLATE"
	if [ ! -s "$d/counts" ]; then
		not_ok "forged replies: the runs did not complete"; cat "$d"/*.out | indent; return
	fi
	read -r n_ok n_crit n_unk n_other < "$d/counts"
	printf '# forged replies: %s runs: %s OK, %s CRITICAL, %s UNKNOWN, %s other; nlforge: %s\n' \
		"$FORGE_RUNS" "$n_ok" "$n_crit" "$n_unk" "$n_other" "$(tail -n 1 "$d/forge.out")"
	if [ "$n_ok" = 0 ] && [ "$n_other" = 0 ]; then
		ok "forged replies: 0 of $FORGE_RUNS runs OK"
	else
		not_ok "forged replies: $n_ok of $FORGE_RUNS runs said OK"; indent < "$d/ok.sample"
	fi
	# The attack ran, and the namespace was seen: the answer was the real one.
	if grep -Eq '^sent [0-9]+ refused [1-9][0-9]*' "$d/forge.out"; then
		ok "forged replies: the attacker ran (the kernel refused its forgeries)"
	else
		not_ok "forged replies: nlforge did not run"; indent < "$d/forge.out"
	fi
	if [ "$n_crit" -gt 0 ] && grep -q 'tcp/27374' "$d/crit.sample"; then
		ok "forged replies: the attacker's listener on 27374 is reported ($n_crit CRITICAL)"
	else
		not_ok "forged replies: the attacker's namespace was never checked"
		cat "$d"/*.sample 2>/dev/null | indent
	fi
}

# --- 2. an include swapped under the plugin ---------------------------------------
# top.conf (root) includes d/inc.conf (root), but d belongs to nobody, who
# swaps inc.conf with their own evil.conf (2 rules, one allowing every port)
# in a loop. Loading evil.conf would print "(2 rules)".
swap() {
	local d=$TMP/swap one=0 two=0 refused=0 other=0 pid out
	mkdir -p "$d/d"
	printf '@include "d/inc.conf"\n' > "$d/top.conf"
	printf 'allow = ( { port = 22; } );\n' > "$d/d/inc.conf"
	printf 'allow = ( { port = 22; }, { port = "1-65535"; comment = "user"; } );\n' > "$d/d/evil.conf"
	chmod 0644 "$d/top.conf" "$d"/d/*.conf
	chown -R $NOBODY:$NOBODY "$d/d"; chown 0:0 "$d/d/inc.conf"
	# not through as_nobody: $! must be swapx itself (setpriv execs it)
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$SWAPX" "$d/d/inc.conf" "$d/d/evil.conf" \
		> "$TMP/swap.out" 2>&1 &
	pid=$!
	HOLDERS+=("$pid")
	for _ in $(seq 100); do grep -q ready "$TMP/swap.out" && break; sleep 0.05; done
	for _ in $(seq "$SWAP_RUNS"); do
		out=$("$PLUGIN" --check-config -C "$d/top.conf")
		case $out in
		*"(1 rule)"*) one=$((one + 1)) ;;
		*"(2 rules)"*) two=$((two + 1)) ;;
		*"directory $d/d is owned by uid $NOBODY"*) refused=$((refused + 1)) ;;
		*) other=$((other + 1)); printf '%s\n' "$out" > "$TMP/swap.other" ;;
		esac
	done
	kill "$pid" 2>/dev/null
	printf '# swap loop: %s runs: root file %s, user file %s, refused %s, other %s\n' \
		"$SWAP_RUNS" "$one" "$two" "$refused" "$other"
	if grep -q ready "$TMP/swap.out"; then ok "swap loop: the swapper ran"; else
		not_ok "swap loop: swapx did not start"; indent < "$TMP/swap.out"; fi
	if [ "$two" = 0 ]; then ok "swap loop: 0 of $SWAP_RUNS runs loaded the user's file"; else
		not_ok "swap loop: $two of $SWAP_RUNS runs loaded the user's file"; fi
	if [ "$refused" = "$SWAP_RUNS" ]; then
		ok "swap loop: every run refused the user's directory"
	else
		not_ok "swap loop: $refused of $SWAP_RUNS runs refused the directory"
		indent < "$TMP/swap.other" 2>/dev/null
	fi
	# The same include in a root-owned directory is read.
	wait "$pid" 2>/dev/null
	printf 'allow = ( { port = 22; } );\n' > "$d/d/inc.conf"
	chown -R 0:0 "$d/d"
	run_plugin --check-config -C "$d/top.conf"
	expect_rc "swap loop: the include in a root directory is read" 0
	expect_line1 "... as the root file" 'is valid \(1 rule\)$'
}

# --- 3. a setcap copy run as nobody -------------------------------------------------
setcap_copy() {
	local bin=$TMP/capbin/check_listeners secret ww good
	mkdir -p "$TMP/capbin"; chmod 0755 "$TMP/capbin"
	cp "$PLUGIN" "$bin"
	chown root:$NOBODY "$bin"; chmod 0750 "$bin"
	if ! setcap cap_dac_read_search,cap_sys_ptrace,cap_sys_admin+ep "$bin" 2>/dev/null; then
		skip "setcap copy: setcap failed (no file capabilities on $TMP?)"
		return
	fi
	ww=$(printf 'allow = ( { port = 22; } );\n' | conf cap_ww.conf); chmod 0666 "$ww"
	secret=$(printf 'allow = ( { port = "hunter2-secret"; } );\n' | conf cap_secret.conf); chmod 0600 "$secret"
	good=$(printf 'allow = ( { port = 22; } );\n' | conf cap_good.conf)
	run_bin as_nobody "$bin" --check-config -C "$good"
	expect_rc "setcap copy as nobody: a root-owned 0644 config is read" 0
	run_bin as_nobody "$bin" --check-config -C "$ww"
	expect_rc "setcap copy as nobody: a 0666 config is refused" 3
	expect_out "... because anyone can write it" 'refused: writable by others'
	run_bin as_nobody "$bin" --check-config -C "$secret"
	expect_rc "setcap copy as nobody: a root-only 0600 file is refused" 3
	expect_out "... because nobody could not read it" '\(uid 65534\) cannot read'
	expect_no_out "... and no byte of it is shown" 'hunter2'
	run_bin as_nobody "$bin" --registry "$secret" -C "$good"
	expect_rc "setcap copy as nobody: a root-only --registry is refused" 3
	expect_no_out "... and no byte of it is shown" 'hunter2'
	mine=$(printf 'allow = ( { port = "1-65535"; } );\n' | conf cap_mine.conf); chown $NOBODY "$mine"
	run_bin as_nobody "$bin" --check-config -C "$mine"
	expect_rc "setcap copy as nobody: the user's own config is refused" 3
	expect_out "... named as theirs" 'refused: owned by uid 65534'
}

# --- 4. FIFO, world-writable CSV, group-writable directory ---------------------------
files() {
	local fifo=$TMP/fifo csv gw cfg
	mkfifo "$fifo"
	run_bin timeout 20 "$PLUGIN" --registry "$fifo"
	expect_rc "--registry on a FIFO is refused at once (no hang: timeout would say 124)" 3
	expect_out "... saying why" 'fifo: refused: a FIFO, not a regular file'
	cfg=$(printf 'registry = { file = "%s"; };\n' "$fifo" | conf reg_fifo.conf)
	run_bin timeout 20 "$PLUGIN" -C "$cfg"
	expect_rc "registry.file on a FIFO is refused at once" 3
	run_bin timeout 20 "$PLUGIN" --check-config -C "$fifo"
	expect_rc "a FIFO as the config is refused at once" 3
	expect_out "... saying why" 'refused: a FIFO'
	# A CSV anyone can write, saying every port is assigned: a user could
	# turn any CRITICAL into OK with it.
	csv=$TMP/ww.csv
	{ head -n 1 "$TESTS_DIR/../fixtures/registry/valid.csv"; echo 'evil,1-65535,tcp,Everything,,,,,,,,'; } > "$csv"
	chmod 0666 "$csv"
	run_plugin --registry "$csv"
	expect_rc "a world-writable --registry CSV is refused" 3
	expect_out "... saying why" 'ww\.csv: refused: writable by others'
	chmod 0644 "$csv"
	run_plugin --port-info 27374/tcp --registry "$csv"
	expect_out "the same CSV, root's and 0644, is used (27374 now assigned)" \
		'^27374/tcp: assigned, service evil'
	mkdir "$TMP/gw"; chmod 0775 "$TMP/gw"
	gw=$TMP/gw/c.conf; printf '%s\n' "$CATCH_ALL" > "$gw"; chmod 0644 "$gw"
	run_plugin --check-config -C "$gw"
	expect_rc "a config in a group-writable directory is refused" 3
	expect_out "... naming the directory" "directory $TMP/gw is writable by group"
	chmod 0755 "$TMP/gw"
	run_plugin --check-config -C "$gw"
	expect_rc "... and read once the directory is fixed" 0
	ln -s "$gw" "$TMP/gw/link.conf"; chown -h $NOBODY "$TMP/gw/link.conf"
	run_plugin --check-config -C "$TMP/gw/link.conf"
	expect_rc "a symlink owned by nobody is not followed" 3
	expect_out "... saying whose" 'is a symbolic link owned by uid 65534'
	printf '@include "../gw/c.conf"\n' > "$TMP/gw/dotdot.conf"; chmod 0644 "$TMP/gw/dotdot.conf"
	run_plugin --check-config -C "$TMP/gw/dotdot.conf"
	expect_rc "an @include with .. is refused" 3
	expect_out "... saying why" 'refused: ".." in the path'
	run_plugin --check-config -C "$TMP/gw/../gw/c.conf"
	expect_rc "-C with .. is walked, and read when every directory passes" 0
	chmod 0775 "$TMP/gw"
	run_plugin --check-config -C "$TMP/gw/../gw/c.conf"
	expect_rc "... and refused when one does not" 3
	chmod 0755 "$TMP/gw"
}

# --- 5. netns.all without privilege ----------------------------------------------
netns_all() {
	local cfg
	cfg=$(printf 'netns = { all = true; };\nallow = ( { port = "1-65535"; } );\n' | conf all.conf)
	run_bin as_nobody "$PLUGIN" -C "$cfg"
	expect_rc "netns.all without privilege is UNKNOWN, as -n is" 3
	expect_line1 "... with the count on line 1" '^LISTENERS UNKNOWN - [0-9]+ of [0-9]+ network namespaces not checked'
	run_bin as_nobody "$PLUGIN" -n -C "$cfg"
	expect_rc "-n without privilege: UNKNOWN" 3
}

# --- 6. a namespace only a socket keeps --------------------------------------------
socket_held() {
	local d=$TMP/held cfg
	mkdir -p "$d"
	cfg=$(printf '%s\n' "$CATCH_ALL" | conf held.conf)
	unshare --pid --fork --mount-proc bash -c '
		d=$1 plugin=$2 cfg=$3 nsholder=$4
		eval "$5"
		"$nsholder" 27374 > "$d/hold.out" 2>&1 &
		holder=$!
		for _ in $(seq 100); do grep -q ready "$d/hold.out" && break; sleep 0.05; done
		"$plugin" -n --list -C "$cfg" > "$d/list.out"
		"$plugin" -n -C "$cfg" > "$d/check.out"; echo $? > "$d/check.rc"
		kill "$holder"
	' held "$d" "$PLUGIN" "$cfg" "$NSHOLDER" "$ISOLATE"
	OUT=$(cat "$d/list.out"); RC=$(cat "$d/check.rc")
	expect_out "a namespace only a socket keeps is found and labelled by its holder" \
		'^socket of pid [0-9]+ \(nsholder\) +tcp +0\.0\.0\.0:27374 '
	OUT=$(cat "$d/check.out"); LINE1=$(head -n 1 "$d/check.out")
	expect_rc "... and checked like any other" 2
	expect_out "... its listener named with that label" \
		'tcp 0\.0\.0\.0:27374 .*netns socket of pid [0-9]+ \(nsholder\)'
}

# A namespace that only a bind mount in another mount namespace keeps, with
# a kernel listener (VXLAN's UDP 4789, no process holds it): found through
# that process's mountinfo and /proc/PID/root.
mount_held() {
	local d=$TMP/mheld cfg
	mkdir -p "$d"; chmod 755 "$d"
	cfg=$(printf '%s\n' "$CATCH_ALL" | conf mheld.conf)
	unshare --pid --fork --mount-proc bash -c '
		d=$1 plugin=$2 cfg=$3
		eval "$4"
		unshare --mount --propagation private sh -c "touch $d/nsf
			unshare --net=$d/nsf sh -c \"ip link set lo up && ip link add vx0 type vxlan id 42 \
				dstport 4789 local 127.0.0.1 dev lo && ip link set vx0 up && echo vxlan > $d/ready\"
			exec sleep 60" &
		holder=$!
		for _ in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.05; done
		[ -e "$d/ready" ] && "$plugin" -n --list -C "$cfg" > "$d/list.out"
		kill "$holder"
	' mheld "$d" "$PLUGIN" "$cfg" "$ISOLATE"
	if [ ! -e "$d/ready" ]; then
		skip "a namespace only a mount keeps: cannot make a VXLAN device here"
		return
	fi
	OUT=$(cat "$d/list.out" 2>/dev/null)
	expect_out "a namespace only a mount in another mount namespace keeps is found and labelled" \
		'^mount of pid [0-9]+ \(sleep\) +udp +0\.0\.0\.0:4789 '
}

# --- 7. a hostile config path and rule origin ----------------------------------------
# A directory name with a newline, a fake plugin line and a '|'; a rule in it
# that expired (its origin is printed) and one that recognises a listener.
hostile_path() {
	local dir cfg bad
	dir="$TMP/x|y
LISTENERS OK - forged | forged=1"
	mkdir -p "$dir"
	cfg="$dir/c
LISTENERS OK - forged.conf"
	printf 'allow = ( { proto = "tcp"; port = 27374; comment = "a|b\nLISTENERS OK - c"; },\n  { port = 9; expires = "2001-01-01"; } );\n' > "$cfg"
	chmod 0644 "$cfg"
	bad="$dir/bad
LISTENERS OK - forged.conf"
	printf 'allow = ( { port = 70000; } );\n' > "$bad"; chmod 0644 "$bad"
	for args in "-vvv -C" "--list -C" "--check-config -C" "--format json -C" "--format json --list -C" \
			"--check-config --registry $TMP/none.csv -C"; do
		# shellcheck disable=SC2086
		run_plugin $args "$cfg"
		no_forgery "text of $args"
	done
	run_plugin -C "$bad"
	no_forgery "the error for an invalid config"
	expect_out "... which still names the file and line" ':1: port: 70000 is out of range'
	run_plugin --check-config -C "$bad"
	no_forgery "--check-config of an invalid config"
	run_plugin --format json -C "$bad"
	no_forgery "JSON of an invalid config"
}

# no_forgery NAME: the plugin's text (for JSON: the document parses, and its
# "output" is that text) has exactly one line starting "LISTENERS", and at
# most one '|', the perfdata separator.
no_forgery() {
	local text=$OUT
	if [ "${OUT:0:1}" = "{" ]; then
		if ! text=$(printf '%s\n' "$OUT" | jq -e -r .output 2>/dev/null); then
			not_ok "$1: not valid JSON"; printf '%s\n' "$OUT" | indent 40; return
		fi
	fi
	if [ "$(printf '%s\n' "$text" | grep -c '^LISTENERS')" != 1 ] || \
	   [ "$(printf '%s' "$text" | tr -cd '|' | wc -c)" -gt 1 ]; then
		not_ok "$1: a hostile path forged a line or a '|'"; printf '%s\n' "$OUT" | indent 40
	else
		ok "$1: the hostile path stays escaped"
	fi
}

# 1 and 6 first: a listener on 27374 in the test's own namespace would make
# them CRITICAL whatever the plugin saw elsewhere.
forged
socket_held
mount_held
hold tcp:127.0.0.1:27374 || not_ok "cannot open 27374"
swap
setcap_copy
files
netns_all
hostile_path
finish
