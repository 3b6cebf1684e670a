/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for owners and cgroups: the cgroup id walk, and
 * owners_scan on fake /proc trees built in a temp dir, plus one live scan of
 * the real /proc for a socket this process holds. The /proc readers and
 * parsers have their own tests in test_procfs.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/capability.h>

#include "cgroups.h"
#include "fixture.h"
#include "holders.h"
#include "owners.h"
#include "procfs.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID12 "0123456789ab"

/* ---- fixtures: inventories and fake trees --------------------------------- */

/* An inventory of n listeners, listener i having nsock[i] sockets (1 when
 * nsock is NULL) with consecutive inodes starting at inode[i]. */
static struct inventory *inv_make(size_t n, const uint32_t *inode, const size_t *nsock)
{
	struct inventory *inv = calloc(1, sizeof(*inv));
	size_t total = 0;

	assert_non_null(inv);
	for (size_t i = 0; i < n; i++)
		total += nsock ? nsock[i] : 1;
	inv->socks = calloc(total ? total : 1, sizeof(*inv->socks));
	inv->ls = calloc(n ? n : 1, sizeof(*inv->ls));
	assert_non_null(inv->socks);
	assert_non_null(inv->ls);
	for (size_t i = 0; i < n; i++) {
		struct listener *l = &inv->ls[i];

		l->s = &inv->socks[inv->nsocks];
		l->count = nsock ? nsock[i] : 1;
		for (size_t k = 0; k < l->count; k++)
			inv->socks[inv->nsocks++].inode = inode[i] + (uint32_t)k;
	}
	inv->nls = n;
	return inv;
}

static void inv_drop(struct inventory *inv)
{
	inv_free(inv);
	free(inv);
}

/* The owner of listener i, to set up a test with. */
static struct owner *own(struct inventory *inv, size_t i)
{
	struct owner *o = inv_owner(inv, i);

	assert_non_null(o);
	return o;
}

/* One fake /proc/PID: comm, exe, stat, cgroup (NULL = leave the file out) and
 * fd/N -> each link of fds (NULL-terminated). */
struct fake_proc {
	const char *pid;
	const char *comm, *exe, *stat, *cgroup;
	const char *fds[8];
};

static void put_proc(const char *root, const struct fake_proc *p)
{
	char dir[PATH_MAX], fd[PATH_MAX];

	fx_put_dir(dir, sizeof(dir), root, p->pid);
	if (p->comm)
		fx_put_file(dir, "comm", p->comm);
	if (p->exe)
		fx_put_link(dir, "exe", p->exe);
	if (p->stat)
		fx_put_file(dir, "stat", p->stat);
	if (p->cgroup)
		fx_put_file(dir, "cgroup", p->cgroup);
	fx_put_dir(fd, sizeof(fd), dir, "fd");
	for (int i = 0; i < 8 && p->fds[i]; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%d", i + 3);
		fx_put_link(fd, name, p->fds[i]);
	}
}

static char *make_tmp(void)
{
	char *t = strdup("/tmp/test_owners.XXXXXX");

	assert_non_null(t);
	assert_non_null(mkdtemp(t));
	return t;
}

static void rm_tree(char *root)
{
	fx_rm_tree(root);
	free(root);
}

#define STAT_LINE(comm) "100 (" comm ") S 1 1 1 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 52664 3133440 377\n"

/* ---- owners_scan on a fake /proc ------------------------------------------ */

static const struct fake_proc main_tree[] = {
	{ "1", "systemd\n", "/usr/lib/systemd/systemd", STAT_LINE("systemd"), "0::/init.scope\n",
	  { "socket:[1001]", "socket:[1002]", "/dev/null" } },
	{ "4242", "nginx\n", "/usr/bin/x (deleted)", STAT_LINE(") S 1 2 (x"),
	  "12:pids:/\n1:name=systemd:/system.slice/nginx.service\n0::/system.slice/nginx.service\n",
	  { "/dev/null", "pipe:[9]", "socket:[1001]", "socket:[4004]", "socket:[1001]" } },
	{ "500", "a|b\x1b[31m\n", "/opt/w", STAT_LINE("a|b"), "0::/system.slice/docker-" ID64 ".scope\n",
	  { "socket:[2001]", "socket:[2002]", "socket:[999]" } },
	{ "501", "worker\n", "/opt/w", STAT_LINE("worker"), "0::/\n", { "socket:[2002]" } },
	{ "600", "gone\n", "/bin/gone", NULL, "0::/\n", { "socket:[5005]" } },  /* no stat: exited */
	{ "0123", "odd\n", "/bin/odd", STAT_LINE("odd"), "0::/\n", { "socket:[3003]" } },
	{ "abc", "odd\n", "/bin/odd", STAT_LINE("odd"), "0::/\n", { "socket:[3003]" } },
	{ "self", "odd\n", "/bin/odd", STAT_LINE("odd"), "0::/\n", { "socket:[3003]" } },
};

static void tree_build(char *root, const struct fake_proc *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_proc(root, &t[i]);
}

