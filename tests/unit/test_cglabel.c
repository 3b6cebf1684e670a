/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the cgroup label at the delegation boundary (cglabel.c):
 * one row per (path, owner of each component). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cglabel.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID12 "0123456789ab"
#define U1000 "/user.slice/user-1000.slice/user@1000.service"

/* ---- the label grammar on root-owned paths -------------------------------- */

struct unit_case {
	const char *path;
	int ret;
	const char *label;
};

static const struct unit_case unit_cases[] = {
	{ "/system.slice/nginx.service", 1, "nginx.service" },
	{ "/system.slice/system-getty.slice/getty@tty1.service", 1, "getty@tty1.service" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service", 1,
	  "user@1000.service/app.slice/foo.service" },       /* delegated: the boundary and below */
	{ "/user.slice/user-1000.slice/user@1000.service/init.scope", 1, "user@1000.service/init.scope" },
	{ "/init.scope", 1, "init.scope" },
	{ "/user.slice/user-1000.slice/session-3.scope", 1, "session-3.scope" },
	{ "/system.slice/run-u123.service", 1, "run-u123.service" },
	{ "/system.slice/run-r1234.scope", 1, "run-r1234.scope" },
	/* systemd creates a socket unit's IP sockets in its cgroup (review3 F5) */
	{ "/system.slice/rpcbind.socket", 1, "rpcbind.socket" },
	{ "/system.slice/system-sshd.slice/sshd@0.socket", 1, "sshd@0.socket" },
	{ "/system.slice/.socket", 0, NULL },
	{ "/system.slice/docker-" ID64 ".scope", 1, "docker:" ID12 },
	{ "/docker/" ID64, 1, "docker:" ID12 },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0c1d2e3f_4a5b_6c7d_8e9f_"
	  "0a1b2c3d4e5f.slice/cri-containerd-" ID64 ".scope", 1, "containerd:" ID12 },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podx.slice/crio-" ID64 ".scope",
	  1, "crio:" ID12 },
	{ "/machine.slice/libpod-" ID64 ".scope", 1, "podman:" ID12 },
	{ "/machine.slice/libpod-" ID64 ".scope/container", 1, "podman:" ID12 },
	{ "/libpod_parent/libpod-" ID64, 1, "podman:" ID12 },
	{ "/lxc.payload.web1", 1, "lxc:web1" },
	{ "/lxc/web1", 1, "lxc:web1" },
	{ "/lxc/web1/system.slice/nginx.service", 1, "lxc:web1" },
	/* containers win over units, the outermost container wins */
	{ "/system.slice/docker-" ID64 ".scope/system.slice/nginx.service", 1, "docker:" ID12 },
	{ "/lxc.payload.web1/system.slice/docker-" ID64 ".scope", 1, "lxc:web1" },
	/* not container ids: short, upper case, conmon; kept as plain units */
	{ "/system.slice/docker-abc.scope", 1, "docker-abc.scope" },
	{ "/system.slice/docker-0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef.scope",
	  1, "docker-0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef.scope" },
	{ "/machine.slice/libpod-conmon-" ID64 ".scope", 1, "libpod-conmon-" ID64 ".scope" },
	{ "/system.slice/docker.service", 1, "docker.service" },
	{ "//system.slice//nginx.service/", 1, "nginx.service" },
	{ "/system.slice/evil\n|\x1b[31m.service", 1, "evil\n|\x1b[31m.service" },
	{ "/", 0, NULL },
	{ "", 0, NULL },
	{ "/system.slice", 0, NULL },
	{ "/user.slice/user-1000.slice", 0, NULL },
	{ "/.service", 0, NULL },
	{ "/lxc.monitor.web1", 0, NULL },
	{ "/docker", 0, NULL },
};

/* The label of a path whose every directory root owns. */
static int root_label(const char *path, char *out, size_t outlen)
{
	struct cg_comp c[CGLABEL_MAX_DEPTH];
	int n = cglabel_split(path, c, CGLABEL_MAX_DEPTH);

	return n < 0 ? n : cglabel_derive(c, (size_t)n, out, outlen);
}

