#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Ping sockets (F3): socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), which every
# user may open where net.ipv4.ping_group_range allows it (systemd on Debian
# 12 sets "0 2147483647"). Bound to an echo identifier, such a socket takes
# every echo reply that carries it, solicited or not: a command channel
# without a port. Here nobody holds one for IPv4 and one for IPv6; the
# plugin must report them, WARNING by default, with their owner, the same
# sockets as /proc/net/icmp and icmp6. ping(8) itself, which the sample
# config recognises by its executable, must not page. In a private pid
# namespace too, so that holder sets are complete.
source "$(dirname "$0")/lib.sh"
private_world

PY=/usr/bin/python3
[ -x "$PY" ] || { not_ok "no $PY"; finish; }
sysctl -qw net.ipv4.ping_group_range="0 2147483647" ||
	{ not_ok "cannot set net.ipv4.ping_group_range in the test's namespace"; finish; }
run() { run_plugin -t 120 "$@"; }

# ping_hold FAMILY ADDRESS ID: a process of nobody with a ping socket bound to
# ADDRESS and echo identifier ID (hold() with setpriv: HOLD_PID is the holder);
# it appends "got PAYLOAD" to $TMP/got.ID for every echo reply it receives.
HOLDER='
import socket, sys
v6 = sys.argv[1] == "6"
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM, 58 if v6 else 1)
s.bind((sys.argv[2], int(sys.argv[3], 0)))
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(2048)
    with open(sys.argv[4], "a") as f:
        print("got", data[8:].decode(errors="replace"), file=f)
'
ping_hold() {
	local saved=$SOCKHOLD rc got="$TMP/got.$(($3))"
	: > "$got" && chown nobody "$got"
	SOCKHOLD=/usr/bin/setpriv
	hold --reuid=nobody --regid=nogroup --clear-groups "$PY" -c "$HOLDER" "$1" "$2" "$3" "$got"; rc=$?
	SOCKHOLD=$saved
	return $rc
}

ping_hold 4 0.0.0.0 0x1337 || { not_ok "nobody cannot open an IPv4 ping socket"; finish; }
p4=$HOLD_PID out4="$TMP/got.$((0x1337))"
ping_hold 6 ::1 0x1338 || { not_ok "nobody cannot open an IPv6 ping socket"; finish; }
p6=$HOLD_PID

sample=$(conf sample.conf < "$TESTS_DIR/../../conf/check_listeners.conf")
empty=$(conf empty.conf <<'C'
allow = ( { proto = "tcp"; port = 1; comment = "nothing here"; } );
C
)

# --- the repro: the sample config said "OK - 0 listeners" ------------------------
run -C "$sample"
expect_rc "two ping sockets of nobody with the sample config: WARNING" 1
expect_line1 "line 1 names them" "^LISTENERS WARNING - 2 unrecognised listeners on a ping socket \(ping/id=49(19|20) python3, \+1\)"
expect_out "the IPv4 ping socket, its identifier and its owner" \
	"^WARNING: ping 0\.0\.0\.0:id=4919 \(ping socket: takes every ICMP echo reply with id 4919\) - pid $p4 python3 \(/usr/bin/python3[.0-9]*\) user nobody$"
expect_out "the IPv6 ping socket bound to ::1" \
	"^WARNING: ping \[::1\]:id=4920 \(ping socket: takes every ICMPv6 echo reply with id 4920\) - pid $p6 python3 \(/usr/bin/python3[.0-9]*\) user nobody$"
expect_out "perfdata counts them" "\| .* unrecognised_raw=0;;;0 unrecognised_ping=2;;;0 .* raw=0;;;0 ping=2;;;0 time="
expect_stderr_empty "sample config"

# --- why it matters: an unsolicited echo reply reaches nobody's process ----------
"$PY" - <<'P'
import socket, struct
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
payload = b"MAGIC-F3"
hdr = struct.pack("!BBHHH", 0, 0, 0, 0x1337, 1)
pkt = struct.pack("!BBHHH", 0, 0, csum(hdr + payload), 0x1337, 1) + payload
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
r.sendto(pkt, ("127.0.0.1", 0))
P
for _ in $(seq 100); do grep -q '^got MAGIC-F3' "$out4" && break; sleep 0.02; done
if grep -q '^got MAGIC-F3' "$out4"; then
	ok "an echo reply nobody asked for reaches the ping socket (id 0x1337): it is a listener"