static void assert_pids(const struct owner *o, const pid_t *want, size_t n)
{
	assert_int_equal(o->nholders, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(o->holders[i].pid, want[i]);
}

/* The holder the output names first. */
static const struct holder *shown(const struct inventory *inv, size_t i)
{
	const struct owner *o = listener_owner(inv, &inv->ls[i]);

	assert_true(o->nholders > 0);
	return &o->holders[holders_shown(o->holders, o->nholders)];
}

/* A fake cgroup2 tree for the labels: as root its directories are root's and
 * label as units; as anyone else each is a delegation boundary. */
static char *cg_tree(void)
{
	static const char *const dirs[] = { "system.slice", "system.slice/nginx.service",
		"system.slice/docker-" ID64 ".scope", "init.scope" };
	char *root = strdup("/tmp/test_owners_cg.XXXXXX"), d[PATH_MAX];

	assert_non_null(root);
	assert_non_null(mkdtemp(root));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		fx_put_dir(d, sizeof(d), root, dirs[i]);
	return root;
}

/* The unit label as root, or the delegated label as another user. */
static const char *as_root(const char *root_label, const char *user_label)
{
	return geteuid() == 0 ? root_label : user_label;
}

static void test_scan_fake(void **state)
{
	/* L0 shared by 1 and 4242; L1 two sockets in 500/501; L2 only in pid 1;
	 * L3 nowhere; L4 not wanted; L5 resolved already; L6 unit preset; L7
	 * held by a process that vanished; L8 held only by non-pid entries. */
	static const uint32_t inodes[] = { 1001, 2001, 1002, 3003, 4004, 1001, 6006, 5005, 7007 };
	static const size_t nsock[] = { 1, 2, 1, 1, 1, 1, 1, 1, 1 };
	static const uint8_t want[] = { NEED_ANY, NEED_ANY, NEED_ANY, NEED_ANY, NEED_NONE, NEED_ANY,
		NEED_ANY, NEED_ANY, NEED_ANY };
	char *root = make_tmp(), *cg = cg_tree();
	struct inventory *inv = inv_make(9, inodes, nsock);
	struct owners_env env = { root, cg, { 0, 0 } };
	char path[PATH_MAX], dpath[PATH_MAX], dir[PATH_MAX], ns[PATH_MAX];
	const struct owner *o;
	struct owners_stats st;

	(void)state;
	tree_build(root, main_tree, sizeof(main_tree) / sizeof(main_tree[0]));
	own(inv, 5)->state = OWNER_PROCESS;
	assert_int_equal(inv_set_user(inv, 0, "www-data"), 0);
	own(inv, 6)->unit_checked = true;
	assert_int_equal(cgroups_add_unit(own(inv, 6), "preset"), 0);
	put_proc(root, &(struct fake_proc){ "77", "0123456789abcdefXYZ\n", "/x", STAT_LINE("x"), "0::/init.scope\n",
		{ "socket:[6006]" } });
	/* 4242 runs a deleted binary that its exe link still reaches, in our
	 * mount namespace: vouched for. The others' links reach nothing. */
	snprintf(path, sizeof(path), "%s/x", root);
	snprintf(dpath, sizeof(dpath), "%s/x (deleted)", root);
	fx_put_file(root, "x (deleted)", "");
	snprintf(dir, sizeof(dir), "%s/4242", root);
	assert_int_equal(unlinkat(AT_FDCWD, strcat(dir, "/exe"), 0), 0);
	dir[strlen(dir) - 4] = '\0';
	fx_put_link(dir, "exe", dpath);
	fx_put_dir(ns, sizeof(ns), dir, "ns");
	fx_put_link(ns, "mnt", "/proc/self/ns/mnt");
	fx_put_link(ns, "user", "/proc/self/ns/user");
	snprintf(dir, sizeof(dir), "%s/self", root);    /* the plugin's own, as fake /proc sees it */
	fx_put_dir(ns, sizeof(ns), dir, "ns");
	fx_put_link(ns, "mnt", "/proc/self/ns/mnt");
	fx_put_link(ns, "user", "/proc/self/ns/user");

	assert_int_equal(owners_scan(inv, want, &env, &st), 0);

	/* L0: pid 1 passes its socket on to 4242 (socket activation) */
	o = listener_owner(inv, &inv->ls[0]);
	assert_int_equal(o->state, OWNER_PROCESS);
	assert_pids(o, (pid_t[]){ 1, 4242 }, 2);
	assert_true(o->holders[0].manager);
	assert_false(o->holders[0].judged);
	assert_true(o->holders[1].judged);
	assert_int_equal(shown(inv, 0)->pid, 4242);
	assert_string_equal(shown(inv, 0)->comm, "nginx");
	assert_string_equal(shown(inv, 0)->exe, path);
	assert_true(shown(inv, 0)->exe_deleted);
	assert_true(o->unit_checked);
	assert_int_equal(o->nunits, 1);          /* from 4242's cgroup, not pid 1's */
	assert_string_equal(o->units[0], as_root("nginx.service", "system.slice/nginx.service"));
	assert_true(o->complete);
	assert_int_equal(o->unheld, 0);
	assert_string_equal(inv_user(inv, 0), "www-data");      /* kept */

	/* L1: two sockets, one of them shared: both holders, both judged */
	o = listener_owner(inv, &inv->ls[1]);
	assert_int_equal(shown(inv, 1)->pid, 500);
	assert_pids(o, (pid_t[]){ 500, 501 }, 2);
	assert_true(o->holders[0].judged && o->holders[1].judged);
	assert_string_equal(shown(inv, 1)->comm, "a|b\x1b[31m");
	assert_false(shown(inv, 1)->exe_deleted);
	assert_null(shown(inv, 1)->exe);        /* /opt/w cannot be followed: not vouched for */
	assert_string_equal(o->units[0], as_root("docker:" ID12, "system.slice/docker-" ID64 ".scope"));
	assert_true(o->unit_none);                      /* 501 sits in "/" */

	/* L2: only the service manager holds it: judged, and shown */
	o = listener_owner(inv, &inv->ls[2]);
	assert_int_equal(shown(inv, 2)->pid, 1);
	assert_pids(o, (pid_t[]){ 1 }, 1);
	assert_true(o->holders[0].judged);
	assert_string_equal(o->units[0], "init.scope");

	o = listener_owner(inv, &inv->ls[3]);
	assert_int_equal(o->state, OWNER_NONE);
	assert_null(o->holders);
	assert_int_equal(o->unheld, 1);
	assert_int_equal(listener_owner(inv, &inv->ls[4])->state, OWNER_UNRESOLVED);
	assert_null(listener_owner(inv, &inv->ls[5])->holders);
	assert_int_equal(shown(inv, 6)->pid, 77);
	assert_string_equal(shown(inv, 6)->comm, "0123456789abcde");       /* 15 bytes */
	assert_string_equal(listener_owner(inv, &inv->ls[6])->units[0], "preset");
	assert_int_equal(listener_owner(inv, &inv->ls[7])->state, OWNER_NONE);
	assert_int_equal(listener_owner(inv, &inv->ls[8])->state, OWNER_NONE);

	assert_int_equal(st.wanted, 7);
	assert_int_equal(st.found, 4);
	assert_int_equal(st.procs_scanned, 6);
	assert_int_equal(st.procs_denied, 0);
	assert_false(st.out_of_time);
	assert_false(st.hidden_procs);
	inv_drop(inv);
	rm_tree(root);
	rm_tree(cg);
}

/* Review3 F2: a thread's own descriptor table (task/TID/fd) holds what the
 * leader's does not; the same socket in several tables and descriptors is
 * one hit. Table-driven over the leader's and the threads' tables; a fake
 * task directory links 2 + threads like /proc's. */
static void test_scan_threads(void **state)
{
	static const struct {
		const char *name;
		const char *leader[3];          /* the leader's fd links */
		const char *threads[2][3];      /* task/301/fd, task/302/fd (NULL = no thread) */
		enum owner_state want;
	} cases[] = {
		{ "socket only in a thread's table", { "/dev/null" },
		  { { "/dev/null", "socket:[8008]" } }, OWNER_PROCESS },
		{ "socket in the second thread's table", { "/dev/null" },
		  { { "pipe:[1]" }, { "socket:[8008]", "socket:[8008]" } }, OWNER_PROCESS },
		{ "in the leader's and a thread's table: one holder", { "socket:[8008]" },
		  { { "socket:[8008]" } }, OWNER_PROCESS },
		{ "a leader that ended: empty table, a thread holds it", { NULL },
		  { { "socket:[8008]" } }, OWNER_PROCESS },
		{ "in no table", { "/dev/null" }, { { "/dev/null" } }, OWNER_NONE },
	};
	static const uint32_t inodes[] = { 8008 };
	static const uint8_t want[] = { NEED_ALL };

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char *root = make_tmp(), dir[PATH_MAX], task[PATH_MAX], t[PATH_MAX], fd[PATH_MAX];
		struct inventory *inv = inv_make(1, inodes, NULL);
		struct owners_env env = { root, NULL, { 0, 0 } };
		const struct owner *o;

		put_proc(root, &(struct fake_proc){ "300", "srv\n", "/bin/srv", STAT_LINE("srv"), "0::/\n",
			{ cases[c].leader[0], cases[c].leader[1], cases[c].leader[2] } });
		snprintf(dir, sizeof(dir), "%s/300", root);
		fx_put_dir(task, sizeof(task), dir, "task");
		fx_put_dir(t, sizeof(t), task, "300");
		for (int k = 0; k < 2 && cases[c].threads[k][0]; k++) {
			char tid[16];

			snprintf(tid, sizeof(tid), "%d", 301 + k);
			fx_put_dir(t, sizeof(t), task, tid);
			fx_put_dir(fd, sizeof(fd), t, "fd");
			for (int i = 0; i < 3 && cases[c].threads[k][i]; i++) {
				char name[16];

				snprintf(name, sizeof(name), "%d", i + 3);
				fx_put_link(fd, name, cases[c].threads[k][i]);
			}
		}
		assert_int_equal(owners_scan(inv, want, &env, NULL), 0);
		o = listener_owner(inv, &inv->ls[0]);
		if (o->state != cases[c].want)
			fail_msg("%s: owner state %d", cases[c].name, (int)o->state);
		if (o->state == OWNER_PROCESS) {
			assert_pids(o, (pid_t[]){ 300 }, 1);
			assert_string_equal(o->holders[0].comm, "srv");
			assert_int_equal(o->unheld, 0);
		}
		inv_drop(inv);
		rm_tree(root);
	}
}

