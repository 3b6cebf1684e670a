#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Daemons (issue 17): `make check` installs icinga2, NRPE and Nagios 4 (and
# exim4 comes with them) only for its tests. Afterwards none of them may be
# enabled at boot (systemd wants/ links, System V S links) or running in the
# host's network namespace: a host must not start listening on 5665, 5666 or
# 25 because its tests ran. `.ci/deps --check` is the judge; it is shown to
# catch a planted boot link and a running daemon first.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
DEPS="$ROOT/.ci/deps"

# --- the judge catches what it must ---------------------------------------------
fake="$TMP/root"
mkdir -p "$fake/etc/systemd/system/multi-user.target.wants" "$fake/etc/rc3.d"
if dpkg-query -W -f='${Status}' icinga2-bin 2>/dev/null | grep -q 'ok installed'; then
	ln -s /lib/systemd/system/icinga2.service "$fake/etc/systemd/system/multi-user.target.wants/icinga2.service"
	ln -s ../init.d/icinga2 "$fake/etc/rc3.d/S01icinga2"
	out=$(DEPS_ROOT=$fake "$DEPS" --check)
	rc=$?
	if [ $rc = 1 ] && grep -q '^enabled: systemd icinga2.service' <<< "$out" &&
		grep -q '^enabled: sysv icinga2 (.*/rc3.d/S01icinga2)' <<< "$out"; then
		ok "--check finds a planted wants/ link and an S link of icinga2"
	else
		not_ok "--check missed planted boot links (rc $rc)"
		indent <<< "$out"
	fi
else
	skip "planted boot links: icinga2 is not installed (make check installs it)"
fi

if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/exim4 ]; then
	# exim4 -bt (address test mode) waits on its stdin; the shell that starts
	# it exits, so it runs as a child of pid 1, like a daemon.
	pid=$(bash -c 'sleep 60 | /usr/sbin/exim4 -bt > /dev/null 2>&1 & echo $!')
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/exim4 ] && break
		sleep 0.05
	done
	out=$("$DEPS" --check)
	rc=$?
	kill "$pid" 2>/dev/null
	if [ $rc = 1 ] && grep -q "^running: pid $pid /usr/sbin/exim4" <<< "$out"; then
		ok "--check finds an exim4 running in the host's namespace"
	else
		not_ok "--check missed a running exim4 (pid $pid, rc $rc)"
		indent <<< "$out"
	fi
else
	skip "running daemon: needs root and exim4 (make check installs it)"
fi

# --- and finds nothing on this host ----------------------------------------------
out=$("$DEPS" --check)
rc=$?
if [ $rc = 0 ] && [ -z "$out" ]; then
	ok "no test daemon (icinga2, nagios-nrpe-server, nagios4, exim4) is enabled at boot or running"
else
	not_ok "test daemons left enabled or running (make deps must disable them)"
	indent 40 <<< "$out"
fi
finish
