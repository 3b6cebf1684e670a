# SPDX-License-Identifier: GPL-3.0-or-later
# check_listeners - a monitoring plugin that reports unrecognised listening sockets.
# GNU make. `make run` and `make check` do all the set-up on a fresh Debian machine as root.

PROG       := check_listeners
# The version and its date are written in one place: the newest release
# heading of CHANGELOG.md, "## [X.Y.Z] - YYYY-MM-DD".
RELEASE    := $(shell sed -n -E 's/^\#\# \[([0-9]+\.[0-9]+\.[0-9]+)\] - ([0-9]{4}-[0-9]{2}-[0-9]{2})$$/\1 \2/p' CHANGELOG.md | head -n 1)
VERSION    := $(word 1,$(RELEASE))
RELEASE_DATE := $(word 2,$(RELEASE))
ifeq ($(VERSION),)
$(error CHANGELOG.md has no release heading "## [X.Y.Z] - YYYY-MM-DD")
endif
PREFIX     ?= /usr
DESTDIR    ?=
PLUGINDIR  ?= $(PREFIX)/lib/nagios/plugins
SYSCONFDIR ?= /etc
MANDIR     ?= $(PREFIX)/share/man
CC         ?= cc
PKG_CONFIG ?= pkg-config
# The IANA registry snapshot that `make registry` and the round-trip test read.
CSV        ?= plugin/registry/service-names-port-numbers.csv

# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line (as
# dpkg-buildflags gives them) come after ours, so where both set something
# theirs wins; _FORTIFY_SOURCE is ours only when they do not set it.
# -Werror only with WERROR=1: `make check` and CI set it, package builds do not.
CFLAGS  ?= -O2 -g
LDFLAGS ?=
WERROR  ?=
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 $(if $(filter 1,$(WERROR)),-Werror)
HARDEN  := $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),,-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2) \
           -fstack-protector-strong -fPIE
LDHARD  := -pie -Wl,-z,relro,-z,now
DEFS    := -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -DSYSCONFDIR='"$(SYSCONFDIR)"' -Iinclude