/* All wanted inodes found in the newest pid: pid 1 is never reached, and the
 * holders found before the stop are all that is listed. */
static void test_scan_early_stop(void **state)
{
	static const uint32_t inodes[] = { 1001 };
	char *root = make_tmp();
	struct inventory *inv = inv_make(1, inodes, NULL);
	struct owners_env env = { root, NULL, { 0, 0 } };
	struct owners_stats st;

	(void)state;
	tree_build(root, main_tree, 2);
	assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
	assert_int_equal(st.procs_scanned, 1);
	assert_pids(listener_owner(inv, &inv->ls[0]), (pid_t[]){ 4242 }, 1);
	assert_false(listener_owner(inv, &inv->ls[0])->complete);
	inv_drop(inv);
	/* a verdict that depends on the holders reads every process: no early stop */
	inv = inv_make(1, inodes, NULL);
	assert_int_equal(owners_scan(inv, (uint8_t[]){ NEED_ALL }, &env, &st), 0);
	assert_int_equal(st.procs_scanned, 2);
	assert_pids(listener_owner(inv, &inv->ls[0]), (pid_t[]){ 1, 4242 }, 2);
	assert_true(listener_owner(inv, &inv->ls[0])->complete);
	inv_drop(inv);
	rm_tree(root);
}

