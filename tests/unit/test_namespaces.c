/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for namespaces: enumeration, de-duplication, labels, mountinfo
 * parsing and skipping, all through ns_collect() on a fake proc tree whose
 * ns/net links point at real namespaces.
 *
 * The binary first moves into a user and network namespace of its own, which
 * needs no privilege: there it may create network namespaces (forked children
 * that unshare and listen), enter them and come back, and the namespace it
 * came from is one it may not enter (the privilege test). Where the kernel
 * refuses user namespaces, the tests that need them are skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroups.h"

#include "inventory.h"
#include "namespaces.h"

#define MAX_KIDS 12
#define OWN_PORT 41000

static bool have_userns;        /* main() entered a user + network namespace */
static int orig_netns_fd = -1;  /* the namespace main() left: not enterable */

struct kid {
	pid_t pid;
	uint16_t port;
	char ns[64];            /* "/proc/PID/ns/net" */
};

struct fx {
	char dir[64];           /* the fake root */
	char proc[96];          /* dir + "/proc" */
	struct kid kids[MAX_KIDS];
	size_t nkids;
	int own_listener;
	struct inventory inv;
	struct ns_stats st;
	char err[256];
	const void *arg;        /* the case of a prestate test, else NULL */
};

/* ---- the fake tree ----------------------------------------------------- */

