#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Packet and raw sockets (issue 16): listeners without a port. A BPFDoor-style
# packet socket with a BPF filter is CRITICAL with its owner named, a raw ICMP
# listener is WARNING, a process posing as dhclient is not recognised by the
# sample config, and the rows match ss -0 and ss -w (pid and inode). In a
# private pid namespace too, so that holder sets can be complete.
source "$(dirname "$0")/lib.sh"
private_world

PKTHOLD=$(dirname "$SOCKHOLD")/pkthold
[ -x "$PKTHOLD" ] || { not_ok "no $PKTHOLD (make build/pkthold)"; finish; }

# The owner scan reads every process of the host (-n: for every namespace,
# other tests' too): give it time on a loaded machine, so that no assertion
# depends on speed.
run() { run_plugin -t 120 "$@"; }

# pkt_hold ARGS...: like hold, with pkthold; sets HOLD_PID.
pkt_hold() {
	start "$PKTHOLD" "$@"
	local rc=$?
	HOLD_PID=$PID
	return $rc
}

# A BPFDoor-style implant: another executable, named like a system daemon,
# with an unbound ETH_P_ALL packet socket and a classic BPF filter.
# It runs from a directory of its own outside /tmp: an executable in /tmp is
# graded suspicious (issue 15), and this test is about the packet classes.
if [ -z "$SAFE_DIR" ]; then SAFE_DIR=$(mktemp -d /var/lib/cl-sockhold.XXXXXX) && chmod 755 "$SAFE_DIR"; fi
DOOR="$SAFE_DIR/hald-addon-volume"
cp "$PKTHOLD" "$DOOR"
saved=$PKTHOLD; PKTHOLD="$DOOR"
pkt_hold --comm dbus-daemon packet:all:filter || { not_ok "cannot start the BPFDoor-style holder"; finish; }
door=$HOLD_PID
PKTHOLD=$saved
# Plain packet sockets: unbound, bound to lo, a datagram one for ARP.
pkt_hold packet:all packet:ip:dev=lo packet:arp:dgram || { not_ok "cannot open packet sockets"; finish; }
plain=$HOLD_PID
# Raw IP sockets, IPv4 and IPv6: ICMP, UDP and IPPROTO_RAW.
pkt_hold raw4:icmp raw4:udp raw4:raw raw6:ipv6-icmp raw6:udp raw6:raw || { not_ok "cannot open raw sockets"; finish; }
raws=$HOLD_PID
# A process that calls itself dhclient but runs another executable.
pkt_hold --comm dhclient packet:all:filter,dev=lo || { not_ok "cannot start the fake dhclient"; finish; }
fake=$HOLD_PID

empty=$(conf empty.conf <<'C'
allow = ( { proto = "tcp"; port = 1; comment = "nothing here"; } );
C
)

# --- every socket, its class and its owner -------------------------------------
run -C "$empty"
expect_rc "unrecognised packet and raw sockets: CRITICAL (a filter is there)" 2
expect_out "perfdata counts the packet and raw sockets" "\| .* packet=5;;;0 raw=6;;;0 "
expect_out "perfdata has the three new classes" \
	"unrecognised_packet=3;;;0 unrecognised_packet_filter=2;;;0 unrecognised_raw=6;;;0"
expect_out "the BPFDoor-style socket is CRITICAL with its owner named" \
	"^CRITICAL: packet all \(type raw, BPF filter of 4 instructions\) - pid $door dbus-daemon \(.*/hald-addon-volume\) user root$"
expect_line1 "line 1 names the BPFDoor-style socket" "packet/all dbus-daemon"
expect_out "an unfiltered packet socket is WARNING" \
	"^WARNING: packet all \(type raw, no classic BPF filter\) - pid $plain pkthold "
expect_out "a packet socket bound to lo shows the interface" "^WARNING: packet ip%lo \(type raw, no classic BPF filter\) - pid $plain "
expect_out "a datagram packet socket" "^WARNING: packet arp \(type dgram, no classic BPF filter\) - pid $plain "
for ep in '0\.0\.0\.0:icmp' '0\.0\.0\.0:udp' '0\.0\.0\.0:raw' '\[::\]:ipv6-icmp' '\[::\]:udp' '\[::\]:raw'; do
	expect_out "raw $ep is WARNING with its owner" "^WARNING: raw $ep \(raw socket\) - pid $raws pkthold "
done
expect_out "the fake dhclient is CRITICAL, its real executable shown" \
	"^CRITICAL: packet all%lo \(type raw, BPF filter of 4 instructions\) - pid $fake dhclient \(.*/pkthold\) user root$"

run -C "$empty" -vv
expect_out "-vv says where raw sockets came from" "^note: raw: read from /proc/net/raw and raw6 \(this kernel has no raw_diag"