static int count_fd(uint32_t inode, void *arg)
{
	(void)inode;
	++*(int *)arg;
	return 0;
}

/* The deadline is looked at inside a descriptor list too: a process with
 * more descriptors than the clock interval, scanned past the deadline, ends
 * the scan with nothing taken from its cut list. */
static void test_scan_deadline_in_fds(void **state)
{
	static const uint32_t inodes[] = { 9999 };
	char *root = make_tmp(), dir[PATH_MAX], fd[PATH_MAX];
	struct inventory *inv = inv_make(1, inodes, NULL);
	struct owners_env env = { root, NULL, { 0, 0 } };
	struct owners_stats st;

	(void)state;
	fx_put_dir(dir, sizeof(dir), root, "100");
	fx_put_file(dir, "stat", STAT_LINE("many"));
	fx_put_file(dir, "comm", "many\n");
	fx_put_dir(fd, sizeof(fd), dir, "fd");
	for (int i = 0; i < 3 * PROCFS_FD_CLOCK_EVERY; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%d", i);
		fx_put_link(fd, name, i == 3 * PROCFS_FD_CLOCK_EVERY - 1 ? "socket:[9999]" : "/dev/null");
	}
	assert_int_equal(procfs_fd_sockets(open(fd, O_RDONLY | O_DIRECTORY), &(struct timespec){ 1, 0 },
			count_fd, &(int){ 0 }), PROCFS_FD_OUT_OF_TIME);
	assert_int_equal(owners_scan(inv, (uint8_t[]){ NEED_ALL }, &env, &st), 0);
	assert_int_equal(listener_owner(inv, &inv->ls[0])->state, OWNER_PROCESS);
	inv_drop(inv);
	rm_tree(root);
}

/* Many wanted inodes, chosen to collide in a power-of-two table, and many
 * unwanted neighbours held too: exactly the held wanted ones are found. */
static void test_scan_inode_set(void **state)
{
	enum { N = 3000 };
	uint32_t *inodes = calloc(N, sizeof(*inodes));
	char *root = make_tmp(), dir[PATH_MAX], fd[PATH_MAX];
	struct inventory *inv;
	struct owners_env env = { root, NULL, { 0, 0 } };
	struct owners_stats st;

	(void)state;
	assert_non_null(inodes);
	for (size_t i = 0; i < N; i++)
		inodes[i] = (uint32_t)(i + 1) * 65536u + 7u;
	inv = inv_make(N, inodes, NULL);
	fx_put_dir(dir, sizeof(dir), root, "100");
	fx_put_file(dir, "stat", STAT_LINE("many"));
	fx_put_file(dir, "comm", "many\n");
	fx_put_dir(fd, sizeof(fd), dir, "fd");
	for (size_t i = 0; i < N; i++) {
		char name[16], link[32];

		snprintf(name, sizeof(name), "%zu", i);
		snprintf(link, sizeof(link), "socket:[%u]", inodes[i] + (i % 2 ? 1u : 0u));
		fx_put_link(fd, name, link);
	}
	assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
	for (size_t i = 0; i < N; i++) {
		enum owner_state want = i % 2 ? OWNER_NONE : OWNER_PROCESS;

		if (listener_owner(inv, &inv->ls[i])->state != want)
			fail_msg("listener %zu inode %u: state %d", i, inodes[i], listener_owner(inv, &inv->ls[i])->state);
	}
	assert_int_equal(st.found, N / 2);
	inv_drop(inv);
	free(inodes);
	rm_tree(root);
}

/* Visibility: what turns "not found" into DENIED instead of KERNEL. */
struct vis_case {
	const char *what;
	const char *mount_opts;         /* NULL: no self/mountinfo */
	const char *capeff;
	bool fd_is_file;                /* /proc/7/fd unreadable */
	bool past_deadline;
	enum owner_state want;
	bool hidden, oot;
	unsigned denied;
};