static void mkdirs(const struct fx *f, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	for (char *p = path + strlen(f->dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
}

static void tree_file(const struct fx *f, const char *rel, const char *text)
{
	char path[512];
	FILE *fp;

	mkdirs(f, rel);
	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void tree_link(const struct fx *f, const char *rel, const char *target)
{
	char path[512];

	mkdirs(f, rel);
	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* A cgroup directory below the fake system root, where the plugin looks for
 * the cgroup2 mount: the owners of its directories decide the labels. */
static void cg_dirs(const struct fx *f, const char *cgpath)
{
	const char *mnt = cgroups_find_root();
	char rel[512];

	if (!mnt)
		skip();
	snprintf(rel, sizeof(rel), "%s/%s/.", mnt + 1, cgpath);
	mkdirs(f, rel);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* ---- namespaces to find ------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		_exit(2);
	close(fd);
}

static int listen_tcp(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0
			|| bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0)
		return -1;
	return fd;
}

/* Starts a process in a new network namespace with a TCP listener on port and,
 * when range is set, its own ip_local_port_range. */
static struct kid *kid_start(struct fx *f, uint16_t port, const char *range)
{
	struct kid *k = &f->kids[f->nkids];
	int p[2];
	char c;

	assert_true(f->nkids < MAX_KIDS);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	k->pid = fork();
	assert_true(k->pid >= 0);
	if (k->pid == 0) {
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		if (range)
			write_file("/proc/sys/net/ipv4/ip_local_port_range", range);
		if (listen_tcp(port) < 0 || write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	k->port = port;
	snprintf(k->ns, sizeof(k->ns), "/proc/%d/ns/net", (int)k->pid);
	f->nkids++;
	return k;
}

static unsigned long long ns_ino(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return (unsigned long long)sb.st_ino;
}

/* ---- fixture ----------------------------------------------------------- */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->arg = *state;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_namespaces.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->proc, sizeof(f->proc), "%s/proc", f->dir);
	/* Resolved by whoever reads it: the test process, the own namespace. */
	tree_link(f, "proc/self/ns/net", "/proc/self/ns/net");
	tree_link(f, "proc/sys", "/proc/sys");
	tree_file(f, "proc/self/mountinfo", "");
	f->own_listener = listen_tcp(OWN_PORT);
	assert_true(f->own_listener >= 0);
	inv_init(&f->inv);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	for (size_t i = 0; i < f->nkids; i++) {
		kill(f->kids[i].pid, SIGKILL);
		waitpid(f->kids[i].pid, NULL, 0);
	}
	close(f->own_listener);
	inv_free(&f->inv);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void collect_ok(struct fx *f, bool all)
{
	int rc = ns_collect(&f->inv, all, f->proc, 2000, &f->st, f->err, sizeof(f->err));

	if (rc != 0)
		fail_msg("ns_collect: %d %s", rc, f->err);
}

static int ns_index(const struct inventory *inv, const char *label)
{
	for (size_t i = 0; i < inv->nns; i++)
		if (strcmp(inv->ns[i].label, label) == 0)
			return (int)i;
	return -1;
}

/* How many TCP sockets on port the namespace ns holds (ns -1: any). */
static unsigned on_port(const struct inventory *inv, int ns, uint16_t port)
{
	unsigned n = 0;

	for (size_t i = 0; i < inv->nsocks; i++)
		n += inv->socks[i].port == port && inv->socks[i].proto == PROTO_TCP
			&& (ns < 0 || inv->socks[i].netns == (uint32_t)ns);
	return n;
}

/* ---- tests ------------------------------------------------------------- */

/* Without all, only the own namespace, whatever the tree holds. */
static void test_own_only(void **state)
{
	struct fx *f = *state;

	tree_link(f, "run/netns/other", "/proc/1/ns/net");
	collect_ok(f, false);
	assert_int_equal(f->inv.nns, 1);
	assert_string_equal(f->inv.ns[0].label, "host");
	assert_int_equal(on_port(&f->inv, 0, OWN_PORT), 1);
	assert_int_equal(f->st.found, 0);
	assert_int_equal(f->st.skipped, 0);
}

/* References to the own namespace, stale files, dead processes, other
 * namespace types and malformed mountinfo lines find nothing. */
static void test_nothing_else(void **state)
{
	struct fx *f = *state;

	tree_link(f, "proc/1/ns/net", "/proc/self/ns/net");
	tree_link(f, "proc/2/ns/net", "/proc/self/ns/net");
	tree_file(f, "proc/3/comm", "noNS\n");
	tree_link(f, "proc/4/ns/net", "/proc/999999999/ns/net");
	tree_link(f, "proc/0012/ns/net", "/proc/1/ns/net");     /* not a pid name */
	tree_link(f, "proc/12x/ns/net", "/proc/1/ns/net");
	tree_link(f, "run/netns/mine", "/proc/self/ns/net");
	tree_file(f, "run/netns/stale", "");
	tree_link(f, "run/netns/gone", "/nonexistent");
	tree_link(f, "run/netns/uts", "/proc/self/ns/uts");
	tree_link(f, "var/run/docker/netns/mine", "/proc/self/ns/net");
	tree_link(f, "mnt/uts", "/proc/self/ns/uts");
	tree_link(f, "mnt/ipc", "/proc/self/ns/ipc");
	tree_file(f, "proc/self/mountinfo",
			"22 1 0:4 uts:[4026531838] /mnt/uts rw - nsfs nsfs rw\n"
			"23 1 0:4 net:[4026531840] /mnt/ipc rw - tmpfs tmpfs rw\n"
			"24 1 0:4 net:[4026531840] /mnt/ipc rw shared:2\n"
			"25 1 0:4\n"
			"\n");
	collect_ok(f, true);
	assert_int_equal(f->inv.nns, 1);
	assert_int_equal(f->st.found, 0);
	assert_int_equal(f->st.checked, 0);
	assert_int_equal(f->st.skipped, 0);
	assert_string_equal(f->st.skipped_reason, "");
	assert_int_equal(on_port(&f->inv, -1, OWN_PORT), 1);
}

#define DOCKER_A "0::/system.slice/docker-0123456789ab" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123.scope\n"
#define DOCKER_B "0::/system.slice/docker-fedcba987654" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123.scope\n"

/* Every source, the label rules and their precedence, clashes, sorting,
 * one entry per namespace and the dump done inside each. */
static void test_sources_and_labels(void **state)
{
	struct fx *f = *state;
	struct kid *a, *b, *c, *d, *e, *x, *g, *h;
	char want[7][64];
	int ib, ix;

	if (!have_userns)
		skip();
	a = kid_start(f, 41001, "40000 40100");
	b = kid_start(f, 41002, NULL);
	c = kid_start(f, 41003, NULL);
	d = kid_start(f, 41004, NULL);
	e = kid_start(f, 41005, NULL);
	x = kid_start(f, 41006, NULL);
	g = kid_start(f, 41007, NULL);
	h = kid_start(f, 41008, NULL);
	/* a: two ip netns names and a process: the smallest name wins. */
	tree_link(f, "run/netns/zeta", a->ns);
	tree_link(f, "run/netns/alpha", a->ns);
	tree_link(f, "proc/300/ns/net", a->ns);
	tree_file(f, "proc/300/comm", "x\n");
	/* b: the lowest pid's container. */
	tree_link(f, "proc/200/ns/net", b->ns);
	tree_file(f, "proc/200/cgroup", DOCKER_B);
	cg_dirs(f, "system.slice/docker-fedcba9876540123456789abcdef0123456789abcdef0123456789abcdef0123.scope");
	cg_dirs(f, "system.slice/docker-0123456789ab0123456789abcdef0123456789abcdef0123456789abcdef0123.scope");
	tree_link(f, "proc/150/ns/net", b->ns);
	tree_file(f, "proc/150/cgroup", DOCKER_A);
	/* c: a session is no label: the process, its comm made printable. */
	tree_link(f, "proc/120/ns/net", c->ns);
	tree_file(f, "proc/120/cgroup", "1:name=systemd:/\n0::/user.slice/user-0.slice/session-1.scope\n");
	tree_file(f, "proc/120/comm", "we\001ird\n");
	/* d: only an nsfs mount, at a path with a space in it. */
	tree_link(f, "run/user/1000/netns/netns one", d->ns);
	/* e: only a Docker sandbox file. */
	tree_link(f, "var/run/docker/netns/abc", e->ns);
	/* x: the same container id as b. */
	tree_link(f, "proc/400/ns/net", x->ns);
	tree_file(f, "proc/400/cgroup", DOCKER_A);
	/* g: an ip netns called "host". */
	tree_link(f, "run/netns/host", g->ns);
	/* h: only behind malformed mountinfo lines: never found. */
	tree_link(f, "run/h1", h->ns);
	tree_link(f, "run/h2", h->ns);
	tree_link(f, "proc/1/ns/net", "/proc/self/ns/net");
	tree_file(f, "proc/self/mountinfo",
			"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
			"42 1 0:4 net:[1] /run/user/1000/netns/netns\\040one rw shared:2 master:3 - nsfs nsfs rw\n"
			"43 1 0:4 net:[2] /run/netns/alpha rw - nsfs nsfs rw\n"
			"44 1 0:4 net:[3] /run/h1 rw shared:2\n"
			"45 1 0:4 net:[3] /run/h2 rw - tmpfs tmpfs rw\n");
	collect_ok(f, true);

	assert_int_equal(f->st.found, 7);
	assert_int_equal(f->st.checked, 7);
	assert_int_equal(f->st.skipped, 0);
	assert_int_equal(f->inv.nns, 8);
	assert_string_equal(f->inv.ns[0].label, "host");
	snprintf(want[0], 64, "alpha");
	snprintf(want[1], 64, "docker:0123456789ab");
	snprintf(want[2], 64, "docker:0123456789ab#2");
	snprintf(want[3], 64, "host#2");
	snprintf(want[4], 64, "net:[%llu]", ns_ino(d->ns));
	snprintf(want[5], 64, "net:[%llu]", ns_ino(e->ns));
	snprintf(want[6], 64, "pid 120 (we?ird)");
	for (int i = 0; i < 7; i++)
		if (ns_index(&f->inv, want[i]) < 1)
			fail_msg("no namespace labelled %s", want[i]);
	for (size_t i = 2; i < f->inv.nns; i++)
		assert_true(strcmp(f->inv.ns[i - 1].label, f->inv.ns[i].label) < 0);

	/* Each listener once, in the namespace with the right label. */
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, "alpha"), a->port), 1);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, "pid 120 (we?ird)"), c->port), 1);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, want[4]), d->port), 1);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, want[5]), e->port), 1);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, "host#2"), g->port), 1);
	ib = ns_index(&f->inv, "docker:0123456789ab");
	ix = ns_index(&f->inv, "docker:0123456789ab#2");
	assert_int_equal(on_port(&f->inv, ib, b->port) + on_port(&f->inv, ix, b->port), 1);
	assert_int_equal(on_port(&f->inv, ib, x->port) + on_port(&f->inv, ix, x->port), 1);
	assert_int_equal(on_port(&f->inv, -1, h->port), 0);
	assert_int_equal(on_port(&f->inv, -1, OWN_PORT), 1);
	assert_int_equal(on_port(&f->inv, 0, OWN_PORT), 1);

	/* The port settings were read inside the namespace. */
	assert_int_equal(f->inv.ns[ns_index(&f->inv, "alpha")].eph_lo, 40000);
	assert_int_equal(f->inv.ns[ns_index(&f->inv, "alpha")].eph_hi, 40100);
}