else
	not_ok "the crafted echo reply did not arrive"; indent < "$out4"
fi

run -C "$sample" -vv
expect_out "-vv says where ping sockets came from" \
	"^note: ping: read from /proc/net/icmp and icmp6 \(Linux has no sock_diag handler for ping sockets\)"

run -C "$sample" --list
expect_out "--list: the IPv4 row" "^host +ping +0\.0\.0\.0:id=4919 +v4 +\? +65534 +1 +ping +- +WARNING +pid $p4 python3 "
expect_out "--list: the IPv6 row, v6 only" "^host +ping +\[::1\]:id=4920 +v6 +\? +65534 +1 +ping +- +WARNING +pid $p6 "

# --- severity -------------------------------------------------------------------
run -C "$sample" --severity ping=critical
expect_rc "--severity ping=critical raises them" 2
run -C "$(conf sevok.conf <<'C'
severity = { ping = "ok"; };
allow = ( { proto = "tcp"; port = 1; } );
C
)"
expect_rc "severity = { ping = \"ok\"; } lowers them" 0

# --- rules: owner, address, family; never a port --------------------------------
run -C "$(conf user.conf <<'C'
allow = ( { proto = "ping"; user = "nobody"; comment = "nobody's pings"; } );
C
)" --list
expect_rc "proto ping + user recognises both" 0
expect_out "--list names the rule" "^host +ping +0\.0\.0\.0:id=4919 .* ok +pid $p4 .*# nobody's pings"
run -C "$(conf lo.conf <<'C'
allow = ( { proto = "ping"; address = "loopback"; user = "nobody"; } );
C
)"
expect_rc "address loopback recognises only the ::1 one" 1
expect_line1 "the wildcard one is left" "1 unrecognised listener on a ping socket \(ping/id=4919 python3\)"
run -C "$(conf raw.conf <<'C'
allow = ( { proto = "raw"; protocol = [ "icmp", "ipv6-icmp" ]; }, { proto = [ "tcp", "udp" ]; } );
C
)"
expect_rc "a raw icmp rule is not a ping rule" 1
run -C "$(conf v6.conf <<'C'
allow = ( { proto = "ping"; family = "ipv6"; exe = "/usr/bin/python3*"; } );
C
)"
expect_line1 "family ipv6 + exe recognises the IPv6 one only" "1 unrecognised listener on a ping socket \(ping/id=4919 "
run -C "$(conf iface.conf <<'C'
allow = ( { proto = "ping"; interface = "lo"; user = "nobody"; } );
C
)"
expect_rc "an interface rule cannot be verified from /proc/net/icmp: UNKNOWN, never OK" 3
run --check-config -C "$(conf port.conf <<'C'
allow = ( { proto = "ping"; port = 4919; } );
C
)"
expect_rc "a port on a ping rule is refused" 3
expect_out "and the message says why" "ping sockets have no port \(their echo identifier is none\)"

# --- learn mode ------------------------------------------------------------------
run --generate-config -C "$empty"
expect_out "learn: by address, executable and user, without the identifier" \
	'^  \{ proto = "ping"; address = "any"; exe = "/usr/bin/python3[.0-9]*"; user = "nobody"; \}'
gen=$(printf '%s\n' "$OUT" | conf generated.conf)
run -C "$gen"
expect_rc "the generated config recognises them" 0

# --- JSON, and parity with /proc/net/icmp and icmp6 -------------------------------
run -C "$sample" --format json
expect_schema "JSON with ping sockets"
j4=$(printf '%s\n' "$OUT" | jq -c '.listeners[] | select(.proto == "ping" and .family == "ipv4")')
if printf '%s\n' "$j4" | jq -e --argjson pid "$p4" '.port == 4919 and .protocol == "icmp" and .address == "0.0.0.0"
	and .interface_known == false and .class == "ping" and .graded_as == "ping" and .state == "WARNING"
	and .inode > 0 and (.owner.pids | index($pid)) != null' > /dev/null; then
	ok "JSON: the IPv4 ping socket with identifier, protocol, class and owner"
else
	not_ok "JSON: the IPv4 ping socket"; printf '%s\n' "$j4" | indent