static const struct vis_case vis_cases[] = {
	{ "all visible", NULL, NULL, false, false, OWNER_NONE, false, false, 0 },
	{ "fd unreadable", NULL, NULL, true, false, OWNER_DENIED, false, false, 1 },
	{ "deadline", NULL, NULL, false, true, OWNER_DENIED, false, true, 0 },
	{ "hidepid=invisible", "rw,hidepid=invisible", "0000000000000000", false, false, OWNER_DENIED, true, false, 0 },
	{ "hidepid=2,gid", "rw,gid=5,hidepid=2", "0000000000000000", false, false, OWNER_DENIED, true, false, 0 },
	{ "hidepid=ptraceable", "rw,hidepid=ptraceable", "0000000000000000", false, false, OWNER_DENIED, true, false, 0 },
	{ "hidepid=2 with ptrace", "rw,hidepid=2", "000001ffffffffff", false, false, OWNER_NONE, false, false, 0 },
	{ "hidepid=0", "rw,hidepid=0", "0000000000000000", false, false, OWNER_NONE, false, false, 0 },
	{ "hidepid=1", "rw,hidepid=noaccess", "0000000000000000", false, false, OWNER_NONE, false, false, 0 },
	{ "nohidepid=2", "rw,nohidepid=2", "0000000000000000", false, false, OWNER_NONE, false, false, 0 },
};

static void put_self(const char *root, const struct vis_case *c)
{
	char self[PATH_MAX], line[2 * PATH_MAX];

	fx_put_dir(self, sizeof(self), root, "self");
	snprintf(line, sizeof(line), "21 26 0:20 / /tmp rw - tmpfs tmpfs rw,hidepid=2\n"
		"22 26 0:21 / %s rw,relatime - proc proc rw,hidepid=2\n"
		"23 26 0:22 / %s rw,relatime - proc proc %s\n", root, root, c->mount_opts);
	fx_put_file(self, "mountinfo", line);
	snprintf(line, sizeof(line), "Name:\tx\nCapPrm:\t000001ffffffffff\nCapEff:\t%s\n", c->capeff);
	fx_put_file(self, "status", line);
}

static void test_scan_visibility(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vis_cases) / sizeof(vis_cases[0]); i++) {
		const struct vis_case *c = &vis_cases[i];
		static const uint32_t inodes[] = { 3003 };
		char *root = make_tmp(), dir[PATH_MAX];
		struct inventory *inv = inv_make(1, inodes, NULL);
		struct owners_env env = { root, NULL, { 0, c->past_deadline ? 1 : 0 } };
		struct owners_stats st;

		tree_build(root, main_tree, 4);
		if (c->mount_opts)
			put_self(root, c);
		if (c->fd_is_file) {
			fx_put_dir(dir, sizeof(dir), root, "7");
			fx_put_file(dir, "fd", "");
		}
		assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
		if (listener_owner(inv, &inv->ls[0])->state != c->want || st.hidden_procs != c->hidden ||
				st.out_of_time != c->oot || st.procs_denied != c->denied)
			fail_msg("%s: state %d hidden %d oot %d denied %u", c->what, listener_owner(inv, &inv->ls[0])->state,
				st.hidden_procs, st.out_of_time, st.procs_denied);
		inv_drop(inv);
		rm_tree(root);
	}
}

/* privileged needs both CAP_DAC_READ_SEARCH (bit 2) and CAP_SYS_PTRACE (19). */
struct priv_case {
	const char *capeff;     /* NULL: no self/status */
	bool privileged;
};

static const struct priv_case priv_cases[] = {
	{ "000001ffffffffff", true },
	{ "0000000000080004", true },
	{ "0000000000080000", false },
	{ "0000000000000004", false },
	{ "000001fffff7fffb", false },  /* everything else */
	{ "0000000000000000", false },
	{ "00000000000800zz", false },
	{ NULL, false },
};

static void test_scan_privileged(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(priv_cases) / sizeof(priv_cases[0]); i++) {
		static const uint32_t inodes[] = { 3003 };
		char *root = make_tmp(), self[PATH_MAX], status[128];
		struct inventory *inv = inv_make(1, inodes, NULL);
		struct owners_env env = { root, NULL, { 0, 0 } };
		struct owners_stats st;

		tree_build(root, main_tree, 4);
		fx_put_dir(self, sizeof(self), root, "self");
		if (priv_cases[i].capeff) {
			snprintf(status, sizeof(status), "Name:\tx\nCapEff:\t%s\nCapBnd:\t000001ffffffffff\n",
				priv_cases[i].capeff);
			fx_put_file(self, "status", status);
		}
		assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
		if (st.privileged != priv_cases[i].privileged)
			fail_msg("CapEff %s: privileged %d", priv_cases[i].capeff ? priv_cases[i].capeff : "(none)",
				st.privileged);
		assert_int_equal(st.denied_pid, 0);
		assert_string_equal(st.denied_comm, "");
		inv_drop(inv);
		rm_tree(root);
	}
}

/* Processes whose fds cannot be read: the first one the walk meets (the
 * highest pid) is named, with its comm when its directory can be read. */