static void test_grammar(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(unit_cases) / sizeof(unit_cases[0]); i++) {
		const struct unit_case *c = &unit_cases[i];
		char out[256] = "untouched";
		int r = root_label(c->path, out, sizeof(out));

		if (r != c->ret)
			fail_msg("\"%s\": returned %d, want %d (out \"%s\")", c->path, r, c->ret, out);
		if (c->label)
			assert_string_equal(out, c->label);
	}
}

struct nospc_case {
	const char *path;
	size_t outlen;
	int ret;
};

static const struct nospc_case nospc_cases[] = {
	{ "/system.slice/nginx.service", 13, -ENOSPC },
	{ "/system.slice/nginx.service", 14, 1 },
	{ "/system.slice/docker-" ID64 ".scope", 19, -ENOSPC },
	{ "/system.slice/docker-" ID64 ".scope", 20, 1 },
	{ "/lxc/web1", 8, -ENOSPC },
	{ "/lxc/web1", 9, 1 },
};

static void test_grammar_nospc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(nospc_cases) / sizeof(nospc_cases[0]); i++) {
		char out[64];

		if (root_label(nospc_cases[i].path, out, nospc_cases[i].outlen) != nospc_cases[i].ret)
			fail_msg("\"%s\" in %zu bytes", nospc_cases[i].path, nospc_cases[i].outlen);
	}
}

/* ---- owners decide where the boundary is --------------------------------- */

struct label_case {
	const char *path;
	const char *owners;     /* uid of each component, space separated; "" = all root */
	int ret;
	const char *label;
};

static const struct label_case cases[] = {
	/* root-owned paths label as before */
	{ "/system.slice/nginx.service", "", 1, "nginx.service" },
	{ "/system.slice/docker-" ID64 ".scope", "", 1, "docker:" ID12 },
	{ "/system.slice/docker-" ID64 ".scope/system.slice/nginx.service", "", 1, "docker:" ID12 },
	{ "/docker/" ID64, "", 1, "docker:" ID12 },
	{ "/lxc.payload.web1/system.slice/docker-" ID64 ".scope", "", 1, "lxc:web1" },
	{ "/user.slice/user-1000.slice/session-3.scope", "", 1, "session-3.scope" },
	{ "/init.scope", "", 1, "init.scope" },
	{ "/", "", 0, NULL },
	{ "/system.slice", "", 0, NULL },
	/* a user manager is a boundary by name, even where root owns the directory */
	{ U1000 "/app.slice/nginx.service", "", 1, "user@1000.service/app.slice/nginx.service" },
	{ U1000 "/app.slice/nginx.service", "0 0 1000 1000 1000", 1,
	  "user@1000.service/app.slice/nginx.service" },
	{ U1000 "/init.scope", "0 0 1000 1000", 1, "user@1000.service/init.scope" },
	{ U1000, "0 0 1000", 1, "user@1000.service" },
	/* container names below the boundary count for nothing */
	{ U1000 "/app.slice/docker-" ID64 ".scope", "0 0 1000 1000 1000", 1,
	  "user@1000.service/app.slice/docker-" ID64 ".scope" },
	{ U1000 "/user.slice/libpod-" ID64 ".scope/container", "0 0 1000 1000 1000 1000", 1,
	  "user@1000.service/user.slice/libpod-" ID64 ".scope/container" },
	/* any directory not owned by root is a boundary, whatever its name */
	{ "/cl-deleg/nginx.service", "65534 65534", 1, "cl-deleg/nginx.service" },
	{ "/cl-deleg/nginx.service", "65534 0", 1, "cl-deleg/nginx.service" },
	{ "/cl-deleg/docker-" ID64 ".scope", "65534 65534", 1, "cl-deleg/docker-" ID64 ".scope" },
	{ "/system.slice/build.service/nginx.service", "0 1001 1001", 1,
	  "build.service/nginx.service" },
	{ "/system.slice/build.service", "0 1001", 1, "build.service" },
	{ "/system.slice/x.slice", "0 1001", 1, "x.slice" },
	/* a container above the boundary is root's: it still wins */
	{ "/system.slice/docker-" ID64 ".scope/app/nginx.service", "0 0 1000 1000", 1, "docker:" ID12 },
	/* a forged user@ name under a root-owned path is still a boundary */
	{ "/system.slice/user@0.service/x.service", "", 1, "user@0.service/x.service" },
	/* not user managers: kept as plain units */
	{ "/system.slice/user@.service", "", 1, "user@.service" },
	{ "/system.slice/user@10a.service", "", 1, "user@10a.service" },
	{ "/system.slice/user-runtime-dir@1000.service", "", 1, "user-runtime-dir@1000.service" },
};

