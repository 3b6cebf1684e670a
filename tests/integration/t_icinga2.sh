#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Icinga 2 (issue 7): the shipped CheckCommand "listeners" passes `icinga2
# daemon -C` together with its commented sudo variant and example apply rule;
# then a real Icinga 2 daemon, isolated in a private network namespace with its
# own directories, runs the check through that CheckCommand, and the result
# read back over the REST API (TLS, loopback only) equals a direct run.
source "$(dirname "$0")/lib.sh"
private_netns

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
SHIPPED="$ROOT/conf/icinga2/check_listeners.conf"
SUDOERS="$ROOT/conf/sudoers.d/check_listeners"
PORT=5665                       # free: this namespace is private
NODE=cl-test
PASS="cl-$RANDOM$RANDOM"
DAEMON_PID=

need_tools icinga2 curl jq runuser user:nagios

stop_daemon() {
	stop_tree "$DAEMON_PID"
	DAEMON_PID=
}
trap 'stop_daemon; cleanup' EXIT

# --- the daemon's own world: plugin, config, state dirs, certificates --------
I="$TMP/icinga2"
mkdir -p "$I"/{etc,lib/certs,log,cache,spool,run} "$TMP/plugins"
install -m 0755 "$PLUGIN" "$TMP/plugins/check_listeners"
allow=$(conf allow.conf <<EOF
allow = ( { proto = "tcp"; port = $PORT; address = "loopback"; comment = "Icinga 2 API of this test"; } );
EOF
)
chown -R nagios:nagios "$I"/{lib,log,cache,spool,run}
# ZonesDir too: without it the daemon would also load the host's /etc/icinga2/zones.d.
DEFS=(-DConfigDir="$I/etc" -DZonesDir="$I/etc/zones.d" -DDataDir="$I/lib" -DLogDir="$I/log" -DCacheDir="$I/cache"
	-DSpoolDir="$I/spool" -DInitRunDir="$I/run" -DRunAsUser=nagios -DRunAsGroup=nagios)

# The commented examples of the shipped file, uncommented: they must be valid too.
# The apply rule belongs to a zone (command_endpoint needs one): ZonesDir/NODE,
# which the daemon loads for the zone NODE.
mkdir -p "$I/etc/zones.d/$NODE"
examples="$I/etc/zones.d/$NODE/examples.conf"
sed -n '/^ \* \(object\|apply\) /,/^ \* }/p' "$SHIPPED" | sed 's/^ \*\t\{0,1\}//; s/^ \*$//' > "$examples"
if grep -q 'CheckCommand "listeners-sudo"' "$examples" && grep -q 'apply Service "listeners"' "$examples"; then
	ok "the sudo variant and the apply rule are extracted from the shipped comments"
else
	not_ok "commented sudo variant or apply rule not found in $SHIPPED"
	indent < "$examples"
fi

cat > "$I/etc/icinga2.conf" <<EOF
const PluginContribDir = "$TMP/plugins"
const NodeName = "$NODE"
const ZoneName = NodeName

include <itl>
include "$SHIPPED"

object CheckerComponent "checker" { }
object FileLogger "main-log" { severity = "information"; path = LogDir + "/icinga2.log" }
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $PORT
	accept_config = false
	accept_commands = false
}
object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
object ApiUser "cltest" {
	password = "$PASS"
	permissions = [ "objects/query/Service", "actions/reschedule-check" ]
}

/* The host the example apply rule picks up; the agent is this node itself. */
object Host NodeName {
	zone = ZoneName
	check_command = "dummy"
	enable_active_checks = false
	vars.os = "Linux"
	vars.listeners = true
	vars.agent_endpoint = NodeName
	vars.listeners_config = "$allow"
}
EOF

run_icinga() { icinga2 "$@" "${DEFS[@]}" -c "$I/etc/icinga2.conf"; }
pki() { icinga2 pki "$@" "${DEFS[@]}"; }

# --- certificates for the API: an own CA in the isolated DataDir --------------
chown nagios:nagios "$I/lib/certs"
if ! { pki new-ca && \
	pki new-cert --cn "$NODE" --key "$I/lib/certs/$NODE.key" --csr "$I/lib/certs/$NODE.csr" && \
	pki sign-csr --csr "$I/lib/certs/$NODE.csr" --cert "$I/lib/certs/$NODE.crt" && \
	cp "$I/lib/ca/ca.crt" "$I/lib/certs/ca.crt"; } > "$TMP/pki.log" 2>&1; then
	not_ok "icinga2 pki could not make the API certificates"; indent < "$TMP/pki.log"
	finish
fi
ok "icinga2 pki made a CA and a certificate for $NODE"

if out=$(run_icinga daemon -C 2>&1); then
	ok "icinga2 daemon -C accepts the shipped CheckCommand, its sudo variant and the example service"
else
	not_ok "icinga2 daemon -C rejects the configuration"
	printf '%s\n' "$out" | grep -E 'critical|warning|Error|error' | indent 30
	finish
fi
if printf '%s\n' "$out" | grep -q 'Instantiated 1 Service'; then
	ok "the example apply rule creates one Service"
else
	not_ok "the example apply rule created no Service"; printf '%s\n' "$out" | indent 30
fi

# The shipped file on its own (with only the ITL) is valid too: what users install.
cat > "$I/etc/alone.conf" <<EOF
const PluginContribDir = "/usr/lib/nagios/plugins"
include <itl>
include "$SHIPPED"
object Host "h" { check_command = "dummy"; address = "127.0.0.1" }
object Service "listeners" { host_name = "h"; check_command = "listeners" }
EOF
if out=$(icinga2 daemon -C "${DEFS[@]}" -c "$I/etc/alone.conf" 2>&1); then
	ok "icinga2 daemon -C accepts the shipped file with only the ITL"