struct denied_proc {
	const char *pid;
	const char *comm;       /* NULL: no comm file */
	bool dir_is_file;       /* /proc/PID itself unreadable, not just its fd */
};

struct denied_case {
	struct denied_proc p[3];
	pid_t pid;
	const char *comm;
	unsigned denied;
};

static const struct denied_case denied_cases[] = {
	{ { { "7", "process_api\n", false } }, 7, "process_api", 1 },
	{ { { "7", "blocked\n", false }, { "9", "first\n", false }, { "8", NULL, false } }, 9, "first", 3 },
	{ { { "7", "blocked\n", false }, { "8", NULL, true } }, 8, "", 2 },
	{ { { "7", NULL, false } }, 7, "", 1 },
	{ { { "7", "0123456789abcdefXYZ\n", false } }, 7, "0123456789abcde", 1 },
	{ { { NULL, NULL, false } }, 0, "", 0 },
};

static void put_denied(const char *root, const struct denied_proc *p)
{
	char dir[PATH_MAX];

	if (p->dir_is_file) {
		fx_put_file(root, p->pid, "");
		return;
	}
	fx_put_dir(dir, sizeof(dir), root, p->pid);
	fx_put_file(dir, "fd", "");        /* not a directory: cannot be listed */
	if (p->comm)
		fx_put_file(dir, "comm", p->comm);
}

static void test_scan_denied_pid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(denied_cases) / sizeof(denied_cases[0]); i++) {
		const struct denied_case *c = &denied_cases[i];
		static const uint32_t inodes[] = { 3003 };
		char *root = make_tmp();
		struct inventory *inv = inv_make(1, inodes, NULL);
		struct owners_env env = { root, NULL, { 0, 0 } };
		struct owners_stats st;

		tree_build(root, main_tree, 4);
		for (size_t k = 0; k < 3 && c->p[k].pid; k++)
			put_denied(root, &c->p[k]);
		assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
		if (st.denied_pid != c->pid || strcmp(st.denied_comm, c->comm) != 0 || st.procs_denied != c->denied)
			fail_msg("case %zu: pid %d comm \"%s\" denied %u", i, (int)st.denied_pid, st.denied_comm,
				st.procs_denied);
		assert_int_equal(listener_owner(inv, &inv->ls[0])->state, c->denied ? OWNER_DENIED : OWNER_NONE);
		inv_drop(inv);
		rm_tree(root);
	}
}

static void test_scan_nothing_wanted(void **state)
{
	static const uint32_t inodes[] = { 1001 };
	struct inventory *inv = inv_make(1, inodes, NULL);
	struct owners_env env = { "/nonexistent", NULL, { 0, 0 } };
	struct owners_stats st;

	(void)state;
	assert_int_equal(owners_scan(inv, (uint8_t[]){ NEED_NONE }, &env, &st), 0);
	assert_int_equal(listener_owner(inv, &inv->ls[0])->state, OWNER_UNRESOLVED);
	assert_int_equal(st.wanted, 0);
	assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
	assert_int_equal(listener_owner(inv, &inv->ls[0])->state, OWNER_DENIED);     /* no /proc at all */
	inv_drop(inv);
}

/* Pid reuse: /proc/PID/stat is a FIFO fed by a thread that gives a different
 * starttime on its second open, as a reused pid would. The thread waits for
 * the reader to close (inotify) before it opens the FIFO again, so the two
 * lines can never arrive in one read. */
struct feeder {
	char path[PATH_MAX];
	const char *lines[2];
	int fed;
};

static int open_writer(const char *path)
{
	struct timespec ms = { 0, 1000000 };
	int w = -1;

	for (int tries = 0; w < 0 && tries < 2000; tries++) {
		w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (w < 0)
			nanosleep(&ms, NULL);   /* ENXIO: no reader yet */
	}
	return w;
}

static void *feed(void *arg)
{
	struct feeder *fd = arg;
	int in = inotify_init1(IN_CLOEXEC);

	if (in < 0 || inotify_add_watch(in, fd->path, IN_CLOSE_NOWRITE) < 0)
		return NULL;
	for (int i = 0; i < 2; i++) {
		struct pollfd pfd = { in, POLLIN, 0 };
		char ev[256];
		int w = open_writer(fd->path);

		if (w < 0)
			break;
		if (write(w, fd->lines[i], strlen(fd->lines[i])) > 0)
			fd->fed++;
		close(w);
		if (i == 0 && (poll(&pfd, 1, 2000) != 1 || read(in, ev, sizeof(ev)) <= 0))
			break;
	}
	close(in);
	return NULL;
}

static void test_scan_pid_reused(void **state)
{
	static const uint32_t inodes[] = { 1001 };
	char *root = make_tmp();
	struct inventory *inv = inv_make(1, inodes, NULL);
	struct owners_env env = { root, NULL, { 0, 0 } };
	struct feeder fd = { .lines = { STAT_LINE("old"), "100 (new) S 1 1 1 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 99999 1 1\n" } };
	struct owners_stats st;
	pthread_t t;

	(void)state;
	put_proc(root, &(struct fake_proc){ "4242", "new\n", "/x", NULL, "0::/\n", { "socket:[1001]" } });
	snprintf(fd.path, sizeof(fd.path), "%s/4242/stat", root);
	assert_int_equal(mkfifo(fd.path, 0600), 0);
	assert_int_equal(pthread_create(&t, NULL, feed, &fd), 0);
	assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(fd.fed, 2);
	assert_int_equal(listener_owner(inv, &inv->ls[0])->state, OWNER_NONE);
	assert_int_equal(st.found, 0);
	inv_drop(inv);
	rm_tree(root);
}

