#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The tree (issue 17): every tracked source file carries the SPDX line of
# the project's licence near its top; nothing tracked refers to files outside
# the repository; the version is written in one place (CHANGELOG.md's newest
# release heading) and the licence text is there.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
SPDX='SPDX-License-Identifier: GPL-3.0-or-later'
if ! git -C "$ROOT" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	skip "$(basename "$0"): $ROOT is not a git checkout (no list of tracked files)"
	finish
fi

# sources: the tracked files that must carry the line: code, build files and
# configuration snippets that allow comments. Data is exempt: the fixtures and
# fuzz corpora (tests read them byte for byte), the IANA CSV, Markdown,
# JSON, the licence itself and Debian's machine-readable copyright.
sources() {
	git -C "$ROOT" ls-files | grep -Ev '^tests/fixtures/|^tests/fuzz/corpus/' | while read -r f; do
		case $f in
		*.c | *.h | *.sh | *.awk | *.py | *.mk | *.8 | *.supp | Makefile | .gitignore | .ci/* | \
		conf/*.conf | conf/*.cfg | conf/sudoers.d/* | conf/debian/rules | conf/debian/control | \
		conf/debian/*.lintian-overrides)
			echo "$f" ;;
		*)
			head -c 2 "$ROOT/$f" 2>/dev/null | grep -q '^#!' && echo "$f" ;;
		esac
	done
}
# unlicensed DIR FILE...: the FILEs without the SPDX line in their first 3 lines.
unlicensed() {
	local dir=$1 f
	shift
	for f in "$@"; do
		head -n 3 "$dir/$f" | grep -qF "$SPDX" || echo "$f"
	done
}

# The check itself catches a file without the line, and one with it too late.
mkdir -p "$TMP/lint"
printf '/* %s */\nint a;\n' "$SPDX" > "$TMP/lint/good.c"
printf '#!/bin/sh\n# %s\n' "$SPDX" > "$TMP/lint/good.sh"
printf 'int b;\n' > "$TMP/lint/bare.c"
printf '#!/bin/sh\n\n\n\n# %s\n' "$SPDX" > "$TMP/lint/late.sh"
got=$(unlicensed "$TMP/lint" good.c good.sh bare.c late.sh | tr '\n' ' ')
[ "$got" = "bare.c late.sh " ] && ok "the SPDX check flags a file without the line and one with it too late" ||
	not_ok "the SPDX check flagged '$got', expected 'bare.c late.sh '"

mapfile -t files < <(sources)
bad=$(unlicensed "$ROOT" "${files[@]}")
if [ "${#files[@]}" -gt 50 ] && [ -z "$bad" ]; then
	ok "all ${#files[@]} tracked source files carry '$SPDX'"
else
	not_ok "tracked source files without '$SPDX' in their first 3 lines (${#files[@]} checked)"
	indent 40 <<< "$bad"
fi
for f in Makefile plugin/main.c .ci/run; do
	printf '%s\n' "${files[@]}" | grep -qx "$f" || not_ok "$f is not among the files checked"
done

[ -f "$ROOT/LICENSE" ] && grep -q 'GNU GENERAL PUBLIC LICENSE' "$ROOT/LICENSE" &&
	grep -q 'Version 3, 29 June 2007' "$ROOT/LICENSE" && ok "LICENSE is the GPL version 3" ||
	not_ok "LICENSE missing or not the GPL-3"

# Nothing tracked refers outside the tree (the IANA CSV once came from a
# directory beside the clone).
outside=$(git -C "$ROOT" grep -nE '\.\./''shared|/work/''(shared|main|wt)/' -- . ':!*.csv')
[ -z "$outside" ] && ok "no tracked file refers to a directory beside the clone or to /work" ||
	{ not_ok "tracked files refer outside the repository"; indent <<< "$outside"; }

# One version: CHANGELOG.md's newest "## [X.Y.Z] - YYYY-MM-DD", which the
# Makefile reads; no code or build file defines it again (examples in the
# documentation and comments may quote it).
version=$(make -s -C "$ROOT" --no-print-directory version 2>/dev/null)
head=$(grep -m1 -E '^## \[[0-9]+\.[0-9]+\.[0-9]+\] - [0-9]{4}-[0-9]{2}-[0-9]{2}$' "$ROOT/CHANGELOG.md")
if [ -n "$version" ] && [ "$head" = "## [$version] - ${head##* - }" ]; then
	ok "make version ($version) is CHANGELOG.md's newest release: $head"
else
	not_ok "make version '$version' against CHANGELOG.md's '$head'"
fi
grep -qx '## \[Unreleased\]' "$ROOT/CHANGELOG.md" && ok "CHANGELOG.md keeps an [Unreleased] section" ||
	not_ok "CHANGELOG.md has no '## [Unreleased]'"
if [ -n "$version" ]; then
	again=$(git -C "$ROOT" grep -nwF "$version" -- Makefile '*.mk' '.ci/*' 'conf/debian/*' '*.8' \
		'*.c' '*.h' '*.sh' '*.awk' '*.py' ':!tests/fixtures' ':!tests/fuzz/corpus' |
		grep -Ev '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*|//|# )')
	[ -z "$again" ] && ok "no code or build file defines the version $version again" ||
		{ not_ok "the version $version is written elsewhere too"; indent <<< "$again"; }
fi
finish
