#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nagios (issue 7): the shipped command definitions pass `nagios4 -v` (or
# `naemon -v`) in a minimal main config of their own; then Nagios runs the
# check through check_listeners and the result it records in status.dat
# equals a direct run. Nagios opens no network socket; the namespace is
# private anyway.
source "$(dirname "$0")/lib.sh"
private_netns

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
SHIPPED="$ROOT/conf/nagios/check_listeners.cfg"
DAEMON_PID=

NAGIOS=
for n in nagios4 naemon; do
	command -v "$n" > /dev/null && { NAGIOS=$(command -v "$n"); break; }
done
if [ -z "$NAGIOS" ]; then
	skip "$(basename "$0"): neither nagios4 nor naemon is installed (make deps installs nagios4-core)"
	finish
fi
need_tools user:nagios

stop_daemon() {
	[ -n "$DAEMON_PID" ] || return 0
	kill "$DAEMON_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
}
trap 'stop_daemon; cleanup' EXIT

N="$TMP/nagios"
mkdir -p "$N/spool" "$N/rw" "$TMP/plugins"
install -m 0755 "$PLUGIN" "$TMP/plugins/check_listeners"
allow=$(conf allow.conf < /dev/null)
chown -R nagios:nagios "$N"

cat > "$N/resource.cfg" <<EOF
\$USER1\$=$TMP/plugins
EOF
cat > "$N/objects.cfg" <<EOF
define timeperiod {
	timeperiod_name	always
	alias		always
	sunday		00:00-24:00
	monday		00:00-24:00
	tuesday		00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday		00:00-24:00
	saturday	00:00-24:00
}
define command {
	command_name	notify-nobody
	command_line	/bin/true
}
define contact {
	contact_name			nobody
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	always
	service_notification_period	always
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	notify-nobody
	service_notification_commands	notify-nobody
}
define host {
	host_name		cl-test
	address			127.0.0.1
	max_check_attempts	1
	check_period		always
	contacts		nobody
	notification_period	always
	active_checks_enabled	0
}
define service {
	host_name		cl-test
	service_description	listeners
	check_command		check_listeners!-w 0 --config $allow
	max_check_attempts	1
	check_interval		1
	retry_interval		1
	check_period		always
	contacts		nobody
	notification_period	always
}
define service {
	host_name		cl-test
	service_description	listeners via nrpe
	check_command		check_nrpe_listeners
	active_checks_enabled	0
	max_check_attempts	1
	check_interval		5
	retry_interval		1
	check_period		always
	contacts		nobody
	notification_period	always
}
define service {
	host_name		cl-test
	service_description	listeners via sudo
	check_command		check_listeners_sudo
	active_checks_enabled	0
	max_check_attempts	1
	check_interval		5
	retry_interval		1
	check_period		always
	contacts		nobody
	notification_period	always
}
EOF
cat > "$N/nagios.cfg" <<EOF
log_file=$N/nagios.log
cfg_file=$SHIPPED
cfg_file=$N/objects.cfg
resource_file=$N/resource.cfg
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
status_file=$N/status.dat
status_update_interval=1
temp_file=$N/nagios.tmp
temp_path=$N
lock_file=$N/nagios.pid
check_result_path=$N/spool
command_file=$N/rw/nagios.cmd
query_socket=$N/rw/nagios.qh
state_retention_file=$N/retention.dat
retain_state_information=0
nagios_user=nagios
nagios_group=nagios
check_external_commands=1
command_check_interval=-1
use_syslog=0
enable_notifications=0
check_for_updates=0
bare_update_check=0
interval_length=1
max_service_check_spread=1
check_result_reaper_frequency=1
execute_service_checks=1
process_performance_data=0
illegal_macro_output_chars=\`~\$&|'"<>
EOF

out=$("$NAGIOS" -v "$N/nagios.cfg" 2>&1)
rc=$?
if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q 'Total Errors: *0'; then
	ok "$(basename "$NAGIOS") -v accepts the shipped command definitions"
else
	not_ok "$(basename "$NAGIOS") -v failed (exit $rc)"
	printf '%s\n' "$out" | grep -Ei 'error|warning' | indent 30
	finish
fi
if printf '%s\n' "$out" | grep -q 'Total Warnings: *0'; then ok "... without warnings"; else
	not_ok "$(basename "$NAGIOS") -v warns"; printf '%s\n' "$out" | grep -i 'warning' | indent; fi
for c in check_listeners check_nrpe_listeners check_listeners_sudo; do
	if grep -Eq "^[[:space:]]*command_name[[:space:]]+$c$" "$SHIPPED"; then ok "command $c is defined"; else
		not_ok "command $c is not defined in $SHIPPED"; fi
done
sudo_line=$(sed -n 's/^[[:space:]]*command_line[[:space:]]*\/usr\/bin\/sudo -n \$USER1\$/\/usr\/lib\/nagios\/plugins/p' "$SHIPPED")
if [ -n "$sudo_line" ] && grep -qF -- "$sudo_line," "$ROOT/conf/sudoers.d/check_listeners"; then
	ok "sudoers allows the sudo command's exact line"
else
	not_ok "sudoers does not list '$sudo_line'"
fi

# --- the daemon runs the check ----------------------------------------------------
hold tcp:127.0.0.1:27374 || { not_ok "sockhold could not open tcp:127.0.0.1:27374"; finish; }
"$NAGIOS" "$N/nagios.cfg" > "$TMP/nagios.out" 2>&1 &
DAEMON_PID=$!
# status.dat blocks: "servicestatus {" ... "}"; fields "\tkey=value".
svc_field() {
	awk -v want="$1" '
		/^servicestatus \{/ { inblk = 1; svc = ""; next }
		inblk && /^\t}/ { inblk = 0; next }
		inblk { line = $0; sub(/^\t/, "", line); k = line; sub(/=.*/, "", k); v = substr(line, length(k) + 2);
			if (k == "service_description") svc = v;
			if (svc == "listeners" && k == want) { print v; exit } }
	' "$N/status.dat" 2>/dev/null
}
got=
for _ in $(seq 100); do
	[ "$(svc_field has_been_checked)" = 1 ] && { got=1; break; }
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	sleep 0.2
done
if [ -z "$got" ]; then
	not_ok "Nagios did not run the check within 20 s"
	indent < "$TMP/nagios.out"; indent < "$N/nagios.log"
	finish
fi
ok "$(basename "$NAGIOS") ran the check through check_listeners"
n_state=$(svc_field current_state)
n_line1="$(svc_field plugin_output) | $(svc_field performance_data)"
printf '#   nagios: %.100s...\n' "$n_line1"

# The same command line, run directly as the user Nagios runs checks as.
OUT=$(runuser -u nagios -- "$TMP/plugins/check_listeners" -C /etc/check_listeners.conf -w 0 --config "$allow" 2>&1)
RC=$?
LINE1=$(printf '%s\n' "$OUT" | head -n 1)
if [ "$n_state" = "$RC" ]; then ok "Nagios state $n_state equals the direct run's"; else
	not_ok "Nagios state $n_state, direct run $RC"; fi
expect_same "Nagios' output and perfdata equal the direct run's line 1" "$n_line1" "$LINE1"
stop_daemon
finish
