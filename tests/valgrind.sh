#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# valgrind.sh PLUGIN SOCKHOLD: runs the plugin's main paths under valgrind
# memcheck (`make valgrind`) in a private network namespace holding a few
# sockets. Each run must have zero errors and zero definitely lost bytes; the
# plugin's own exit code is checked too. Prints one line per run and a summary;
# exit 1 when any run failed.
set -u
plugin=$(realpath "${1:?usage: valgrind.sh PLUGIN SOCKHOLD}")
sockhold=$(realpath "${2:?usage: valgrind.sh PLUGIN SOCKHOLD}")
root=$(cd "$(dirname "$0")/.." && pwd)
csv=$(realpath -m "$root/${CSV:-plugin/registry/service-names-port-numbers.csv}")

if [ -z "${CL_IN_NETNS:-}" ]; then
	command -v valgrind > /dev/null || { echo "valgrind: not installed (make deps)"; exit 1; }
	CL_IN_NETNS=1 exec unshare --net bash "$0" "$plugin" "$sockhold"
fi
ip link set lo up
tmp=$(mktemp -d /tmp/cl-valgrind.XXXXXX)
chmod 755 "$tmp"
"$sockhold" tcp:127.0.0.1:8080 tcp:[::]:2222:dual udp:0.0.0.0:5353 tcp:127.0.0.1:27374 \
	tcp:0.0.0.0:9000:reuseport=3 > "$tmp/hold" 2>&1 &
holder=$!
trap 'kill $holder 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 200); do grep -q '^ready' "$tmp/hold" && break; sleep 0.02; done

cat > "$tmp/ok.conf" <<'C'
severity = { dynamic = "warning"; };
allow = (
  { proto = "tcp"; port = 8080; address = "loopback"; process = "sockhold"; comment = "web"; },
  { proto = ["tcp", "udp"]; port = (2222, 5353, "9000-9001"); user = 0; },
  { proto = "tcp"; port = 443; require = true; comment = "a missing required service"; },
  { proto = "tcp"; port = 1; expires = "2001-01-01"; comment = "expired"; }
);
C
printf 'allow = ( { port = 70000; colour = "x"; } );\n' > "$tmp/bad.conf"
chmod 644 "$tmp"/*.conf

failed=0 runs=0
# vg NAME WANT_RC ARGS...
vg() {
	local name=$1 want=$2 rc errs lost
	shift 2
	runs=$((runs + 1))
	valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
		--log-file="$tmp/vg.log" "$plugin" "$@" > "$tmp/out" 2>&1
	rc=$?
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$tmp/vg.log" | tail -n 1)
	lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$tmp/vg.log" | tail -n 1)
	if [ "$rc" = "$want" ] && [ "${errs:-x}" = 0 ] && [ "${lost:-0}" = 0 ]; then
		echo "ok - valgrind $name (exit $rc, 0 errors, 0 bytes definitely lost)"
	else
		echo "not ok - valgrind $name: exit $rc (want $want), ${errs:-?} errors, ${lost:-0} bytes definitely lost"
		sed 's/^/#   /' "$tmp/vg.log" | grep -v '^#   ==[0-9]*== *$' | head -n 60
		head -n 5 "$tmp/out" | sed 's/^/#   out: /'
		failed=$((failed + 1))
	fi
}

vg "check" 2 -C "$tmp/ok.conf"
vg "check -vvv with thresholds" 2 -C "$tmp/ok.conf" -vvv -w 0 -c 10
vg "--list" 2 -C "$tmp/ok.conf" --list
vg "--format json" 2 -C "$tmp/ok.conf" --format json -v
vg "--max-output 512" 2 -C "$tmp/ok.conf" --max-output 512
vg "--all-netns" 2 -C "$tmp/ok.conf" --all-netns
vg "--generate-config" 0 --generate-config
vg "--check-config" 0 --check-config -C "$tmp/ok.conf"
vg "--check-config of an invalid file" 3 --check-config -C "$tmp/bad.conf"
vg "a missing -C file" 3 -C "$tmp/missing.conf"
vg "--port-info 22/tcp" 0 --port-info 22/tcp
vg "--port-info 3206" 0 --port-info 3206
if [ -r "$csv" ]; then
	vg "--registry CSV --port-info 443" 0 --registry "$csv" --port-info 443
else
	echo "skip - valgrind --registry: no CSV at $csv"
fi
vg "--help" 3 --help
vg "--version" 3 --version
vg "bad usage" 3 --bogus
echo "valgrind: $((runs - failed)) of $runs runs clean"
[ "$failed" = 0 ]