fi
# (inode, pid) of every socket in icmp and icmp6, the pid from the fd links
proc_rows() {
	local ino link p
	for ino in $(tail -q -n +2 /proc/net/icmp /proc/net/icmp6 | awk '{ print $10 }'); do
		for link in /proc/[0-9]*/fd/*; do
			[ "$(readlink "$link" 2>/dev/null)" = "socket:[$ino]" ] || continue
			p=${link#/proc/}
			printf '%s %s\n' "$ino" "${p%%/*}"
		done
	done | sort -u
}
want=$(proc_rows)
got=$(printf '%s\n' "$OUT" | jq -r '.listeners[] | select(.proto == "ping") | .inode as $i | .owner.pids[] | "\($i) \(.)"' | sort -u)
printf '# parity: /proc/net/icmp and icmp6 hold %s sockets; ss -a --raw lists %s ping sockets (it has no source for them)\n' \
	"$(printf '%s\n' "$want" | grep -c .)" \
	"$(ss -H -a -n -p --raw 2>/dev/null | grep -c "pid=\($p4\|$p6\),")"
if [ -n "$want" ] && [ "$want" = "$got" ]; then
	ok "parity with /proc/net/icmp and icmp6: the same (inode, pid) for all $(printf '%s\n' "$want" | wc -l) ping sockets"
else
	not_ok "parity with /proc/net/icmp and icmp6"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | indent
fi

# --- as nobody: the socket is still seen; an exe rule cannot be verified ---------
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" -t 120 -C "$empty" 2>&1); RC=$?
expect_rc "unprivileged: the ping sockets are still found (UNKNOWN: their executables cannot be checked)" 3
expect_out "unprivileged: with their user" "^UNKNOWN: ping 0\.0\.0\.0:id=4919 .* user nobody$"

# --- ping(8), as check_ping runs it, is recognised by the sample config ----------
stop_tree "$p4"; stop_tree "$p6"
if [ -x /usr/bin/ping ]; then
	# ping_group_range "1 0" (the kernel's default) makes ping fall back to a
	# raw ICMP socket, which it may open through its file capability.
	for range in "0 2147483647" "1 0"; do
		sysctl -qw net.ipv4.ping_group_range="$range"
		setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/ping -q -i 0.5 -c 600 127.0.0.1 \
			> /dev/null 2>&1 &
		pp=$!
		HOLDERS+=("$pp")
		kind=
		for _ in $(seq 200); do
			if [ "$(tail -n +2 /proc/net/icmp | wc -l)" -gt 0 ]; then kind=ping; break; fi
			if [ "$(tail -n +2 /proc/net/raw | wc -l)" -gt 0 ]; then kind=raw; break; fi
			sleep 0.02
		done
		if [ -z "$kind" ]; then
			skip "ping_group_range $range: /usr/bin/ping opened no socket as nobody (no file capability?)"
		else
			run -C "$sample" --list
			expect_rc "ping_group_range $range: ping(8) holds a $kind socket, the sample config recognises it" 0
			expect_out "ping_group_range $range: the $kind row says ok, by the ping rule" \
				"^host +$kind .* ok +pid $pp ping \(/usr/bin/ping\) .*# ping\(8\)"
			# ping is not dumpable (file capability): without privilege its
			# descriptors cannot be read, so the exe rule cannot be verified
			OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" -t 120 \
				-C "$sample" 2>&1); RC=$?
			expect_rc "ping_group_range $range, unprivileged: ping(8)'s owner cannot be read: UNKNOWN, never OK" 3
		fi
		stop_tree "$pp"
	done
else
	skip "no /usr/bin/ping (iputils-ping): the sample config's ping rules are not exercised"
fi

# --- another namespace (-n): read inside it ---------------------------------------
sysctl -qw net.ipv4.ping_group_range="0 2147483647"
netns_sleeper
other=$NS_PID
out="$TMP/other.out"
nsenter --net="/proc/$other/ns/net" bash -c 'sysctl -qw net.ipv4.ping_group_range="0 0" && exec "$0" -c "$1" 4 0.0.0.0 0x4242 /dev/null' \
	"$PY" "$HOLDER" > "$out" 2>&1 &
inner=$!
HOLDERS+=("$inner")
for _ in $(seq 200); do grep -q ready "$out" && break; sleep 0.02; done
grep -q ready "$out" || { not_ok "no ping holder in the other namespace"; indent < "$out"; finish; }
run -C "$empty" --all-netns --list
expect_out "-n: the ping socket of another namespace, read in it" "^pid [0-9]+ \(sleep\) +ping +0\.0\.0\.0:id=16962 .* WARNING +pid $inner "
expect_no_out "-n: not in the host's namespace" "^host +ping +0\.0\.0\.0:id=16962 "
finish