/* Fills c from the path and the owners string of a case. */
static size_t comps_of(const struct label_case *t, struct cg_comp *c, size_t max)
{
	int n = cglabel_split(t->path, c, max);
	const char *p = t->owners;

	assert_true(n >= 0);
	for (int i = 0; i < n && *p; i++) {
		char *end;

		c[i].uid = (uint32_t)strtoul(p, &end, 10);
		assert_true(end != p);
		p = end + strspn(end, " ");
	}
	assert_true(*p == '\0');
	return (size_t)n;
}

static void test_derive_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cg_comp c[CGLABEL_MAX_DEPTH];
		char out[512] = "untouched";
		size_t n = comps_of(&cases[i], c, CGLABEL_MAX_DEPTH);
		int r = cglabel_derive(c, n, out, sizeof(out));

		if (r != cases[i].ret)
			fail_msg("%s [%s]: returned %d, want %d (out \"%s\")", cases[i].path,
					cases[i].owners, r, cases[i].ret, out);
		if (cases[i].label && strcmp(out, cases[i].label) != 0)
			fail_msg("%s [%s]: label \"%s\", want \"%s\"", cases[i].path, cases[i].owners,
					out, cases[i].label);
	}
}

static void test_boundary_index(void **state)
{
	struct cg_comp c[8];
	int n = cglabel_split("/a/b/c/d", c, 8);

	(void)state;
	assert_int_equal(n, 4);
	assert_int_equal(cglabel_boundary(c, 4), 4);
	c[2].uid = 1000;
	assert_int_equal(cglabel_boundary(c, 4), 2);
	c[1].uid = 1;
	assert_int_equal(cglabel_boundary(c, 4), 1);
	assert_int_equal(cglabel_boundary(c, 0), 0);
}

static void test_split(void **state)
{
	struct cg_comp c[3];

	(void)state;
	assert_int_equal(cglabel_split("//a//bc/", c, 3), 2);
	assert_int_equal(c[0].len, 1);
	assert_memory_equal(c[1].name, "bc", 2);
	assert_int_equal(c[1].uid, 0);
	assert_int_equal(cglabel_split("", c, 3), 0);
	assert_int_equal(cglabel_split(NULL, c, 3), 0);
	assert_int_equal(cglabel_split("/a/b/c/d", c, 3), -E2BIG);
}

static void test_no_space(void **state)
{
	struct cg_comp c[8];
	char out[8];
	int n;

	(void)state;
	n = cglabel_split("/system.slice/nginx.service", c, 8);
	assert_int_equal(cglabel_derive(c, (size_t)n, out, sizeof(out)), -ENOSPC);
	n = cglabel_split(U1000 "/x", c, 8);
	assert_int_equal(cglabel_derive(c, (size_t)n, out, sizeof(out)), -ENOSPC);
	n = cglabel_split("/system.slice/docker-" ID64 ".scope", c, 8);
	assert_int_equal(cglabel_derive(c, (size_t)n, out, sizeof(out)), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_grammar_nospc),
		cmocka_unit_test(test_derive_table),
		cmocka_unit_test(test_boundary_index),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_no_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
