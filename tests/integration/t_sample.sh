#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t_sample.sh: issue 15 - the sample config is right for NRPE's default: a
# stock Debian host with sshd in ssh.service is OK with it as root and as an
# unprivileged user (nobody stands in for nagios). The test puts a listener
# named sshd on port 22 into a root-owned ssh.service cgroup of its own.
source "$(dirname "$0")/lib.sh"
private_netns

cg2=$(cgroup2_root)
SLICE="$cg2/cl-sample-$$.slice"
if [ -z "$cg2" ] || ! mkdir -p "$SLICE/ssh.service" 2>/dev/null; then
	skip "t_sample.sh: no writable cgroup2 hierarchy here"; finish
fi
SSHD=""
trap '[ -n "$SSHD" ] && kill "$SSHD" 2>/dev/null && wait "$SSHD" 2>/dev/null; rmdir "$SLICE/ssh.service" "$SLICE" 2>/dev/null; cleanup' EXIT

sample=$(conf sample.conf < "$TESTS_DIR/../../conf/check_listeners.conf")
cp "$PLUGIN" "$TMP/check_listeners"; chmod 755 "$TMP/check_listeners"
run_nobody() {
	OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/check_listeners" "$@" 2>&1); RC=$?
	LINE1=$(printf '%s\n' "$OUT" | head -n 1)
}

bash -c 'echo $$ > "$1/cgroup.procs" && exec "$2" --comm sshd tcp:0.0.0.0:22 tcp:[::]:22:v6only' _ \
	"$SLICE/ssh.service" "$SOCKHOLD" > "$TMP/sshd.out" 2>&1 &
SSHD=$!
for _ in $(seq 200); do grep -q '^ready' "$TMP/sshd.out" 2>/dev/null && break; sleep 0.02; done

run_plugin -C "$sample" --max-output 1024
printf '# root:   %s\n' "$LINE1"
expect_rc "sshd in ssh.service with the sample config, as root: OK" 0
expect_line1 "as root: all recognised" '^LISTENERS OK - 2 listeners, all recognised'

run_nobody -C "$sample" --max-output 1024
printf '# nobody: %s\n' "$LINE1"
# A unit rule is judged on the cgroup each socket was created in (kernel and
# root): no holder is needed, so NRPE's unprivileged default is OK too.
expect_rc "the same as nobody (NRPE's default): OK" 0
expect_line1 "as nobody: all recognised" '^LISTENERS OK - 2 listeners, all recognised'

run_nobody --check-config -C "$sample"
expect_rc "the sample config passes --check-config" 0
expect_no_out "no rule of the sample keys on the process name alone" 'command name is chosen by the process'

# --- an impostor on 22 outside ssh.service is still caught, as nobody ----------
kill "$SSHD"; wait "$SSHD" 2>/dev/null; SSHD=""
hold --comm sshd tcp:0.0.0.0:22 || not_ok "sockhold sshd impostor"
run_nobody -C "$sample"
expect_rc "a process named sshd on 22 outside ssh.service, as nobody: WARNING" 1
finish
