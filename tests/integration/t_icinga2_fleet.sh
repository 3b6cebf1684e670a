#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Icinga 2 fleet (issue 18): how users who outgrow one machine run the plugin.
# Two icinga2 daemons, a master and an agent, each in a private network
# namespace of its own, joined by a veth pair (192.0.2.0/24, TEST-NET-1, only
# inside these namespaces). One CA and two certificates from `icinga2 pki`;
# zones.conf written here; the shipped CheckCommand sits in the global zone
# "global-templates" on the master and is synced to the agent; the shipped
# example apply rule runs it with command_endpoint on the agent, where a
# listener on an unassigned port waits. The result read from the master's
# REST API must equal a direct run in the agent's namespace.
# Every daemon, holder and namespace is removed on exit, whatever happened.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
SHIPPED="$ROOT/conf/icinga2/check_listeners.conf"
UNIQ="$$-$RANDOM"
NS_M="cl-fleet-m-$UNIQ"          # ip netns names: unique per run
NS_A="cl-fleet-a-$UNIQ"
MASTER="cl-master-$UNIQ"         # endpoint names = certificate CNs
AGENT="cl-agent-$UNIQ"
ADDR_M=192.0.2.1
ADDR_A=192.0.2.2
PORT=5665                        # free: both namespaces are private
LPORT=27374                      # IANA unassigned: CRITICAL when unrecognised
PASS="cl-$RANDOM$RANDOM"
PIDS_M= PIDS_A=
NETNS_MADE=()

need_tools icinga2 curl jq runuser ip user:nagios
if ! ip netns add "$NS_M" 2> "$TMP/netns.err"; then
	skip "$(basename "$0"): cannot create network namespaces ($(cat "$TMP/netns.err"); not root?)"
	finish
fi
NETNS_MADE+=("$NS_M")

# stop PID: the daemon and all its descendants (icinga2 restarts its worker
# after a config sync), TERM then KILL (lib.sh).
stop() { stop_tree "$1"; }
teardown() {
	stop "$PIDS_M"; PIDS_M=
	stop "$PIDS_A"; PIDS_A=
	cleanup
	for ns in "${NETNS_MADE[@]}"; do ip netns del "$ns" 2>/dev/null; done
}
trap teardown EXIT
trap 'exit 1' INT TERM HUP

# --- two namespaces and a wire between them -------------------------------------
if ! { ip netns add "$NS_A" && NETNS_MADE+=("$NS_A") &&
	ip -n "$NS_M" link add veth0 type veth peer name veth1 netns "$NS_A" &&
	ip -n "$NS_M" addr add "$ADDR_M/24" dev veth0 && ip -n "$NS_A" addr add "$ADDR_A/24" dev veth1 &&
	ip -n "$NS_M" link set lo up && ip -n "$NS_A" link set lo up &&
	ip -n "$NS_M" link set veth0 up && ip -n "$NS_A" link set veth1 up; } 2> "$TMP/ip.err"; then
	not_ok "could not build the two namespaces and their veth pair"; indent < "$TMP/ip.err"
	finish
fi
ok "two network namespaces joined by a veth pair ($ADDR_M <-> $ADDR_A)"

# --- each daemon's own world ------------------------------------------------------
M="$TMP/master" A="$TMP/agent"
for d in "$M" "$A"; do
	mkdir -p "$d"/{etc,zones.d,lib/certs,log,cache,spool,run,plugins}
done
install -m 0755 "$PLUGIN" "$A/plugins/check_listeners"
chown -R nagios:nagios "$M"/{lib,log,cache,spool,run} "$A"/{lib,log,cache,spool,run}
defs() {
	local d=$1
	printf '%s\n' -DConfigDir="$d/etc" -DZonesDir="$d/zones.d" -DDataDir="$d/lib" \
		-DLogDir="$d/log" -DCacheDir="$d/cache" -DSpoolDir="$d/spool" -DInitRunDir="$d/run" \
		-DRunAsUser=nagios -DRunAsGroup=nagios
}
mapfile -t DEFS_M < <(defs "$M")
mapfile -t DEFS_A < <(defs "$A")

