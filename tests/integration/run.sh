#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh PLUGIN: runs every tests/integration/t_*.sh and counts its assertions.
# The last line is "N passed, N failed, N skipped"; exit 1 when anything failed.
set -u
plugin=${1:?usage: run.sh PLUGIN}
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
sockhold="$root/build/sockhold"
pass=0 fail=0 skipped=0
for t in "$dir"/t_*.sh; do
	name=$(basename "$t")
	echo "== $name"
	log=$(mktemp)
	timeout 600 bash "$t" "$plugin" "$sockhold" > "$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	s=$(grep -c '^skip - ' "$log")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited $rc without a failed assertion"
		f=1
	fi
	if [ $((p + f + s)) = 0 ]; then
		echo "not ok - $name made no assertion"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skipped=$((skipped + s))
	rm -f "$log"
done
echo "integration: $pass passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]
