#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian package (issue 17): `make deb` builds check-listeners_VERSION_ARCH.deb
# with debhelper from conf/debian; lintian finds no error or warning; it
# depends on runtime libraries only. `apt-get install ./...deb` puts the plugin,
# man page, conffile, Nagios and Icinga 2 definitions and examples in place; the
# installed plugin runs as root and as nagios with /etc/check_listeners.conf,
# its compiled-in default; `icinga2 daemon -C` (include <plugins-contrib>) and
# `nagios4 -v` (Debian's nagios.cfg and cfg_dir=/etc/nagios-plugins/config)
# accept checks that use the installed definitions, and refuse them once the
# package is gone. Purge leaves nothing behind; `remove` keeps a changed
# conffile, as dpkg does. The package is purged whatever happens.
#
# Installing changes the host's package database and the directories the
# system's Nagios and Icinga 2 read (/etc/nagios-plugins/config,
# plugins-contrib.d); no other test reads them (the daemon tests use configs of
# their own), but two package tests must not overlap: from the install to the
# purge this test holds /tmp/cl-package.lock. The build and lintian run before.
source "$(dirname "$0")/lib.sh"
private_netns

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
PKG=check-listeners
BIN=/usr/lib/nagios/plugins/check_listeners
LOCK=/tmp/cl-package.lock
INSTALLED=

if [ "$(id -u)" != 0 ]; then
	skip "$(basename "$0"): installing a package needs root"
	finish
fi
need_tools dpkg-buildpackage dh lintian apt-get icinga2 nagios4 runuser

is_installed() { dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; }
# Any trace of the package on the system: its files, dpkg's records.
traces() {
	find /etc /usr /var/lib/dpkg/info -xdev \( -name '*check_listeners*' -o -name '*check-listeners*' \) \
		2>/dev/null | sort
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$PKG" 2>/dev/null
}
purge() {
	[ -n "$INSTALLED" ] || return 0
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "$PKG" > "$TMP/purge.log" 2>&1
	local rc=$?
	INSTALLED=
	return $rc
}
trap 'purge; cleanup' EXIT
trap 'exit 143' TERM INT     # run.sh's timeout: purge all the same

if is_installed; then
	not_ok "$PKG is installed already: refusing to install over it (apt-get purge $PKG)"
	finish
fi
before=$(traces)
if [ -n "$before" ]; then
	not_ok "traces of $PKG before the test (a previous run left them)"
	indent <<< "$before"
	finish
fi

# --- build -------------------------------------------------------------------------
# The unit tests ran already in this make check: the package build skips them.
if DEB_BUILD_OPTIONS=nocheck make -s -C "$ROOT" deb DEBDIR="$TMP/deb" > "$TMP/build.log" 2>&1; then
	ok "make deb"
else
	not_ok "make deb failed"
	indent 40 < "$TMP/build.log"
	finish
fi
version=$(make -s -C "$ROOT" --no-print-directory version)
# Debian's flags (dpkg-buildflags) reach the compiler; our -Werror does not.
cc_lines=$(grep -E ' -c -o build/obj/' "$TMP/deb/build.log")
if [ -n "$cc_lines" ] && ! grep -vq -- '-ffile-prefix-map=' <<< "$cc_lines" &&
	! grep -Eq -- '-Werror( |$)' <<< "$cc_lines"; then
	ok "the package build uses dpkg-buildflags and no -Werror"
else
	not_ok "package compile lines: dpkg-buildflags missing or -Werror present"
	head -n 3 <<< "$cc_lines" | indent
fi
deb="$TMP/deb/${PKG}_${version}_$(dpkg --print-architecture).deb"
if [ -n "$version" ] && [ -f "$deb" ]; then
	ok "the package is $(basename "$deb")"
else
	not_ok "no $deb (version '$version')"
	ls "$TMP/deb" | indent
	finish
fi

lintian --fail-on error,warning --display-level '>=warning' "$deb" > "$TMP/lintian.log" 2>&1
rc=$?
tags=$(grep -E '^[EW]: ' "$TMP/lintian.log")
if [ $rc = 0 ] && [ -z "$tags" ]; then
	ok "lintian: no error, no warning"
else
	not_ok "lintian (exit $rc)"
	indent 40 < "$TMP/lintian.log"
fi

depends=$(dpkg-deb -f "$deb" Depends)
others=$(tr ',|' '\n\n' <<< "$depends" | sed -E 's/^ *//; s/ .*//' | grep -v '^lib' | grep .)
if [ -n "$depends" ] && [ -z "$others" ]; then
	ok "depends on runtime libraries only: $depends"