else
	not_ok "the shipped file alone is rejected"; printf '%s\n' "$out" | grep -E 'critical' | indent
fi

# --- the daemon -----------------------------------------------------------------
hold tcp:127.0.0.1:27374 || { not_ok "sockhold could not open tcp:127.0.0.1:27374"; finish; }
run_icinga daemon -x warning > "$TMP/daemon.log" 2>&1 &
DAEMON_PID=$!

api() {
	curl -sS --max-time 5 --cacert "$I/lib/certs/ca.crt" --resolve "$NODE:$PORT:127.0.0.1" \
		-u "cltest:$PASS" -H 'Accept: application/json' "$@"
}
up=
for _ in $(seq 150); do
	api "https://$NODE:$PORT/v1/objects/services" > /dev/null 2>&1 && { up=1; break; }
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	sleep 0.2
done
if [ -z "$up" ]; then
	not_ok "the Icinga 2 API did not come up on 127.0.0.1:$PORT"
	indent 30 < "$TMP/daemon.log"
	finish
fi
ok "Icinga 2 daemon up, API answering over TLS on 127.0.0.1:$PORT"

wide=$(ss -Hltnu | awk '{print $5}' | grep -Ev '^(127\.[0-9.]+|\[::1\]):[0-9]+$')
if [ -z "$wide" ]; then ok "nothing listens beyond loopback"; else
	not_ok "listening beyond loopback: $wide"; fi

svc="$NODE!listeners"
api -X POST "https://$NODE:$PORT/v1/actions/reschedule-check" \
	-d "{ \"type\": \"Service\", \"filter\": \"service.__name == \\\"$svc\\\"\", \"force\": true }" \
	> "$TMP/resched.json" 2>&1
if jq -e '.results[0].code == 200' "$TMP/resched.json" > /dev/null 2>&1; then
	ok "reschedule-check accepted through the API"
else
	not_ok "reschedule-check failed"; indent < "$TMP/resched.json"
fi

result=
for _ in $(seq 100); do
	api -G "https://$NODE:$PORT/v1/objects/services" --data-urlencode "service=$svc" \
		--data-urlencode 'attrs=last_check_result' > "$TMP/svc.json" 2>/dev/null
	if jq -e '.results[0].attrs.last_check_result.exit_status != null' "$TMP/svc.json" > /dev/null 2>&1; then
		result=1
		break
	fi
	sleep 0.2
done
if [ -z "$result" ]; then
	not_ok "no check result for $svc after 20 s"
	indent < "$TMP/svc.json"; indent 30 < "$TMP/daemon.log"
	finish
fi
ok "the daemon ran the check through CheckCommand \"listeners\""

cr='.results[0].attrs.last_check_result'
ic_rc=$(jq -r "$cr.exit_status" "$TMP/svc.json")
ic_out=$(jq -r "$cr.output" "$TMP/svc.json")
ic_perf=$(jq -r "$cr.performance_data | join(\" \")" "$TMP/svc.json")
mapfile -t ic_cmd < <(jq -r "$cr.command[]" "$TMP/svc.json")

want_cmd=("$TMP/plugins/check_listeners" --config "$allow" --timeout 10)
if [ "${ic_cmd[*]}" = "${want_cmd[*]}" ]; then
	ok "the command line is the documented one (--config FILE --timeout 10)"
else
	not_ok "command line: ${ic_cmd[*]}"; printf '#   expected: %s\n' "${want_cmd[*]}"
fi
# sudo runs exactly what sudoers lists: the default line must be there.
default_line="/usr/lib/nagios/plugins/check_listeners --config /etc/check_listeners.conf --timeout 10"
if grep -qF -- "$default_line" "$SUDOERS"; then
	ok "sudoers allows the CheckCommand's default command line"
else
	not_ok "sudoers does not list '$default_line'"
fi

# The same command, run directly as the user Icinga 2 runs checks as.
OUT=$(runuser -u nagios -- "${ic_cmd[@]}" 2> "$TMP/stderr")
RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
# Icinga 2 keeps the blank before "|" in output; perfdata comes back as a list.
ic_line1="$(printf '%s\n' "$ic_out" | head -n 1 | sed 's/ *$//') | $ic_perf"
if [ "$ic_rc" = "$RC" ]; then ok "Icinga 2 exit_status $ic_rc equals the direct run's"; else
	not_ok "Icinga 2 exit_status $ic_rc, direct run $RC"; fi
if [ "$RC" = 2 ]; then ok "the unassigned port makes the check CRITICAL"; else
	not_ok "expected CRITICAL for tcp/27374, got $RC"; printf '%s\n' "$OUT" | indent; fi
expect_same "Icinga 2's output and performance data equal the direct run's line 1" "$ic_line1" "$LINE1"
if printf '%s\n' "$ic_perf" | grep -Eq "^listeners=2;;;0 unrecognised=1;;;0 .*time=[0-9.]+s;;;0$"; then
	ok "performance data parsed by Icinga 2 (listeners=2 unrecognised=1 ... time=)"
else
	not_ok "performance data: $ic_perf"
fi
if printf '%s\n' "$ic_out" | grep -q '^CRITICAL: tcp 127\.0\.0\.1:27374 unassigned'; then
	ok "the detail line reaches Icinga 2's output"
else
	not_ok "detail line missing from Icinga 2's output"; printf '%s\n' "$ic_out" | indent
fi

stop_daemon
if ss -Hltn | grep -q ":$PORT "; then not_ok "port $PORT still open after stopping the daemon"; else
	ok "daemon stopped, port $PORT closed"; fi
finish
