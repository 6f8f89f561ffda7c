# socialroi - plain GNU make with pkg-config.
#
#   make                build daemon, CLI, simulator and test tools into build/
#   make check          unit + SQL + integration tests; ends with "N passed, N failed"
#   make asan           the same suites built with ASan + UBSan (into build-asan/)
#   make valgrind       unit and integration tests under valgrind memcheck
#   make fuzz           libFuzzer runs (clang), FUZZ_SECONDS=N each; FUZZ_ADAPTERS="x ..." some
#   make bench          throughput and memory ratios (never pass/fail on time)
#   make demo           private PostgreSQL + simulator + daemon, end to end
#   make format         clang-format every C file; format-check fails on a diff
#   make install        PREFIX=/usr/local DESTDIR=
#   make deps           install every package the build and the tests need (apt-get, as root)
#   make V=1            show the commands
#
# CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS from the environment or the command line are added after
# ours, so a distribution's flags (or -O1) win. Plain `make` never installs packages: when some
# are missing it prints the exact apt-get line and stops. `make deps` and the test goals (check,
# asan, valgrind, fuzz, bench, demo) install them with apt-get when run as root. The package
# lists below are the only place packages are named.

BUILD_PACKAGES := build-essential pkgconf libcurl4-openssl-dev libevent-dev libcjson-dev \
                  libsystemd-dev libpq-dev
# chromium: t_report_html renders the HTML report headless
TEST_PACKAGES  := postgresql-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl \
                  libcmocka-dev valgrind clang libclang-rt-14-dev clang-format curl systemd \
                  util-linux procps jq groff-base man-db chromium
# make bench's peer: collectd and the JSON parser its curl_json plugin loads
BENCH_PACKAGES := collectd-core libyajl2

PREFIX  ?= /usr/local
DESTDIR ?=
B       ?= build
CC      ?= cc
SAN     ?=

PKGS := libcurl libpq libevent libcjson libsystemd
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wold-style-definition -Wpointer-arith -Wformat=2 -Wundef -Wvla -Wwrite-strings \
            -Wcast-align -Werror
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
LDHARDEN := -pie -Wl,-z,relro,-z,now
OPT      := -O2 -g

ifeq ($(SAN),1)
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
HARDEN   := -fPIE
LDHARDEN := -pie -fsanitize=address,undefined
endif

Q := @
ifeq ($(V),1)
Q :=
endif

# Goals that need no compiler or packages.
NODEPS_GOALS := clean format format-check help deps
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
-include $(B)/config.mk
endif

# Our flags come first and the caller's (CFLAGS=..., dpkg-buildflags) after them, so theirs win.
# _FORTIFY_SOURCE is left to the caller when they set it (a second, different definition is an
# error under -Werror), and dropped at -O0, where glibc warns that it does nothing.
FORTIFY := $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS))$(filter -O0,$(CFLAGS)),,\
             $(filter -D_FORTIFY_SOURCE=%,$(HARDEN)))
# lib/ by layer: base (pure foundations), model (config, platforms, cursors, records), adapters
# (the platforms' wire formats, pure), engine (the daemon's event loop), finance (the daemon's
# money side). cli/ is the tool's, and blocks.
LIB_DIRS := lib/base lib/model lib/adapters lib/engine lib/finance
LIB_INC  := $(addprefix -I,$(LIB_DIRS))
SR_CPPFLAGS := -D_GNU_SOURCE -DSR_VERSION=\"$(VERSION)\" $(LIB_INC) -I$(B)/gen $(PKG_CFLAGS) \
               $(FORTIFY) -MMD -MP
SR_CFLAGS   := -std=c11 $(OPT) $(WARNINGS) $(filter-out -D_FORTIFY_SOURCE=%,$(HARDEN))
SR_LDFLAGS  := $(LDHARDEN)
SR_LDLIBS   := $(PKG_LIBS) -lm