PKGS      := libmnl libconfig
PKG_CF     = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA     = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# One folder per layer (see README, Architecture); objects mirror the folders,
# so two modules of the same name in different layers cannot collide.
SRC     := $(wildcard plugin/*.c plugin/*/*.c)
LIBSRC  := $(filter-out plugin/main.c,$(SRC))
HDRS    := $(wildcard include/*.h)
OBJ     := $(SRC:plugin/%.c=build/obj/%.o)
SAN_OBJ := $(LIBSRC:plugin/%.c=build/san/%.o)
SANFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT    := $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/test_*.c))

# Debian packages: `make run` installs BUILD_PKGS (building and running),
# `make check` TEST_PKGS too. .ci/deps installs only what is missing.
BUILD_PKGS := gcc make pkg-config libc6-dev libmnl-dev libconfig-dev
TEST_PKGS := libcmocka-dev iproute2 util-linux procps passwd gawk
# The integration tests run the real daemons (Debian 12 has no naemon; nagios4-core
# is the daemon without the web interface's PHP and Apache dependencies), read
# Icinga's REST API with curl, validate JSON with jq, sudoers with visudo and the
# man page with groff.
TEST_PKGS += icinga2 nagios-nrpe-server nagios-nrpe-plugin nagios4-core \
            curl jq sudo groff-base
# Every --format json output of the tests is validated against conf/check_listeners.schema.json
# with Debian's JSON Schema validator (tests/integration/validate_json.py).
TEST_PKGS += python3 python3-jsonschema
# port = "rpc" is tested against the real rpcbind (t_rpc.sh), run in private
# namespaces only: .ci/deps keeps it stopped and disabled on the host.
TEST_PKGS += rpcbind
# Hardening: libFuzzer targets need clang and its runtime; `make valgrind` needs valgrind.
TEST_PKGS += clang libclang-rt-14-dev valgrind
# `make deb` and its test (t_package.sh).
TEST_PKGS += debhelper dpkg-dev fakeroot lintian

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang against the plugin's
# modules compiled with coverage instrumentation into build/fuzz/obj.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE   ?= 3
FUZZ         := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJ     := $(LIBSRC:plugin/%.c=build/fuzz/obj/%.o)
FUZZFLAGS    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: all deps deps-build run check unit integration install uninstall clean registry abuse bench \
        fuzz fuzz-smoke valgrind version dist distcheck deb
.DELETE_ON_ERROR:
.SECONDARY: $(SAN_OBJ) $(FUZZ_OBJ) build/san/main.o

all: $(PROG)

# build/flags holds the flags of the last build: when they change (CFLAGS,
# WERROR=1, SYSCONFDIR, the version), everything is compiled again.
FLAGS := $(CC) $(WARN) $(DEFS) $(HARDEN) $(CPPFLAGS) $(CFLAGS) | $(LDHARD) $(LDFLAGS)
ifneq ($(FLAGS),$(shell cat build/flags 2>/dev/null))
$(shell mkdir -p build && printf '%s\n' '$(subst ','\'',$(FLAGS))' > build/flags)
endif

$(PROG): $(OBJ)
	$(CC) $(CFLAGS) $(LDHARD) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: plugin/%.c $(HDRS) build/flags
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEFS) $(PKG_CF) $(HARDEN) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: plugin/%.c $(HDRS) build/flags
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEFS) $(PKG_CF) $(SANFLAGS) -c -o $@ $<

# Test support shared by the unit tests (fake trees in temp dirs).
build/unit/fixture.o: tests/unit/fixture.c tests/unit/fixture.h build/flags | build/unit
	$(CC) $(WARN) $(DEFS) $(SANFLAGS) -c -o $@ $<

build/unit/%: tests/unit/%.c $(SAN_OBJ) build/unit/fixture.o $(HDRS) | build/unit
	$(CC) $(WARN) $(DEFS) -Itests/unit $(PKG_CF) $(SANFLAGS) -o $@ $< $(SAN_OBJ) build/unit/fixture.o \
		$(PKG_LIBS) $(CMOCKA)

build/sockhold: tests/integration/sockhold.c | build
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $<

# Descriptor tricks of the identity tests: inherited and in-flight fds, a flood.
build/fdpass: tests/integration/fdpass.c | build
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $<

# The attackers and holders of the trust tests (t_trust.sh).
TRUST_HELPERS := build/nlforge build/swapx build/nsholder
$(TRUST_HELPERS): build/%: tests/integration/%.c | build
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $<

# A program run from a memfd, for t_exe_place.sh.
build/memfd_exec: tests/integration/memfd_exec.c | build
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $<

# A listener that names another file as its executable, for t_exe_forge.sh.
build/exeforge: tests/integration/exeforge.c | build
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $<

# Packet and raw sockets for t_packet.sh and the bench.
build/pkthold: tests/integration/pkthold.c | build
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $<

# The plugin under ASan/UBSan, for the hostile-input catalogue (t_hostile.sh).
build/$(PROG).san: build/san/main.o $(SAN_OBJ)
	$(CC) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

build/fuzz/obj/%.o: plugin/%.c $(HDRS) build/flags
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CF) $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(HDRS) | build/fuzz/obj
	$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CF) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

build build/unit build/fuzz/obj:
	mkdir -p $@

# .ci/deps installs what is missing with service starts blocked, then disables
# at boot and stops the services that this brought in; for `make check` also
# the test daemons (icinga2, nagios-nrpe-server, nagios4, exim4) in any case.
deps-build:
	@.ci/deps $(BUILD_PKGS)

deps:
	@.ci/deps --daemons $(BUILD_PKGS) $(TEST_PKGS)

run: deps-build
	@$(MAKE) --no-print-directory all
	@echo "./$(PROG) -C conf/check_listeners.conf"
	@./$(PROG) -C conf/check_listeners.conf; echo "exit code: $$?"

# The project's own build: warnings are errors.
check: deps
	@$(MAKE) --no-print-directory WERROR=1 all unit integration fuzz-smoke

unit: $(UNIT)
	@failed=""; for t in $(UNIT); do echo "== $$t"; CSV=$(CSV) ./$$t || failed="$$failed $${t#build/unit/}"; done; \
	if [ -n "$$failed" ]; then echo "unit: FAILED:$$failed"; exit 1; fi; echo "unit: all $(words $(UNIT)) test programs passed"

integration: $(PROG) build/sockhold build/fdpass build/pkthold build/memfd_exec build/exeforge build/$(PROG).san \
             $(TRUST_HELPERS)
	@tests/integration/run.sh ./$(PROG)

# Each fuzz target for FUZZ_SECONDS on a copy of its seed corpus (build/fuzz/corpus);
# a crash leaves its input in build/fuzz/artifacts and fails the target.
fuzz: $(FUZZ)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ)

fuzz-smoke: $(FUZZ)
	@tests/fuzz/run.sh --fresh $(FUZZ_SMOKE) $(FUZZ)

# The main paths under memcheck: zero errors, zero definite leaks.
valgrind: $(PROG) build/sockhold
	@tests/valgrind.sh ./$(PROG) build/sockhold

bench: deps all build/sockhold build/fdpass build/pkthold
	@tests/bench/bench.sh ./$(PROG) build/sockhold

# The known-abuse port table from its data (plugin/registry/abuse.tsv).
abuse:
	LC_ALL=C awk -f plugin/registry/abuse-gen.awk plugin/registry/abuse.tsv > plugin/registry/abuse_data.c.tmp
	mv plugin/registry/abuse_data.c.tmp plugin/registry/abuse_data.c

registry:
	@test -r "$(CSV)" || { echo "registry: cannot read CSV=$(CSV)"; exit 1; }
	LC_ALL=C awk -f plugin/registry/registry-gen.awk "$(CSV)" > plugin/registry/registry_data.c.tmp
	mv plugin/registry/registry_data.c.tmp plugin/registry/registry_data.c

version:
	@echo $(VERSION)

# build/check_listeners-VERSION.tar.gz: the tracked files (git ls-files; in an
# unpacked tarball, every file but the build products), owned by root, dated
# by the release.
DIST := build/$(PROG)-$(VERSION).tar.gz
dist:
	@mkdir -p build
	@{ git ls-files -z 2>/dev/null | grep -qz . && git ls-files -z || \
	  find . \( -path ./build -o -path ./.git \) -prune -o -type f ! -path './$(PROG)' -printf '%P\0'; } | \
	  LC_ALL=C sort -z | tar --null -T - --transform 's,^,$(PROG)-$(VERSION)/,' --owner=0 --group=0 \
	    --numeric-owner --mode=u+w,go-w --mtime='$(RELEASE_DATE) 00:00:00Z' -cf - | gzip -9n > $(DIST).tmp
	@mv $(DIST).tmp $(DIST)
	@echo "dist: $(DIST) ($$(tar -tzf $(DIST) | grep -vc '/$$') files)"

# The tarball unpacked in a scratch directory: the plugin builds with -Werror
# and the unit tests (with the registry round trip) pass there.
distcheck: dist
	@d=$$(mktemp -d /tmp/cl-distcheck.XXXXXX) && trap 'rm -rf "$$d"' EXIT && \
	tar -xzf $(DIST) -C "$$d" && \
	env -u MAKEFLAGS -u MAKELEVEL $(MAKE) -s -C "$$d/$(PROG)-$(VERSION)" WERROR=1 all unit && \
	echo "distcheck: $(DIST) builds and passes the unit tests in $$d"

# DEBDIR/check-listeners_VERSION_ARCH.deb with debhelper: the tarball unpacked,
# conf/debian copied to debian/, debian/changelog written from the release
# heading of CHANGELOG.md; dpkg-buildflags sets the flags, not the caller.
DEBDIR ?= build/deb
deb: dist
	@rm -rf $(DEBDIR) && mkdir -p $(DEBDIR)
	@tar -xzf $(DIST) -C $(DEBDIR)
	@cd $(DEBDIR)/$(PROG)-$(VERSION) && cp -r conf/debian debian && \
	{ printf 'check-listeners (%s) unstable; urgency=medium\n\n' '$(VERSION)'; \
	  printf '  * Release %s: see /usr/share/doc/check-listeners/CHANGELOG.md.gz.\n\n' '$(VERSION)'; \
	  printf ' -- %s  %s\n' "$$(sed -n 's/^Maintainer: //p' debian/control)" \
	    "$$(LC_ALL=C date -u -R -d '$(RELEASE_DATE) 00:00:00Z')"; } > debian/changelog && \
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u CFLAGS -u CPPFLAGS -u LDFLAGS \
	  dpkg-buildpackage -us -uc -b > ../build.log 2>&1 || { tail -n 40 ../build.log; exit 1; }
	@ls $(DEBDIR)/*.deb

# The sample config is installed only when there is none: never overwrite the
# user's allowlist. uninstall leaves it too.
install: $(PROG)
	install -d $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)
	install -m 0755 $(PROG) $(DESTDIR)$(PLUGINDIR)/$(PROG)
	install -m 0644 conf/$(PROG).8 $(DESTDIR)$(MANDIR)/man8/$(PROG).8
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/$(PROG).conf ]; then \
	  echo "install: keeping the existing $(DESTDIR)$(SYSCONFDIR)/$(PROG).conf"; \
	else \
	  echo "install -m 0644 conf/$(PROG).conf $(DESTDIR)$(SYSCONFDIR)/$(PROG).conf"; \
	  install -m 0644 conf/$(PROG).conf $(DESTDIR)$(SYSCONFDIR)/$(PROG).conf; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PLUGINDIR)/$(PROG) $(DESTDIR)$(MANDIR)/man8/$(PROG).8

clean:
	rm -rf build $(PROG)