/* Review3 F3: the network namespace is per thread. A namespace only a
 * thread of a process is in is found through /proc/PID/task/TID/ns/net and
 * labelled by the process; a task directory of one thread is not read. */
static void test_thread_namespace(void **state)
{
	static const struct {
		const char *pid;
		const char *threads[2];         /* task/TID/ns/net -> the kid's namespace */
		bool found;
	} cases[] = {
		{ "500", { "500", "501" }, true },      /* a second thread in it */
		{ "600", { "600", NULL }, false },      /* one thread: the leader's namespace */
	};
	struct fx *f = *state;
	struct kid *k[2];
	char rel[64], label[64];
	unsigned want = 0;

	if (!have_userns)
		skip();
	for (size_t c = 0; c < 2; c++) {
		k[c] = kid_start(f, (uint16_t)(41020 + c), NULL);
		snprintf(rel, sizeof(rel), "proc/%s/ns/net", cases[c].pid);
		tree_link(f, rel, "/proc/self/ns/net");
		snprintf(rel, sizeof(rel), "proc/%s/comm", cases[c].pid);
		tree_file(f, rel, "srv\n");
		for (int t = 0; t < 2 && cases[c].threads[t]; t++) {
			snprintf(rel, sizeof(rel), "proc/%s/task/%s/ns/net", cases[c].pid, cases[c].threads[t]);
			tree_link(f, rel, t == 0 ? "/proc/self/ns/net" : k[c]->ns);
		}
		want += cases[c].found;
	}
	collect_ok(f, true);
	assert_int_equal(f->st.found, want);
	assert_int_equal(f->st.skipped, 0);
	for (size_t c = 0; c < 2; c++) {
		snprintf(label, sizeof(label), "pid %s (srv)", cases[c].pid);
		if ((ns_index(&f->inv, label) >= 1) != cases[c].found ||
		    on_port(&f->inv, -1, k[c]->port) != (cases[c].found ? 1u : 0u))
			fail_msg("pid %s: namespace %s", cases[c].pid, cases[c].found ? "missed" : "found");
	}
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, "pid 500 (srv)"), k[0]->port), 1);
}

