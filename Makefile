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

SRC     := $(wildcard plugin/*.c)
LIBSRC  := $(filter-out plugin/main.c,$(SRC))
HDRS    := $(wildcard include/*.h)
OBJ     := $(SRC:plugin/%.c=build/obj/%.o)
SAN_OBJ := $(LIBSRC:plugin/%.c=build/san/%.o)
SANFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT    := $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/test_*.c))

# Debian packages needed to build and test; installed by `make deps` when missing.
DEB_PKGS := gcc make pkg-config libc6-dev libmnl-dev libconfig-dev libcmocka-dev \
            iproute2 util-linux procps passwd gawk

.PHONY: all deps run check unit integration install uninstall clean registry bench
.DELETE_ON_ERROR:

all: $(PROG)

$(PROG): $(OBJ)
	$(CC) $(CFLAGS) $(LDHARD) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: plugin/%.c $(HDRS) | build/obj
	$(CC) $(WARN) $(DEFS) $(PKG_CF) $(HARDEN) $(CFLAGS) -c -o $@ $<

build/san/%.o: plugin/%.c $(HDRS) | build/san
	$(CC) $(WARN) $(DEFS) $(PKG_CF) $(SANFLAGS) -c -o $@ $<

build/unit/%: tests/unit/%.c $(SAN_OBJ) $(HDRS) | build/unit
	$(CC) $(WARN) $(DEFS) $(PKG_CF) $(SANFLAGS) -o $@ $< $(SAN_OBJ) $(PKG_LIBS) $(CMOCKA)

build/sockhold: tests/integration/sockhold.c | build
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $<

build build/obj build/san build/unit:
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
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

run: deps
	@$(MAKE) --no-print-directory all
	@echo "./$(PROG) -C conf/check_listeners.conf"
	@./$(PROG) -C conf/check_listeners.conf; echo "exit code: $$?"

check: deps
	@$(MAKE) --no-print-directory all unit integration

unit: $(UNIT)
	@failed=""; for t in $(UNIT); do echo "== $$t"; CSV=$(CSV) ./$$t || failed="$$failed $${t#build/unit/}"; done; \
	if [ -n "$$failed" ]; then echo "unit: FAILED:$$failed"; exit 1; fi; echo "unit: all $(words $(UNIT)) test programs passed"

integration: $(PROG) build/sockhold
	@tests/integration/run.sh ./$(PROG)

bench: deps all build/sockhold
	@tests/bench/bench.sh ./$(PROG) build/sockhold

registry:
	@test -r "$(CSV)" || { echo "registry: cannot read CSV=$(CSV)"; exit 1; }
	LC_ALL=C awk -f plugin/registry-gen.awk "$(CSV)" > plugin/registry_data.c.tmp
	mv plugin/registry_data.c.tmp plugin/registry_data.c

install: $(PROG)
	install -d $(DESTDIR)$(PLUGINDIR)
	install -m 0755 $(PROG) $(DESTDIR)$(PLUGINDIR)/$(PROG)

uninstall:
	rm -f $(DESTDIR)$(PLUGINDIR)/$(PROG)

clean:
	rm -rf build $(PROG)