ALL_CPPFLAGS = $(SR_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(SR_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(SR_LDFLAGS) $(LDFLAGS)
ALL_LDLIBS   = $(SR_LDLIBS) $(LDLIBS)

LIB_SRC  := $(wildcard $(addsuffix /*.c,$(LIB_DIRS)))
LIB_OBJ  := $(patsubst %.c,$(B)/%.o,$(LIB_SRC)) $(B)/gen/schema_files.o \
            $(B)/gen/sentiment_lexicon.o
SQL      := $(sort $(wildcard sql/[0-9][0-9][0-9]_*.sql))

DAEMON_SRC := daemon/main.c daemon/ctx.c daemon/signals.c daemon/notify.c daemon/http.c
CLI_SRC    := $(wildcard cli/*.c)
CLI_LIB_SRC := $(filter-out cli/main.c,$(CLI_SRC))
# The simulator: core/ (server, accounts, faults, control endpoints), one folder per platform
# (its endpoints and its world), oracle/ (the ROI truth the tests compare against).
SIM_DIRS   := $(sort $(patsubst %/,%,$(dir $(wildcard tests/sim/*/*.c))))
SIM_SRC    := $(wildcard $(addsuffix /*.c,$(SIM_DIRS)))
TOOL_SRC   := $(wildcard tests/tools/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

DAEMON  := $(B)/socialroid
CLI     := $(B)/socialroi
SIM     := $(B)/socialroi-sim
TOOLS   := $(patsubst tests/tools/%.c,$(B)/tests/tools/%,$(TOOL_SRC))
UNITS   := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRC))
LIBA    := $(B)/libsocialroi.a
CLIA    := $(B)/libsocialroi-cli.a

.PHONY: all check check-unit check-sql check-integration asan valgrind fuzz bench demo format \
        format-check install clean deps test-deps help
.DEFAULT_GOAL := all
.SECONDARY:

all: $(DAEMON) $(CLI) $(if $(SIM_SRC),$(SIM)) $(TOOLS) $(UNITS)

# ---- packages and library flags -------------------------------------------------------------

# Only the test goals (and `make deps`) may install packages; a plain build only checks.
TEST_GOALS := check check-unit check-sql check-integration asan valgrind fuzz bench demo
NEEDS_TEST := $(filter $(TEST_GOALS),$(MAKECMDGOALS))
DEPS_MODE  := $(if $(NEEDS_TEST),--install,--check)

deps:
	$(Q)sh tests/tools/deps.sh --install $(BUILD_PACKAGES) $(TEST_PACKAGES)

# Run on every test goal, since build/config.mk may come from a plain `make` that never
# looked at the test packages.
test-deps:
	$(Q)sh tests/tools/deps.sh --install $(BUILD_PACKAGES) $(TEST_PACKAGES)

$(B)/config.mk: Makefile tests/tools/deps.sh
	$(Q)sh tests/tools/deps.sh $(DEPS_MODE) $(BUILD_PACKAGES)
	$(Q)mkdir -p $(B)
	$(Q)pkg-config --exists $(PKGS) || { echo "pkg-config cannot find: $(PKGS)" >&2; exit 1; }
	$(Q){ echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))"; \
	      echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))"; } > $@.tmp && mv $@.tmp $@

# ---- build ----------------------------------------------------------------------------------

$(B)/%.o: %.c $(B)/config.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# The migrations are compiled in, so an installed binary needs no SQL files beside it.
# The names of the migrations, kept in a file that is rewritten only when they change: a
# migration added, renamed or removed regenerates the compiled-in schema even when no file of
# the list is newer than it.
SQL_LIST := $(B)/gen/sql.list
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
$(shell mkdir -p $(B)/gen && { echo '$(SQL)' | cmp -s - $(SQL_LIST) || echo '$(SQL)' >$(SQL_LIST); })
endif

$(B)/gen/schema_files.c: $(SQL) $(SQL_LIST) Makefile
	@mkdir -p $(dir $@)
	$(Q){ echo '/* generated by make from the sql/ migrations: do not edit */'; \
	      echo '#include "schema.h"'; \
	      i=0; for f in $(SQL); do \
	        echo "static const char m$$i[] = {"; \
	        od -An -v -tx1 $$f | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	        echo '0};'; i=$$((i+1)); done; \
	      echo 'const struct schema_file schema_files[] = {'; \
	      i=0; for f in $(SQL); do \
	        echo "    {\"$$(basename $$f)\", m$$i, sizeof m$$i - 1},"; i=$$((i+1)); done; \
	      echo '    {0, 0, 0}};'; \
	      echo "const size_t schema_nfiles = $$i;"; } > $@.tmp && mv $@.tmp $@

$(B)/gen/schema_files.o: $(B)/gen/schema_files.c
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

# The sentiment lexicon (data/sentiment/: VADER's words and emoji names, socialroi's product
# words), compiled in as two sorted tables: a daemon has no lexicon file to miss.
SENTIMENT_DATA := data/sentiment/product_lexicon.txt data/sentiment/vader_lexicon.txt \
                  data/sentiment/emoji_utf8_lexicon.txt

$(B)/gen/sentiment_lexicon.c: $(SENTIMENT_DATA) data/sentiment/lexicon.sh
	@mkdir -p $(dir $@)
	$(Q)sh data/sentiment/lexicon.sh $(SENTIMENT_DATA) >$@.tmp && mv $@.tmp $@

$(B)/gen/sentiment_lexicon.o: $(B)/gen/sentiment_lexicon.c lib/base/sentiment_lexicon.h
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(DAEMON): $(patsubst %.c,$(B)/%.o,$(DAEMON_SRC)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

# The command modules live in cli/ (they block); lib/ may not include them, the unit tests may.
$(B)/tests/unit/%.o: ALL_CPPFLAGS += -Icli

$(CLIA): $(patsubst %.c,$(B)/%.o,$(CLI_LIB_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(CLI): $(B)/cli/main.o $(CLIA) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(B)/tests/sim/%.o: ALL_CPPFLAGS += $(addprefix -I,$(SIM_DIRS))

$(SIM): $(patsubst %.c,$(B)/%.o,$(SIM_SRC)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(B)/tests/tools/%: $(B)/tests/tools/%.o $(LIBA)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(B)/tests/unit/%: $(B)/tests/unit/%.o $(B)/tests/unit/unit.o $(B)/tests/unit/adapter_fixture.o \
                    $(CLIA) $(LIBA)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS) -lcmocka

# ---- tests ----------------------------------------------------------------------------------

# test-deps first: a test goal installs what it needs before anything is built.
check: test-deps all
	$(Q)B=$(B) sh tests/run.sh all

check-unit check-sql check-integration: test-deps all
	$(Q)B=$(B) sh tests/run.sh $(patsubst check-%,%,$@)

asan: test-deps
	$(Q)$(MAKE) --no-print-directory B=build-asan SAN=1 check

valgrind: test-deps all
	$(Q)B=$(B) VALGRIND=1 sh tests/run.sh unit integration

demo: test-deps all
	$(Q)$(CLI) demo --dir demo

# Ratios measured in one run, never pass/fail on time: prints a table, writes bench/results.json
# (bench/README.md says what each figure is and what was found).
bench: test-deps all
	$(Q)sh tests/tools/deps.sh --install $(BENCH_PACKAGES)
	$(Q)B=$(B) bash tests/bench/bench.sh

# tests/fuzz/run.sh: fuzz_config, then fuzz_adapters once per platform (FUZZ_ADAPTERS, default
# every platform with fixtures), each seeded with the files it parses.
FUZZ_SECONDS ?= 20
FUZZ_ADAPTERS ?=
fuzz: test-deps $(B)/config.mk $(B)/gen/schema_files.c $(B)/gen/sentiment_lexicon.c
	$(Q)B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_ADAPTERS="$(FUZZ_ADAPTERS)" sh tests/fuzz/run.sh

# ---- formatting -----------------------------------------------------------------------------

FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find lib daemon tests -name '*.[ch]')

format:
	$(Q)clang-format -i $(FORMAT_SRC)

format-check:
	$(Q)clang-format --dry-run -Werror $(FORMAT_SRC) && echo "format-check: ok"

# ---- install --------------------------------------------------------------------------------

# Man pages by section, whichever of them exist: man/NAME.N goes to share/man/manN.
MAN_PAGES := $(wildcard man/*.[1-8])
DOC_FILES := README.md $(wildcard LICENSE)
DOCDIR    := $(PREFIX)/share/doc/socialroi

install: $(DAEMON) $(CLI)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/systemd/system \
	    $(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/lib/tmpfiles.d \
	    $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(DAEMON) $(CLI) $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|/usr/bin/socialroid|$(PREFIX)/bin/socialroid|g' \
	    -e 's|/usr/local/share/doc/socialroi|$(DOCDIR)|' systemd/socialroid.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/socialroid.service
	install -m 0644 systemd/socialroi.sysusers.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/socialroi.conf
	install -m 0644 systemd/socialroi.tmpfiles.conf $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/socialroi.conf
	install -m 0644 config/*.example $(DESTDIR)$(DOCDIR)/examples/
	install -D -m 0644 contrib/prometheus/socialroi.rules.yml \
	    $(DESTDIR)$(PREFIX)/share/socialroi/prometheus/socialroi.rules.yml
	install -m 0644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	for m in $(MAN_PAGES); do \
	    install -D -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$${m##*.}/$${m##*/} || exit 1; \
	done

clean:
	rm -rf build build-asan build-fuzz

help:
	@sed -n '3,14p' Makefile

-include $(shell find $(B) -name '*.d' 2>/dev/null)