/* ---- owners_resolve_cheap ------------------------------------------------- */

static uint64_t dir_ino(const char *root, const char *rel)
{
	char path[PATH_MAX];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(stat(path, &sb), 0);
	return (uint64_t)sb.st_ino;
}

static void test_resolve_cheap(void **state)
{
	static const char *const dirs[] = { "/system.slice", "/system.slice/nginx.service",
		"/system.slice/docker-" ID64 ".scope", "/user.slice" };
	static const uint32_t inodes[] = { 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t want[] = { NEED_ANY, NEED_ANY, NEED_ANY, NEED_ANY, NEED_ANY, NEED_NONE,
		NEED_ANY };
	char *root = make_tmp(), path[PATH_MAX];
	struct inventory *inv = inv_make(7, inodes, NULL);
	struct owners_env env = { "/proc", root, { 0, 0 } };

	(void)state;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", root, dirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	fx_put_file(root, "cgroup.procs", "");
	inv->ls[0].s->cgroup_id = dir_ino(root, dirs[1]);
	inv->ls[1].s->cgroup_id = dir_ino(root, dirs[2]);
	inv->ls[2].s->cgroup_id = dir_ino(root, "");            /* root: no unit */
	inv->ls[3].s->cgroup_id = 0;                             /* kernel sent none */
	inv->ls[4].s->cgroup_id = dir_ino(root, "/cgroup.procs");/* a file, not a cgroup */
	inv->ls[5].s->cgroup_id = dir_ino(root, dirs[1]);        /* not wanted */
	inv->ls[6].s->cgroup_id = dir_ino(root, dirs[3]);        /* a slice: no unit */
	inv->ls[0].s->uid = 0;
	inv->ls[1].s->uid = 4000000000u;
	inv->ls[5].s->uid = 1;

	assert_int_equal(owners_resolve_cheap(inv, want, true, &env), 0);
	assert_string_equal(listener_owner(inv, &inv->ls[0])->units[0], as_root("nginx.service",
			"system.slice/nginx.service"));
	assert_string_equal(listener_owner(inv, &inv->ls[1])->units[0], as_root("docker:" ID12,
			"system.slice/docker-" ID64 ".scope"));
	for (size_t i = 0; i < 7; i++) {
		bool checked = i <= 2 || i == 6;

		if (listener_owner(inv, &inv->ls[i])->unit_checked != checked)
			fail_msg("listener %zu: unit_checked %d", i, listener_owner(inv, &inv->ls[i])->unit_checked);
		if (i >= 2)
			assert_int_equal(listener_owner(inv, &inv->ls[i])->nunits, 0);
	}
	assert_string_equal(inv_user(inv, inv->ls[0].s->uid), "root");
	assert_string_equal(inv_user(inv, inv->ls[1].s->uid), "4000000000");
	assert_non_null(inv_user(inv, 1));                      /* users for all, wanted or not */
	assert_int_equal(inv->nusers, 3);
	assert_null(inv_user(inv, 2));
	inv_drop(inv);
	rm_tree(root);
}

/* Without all_users, only the wanted listeners' uids are looked up (an NSS
 * lookup is the dearest step of a small check); a second call adds the rest
 * and looks up nothing twice. */
static void test_resolve_users_wanted(void **state)
{
	static const uint32_t inodes[] = { 1, 2, 3, 4 };
	static const uint32_t uids[] = { 0, 1, 2, 0 };
	static const uint8_t want[] = { NEED_ANY, NEED_NONE, NEED_ANY, NEED_NONE };
	struct inventory *inv = inv_make(4, inodes, NULL);
	struct owners_env env = { "/proc", "/nonexistent", { 0, 0 } };

	(void)state;
	for (size_t i = 0; i < 4; i++)
		inv->ls[i].s->uid = uids[i];
	assert_int_equal(owners_resolve_cheap(inv, want, false, &env), 0);
	assert_int_equal(inv->nusers, 2);
	assert_string_equal(inv_user(inv, 0), "root");
	assert_non_null(inv_user(inv, 2));
	assert_null(inv_user(inv, 1));
	assert_int_equal(owners_resolve_cheap(inv, want, true, &env), 0);
	assert_int_equal(inv->nusers, 3);
	assert_non_null(inv_user(inv, 1));
	inv_drop(inv);
}

/* cgroups_map_ids stops when all are found and never matches id 0. */
static void test_map_ids(void **state)
{
	char *root = make_tmp(), path[PATH_MAX];
	uint64_t ids[3];
	char *paths[3] = { NULL, NULL, NULL };

	(void)state;
	snprintf(path, sizeof(path), "%s/a", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/a/b.service", root);
	assert_int_equal(mkdir(path, 0755), 0);
	ids[0] = dir_ino(root, "/a/b.service");
	ids[1] = 0;
	ids[2] = dir_ino(root, "/a/b.service");
	assert_int_equal(cgroups_map_ids(root, ids, 3, paths, NULL), 0);
	assert_string_equal(paths[0], "/a/b.service");
	assert_null(paths[1]);
	assert_string_equal(paths[2], "/a/b.service");
	for (int i = 0; i < 3; i++)
		free(paths[i]);
	assert_int_equal(cgroups_map_ids("/nonexistent", ids, 1, (char *[]){ NULL }, NULL), 0);
	rm_tree(root);
}

/* ---- live --------------------------------------------------------------- */

static void test_live_scan(void **state)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct owners_env env = { "/proc", NULL, { 0, 0 } };
	char comm[64] = "", exe[PATH_MAX] = "";
	struct owners_stats st;
	struct inventory *inv;
	struct stat sb;
	uint32_t ino;
	FILE *f;
	ssize_t n;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	ino = (uint32_t)sb.st_ino;
	inv = inv_make(1, &ino, NULL);
	f = fopen("/proc/self/comm", "r");
	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';

	assert_int_equal(owners_scan(inv, NULL, &env, &st), 0);
	assert_int_equal(listener_owner(inv, &inv->ls[0])->state, OWNER_PROCESS);
	assert_int_equal(shown(inv, 0)->pid, getpid());
	assert_string_equal(shown(inv, 0)->comm, comm);
	assert_string_equal(shown(inv, 0)->exe, exe);
	assert_true(listener_owner(inv, &inv->ls[0])->unit_checked);     /* from /proc/self/cgroup */
	assert_int_equal(st.found, 1);
	inv_drop(inv);
	close(fd);
}

/* Without CAP_SYS_PTRACE in the permitted set, root's processes' fd links
 * are EACCES (readlink does the ptrace check): the parent's socket cannot be
 * attributed and "not found" must be DENIED, never NONE. Runs in a child
 * that drops the capability. */
static int scan_without_ptrace(uint32_t ino)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	struct owners_env env = { "/proc", NULL, { 0, 0 } };
	struct owners_stats st;
	struct inventory *inv;
	int ok;

	if (syscall(SYS_capget, &hdr, data) != 0)
		return 2;
	data[0].effective &= ~(1u << CAP_SYS_PTRACE);
	data[0].permitted &= ~(1u << CAP_SYS_PTRACE);
	if (syscall(SYS_capset, &hdr, data) != 0)
		return 2;
	inv = inv_make(1, &ino, NULL);
	ok = owners_scan(inv, NULL, &env, &st) == 0 && listener_owner(inv, &inv->ls[0])->state == OWNER_DENIED &&
		st.procs_denied > 0 && st.denied_pid > 0 && !st.privileged;
	inv_drop(inv);
	return ok ? 0 : 1;
}

