#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install (issue 7): `make install DESTDIR=... PREFIX=/usr` lays out the plugin
# (0755, never setuid), the man page and, only when absent, the sample config;
# `make uninstall` removes plugin and man page and keeps the config. The
# shipped man page renders without warnings and documents every option and
# config key; the shipped sudoers file parses.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
D="$TMP/destdir"
MAN="$ROOT/conf/check_listeners.8"

# -o: never rebuild the plugin here; install what the run is testing.
mk() { make --no-print-directory -s -C "$ROOT" -o check_listeners "$@" DESTDIR="$D" PREFIX=/usr > "$TMP/make.log" 2>&1; }
# mode_of FILE: octal mode, e.g. 755
mode_of() { stat -c %a "$1" 2>/dev/null; }

if [ ! -x "$ROOT/check_listeners" ]; then
	not_ok "no $ROOT/check_listeners to install (run make first)"
	finish
fi

if mk install; then ok "make install DESTDIR=... PREFIX=/usr"; else
	not_ok "make install failed"; indent < "$TMP/make.log"; finish; fi
bin="$D/usr/lib/nagios/plugins/check_listeners"
page="$D/usr/share/man/man8/check_listeners.8"
cfg="$D/etc/check_listeners.conf"
[ "$(mode_of "$bin")" = 755 ] && ok "plugin installed as $bin, mode 0755 (not setuid)" ||
	not_ok "plugin: mode '$(mode_of "$bin")' at $bin"
cmp -s "$bin" "$ROOT/check_listeners" && ok "the installed plugin is the built one" ||
	not_ok "the installed plugin differs from $ROOT/check_listeners"
[ "$(mode_of "$page")" = 644 ] && cmp -s "$page" "$MAN" && ok "man page installed as $page, mode 0644" ||
	not_ok "man page: mode '$(mode_of "$page")' at $page"
[ "$(mode_of "$cfg")" = 644 ] && cmp -s "$cfg" "$ROOT/conf/check_listeners.conf" &&
	ok "sample config installed as $cfg, mode 0644" || not_ok "sample config: mode '$(mode_of "$cfg")' at $cfg"
extra=$(cd "$D" && find . -type f | sort | grep -Fvx -e ./usr/lib/nagios/plugins/check_listeners \
	-e ./usr/share/man/man8/check_listeners.8 -e ./etc/check_listeners.conf)
[ -z "$extra" ] && ok "nothing else installed" || not_ok "unexpected files: $extra"
if [ "$(id -u)" = 0 ]; then
	run_plugin --check-config -C "$cfg"
	expect_rc "the installed sample config is valid and acceptable to root" 0
else
	skip "installed config as root: not root"
fi

# A second install keeps the user's allowlist.
printf '# changed by the admin\nallow = ( { port = 22; } );\n' > "$cfg"
chmod 0600 "$cfg"
if mk install; then ok "second make install"; else not_ok "second make install failed"; indent < "$TMP/make.log"; fi
grep -q 'changed by the admin' "$cfg" && [ "$(mode_of "$cfg")" = 600 ] &&
	ok "second install leaves a changed config (content and mode) alone" ||
	not_ok "second install overwrote the config"

if mk uninstall; then ok "make uninstall DESTDIR=..."; else not_ok "make uninstall failed"; indent < "$TMP/make.log"; fi
[ ! -e "$bin" ] && ok "uninstall removes the plugin" || not_ok "plugin still there"
[ ! -e "$page" ] && ok "uninstall removes the man page" || not_ok "man page still there"
grep -q 'changed by the admin' "$cfg" 2>/dev/null && ok "uninstall keeps the user's config" ||
	not_ok "uninstall removed the config"

# --- the shipped man page ----------------------------------------------------------
if command -v groff > /dev/null; then
	warn=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$MAN" 2>&1)
	[ -z "$warn" ] && ok "groff -man -ww renders the man page without warnings" ||
		{ not_ok "groff warns"; printf '%s\n' "$warn" | indent; }
	text=$(LC_ALL=C.UTF-8 groff -man -Tascii -P-cbou -rLL=200n "$MAN" 2>/dev/null)
	missing=
	for o in $(sed -n '/long_opts\[\]/,/^};/s/^[[:space:]]*{ "\([a-z-]*\)",.*/\1/p' "$ROOT/plugin/output/options.c"); do
		printf '%s\n' "$text" | grep -q -- "--$o\\b" || missing="$missing --$o"
	done
	[ -z "$missing" ] && ok "the man page documents every long option of options.c" ||
		not_ok "options missing from the man page:$missing"
	missing=
	for k in $(sed -n 's/^[[:space:]]*{ "\([a-z_]*\)", T_.*/\1/p' "$ROOT/plugin/policy/config.c"); do
		printf '%s\n' "$text" | grep -qw -- "$k" || missing="$missing $k"
	done
	for k in $(sed -n 's/^  \([a-z_]*\) = "[a-z]*";.*/severity.\1/p' "$ROOT/conf/check_listeners.conf"); do
		printf '%s\n' "$text" | grep -qF -- "$k" || missing="$missing $k"
	done
	[ -z "$missing" ] && ok "the man page documents every config key (config.c tables, severity.*)" ||
		not_ok "config keys missing from the man page:$missing"
	for s in NAME SYNOPSIS OPTIONS CONFIGURATION 'EXIT STATUS' PRIVILEGES FILES EXAMPLES 'SEE ALSO'; do
		printf '%s\n' "$text" | grep -qx "$s" || missing="$missing '$s'"
	done
	[ -z "$missing" ] && ok "the man page has NAME ... SEE ALSO" || not_ok "sections missing:$missing"
	printf '%s\n' "$text" | tr -s ' \n' '  ' |
		grep -qF 'setcap cap_dac_read_search,cap_sys_ptrace,cap_sys_admin,cap_net_admin+ep \ /usr/lib/nagios/plugins/check_listeners' &&
		ok "the man page gives the setcap line" || not_ok "setcap line missing from the man page"
else
	skip "man page rendering: groff is not installed (groff-base)"
fi

if command -v visudo > /dev/null; then
	out=$(visudo -cf "$ROOT/conf/sudoers.d/check_listeners" 2>&1) && ok "visudo -c accepts conf/sudoers.d/check_listeners" ||
		{ not_ok "visudo rejects the sudoers file"; printf '%s\n' "$out" | indent; }
else
	skip "sudoers syntax: visudo is not installed (sudo)"
fi
grep -qx 'Defaults:nagios !requiretty' "$ROOT/conf/sudoers.d/check_listeners" &&
	ok "sudoers has Defaults:nagios !requiretty" || not_ok "Defaults:nagios !requiretty missing"
if grep -E '^[^#].*(\*|ALL[[:space:]]*$)' "$ROOT/conf/sudoers.d/check_listeners" | grep -v '^nagios ALL = (root) NOPASSWD: CHECK_LISTENERS$' | grep -q .; then
	not_ok "sudoers uses a wildcard"
else
	ok "sudoers allows fixed command lines only (no wildcard)"
fi
finish
