#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_exe_place.sh: issue 15 - an unrecognised listener whose executable lies in
# a place writable by all or backed by memory only is CRITICAL, with the reason;
# a deleted executable elsewhere is a note, not a state.
# In a private network and pid namespace: the holders' places are read from
# this test's processes only, so none is unknown for want of reading another.
source "$(dirname "$0")/lib.sh"
private_world
MEMFD_EXEC=$(dirname "$SOCKHOLD_GIVEN")/memfd_exec

cfg=$(conf none.conf <<'C'
allow = ( { proto = "tcp"; port = 1; comment = "nothing"; } );
C
)
# $$ is 1 in this pid namespace: the name takes the unique part of $TMP.
SHM=/dev/shm/cl-exe-${TMP##*.}
VARLIB=$(mktemp -d /var/lib/cl-exe.XXXXXX)
trap 'cleanup; rm -f "$SHM"; rm -rf "$VARLIB"' EXIT

# --- an executable copied to /dev/shm, on an assigned port (8080 http-alt) ----------
cp "$SOCKHOLD" "$SHM" && chmod 755 "$SHM"
SOCKHOLD_SAVED=$SOCKHOLD; SOCKHOLD=$SHM
if hold tcp:127.0.0.1:8080; then
	run_plugin -t 60 -C "$cfg"
	printf '# %s\n' "$LINE1"
	expect_rc "a listener run from /dev/shm is CRITICAL" 2
	expect_line1 "line 1 says why" \
		"^LISTENERS CRITICAL - 1 unrecognised listener with a suspicious executable \\(tcp/8080 ${SHM##*/}\\)"
	expect_out "the detail line names the place" \
		"^CRITICAL: tcp 127\.0\.0\.1:8080 assigned http-alt - executable in /dev/shm \(memory-backed, writable by all\); pid [0-9]+ ${SHM##*/} \($SHM\)"
	rm -f "$SHM"
	run_plugin -t 60 -C "$cfg"
	expect_rc "deleted from /dev/shm: still CRITICAL" 2
	expect_out "deleted from /dev/shm: the place and the deletion are named" \
		"^CRITICAL: tcp 127\.0\.0\.1:8080 .* - executable in /dev/shm .*\($SHM, deleted\)"
	run_plugin -t 60 -C "$cfg" --severity suspicious=warning
	expect_rc "graded by severity.suspicious" 1
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
else
	not_ok "sockhold from /dev/shm did not start"
fi
SOCKHOLD=$SOCKHOLD_SAVED

# --- a memfd: fileless ---------------------------------------------------------------
if [ -x "$MEMFD_EXEC" ] && SOCKHOLD_SAVED=$SOCKHOLD && SOCKHOLD=$MEMFD_EXEC && hold "$SOCKHOLD_SAVED" tcp:127.0.0.1:8081; then
	run_plugin -t 60 -C "$cfg"
	expect_rc "a listener run from a memfd is CRITICAL" 2
	expect_out "the detail line says memfd" "^CRITICAL: tcp 127\.0\.0\.1:8081 .* - executable is an anonymous memory file \(memfd\)"
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
else
	not_ok "memfd_exec (build/memfd_exec) did not start sockhold"
fi
SOCKHOLD=$SOCKHOLD_SAVED

# --- a tmpfs writable by all, in a private mount namespace -----------------------------
# The plugin reads its own mount table, so it runs in the same mount namespace.
mnt="$VARLIB/ramdisk"
mkdir -p "$mnt"
unshare --mount --propagation private bash -c '
	mount -t tmpfs -o mode=1777 cl-test "$1" || exit 9
	cp "$2" "$1/daemon" && chmod 755 "$1/daemon"
	"$1/daemon" tcp:127.0.0.1:8082 > "$1/out" 2>&1 & pid=$!
	for _ in $(seq 100); do grep -q ready "$1/out" && break; sleep 0.02; done
	"$3" -t 60 -C "$4"; rc=$?
	kill $pid; wait $pid 2>/dev/null
	exit $rc' _ "$mnt" "$SOCKHOLD" "$PLUGIN" "$cfg" > "$TMP/tmpfs.out" 2>&1
RC=$?; OUT=$(cat "$TMP/tmpfs.out")
expect_rc "a listener run from a world-writable tmpfs is CRITICAL" 2
expect_out "the detail line says tmpfs writable by all" \
	"^CRITICAL: tcp 127\.0\.0\.1:8082 .* - executable on a tmpfs writable by all"

# --- a user's runtime tmpfs (review3 F8) -------------------------------------------------
# /run/user/UID as systemd-logind mounts it: a tmpfs of its own, 0700, owned by
# the user, exec allowed: memory-backed and gone at logout, as /dev/shm. Here at
# a directory of the test's, in a private mount namespace, the plugin inside it.
runuser="$VARLIB/user65534"
mkdir -p "$runuser" && chmod 755 "$VARLIB"
unshare --mount --propagation private bash -c '
	mount -t tmpfs -o nosuid,nodev,mode=0700,uid=65534,gid=65534 cl-test "$1" || exit 9
	cp "$2" "$1/.x" && chown 65534:65534 "$1/.x" && chmod 755 "$1/.x"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$1/.x" tcp:127.0.0.1:8080 udp:127.0.0.1:40000 \
		> "$5" 2>&1 & pid=$!
	for _ in $(seq 100); do grep -q ready "$5" && break; sleep 0.02; done
	"$3" -t 60 -C "$4"; rc=$?
	kill $pid; wait $pid 2>/dev/null
	exit $rc' _ "$runuser" "$SOCKHOLD" "$PLUGIN" "$cfg" "$TMP/runuser.ready" > "$TMP/runuser.out" 2>&1
RC=$?; OUT=$(cat "$TMP/runuser.out"); LINE1=$(head -n 1 "$TMP/runuser.out")
printf '# %s\n' "$LINE1"
expect_rc "a listener run from a user's own tmpfs (as /run/user/UID) is CRITICAL" 2
expect_out "tcp: the detail line says tmpfs writable by a user" \
	"^CRITICAL: tcp 127\.0\.0\.1:8080 assigned http-alt - executable on a tmpfs writable by a user other than root .*\($runuser/\.x\) user nobody"
expect_out "udp/40000 (ephemeral, OK by default): CRITICAL too" \
	"^CRITICAL: udp 127\.0\.0\.1:40000 .* - executable on a tmpfs writable by a user other than root"

# --- a deleted executable elsewhere: a note, not a state --------------------------------
cp "$SOCKHOLD" "$VARLIB/upgraded" && chmod 755 "$VARLIB/upgraded"
SOCKHOLD_SAVED=$SOCKHOLD; SOCKHOLD=$VARLIB/upgraded
if hold tcp:127.0.0.1:8083; then
	rm -f "$VARLIB/upgraded"
	run_plugin -t 60 -C "$cfg"
	expect_rc "a deleted executable in /var/lib on an assigned port: WARNING as any assigned port" 1
	expect_out "it is a note" "^note: pid [0-9]+ upgraded runs a deleted executable \($VARLIB/upgraded\): restart it"
	expect_no_out "no suspicious reason" "^WARNING: .*(executable in|executable on|anonymous memory)"
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
else
	not_ok "sockhold from /var/lib did not start"
fi
SOCKHOLD=$SOCKHOLD_SAVED

# --- a recognised listener is never looked at -------------------------------------------
cp "$SOCKHOLD" "$SHM" && chmod 755 "$SHM"
SOCKHOLD_SAVED=$SOCKHOLD; SOCKHOLD=$SHM
ok_cfg=$(conf allow.conf <<'C'
allow = ( { proto = "tcp"; port = 8084; comment = "known"; } );
C
)
if hold tcp:127.0.0.1:8084; then
	run_plugin -t 60 -C "$ok_cfg"
	expect_rc "a rule recognises it, wherever its executable lies" 0
	kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
fi
SOCKHOLD=$SOCKHOLD_SAVED
finish