/* ---- review3 F4: a namespace whose enumerated pid exits -------------------- */

/* The servant: the parent of N's only process, which hands N's listener to
 * the test, then serves the fake ip_local_port_range FIFO: at the read
 * numbered kill_at (1: the host's, 2: the first namespace visited) it first
 * kills and reaps N's process. So -n has stat()ed /proc/PID/ns/net of a pid
 * that no longer exists when it opens it: no timing involved. */
static void servant(const char *fifo, int kill_at, int sock_to_test, int pid_to_test)
{
	int p[2], lfd = -1;
	char c;
	pid_t kid;

	if (pipe2(p, O_CLOEXEC) < 0)
		_exit(1);
	kid = fork();
	if (kid == 0) {
		struct msghdr m = { 0 };
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { "x", 1 };
		struct cmsghdr *cm;

		if (unshare(CLONE_NEWNET) < 0 || (lfd = listen_tcp(41040)) < 0)
			_exit(1);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &lfd, sizeof(int));
		if (sendmsg(sock_to_test, &m, 0) != 1 || write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (kid < 0 || read(p[0], &c, 1) != 1 || write(pid_to_test, &kid, sizeof(kid)) != sizeof(kid))
		_exit(1);
	for (int n = 1;; n++) {
		int fd = open(fifo, O_WRONLY | O_CLOEXEC);

		if (fd < 0)
			_exit(1);
		if (n == kill_at) {
			kill(kid, SIGKILL);
			waitpid(kid, NULL, 0);
		}
		if (write(fd, "32768 60999\n", 12) != 12)
			_exit(1);
		close(fd);
		/* the next open must meet the next read, not this one's reader */
		while ((fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
			close(fd);
			usleep(1000);
		}
	}
}

/* N (label "pid P (zzz)") is found by its only process P, which exits after
 * netns_find() stat()ed it and before N is entered (the servant kills it
 * while the plugin reads the first namespace's port range). N lives on: the
 * test holds its listener, as the attacker of F4 does. Before the fix N was
 * dropped as vanished, and the socket search found its listener but skipped
 * N as already in the set: -n said "OK - 0 listeners". */
static void test_pid_gone_socket_keeps(void **state)
{
	struct fx *f = *state;
	char fifo[160], rel[160], target[64];
	int sv[2], pp[2], lfd = -1;
	char cbuf[CMSG_SPACE(sizeof(int))], x;
	struct iovec iov = { &x, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
		.msg_controllen = sizeof(cbuf) };
	struct kid *a, *sv_kid;
	pid_t p;

	if (!have_userns)
		skip();
	/* the port range is read from a FIFO that the servant feeds */
	snprintf(rel, sizeof(rel), "%s/proc/sys", f->dir);
	assert_int_equal(unlink(rel), 0);
	mkdirs(f, "proc/sys/net/ipv4/.");
	snprintf(fifo, sizeof(fifo), "%s/proc/sys/net/ipv4/ip_local_port_range", f->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(pipe2(pp, O_CLOEXEC), 0);
	a = kid_start(f, 41041, NULL);          /* "a": visited first */
	sv_kid = &f->kids[f->nkids];
	sv_kid->pid = fork();
	assert_true(sv_kid->pid >= 0);
	if (sv_kid->pid == 0)
		servant(fifo, 2, sv[1], pp[1]);
	f->nkids++;
	assert_int_equal(read(pp[0], &p, sizeof(p)), sizeof(p));
	assert_int_equal(recvmsg(sv[0], &m, 0), 1);
	memcpy(&lfd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	close(sv[0]);
	close(sv[1]);
	close(pp[0]);
	close(pp[1]);
	tree_link(f, "run/netns/a", a->ns);
	snprintf(target, sizeof(target), "/proc/%d/ns/net", (int)p);
	tree_link(f, "proc/500/ns/net", target);
	tree_file(f, "proc/500/comm", "zzz\n");
	/* the test process itself, where the socket search finds N's listener */
	snprintf(rel, sizeof(rel), "proc/%d", (int)getpid());
	snprintf(target, sizeof(target), "/proc/%d", (int)getpid());
	tree_link(f, rel, target);

	collect_ok(f, true);
	close(lfd);
	assert_int_equal(f->st.found, 2);
	assert_int_equal(f->st.checked, 2);
	assert_int_equal(f->st.skipped, 0);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, "a"), 41041), 1);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, "pid 500 (zzz)"), 41040), 1);
}