run -C "$empty" --list
expect_out "--list: packet row with type and filter" "^host +packet +all +- +- +0 +1 +packet,bpf=4 +raw +CRITICAL +pid $door "
expect_out "--list: bound interface in the IF column" "^host +packet +ip%lo +- +lo +0 +1 +packet +raw +WARNING"
expect_out "--list: raw rows say the interface is not known" "^host +raw +0\.0\.0\.0:icmp +v4 +\? +0 +1 +raw "

# --- a raw ICMP listener alone is WARNING --------------------------------------
rawonly=$(conf rawonly.conf <<C
allow = (
  { proto = "packet"; exe = "$PKTHOLD"; comment = "the test's packet sockets"; },
  { proto = "packet"; exe = "$DOOR"; },
  { proto = "raw"; protocol = [ "udp", "raw", "ipv6-icmp" ]; exe = "$PKTHOLD"; }
);
C
)
run -C "$rawonly"
expect_rc "only raw ICMP unrecognised: WARNING" 1
expect_line1 "line 1 names the raw ICMP listener" "1 unrecognised listener on a raw socket \(raw/icmp pkthold\)"
expect_out "the raw ICMP line" "^WARNING: raw 0\.0\.0\.0:icmp \(raw socket\) - pid $raws pkthold "
expect_out "protocol names recognise the other raw sockets" "unrecognised_raw=1;;;0"
run -C "$rawonly" --severity raw=critical
expect_rc "--severity raw=critical raises it" 2
sevconf=$(conf sev.conf <<C
severity = { raw = "ok"; };
allow = ( { proto = "packet"; exe = "*"; } );
C
)
run -C "$sevconf"
expect_rc "severity = { raw = \"ok\" } in the config lowers it" 0

# --- severity of the BPFDoor class is settable ----------------------------------
run -C "$empty" --severity packet_filter=warning
expect_rc "--severity packet_filter=warning: no CRITICAL left" 1
expect_out "the filtered socket is then WARNING" "^WARNING: packet all \(type raw, BPF filter of 4 instructions\) - pid $door "

# --- the sample config: a process named dhclient is not dhclient -----------------
sample=$(conf sample.conf < "$TESTS_DIR/../../conf/check_listeners.conf")
run -C "$sample"
expect_out "sample config: the fake dhclient is not recognised" \
	"^CRITICAL: packet all%lo \(type raw, BPF filter of 4 instructions\) - pid $fake dhclient \(.*/pkthold\)"
expect_out "sample config: the BPFDoor-style socket is not recognised" "^CRITICAL: packet all .* pid $door dbus-daemon "

# --- rules: protocol, interface, and what cannot be known -----------------------
rules=$(conf rules.conf <<C
allow = (
  { proto = "packet"; protocol = "ip"; interface = "lo"; exe = "$PKTHOLD"; comment = "ip on lo"; },
  { proto = "packet"; protocol = 0x0806; exe = "$PKTHOLD"; comment = "arp by number"; },
  { proto = "raw"; protocol = 1; interface = "lo"; comment = "interface of a raw socket: not in /proc/net/raw"; }
);
C
)
run -C "$rules" --list
expect_out "protocol + interface recognise a bound packet socket" "^host +packet +ip%lo .* ok +pid $plain .*# ip on lo"
expect_out "an ETH_P number recognises arp" "^host +packet +arp .* ok +pid $plain .*# arp by number"
expect_out "an unbound ETH_P_ALL socket does not match protocol ip" "^host +packet +all +- +- +0 +1 +packet +raw +WARNING"
expect_out "a raw rule needing the interface cannot be verified from /proc/net/raw" "^host +raw +0\.0\.0\.0:icmp .* unverif "
run --check-config -C "$(conf bad.conf <<'C'
allow = (
  { proto = "packet"; port = 3; },
  { proto = "tcp"; protocol = "all"; },
  { proto = "packet"; protocol = "nonsense"; },
  { proto = "raw"; protocol = 256; }
);
C
)"
expect_rc "a port on packet, protocol on tcp, bad names: invalid config" 3
expect_out "port on a packet rule is refused" "packet and raw sockets have no port: use protocol"
expect_out "protocol needs proto packet or raw" 'protocol needs proto = "packet" or proto = "raw"'
expect_out "an unknown ETH_P name is refused" '"nonsense" is not an ETH_P protocol'
expect_out "an IP protocol above 255 is refused" '256 is out of range \(0-255\)'

# --- learn mode learns them by owner, and what it learns holds -------------------
run --generate-config -C "$empty"
gen=$(printf '%s\n' "$OUT" | conf generated.conf)
expect_out "learn: the filtered socket by executable, not by name" \
	"\{ proto = \"packet\"; protocol = \"all\"; exe = \"$DOOR\"; user = \"root\"; \}"
expect_out "learn: a bound packet socket keeps its interface" \
	"\{ proto = \"packet\"; protocol = \"ip\"; interface = \"lo\"; exe = \"$PKTHOLD\"; user = \"root\"; \}"