# One CA (in the master's DataDir), a certificate for each endpoint.
pki() { icinga2 pki "$@" "${DEFS_M[@]}"; }
cert() {
	local cn=$1 dir=$2
	pki new-cert --cn "$cn" --key "$dir/lib/certs/$cn.key" --csr "$dir/lib/certs/$cn.csr" &&
		pki sign-csr --csr "$dir/lib/certs/$cn.csr" --cert "$dir/lib/certs/$cn.crt" &&
		cp "$M/lib/ca/ca.crt" "$dir/lib/certs/ca.crt"
}
if ! { pki new-ca && cert "$MASTER" "$M" && cert "$AGENT" "$A"; } > "$TMP/pki.log" 2>&1; then
	not_ok "icinga2 pki could not make the CA and the certificates"; indent < "$TMP/pki.log"
	finish
fi
ok "icinga2 pki: one CA, certificates for $MASTER and $AGENT"

# zones.conf: the same topology on both nodes; the agent connects to the master.
zones() {
	cat <<EOF
object Endpoint "$MASTER" { }
object Endpoint "$AGENT" { host = "$ADDR_A"; port = $PORT }
object Zone "master" { endpoints = [ "$MASTER" ] }
object Zone "$AGENT" { endpoints = [ "$AGENT" ]; parent = "master" }
object Zone "global-templates" { global = true }
EOF
}
zones > "$M/etc/zones.conf"
zones | sed "s/^object Endpoint \"$AGENT\" .*/object Endpoint \"$AGENT\" { }/; s/^object Endpoint \"$MASTER\" { }/object Endpoint \"$MASTER\" { host = \"$ADDR_M\"; port = $PORT }/" \
	> "$A/etc/zones.conf"

# The master: the shipped CheckCommand in the global zone, the shipped example
# apply rule (uncommented) and the agent's Host in the master zone.
mkdir -p "$M/zones.d/global-templates" "$M/zones.d/master"
cp "$SHIPPED" "$M/zones.d/global-templates/check_listeners.conf"
sed -n '/^ \* apply Service /,/^ \* }/p' "$SHIPPED" | sed 's/^ \*\t\{0,1\}//; s/^ \*$//' \
	> "$M/zones.d/master/services.conf"
if grep -q 'command_endpoint = host.vars.agent_endpoint' "$M/zones.d/master/services.conf"; then
	ok "the example apply rule with command_endpoint is extracted from the shipped file"
else
	not_ok "no apply rule with command_endpoint in $SHIPPED"; indent < "$M/zones.d/master/services.conf"
fi
# The allowlist on the agent: its own Icinga 2 API, nothing else.
allow=$(conf fleet-allow.conf <<EOF
allow = ( { proto = "tcp"; port = $PORT; comment = "Icinga 2 API of the fleet test"; } );
EOF
)
cat > "$M/zones.d/master/hosts.conf" <<EOF
object Host "$AGENT" {
	check_command = "dummy"
	enable_active_checks = false
	address = "$ADDR_A"
	vars.os = "Linux"
	vars.agent_endpoint = name
	vars.listeners_config = "$allow"
}
EOF
cat > "$M/etc/icinga2.conf" <<EOF
const NodeName = "$MASTER"
const ZoneName = "master"
const PluginContribDir = "/nonexistent/the-master-never-runs-the-plugin"
include <itl>
include "zones.conf"
object CheckerComponent "checker" { }
object FileLogger "main-log" { severity = "information"; path = LogDir + "/icinga2.log" }
object ApiListener "api" { bind_port = $PORT; accept_config = false; accept_commands = false }
object ApiUser "cltest" {
	password = "$PASS"
	permissions = [ "objects/query/Service", "actions/reschedule-check" ]
}
EOF
# The agent: nothing but the connection; it gets the CheckCommand from the master.
cat > "$A/etc/icinga2.conf" <<EOF
const NodeName = "$AGENT"
const ZoneName = NodeName
const PluginContribDir = "$A/plugins"
include "zones.conf"
object FileLogger "main-log" { severity = "information"; path = LogDir + "/icinga2.log" }
object ApiListener "api" { bind_port = $PORT; accept_config = true; accept_commands = true }
EOF

