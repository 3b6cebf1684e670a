# check_listeners - a monitoring plugin that reports unrecognised listening sockets.
# GNU make. `make run` and `make check` do all the set-up on a fresh Debian machine as root.

PROG       := check_listeners
VERSION    := 0.1.0
PREFIX     ?= /usr
DESTDIR    ?=
PLUGINDIR  ?= $(PREFIX)/lib/nagios/plugins
SYSCONFDIR ?= /etc
MANDIR     ?= $(PREFIX)/share/man
CC         ?= cc
PKG_CONFIG ?= pkg-config
CSV        ?= ../shared/data/service-names-port-numbers.csv

CFLAGS  ?= -O2 -g
LDFLAGS ?=
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
LDHARD  := -pie -Wl,-z,relro,-z,now
DEFS    := -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -Iinclude

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

# Debian packages needed to build and test; installed by `make deps` when missing.
DEB_PKGS := gcc make pkg-config libc6-dev libmnl-dev libconfig-dev libcmocka-dev \
            iproute2 util-linux procps passwd gawk
# The integration tests run the real daemons (Debian 12 has no naemon; nagios4-core
# is the daemon without the web interface's PHP and Apache dependencies), read
# Icinga's REST API with curl, validate JSON with jq, sudoers with visudo and the
# man page with groff.
DEB_PKGS += icinga2 nagios-nrpe-server nagios-nrpe-plugin nagios4-core \
            curl jq sudo groff-base
# Every --format json output of the tests is validated against conf/check_listeners.schema.json
# with Debian's JSON Schema validator (tests/integration/validate_json.py).
DEB_PKGS += python3 python3-jsonschema
# Hardening: libFuzzer targets need clang and its runtime; `make valgrind` needs valgrind.
DEB_PKGS += clang libclang-rt-14-dev valgrind

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang against the plugin's
# modules compiled with coverage instrumentation into build/fuzz/obj.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE   ?= 3
FUZZ         := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJ     := $(LIBSRC:plugin/%.c=build/fuzz/obj/%.o)
FUZZFLAGS    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: all deps run check unit integration install uninstall clean registry abuse bench \
        fuzz fuzz-smoke valgrind
.DELETE_ON_ERROR:
.SECONDARY: $(SAN_OBJ) $(FUZZ_OBJ) build/san/main.o

all: $(PROG)

$(PROG): $(OBJ)
	$(CC) $(CFLAGS) $(LDHARD) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: plugin/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEFS) $(PKG_CF) $(HARDEN) $(CFLAGS) -c -o $@ $<

build/san/%.o: plugin/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEFS) $(PKG_CF) $(SANFLAGS) -c -o $@ $<

# Test support shared by the unit tests (fake trees in temp dirs).
build/unit/fixture.o: tests/unit/fixture.c tests/unit/fixture.h | build/unit
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

# The plugin under ASan/UBSan, for the hostile-input catalogue (t_hostile.sh).
build/$(PROG).san: build/san/main.o $(SAN_OBJ)
	$(CC) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

build/fuzz/obj/%.o: plugin/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CF) $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(HDRS) | build/fuzz/obj
	$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CF) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

build build/unit build/fuzz/obj:
	mkdir -p $@

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: everything is installed"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps: missing:$$missing"; \
	  echo "deps: as root run: apt-get update && apt-get install -y --no-install-recommends$$missing"; exit 1; \
	fi; \
	echo "deps: installing$$missing"; \
	guard=""; if [ ! -e /usr/sbin/policy-rc.d ]; then guard=/usr/sbin/policy-rc.d; \
	  printf '#!/bin/sh\nexit 101\n' > $$guard; chmod 755 $$guard; fi; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	rc=$$?; [ -z "$$guard" ] || rm -f $$guard; exit $$rc

run: deps
	@$(MAKE) --no-print-directory all
	@echo "./$(PROG) -C conf/check_listeners.conf"
	@./$(PROG) -C conf/check_listeners.conf; echo "exit code: $$?"

check: deps
	@$(MAKE) --no-print-directory all unit integration fuzz-smoke

unit: $(UNIT)
	@failed=""; for t in $(UNIT); do echo "== $$t"; CSV=$(CSV) ./$$t || failed="$$failed $${t#build/unit/}"; done; \
	if [ -n "$$failed" ]; then echo "unit: FAILED:$$failed"; exit 1; fi; echo "unit: all $(words $(UNIT)) test programs passed"

integration: $(PROG) build/sockhold build/fdpass build/memfd_exec build/$(PROG).san $(TRUST_HELPERS)
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

bench: deps all build/sockhold build/fdpass
	@tests/bench/bench.sh ./$(PROG) build/sockhold

# The known-abuse port table from its data (plugin/registry/abuse.tsv).
abuse:
	LC_ALL=C awk -f plugin/registry/abuse-gen.awk plugin/registry/abuse.tsv > plugin/registry/abuse_data.c.tmp
	mv plugin/registry/abuse_data.c.tmp plugin/registry/abuse_data.c

registry:
	@test -r "$(CSV)" || { echo "registry: cannot read CSV=$(CSV)"; exit 1; }
	LC_ALL=C awk -f plugin/registry/registry-gen.awk "$(CSV)" > plugin/registry/registry_data.c.tmp
	mv plugin/registry/registry_data.c.tmp plugin/registry/registry_data.c

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