expect_out "learn: raw sockets by protocol and address" "\{ proto = \"raw\"; protocol = \"icmp\"; address = \"any\"; exe = \"$PKTHOLD\"; user = \"root\"; \}"
run -C "$gen"
expect_rc "the generated config recognises every packet and raw socket" 0

# --- JSON ------------------------------------------------------------------------
run -C "$empty" --format json
expect_schema "JSON with packet and raw sockets"
door_json=$(printf '%s\n' "$OUT" | jq -c ".listeners[] | select(.owner.pid == $door)")
if printf '%s\n' "$door_json" | jq -e '.proto == "packet" and .protocol == "all" and .packet.filter == "classic"
	and .packet.filter_instructions == 4 and .state == "CRITICAL" and .graded_as == "packet_filter"
	and .family == "packet" and .inode > 0' > /dev/null; then
	ok "JSON: the filtered packet socket with its filter, class and inode"
else
	not_ok "JSON: the filtered packet socket"; printf '%s\n' "$door_json" | indent
fi

# --- without CAP_NET_ADMIN the kernel withholds the filter: never guessed -------
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" -t 120 -C "$empty" 2>&1); RC=$?
expect_out "unprivileged: the filter is said to be withheld" \
	"^CRITICAL: packet all \(type raw, BPF filter withheld by the kernel: needs CAP_NET_ADMIN\) - pid \? user root"
expect_no_out "unprivileged: never 'no classic BPF filter'" "no classic BPF filter"
expect_rc "unprivileged: a withheld filter is graded as a filter (CRITICAL)" 2
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" -t 120 -C "$sample" 2>&1); RC=$?
expect_rc "unprivileged with the sample config: the unit rules cannot be verified, UNKNOWN, never OK" 3
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
expect_line1 "unprivileged: line 1 says why" "11 not verifiable \(owner unknown\)"
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps +net_admin,+dac_read_search,+sys_ptrace \
	--ambient-caps +net_admin,+dac_read_search,+sys_ptrace "$TMP/check_listeners" -t 120 -C "$rawonly" 2>&1); RC=$?
expect_rc "as nobody with the documented capabilities: same verdict as root" 1
expect_out "with CAP_NET_ADMIN the filter is shown" "BPF filter of 4 instructions|raw/icmp"

# --- parity with ss -0 -a -p and ss -w -a -p: the same (kind, inode, pid) ---------
# ss prints pid and fd; the fd's link gives the inode.
ss_rows() {
	ss -H -n -a -p "$1" | grep -o 'pid=[0-9]*,fd=[0-9]*' | while IFS=, read -r p f; do
		p=${p#pid=} f=${f#fd=}
		ino=$(readlink "/proc/$p/fd/$f" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
		printf '%s %s %s\n' "$2" "$ino" "$p"
	done
}
want=$( { ss_rows -0 packet; ss_rows -w raw; } | sort)
run -C "$empty" --format json
got=$(printf '%s\n' "$OUT" | jq -r '.listeners[] | select(.proto == "packet" or .proto == "raw")
	| .proto as $p | .inode as $i | .owner.pids[] | "\($p) \($i) \(.)"' | sort)
printf '# parity: ss -0 -a -p and ss -w -a -p list %s sockets; check_listeners %s\n' \
	"$(printf '%s\n' "$want" | grep -c .)" "$(printf '%s\n' "$got" | grep -c .)"
printf '%s\n' "$got" | sed 's/^/#   check_listeners: /'
if [ -n "$want" ] && [ "$want" = "$got" ]; then
	ok "parity with ss: the same (kind, inode, pid) for all $(printf '%s\n' "$want" | wc -l) packet and raw sockets"
else
	not_ok "parity with ss"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | indent
fi

# --- other namespaces (-n): the same sockets, labelled by namespace ---------------
netns_sleeper
other=$NS_PID
out="$TMP/other.out"
nsenter --net="/proc/$other/ns/net" "$PKTHOLD" --comm bpf-in-ns packet:all:filter raw6:ipv6-icmp > "$out" 2>&1 &
inner=$!
HOLDERS+=("$inner")
for _ in $(seq 100); do grep -q ready "$out" && break; sleep 0.02; done
# --list: other tests' namespaces may be there too, and the check's detail lines are capped.
run -C "$empty" --all-netns --list
expect_out "-n: a filtered packet socket in another namespace, its owner named" \
	"^pid [0-9]+ \(sleep\) +packet +all +- +- +0 +1 +packet,bpf=4 +raw +CRITICAL +pid $inner bpf-in-ns "
expect_out "-n: its raw socket, read from that namespace's /proc/net/raw6" \
	"^pid [0-9]+ \(sleep\) +raw +\[::\]:ipv6-icmp +v6only +\? +0 +1 +raw .* WARNING +pid $inner bpf-in-ns "
expect_out "-n: the own namespace's sockets are still there once" "^host +packet +all .* pid $door dbus-daemon " 1
finish
