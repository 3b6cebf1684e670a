/* Unit tests for the unit and container labels derived from cgroup v2 paths
 * (cgroups_unit_from_path, implemented in cgroups.c): one row per layout. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cgroups.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID12 "0123456789ab"

/* ---- cgroups_unit_from_path ------------------------------------------ */

struct unit_case {
	const char *path;
	int ret;
	const char *label;
};

static const struct unit_case unit_cases[] = {
	{ "/system.slice/nginx.service", 1, "nginx.service" },
	{ "/system.slice/system-getty.slice/getty@tty1.service", 1, "getty@tty1.service" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service", 1, "foo.service" },
	{ "/user.slice/user-1000.slice/user@1000.service/init.scope", 1, "user@1000.service" },
	{ "/init.scope", 1, "init.scope" },
	{ "/user.slice/user-1000.slice/session-3.scope", 1, "session-3.scope" },
	{ "/system.slice/run-u123.service", 1, "run-u123.service" },
	{ "/system.slice/run-r1234.scope", 1, "run-r1234.scope" },
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

static void test_unit_from_cgroup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(unit_cases) / sizeof(unit_cases[0]); i++) {
		const struct unit_case *c = &unit_cases[i];
		char out[256] = "untouched";
		int r = cgroups_unit_from_path(c->path, out, sizeof(out));

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

static void test_unit_nospc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(nospc_cases) / sizeof(nospc_cases[0]); i++) {
		char out[64];

		if (cgroups_unit_from_path(nospc_cases[i].path, out, nospc_cases[i].outlen) != nospc_cases[i].ret)
			fail_msg("\"%s\" in %zu bytes", nospc_cases[i].path, nospc_cases[i].outlen);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_from_cgroup),
		cmocka_unit_test(test_unit_nospc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