/* Names too long for a label still end up unique. */
static void test_long_names(void **state)
{
	struct fx *f = *state;
	char n1[80], n2[80], rel[128], want[64];
	struct kid *k1, *k2;
	int i1;

	if (!have_userns)
		skip();
	memset(n1, 'a', 70);
	n1[70] = '\0';
	memcpy(n2, n1, 70);
	n2[70] = 'b';
	n2[71] = '\0';
	k1 = kid_start(f, 41011, NULL);
	k2 = kid_start(f, 41012, NULL);
	snprintf(rel, sizeof(rel), "run/netns/%s", n1);
	tree_link(f, rel, k1->ns);
	snprintf(rel, sizeof(rel), "run/netns/%s", n2);
	tree_link(f, rel, k2->ns);
	collect_ok(f, true);
	assert_int_equal(f->st.checked, 2);
	assert_int_equal(f->inv.nns, 3);
	snprintf(want, sizeof(want), "%.63s", n1);
	assert_string_equal(f->inv.ns[1].label, want);
	snprintf(want, sizeof(want), "%.61s#2", n1);
	assert_string_equal(f->inv.ns[2].label, want);
	/* Equal labels are ordered by inode: the lower one keeps the plain label. */
	i1 = ns_ino(k1->ns) < ns_ino(k2->ns) ? 1 : 2;
	assert_int_equal(on_port(&f->inv, i1, k1->port), 1);
	assert_int_equal(on_port(&f->inv, 3 - i1, k2->port), 1);
}

