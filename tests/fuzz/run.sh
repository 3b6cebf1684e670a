#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh [--fresh] SECONDS TARGET...: runs each libFuzzer target for SECONDS on
# build/fuzz/corpus/NAME, seeded from tests/fuzz/corpus/NAME (the repository's
# corpus is never written). The corpus grows from run to run; --fresh (the
# smoke run of `make check`) starts from the seeds alone in build/fuzz/smoke,
# so that its time does not grow with what earlier long runs found.
# Prints one summary line per target; a crash, leak, timeout or sanitizer
# report keeps its input in build/fuzz/artifacts/ and makes the run fail. Every input in tests/fuzz/corpus/NAME is also replayed first, so
# a seed that once crashed (a regression seed) is checked even by a short run.
set -u
fresh=""
[ "${1:-}" = --fresh ] && fresh=1 && shift
secs=${1:?usage: run.sh [--fresh] SECONDS TARGET...}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
failed=""
# A known leak inside libconfig 1.5 on syntax errors; see the file.
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0"
mkdir -p "$root/build/fuzz/corpus" "$root/build/fuzz/artifacts" "$root/build/fuzz/log"
for bin in "$@"; do
	name=$(basename "$bin")
	t=${name#fuzz_}
	seeds="$root/tests/fuzz/corpus/$t"
	corpus="$root/build/fuzz/corpus/$t"
	if [ -n "$fresh" ]; then
		corpus="$root/build/fuzz/smoke/$t"
		rm -rf "$corpus"
	fi
	log="$root/build/fuzz/log/$t.log"
	mkdir -p "$corpus"
	[ -d "$seeds" ] && cp -p "$seeds"/* "$corpus"/ 2>/dev/null
	# -timeout: one input may take 10 s (slow under ASan, never a hang);
	# -rss_limit_mb: the config and CSV loaders cap their input at 64/16 MiB.
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$root/build/fuzz/artifacts/$t-" \
		"$corpus" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1)
	units=$(ls "$corpus" | wc -l)
	if [ "$rc" = 0 ]; then
		echo "fuzz $t: ok, ${secs} s, ${execs:-?} runs, ${cov:-cov: ?}, corpus $units"
	else
		echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} runs; log $log"
		grep -E 'ERROR|SUMMARY|artifact|deadly|Test unit written' "$log" | head -n 20 | sed 's/^/#   /'
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed"
	exit 1
fi
echo "fuzz: all $# targets ran ${secs} s each without a finding"
