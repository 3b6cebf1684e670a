#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stand-alone (issue 17): the repository's tracked files alone, copied to a
# scratch directory with nothing next to them, build with -Werror and pass the
# unit tests, the registry round trip (test_registry against the in-tree IANA
# CSV) included; `make registry` there regenerates exactly the committed
# table. A file of the build or the tests that reached outside the tree (as
# the CSV path once did, to a directory beside the clone) fails here.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
if ! git -C "$ROOT" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	skip "$(basename "$0"): $ROOT is not a git checkout (no list of tracked files)"
	finish
fi
if ! pkg-config --exists cmocka 2> /dev/null; then
	skip "$(basename "$0"): cmocka is not installed (make deps installs libcmocka-dev)"
	finish
fi

# $TMP/alone holds only the copy: ../anything from the copy does not exist.
mkdir "$TMP/alone"
src="$TMP/alone/check_listeners"
mkdir "$src"
(cd "$ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$src"
n=$(find "$src" -type f | wc -l)
[ "$n" -gt 50 ] && [ ! -e "$src/build" ] && [ "$(ls -A "$TMP/alone")" = check_listeners ] &&
	ok "copied $n tracked files to an empty scratch directory" || not_ok "copy: $n files"

mk() { env -u MAKEFLAGS -u MAKELEVEL -u CSV make --no-print-directory -C "$src" "$@"; }
if mk -s WERROR=1 all unit > "$TMP/unit.log" 2>&1; then
	ok "the copy builds with -Werror and passes the unit tests"
else
	not_ok "make all unit failed in the copy"
	grep -E 'error|FAIL|unit:' "$TMP/unit.log" | indent 30
fi
grep -qE '^\[ +OK +\] test_round_trip$' "$TMP/unit.log" &&
	ok "test_registry's round trip ran against the in-tree CSV" ||
	not_ok "no passed test_round_trip in the unit output"
grep -q '^unit: all [0-9]* test programs passed$' "$TMP/unit.log" &&
	ok "$(grep '^unit: all' "$TMP/unit.log")" || not_ok "no unit summary line"

# A distributor's build: own flags, _FORTIFY_SOURCE=3 (which must not clash
# with ours even under -Werror), another SYSCONFDIR compiled in as the default.
if mk WERROR=1 SYSCONFDIR=/opt/cl-test CPPFLAGS=-D_FORTIFY_SOURCE=3 CFLAGS='-O2 -g' all > "$TMP/flags.log" 2>&1; then
	ok "builds with CPPFLAGS=-D_FORTIFY_SOURCE=3 under -Werror"
else
	not_ok "the build with CPPFLAGS=-D_FORTIFY_SOURCE=3 failed"
	grep -E 'error|warning' "$TMP/flags.log" | indent
fi
cc_lines=$(grep -E ' -c -o build/obj/' "$TMP/flags.log")
if [ -n "$cc_lines" ] && ! grep -v -- '-D_FORTIFY_SOURCE=3' <<< "$cc_lines" | grep -q . &&
	! grep -q -- '-D_FORTIFY_SOURCE=2' <<< "$cc_lines"; then
	ok "every compile line has their -D_FORTIFY_SOURCE=3 and not our =2"
else
	not_ok "compile lines do not honour CPPFLAGS"
	head -n 3 <<< "$cc_lines" | indent
fi
"$src/check_listeners" --help > "$TMP/help" 2>&1
grep -qF '(default /opt/cl-test/check_listeners.conf)' "$TMP/help" &&
	ok "SYSCONFDIR=/opt/cl-test makes /opt/cl-test/check_listeners.conf the default of -C" ||
	{ not_ok "the default config does not follow SYSCONFDIR"; grep -- '--config' "$TMP/help" | indent; }

if mk -s registry > "$TMP/registry.log" 2>&1; then
	ok "make registry reads the in-tree CSV"
else
	not_ok "make registry failed in the copy"
	indent < "$TMP/registry.log"
fi
gen=$(git -C "$ROOT" ls-files '*registry_data.c')
if [ -n "$gen" ] && cmp -s "$src/$gen" "$ROOT/$gen"; then
	ok "the regenerated $gen equals the committed one"
else
	not_ok "make registry changed '$gen'"
	diff "$ROOT/$gen" "$src/$gen" | indent
fi
finish