validate() {
	local name=$1 conf=$2; shift 2
	if out=$(icinga2 daemon -C "$@" -c "$conf" 2>&1); then
		ok "icinga2 daemon -C accepts the $name's configuration"
	else
		not_ok "icinga2 daemon -C rejects the $name's configuration"
		printf '%s\n' "$out" | grep -E 'critical|warning' | indent 30
		finish
	fi
}
validate master "$M/etc/icinga2.conf" "${DEFS_M[@]}"
validate agent "$A/etc/icinga2.conf" "${DEFS_A[@]}"

# --- the listener the agent must report, then the daemons ------------------------
ip netns exec "$NS_A" "$SOCKHOLD" "tcp:0.0.0.0:$LPORT" > "$TMP/hold.out" 2>&1 &
HOLDERS+=($!)
for _ in $(seq 200); do grep -q '^ready' "$TMP/hold.out" && break; sleep 0.02; done
if grep -q '^ready' "$TMP/hold.out"; then ok "a listener on tcp/$LPORT in the agent's namespace"; else
	not_ok "sockhold in $NS_A: $(cat "$TMP/hold.out")"; finish; fi

ip netns exec "$NS_A" icinga2 daemon -x warning "${DEFS_A[@]}" -c "$A/etc/icinga2.conf" > "$TMP/agent.log" 2>&1 &
PIDS_A=$!
ip netns exec "$NS_M" icinga2 daemon -x warning "${DEFS_M[@]}" -c "$M/etc/icinga2.conf" > "$TMP/master.log" 2>&1 &
PIDS_M=$!

# The master's REST API, from inside its namespace, verified against the test CA.
api() {
	ip netns exec "$NS_M" curl -sS --max-time 5 --cacert "$M/lib/certs/ca.crt" \
		--resolve "$MASTER:$PORT:127.0.0.1" -u "cltest:$PASS" -H 'Accept: application/json' "$@"
}
base="https://$MASTER:$PORT/v1"
up=
for _ in $(seq 150); do
	api "$base/objects/services" > /dev/null 2>&1 && { up=1; break; }
	kill -0 "$PIDS_M" 2>/dev/null || break
	sleep 0.2
done
if [ -z "$up" ]; then
	not_ok "the master's API did not come up"; indent 30 < "$TMP/master.log"; finish
fi
ok "master up, its REST API answering over TLS"