static void test_live_no_ptrace(void **state)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), status;
	struct stat sb;
	pid_t child;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(fd);      /* the parent's copy is the one to find */
		_exit(scan_without_ptrace((uint32_t)sb.st_ino));
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	close(fd);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 2)
		skip();         /* no capset here (e.g. a restricted container) */
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The cgroup2 mount found on this host, and our own cgroup id resolved. */
static void test_live_cgroup(void **state)
{
	const char *root = cgroups_find_root();
	struct owners_env env = { "/proc", NULL, { 0, 0 } };
	static const uint32_t ino = 1;
	struct inventory *inv;
	char *cg = NULL, path[PATH_MAX];
	struct statfs sf;
	int pfd;

	(void)state;
	if (!root)
		skip();
	assert_int_equal(statfs(root, &sf), 0);
	assert_true(sf.f_type == 0x63677270);
	pfd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	assert_true(pfd >= 0);
	assert_int_equal(cgroups_read_proc(pfd, &cg), 0);
	close(pfd);
	assert_non_null(cg);
	inv = inv_make(1, &ino, NULL);
	snprintf(path, sizeof(path), "%s", cg);
	inv->ls[0].s->cgroup_id = dir_ino(root, strcmp(cg, "/") ? path : "");
	assert_int_equal(owners_resolve_cheap(inv, NULL, false, &env), 0);
	assert_true(listener_owner(inv, &inv->ls[0])->unit_checked);
	free(cg);
	inv_drop(inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_fake),
		cmocka_unit_test(test_scan_early_stop),
		cmocka_unit_test(test_scan_threads),
		cmocka_unit_test(test_scan_deadline_in_fds),
		cmocka_unit_test(test_scan_inode_set),
		cmocka_unit_test(test_scan_visibility),
		cmocka_unit_test(test_scan_privileged),
		cmocka_unit_test(test_scan_denied_pid),
		cmocka_unit_test(test_scan_nothing_wanted),
		cmocka_unit_test(test_scan_pid_reused),
		cmocka_unit_test(test_resolve_cheap),
		cmocka_unit_test(test_resolve_users_wanted),
		cmocka_unit_test(test_map_ids),
		cmocka_unit_test(test_live_scan),
		cmocka_unit_test(test_live_no_ptrace),
		cmocka_unit_test(test_live_cgroup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