else
	not_ok "Depends: '$depends' (not a library: $others)"
fi

# --- install -----------------------------------------------------------------------
exec 9> "$LOCK"
flock 9

INSTALLED=1
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
	"$deb" > "$TMP/install.log" 2>&1 && is_installed; then
	ok "apt-get install ./$(basename "$deb")"
else
	not_ok "apt-get install failed"
	indent 30 < "$TMP/install.log"
	finish
fi
dpkg -L "$PKG" > "$TMP/files"
echo "# dpkg -L $PKG:"
indent 60 < "$TMP/files"
want=(/usr/lib/nagios/plugins/check_listeners /usr/share/man/man8/check_listeners.8.gz
	/etc/check_listeners.conf /etc/nagios-plugins/config/check_listeners.cfg
	/usr/share/icinga2/include/plugins-contrib.d/check_listeners.conf
	/usr/share/doc/check-listeners/examples/sudoers.d/check_listeners
	/usr/share/doc/check-listeners/examples/nrpe.d/check_listeners.cfg
	/usr/share/doc/check-listeners/copyright)
missing=
for f in "${want[@]}"; do
	grep -qxF "$f" "$TMP/files" && [ -f "$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "installed: plugin, man page, config, Nagios and Icinga 2 definitions, examples" ||
	not_ok "not installed:$missing"
grep -qx /etc/check_listeners.conf /var/lib/dpkg/info/$PKG.conffiles 2>/dev/null &&
	ok "/etc/check_listeners.conf is a conffile" || not_ok "/etc/check_listeners.conf is not a conffile"
[ "$(stat -c '%a %U' "$BIN")" = "755 root" ] && ok "the plugin is 0755 root, not setuid" ||
	not_ok "plugin mode: $(stat -c '%a %U' "$BIN")"

# --- run it --------------------------------------------------------------------------
# No -C: the compiled-in default must be the installed /etc/check_listeners.conf.
# root's udp/68 is allowed by the sample config (a DHCP client run by root; since
# review3 F5 no rule of it keys on a port alone), tcp/27374 is unassigned (CRITICAL).
hold udp:127.0.0.1:68 tcp:127.0.0.1:27374 || { not_ok "cannot open test sockets"; finish; }
run_bin "$BIN"
expect_rc "as root: the unassigned port is CRITICAL" 2
expect_line1 "as root: line 1 names it" '^LISTENERS CRITICAL - .*tcp/27374'
grep -q 'built-in defaults' <<< "$OUT" && not_ok "as root: the default config was not found" ||
	ok "as root: /etc/check_listeners.conf is the default config"
run_bin "$BIN" -v
expect_out "as root: root's udp/68 is recognised by the sample config's DHCP rule" 'udp +127\.0\.0\.1:68 .*DHCP'
run_bin runuser -u nagios -- "$BIN"
expect_rc "as nagios: the same verdict" 2
expect_line1 "as nagios: line 1 names it" '^LISTENERS CRITICAL - .*tcp/27374'
run_bin runuser -u nagios -- "$BIN" -V
expect_line1 "as nagios: -V shows version $version" "^check_listeners $version "

# --- the monitoring daemons load the installed definitions ------------------------------
I="$TMP/icinga2"
mkdir -p "$I"/{etc,lib,log,cache,spool,run}
chown -R nagios:nagios "$I"
DEFS=(-DConfigDir="$I/etc" -DDataDir="$I/lib" -DLogDir="$I/log" -DCacheDir="$I/cache"
	-DSpoolDir="$I/spool" -DInitRunDir="$I/run" -DRunAsUser=nagios -DRunAsGroup=nagios)
cat > "$I/etc/icinga2.conf" <<'EOF'
include "/etc/icinga2/constants.conf"
include <itl>
include <plugins>
include <plugins-contrib>
object Host "cl-package" { check_command = "dummy" }
object Service "listeners" { host_name = "cl-package"; check_command = "listeners" }
EOF
icinga_check() { icinga2 daemon -C "${DEFS[@]}" -c "$I/etc/icinga2.conf" > "$TMP/icinga2.log" 2>&1; }
if icinga_check; then
	ok "icinga2 daemon -C: include <plugins-contrib> defines CheckCommand listeners"
else
	not_ok "icinga2 daemon -C failed"
	grep -E 'critical|warning' "$TMP/icinga2.log" | indent
fi
cmd=$(icinga2 object list --type CheckCommand --name listeners "${DEFS[@]}" 2>/dev/null |
	sed -n 's/^ *\* command = \[ "\([^"]*\)" \]$/\1/p')
[ "$cmd" = "$BIN" ] && ok "Icinga 2 runs $BIN" || not_ok "the CheckCommand runs '$cmd', not $BIN"

N="$TMP/nagios"
mkdir -p "$N"
grep -qx 'cfg_dir=/etc/nagios-plugins/config' /etc/nagios4/nagios.cfg &&
	ok "Debian's nagios.cfg reads /etc/nagios-plugins/config" ||
	not_ok "/etc/nagios4/nagios.cfg has no cfg_dir=/etc/nagios-plugins/config"
# Debian's main config with one host whose services use the three commands.
{
	grep -v '^cfg_\(file\|dir\)=' /etc/nagios4/nagios.cfg | sed "s|^lock_file=.*|lock_file=$N/nagios.lock|"
	echo "cfg_dir=/etc/nagios-plugins/config"
	echo "cfg_file=/etc/nagios4/objects/commands.cfg"
	echo "cfg_file=/etc/nagios4/objects/timeperiods.cfg"
	echo "cfg_file=/etc/nagios4/objects/templates.cfg"
	echo "cfg_file=/etc/nagios4/objects/contacts.cfg"
	echo "cfg_file=$N/objects.cfg"
} > "$N/nagios.cfg"
{
	printf 'define host {\n\tuse linux-server\n\thost_name cl-package\n\taddress 127.0.0.1\n}\n'
	for c in check_listeners check_nrpe_listeners check_listeners_sudo; do
		printf 'define service {\n\tuse generic-service\n\thost_name cl-package\n'
		printf '\tservice_description %s\n\tcheck_command %s\n}\n' "$c" "$c"
	done
} > "$N/objects.cfg"
nagios_check() { nagios4 -v "$N/nagios.cfg" > "$TMP/nagios.log" 2>&1 && grep -q 'Total Errors: *0' "$TMP/nagios.log"; }
if nagios_check; then
	ok "nagios4 -v: services using check_listeners, check_nrpe_listeners, check_listeners_sudo"
else
	not_ok "nagios4 -v failed"
	grep -Ei 'error' "$TMP/nagios.log" | indent
fi
if out=$(nagios4 -v /etc/nagios4/nagios.cfg 2>&1) && grep -q 'Total Errors: *0' <<< "$out"; then
	ok "nagios4 -v /etc/nagios4/nagios.cfg (Debian's own) with the package installed"
else
	not_ok "nagios4 -v /etc/nagios4/nagios.cfg fails with the package installed"
	grep -Ei 'error' <<< "$out" | indent
fi

# --- a changed conffile survives remove, purge removes everything ---------------------
echo '# changed by the admin' >> /etc/check_listeners.conf
if DEBIAN_FRONTEND=noninteractive apt-get remove -y -q -o DPkg::Lock::Timeout=300 "$PKG" > "$TMP/remove.log" 2>&1; then
	ok "apt-get remove"
else
	not_ok "apt-get remove failed"
	indent < "$TMP/remove.log"
fi
grep -q 'changed by the admin' /etc/check_listeners.conf 2>/dev/null &&
	ok "remove keeps the changed /etc/check_listeners.conf" || not_ok "remove lost the changed conffile"
[ ! -e "$BIN" ] && ok "remove removes the plugin" || not_ok "$BIN still there after remove"
if purge; then ok "apt-get purge"; else not_ok "apt-get purge failed"; indent < "$TMP/purge.log"; fi
left=$(traces)
if [ -z "$left" ]; then
	ok "nothing is left behind (files, conffile, dpkg records)"
else
	not_ok "left behind after purge"
	indent <<< "$left"
fi
gone=
while read -r f; do
	[ -e "$f" ] && [ ! -d "$f" ] && gone="$gone $f"
done < "$TMP/files"
[ -z "$gone" ] && ok "no file of dpkg -L remains" || not_ok "files remain:$gone"

# The same checks fail without the package: they tested what it installed.
icinga_check && not_ok "icinga2 daemon -C still passes without the package" ||
	ok "without the package, Icinga 2 knows no CheckCommand listeners"
nagios_check && not_ok "nagios4 -v still passes without the package" ||
	ok "without the package, nagios4 -v finds no check_listeners command"
finish