/* A namespace we may not enter is skipped with a reason, never fatal, and
 * the others are still checked. */
static void test_no_privilege(void **state)
{
	struct fx *f = *state;
	char target[64];

	if (!have_userns || orig_netns_fd < 0)
		skip();
	snprintf(target, sizeof(target), "/proc/%d/fd/%d", (int)getpid(), orig_netns_fd);
	tree_link(f, "proc/500/ns/net", target);
	tree_link(f, "run/netns/ok", kid_start(f, 41021, NULL)->ns);
	collect_ok(f, true);
	assert_int_equal(f->st.found, 2);
	assert_int_equal(f->st.checked, 1);
	assert_int_equal(f->st.skipped, 1);
	assert_non_null(strstr(f->st.skipped_reason, "no privilege"));
	assert_int_equal(f->inv.nns, 2);
	assert_string_equal(f->inv.ns[1].label, "ok");
	assert_int_equal(on_port(&f->inv, 1, 41021), 1);
}

/* The machine's initial namespace, known by kthreadd (pid 2, a kernel thread
 * by its stat flags), is "init" whatever its lowest pid; an ip netns name
 * still wins. Pid 2 without the kernel thread flag (a /proc of another pid
 * namespace) or with an unreadable or malformed stat is an ordinary process. */
struct init_case {
	const char *what;
	const char *stat;       /* proc/2/stat; NULL: none */
	bool pid1;              /* pid 1 ("systemd") lives there too */
	const char *name;       /* an ip netns name for it; NULL: none */
	const char *want;
};

/* flags 0x208040: PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC */
#define KTHREADD_STAT "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 19\n"