# The global zone reaches the agent: the synced file appears in its DataDir.
synced=
for _ in $(seq 300); do
	if grep -qs 'CheckCommand "listeners"' "$A"/lib/api/zones/global-templates/_etc/*.conf; then
		synced=1; break
	fi
	sleep 0.2
done
if [ -n "$synced" ]; then
	ok "the CheckCommand in the global zone was synced from the master to the agent"
else
	not_ok "the global zone never reached the agent"
	indent 20 < "$TMP/agent.log"; indent 20 < "$TMP/master.log"; finish
fi

# Until the agent has loaded the synced zone, the check comes back as an
# Icinga error ("Check command 'listeners' does not exist"): reschedule until
# the plugin itself answers, or 90 s have passed.
svc="$AGENT!listeners"
cr='.results[0].attrs.last_check_result'
result=
for _ in $(seq 45); do
	api -X POST "$base/actions/reschedule-check" \
		-d "{ \"type\": \"Service\", \"filter\": \"service.__name == \\\"$svc\\\"\", \"force\": true }" \
		> "$TMP/resched.json" 2>&1
	for _ in $(seq 10); do
		api -G "$base/objects/services" --data-urlencode "service=$svc" \
			--data-urlencode 'attrs=last_check_result' > "$TMP/svc.json" 2>/dev/null
		if jq -e "$cr.output | startswith(\"LISTENERS \")" "$TMP/svc.json" > /dev/null 2>&1; then
			result=1; break 2
		fi
		sleep 0.2
	done
done
if [ -z "$result" ]; then
	not_ok "no plugin result for $svc on the master"
	indent < "$TMP/svc.json"; indent 20 < "$TMP/agent.log"; indent 20 < "$TMP/master.log"
	finish
fi
ok "the master holds a result of the plugin for $svc"
printf '# the master'"'"'s REST answer (last_check_result):\n'
jq "$cr | {exit_status, check_source, command, output, performance_data}" "$TMP/svc.json" | indent 40

ic_rc=$(jq -r "$cr.exit_status" "$TMP/svc.json")
ic_src=$(jq -r "$cr.check_source" "$TMP/svc.json")
ic_out=$(jq -r "$cr.output" "$TMP/svc.json")
ic_perf=$(jq -r "$cr.performance_data | join(\" \")" "$TMP/svc.json")
mapfile -t ic_cmd < <(jq -r "$cr.command[]" "$TMP/svc.json")

if [ "$ic_src" = "$AGENT" ]; then ok "check_source is the agent: command_endpoint ran it there"; else
	not_ok "check_source is '$ic_src', expected $AGENT"; fi
want_cmd=("$A/plugins/check_listeners" --config "$allow" --timeout 10)
if [ "${ic_cmd[*]}" = "${want_cmd[*]}" ]; then
	ok "the agent ran the agent's plugin with the documented command line"
else
	not_ok "command line: ${ic_cmd[*]}"; printf '#   expected: %s\n' "${want_cmd[*]}"
fi

# The same command, run directly in the agent's namespace as the user Icinga 2 uses.
OUT=$(ip netns exec "$NS_A" runuser -u nagios -- "${ic_cmd[@]}" 2> "$TMP/stderr")
RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
ic_line1="$(printf '%s\n' "$ic_out" | head -n 1 | sed 's/ *$//') | $ic_perf"
if [ "$ic_rc" = "$RC" ]; then ok "exit_status $ic_rc on the master equals the direct run's"; else
	not_ok "exit_status $ic_rc on the master, direct run $RC"; fi
if [ "$RC" = 2 ]; then ok "the unassigned port in the agent's namespace makes it CRITICAL"; else
	not_ok "expected CRITICAL for tcp/$LPORT, got $RC"; printf '%s\n' "$OUT" | indent; fi
expect_same "line 1 and perfdata on the master equal the direct run's" "$ic_line1" "$LINE1"
ic_details=$(printf '%s\n' "$ic_out" | tail -n +2)
direct_details=$(printf '%s\n' "$OUT" | tail -n +2)
if [ "$ic_details" = "$direct_details" ]; then ok "the detail lines on the master equal the direct run's"; else
	not_ok "detail lines differ"; diff <(printf '%s\n' "$direct_details") <(printf '%s\n' "$ic_details") | indent; fi
if printf '%s\n' "$ic_out" | grep -q "^CRITICAL: tcp 0\.0\.0\.0:$LPORT unassigned"; then
	ok "the agent's listener is named on the master"
else
	not_ok "tcp/$LPORT missing from the master's output"; printf '%s\n' "$ic_out" | indent
fi
# The master's own namespace has no such listener: the result cannot be the master's.
OUT=$(ip netns exec "$NS_M" runuser -u nagios -- "$A/plugins/check_listeners" --config "$allow" 2>&1)
if printf '%s\n' "$OUT" | grep -q ":$LPORT "; then not_ok "tcp/$LPORT is visible in the master's namespace"; else
	ok "tcp/$LPORT is not in the master's namespace (the result came from the agent)"; fi

teardown
trap - EXIT
left=
for ns in "$NS_M" "$NS_A"; do ip netns list | grep -qw "$ns" && left="$left $ns"; done
if [ -z "$left" ]; then ok "daemons stopped, both namespaces removed"; else not_ok "left behind:$left"; fi
exit "$FAILED"