static const struct init_case init_cases[] = {
	{ "kthreadd, pid 1 elsewhere", KTHREADD_STAT, false, NULL, "init" },
	{ "kthreadd and pid 1", KTHREADD_STAT, true, NULL, "init" },
	{ "a comm with \") \" in it", "2 (a) S 1) S 0 0 0 0 -1 2097152 0\n", true, NULL, "init" },
	{ "an ip netns name wins", KTHREADD_STAT, true, "named", "named" },
	{ "pid 2 not a kernel thread", "2 (sh) S 1 2 2 0 -1 4194560 0 0\n", true, NULL,
		"pid 1 (systemd)" },
	{ "pid 2 not a kernel thread, alone", "2 (kthreadd) S 1 2 2 0 -1 4194560\n", false, NULL,
		"pid 2 (kthreadd)" },
	{ "no stat", NULL, false, NULL, "pid 2 (kthreadd)" },
	{ "flags with trailing junk", "2 (kthreadd) S 0 0 0 0 -1 2129984x 0\n", false, NULL,
		"pid 2 (kthreadd)" },
	{ "flags negative", "2 (kthreadd) S 0 0 0 0 -1 -1 0\n", false, NULL, "pid 2 (kthreadd)" },
	{ "flags too large", "2 (kthreadd) S 0 0 0 0 -1 99999999999999999999999 0\n", false, NULL,
		"pid 2 (kthreadd)" },
	{ "flags missing", "2 (kthreadd) S 0 0 0 0 -1\n", false, NULL, "pid 2 (kthreadd)" },
	{ "no closing parenthesis", "2 (kthreadd S 0 0 0 0 -1 2129984 0\n", false, NULL,
		"pid 2 (kthreadd)" },
};
#define NINIT (sizeof(init_cases) / sizeof(init_cases[0]))

static void test_init_label(void **state)
{
	struct fx *f = *state;
	const struct init_case *tc = f->arg;
	char rel[128];
	struct kid *k;

	if (!have_userns)
		skip();
	k = kid_start(f, 41031, NULL);
	tree_link(f, "proc/2/ns/net", k->ns);
	tree_file(f, "proc/2/comm", "kthreadd\n");
	if (tc->stat)
		tree_file(f, "proc/2/stat", tc->stat);
	if (tc->pid1) {
		tree_link(f, "proc/1/ns/net", k->ns);
		tree_file(f, "proc/1/comm", "systemd\n");
	} else {
		tree_link(f, "proc/1/ns/net", "/proc/self/ns/net");
	}
	/* Pid 3 is a kernel thread elsewhere: only pid 2 makes "init". */
	tree_link(f, "proc/3/ns/net", kid_start(f, 41032, NULL)->ns);
	tree_file(f, "proc/3/stat", KTHREADD_STAT);
	tree_file(f, "proc/3/comm", "kworker\n");
	if (tc->name) {
		snprintf(rel, sizeof(rel), "run/netns/%s", tc->name);
		tree_link(f, rel, k->ns);
	}
	collect_ok(f, true);
	assert_int_equal(f->st.checked, 2);
	assert_int_equal(f->inv.nns, 3);
	if (ns_index(&f->inv, tc->want) < 1 || ns_index(&f->inv, "pid 3 (kworker)") < 1)
		fail_msg("%s: want %s and pid 3 (kworker), got %s and %s", tc->what, tc->want,
				f->inv.ns[1].label, f->inv.ns[2].label);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, tc->want), k->port), 1);
	assert_int_equal(on_port(&f->inv, ns_index(&f->inv, "pid 3 (kworker)"), 41032), 1);
}

/* ---- main -------------------------------------------------------------- */

static int put(const char *path, const char *text)
{
	int rc, fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	rc = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return rc;
}

/* Becomes root of a new user namespace that owns a new network namespace. */
static int enter_userns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if (put("/proc/self/setgroups", "deny") < 0 || put("/proc/self/uid_map", map) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	return put("/proc/self/gid_map", map);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test_setup_teardown(test_own_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_else, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sources_and_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_privilege, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_gone_socket_keeps, setup, teardown),
	};
	const size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest tests[sizeof(fixed) / sizeof(fixed[0]) + NINIT];

	/* One test per init case, named after it. */
	memcpy(tests, fixed, sizeof(fixed));
	for (size_t i = 0; i < NINIT; i++) {
		tests[nfixed + i] = (struct CMUnitTest)cmocka_unit_test_prestate_setup_teardown(
				test_init_label, setup, teardown, (void *)&init_cases[i]);
		tests[nfixed + i].name = init_cases[i].what;
	}

	orig_netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	have_userns = enter_userns() == 0;
	if (!have_userns)
		fprintf(stderr, "test_namespaces: no user namespace (%s): "
				"tests that create namespaces are skipped\n", strerror(errno));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
