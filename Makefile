# spate — plain Makefile. See README.md.
#   make            build ./spate
#   make test       unit tests (cmocka) + integration tests (real processes on loopback)
#   make check      the same under ASan+UBSan, then `make fuzz-short`
#   make fuzz       libFuzzer targets (tests/fuzz/, clang, build/fuzz), FUZZ_SECONDS
#                   (default 60) each, one at a time; prints executions and findings
#   make fuzz-short the same for 10 s each over the checked-in seed corpus
#   make bench      benchmarks (figures only, no thresholds)
#   make deps       install every Debian package the project needs (root or sudo)

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= gcc
CXX     ?= g++
PKG     ?= pkg-config

LIBS_PC  = libtorrent-rasterbar libuv sqlite3 ncursesw jansson fuse3
TEST_PC  = cmocka

DEB_PACKAGES = build-essential pkg-config libtorrent-rasterbar-dev libuv1-dev libsqlite3-dev \
	libfuse3-dev fuse3 libncurses-dev libcmocka-dev libjansson-dev tmux sqlite3 attr \
	aria2 transmission-cli python3-libtorrent jq iproute2 clang-format coreutils procps \
	btfs util-linux clang libclang-rt-dev

# BUILD=release (default) or BUILD=asan (used by `make check`)
BUILD ?= release
ifeq ($(BUILD),asan)
  OUT      = build/asan
  SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  OPT      = -O1 -g
  BIN      = spate-asan
else
  OUT      = build/release
  SANFLAGS =
  OPT      = -O2 -g
  BIN      = spate
endif

PC_CFLAGS := $(shell $(PKG) --cflags $(LIBS_PC) 2>/dev/null)
PC_LIBS   := $(shell $(PKG) --libs $(LIBS_PC) 2>/dev/null)
VERSION   := 0.1.0

WARN     = -Wall -Wextra -Werror
CPPFLAGS += -Isrc -DSPATE_VERSION='"$(VERSION)"' -D_GNU_SOURCE -MMD -MP
CFLAGS   += -std=c11 $(WARN) $(OPT) $(SANFLAGS) $(PC_CFLAGS)
CXXFLAGS += -std=c++17 $(WARN) $(OPT) $(SANFLAGS) $(PC_CFLAGS)
LDLIBS   += $(PC_LIBS) -lpthread

# Private headers (*_int.h, lt_shim.h, store/migrations.h) refuse includers
# outside their module with #error: $(call internal,SRC) is the
# -DSPATE_INTERNAL_<MODULE> a source in src/<module>/ is compiled with; a
# unit test that looks inside a module defines it on its first lines
# (docs/architecture.md, "Modules and their public faces").
MODULES  = engine:ENGINE ctl:CTL fuse:FUSE store:STORE ui:UI
internal = $(foreach m,$(MODULES),$(if $(filter src/$(word 1,$(subst :, ,$m))/%,$1),-DSPATE_INTERNAL_$(word 2,$(subst :, ,$m))))

C_SRCS   := $(sort $(shell find src -name '*.c'))
CXX_SRCS := src/engine/lt_shim.cpp
OBJS     := $(C_SRCS:%.c=$(OUT)/%.o) $(CXX_SRCS:%.cpp=$(OUT)/%.o)
LIB_OBJS := $(filter-out $(OUT)/src/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(OUT)/tests/%)

.PHONY: all deps test test-unit test-integration check fuzz fuzz-short fuzz-build bench install uninstall clean format format-check docs

all: $(BIN)

$(BIN): $(OBJS)
	$(CXX) $(SANFLAGS) -o $@ $^ $(LDLIBS)

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(call internal,$<) $(CFLAGS) -c -o $@ $<

$(OUT)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(call internal,$<) $(CXXFLAGS) -c -o $@ $<

# the shared fixture (tests/unit/fixture.[ch]) is linked into every unit test
TEST_FIXTURE := $(OUT)/tests/unit/fixture.o
$(TEST_FIXTURE): tests/unit/fixture.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(shell $(PKG) --cflags $(TEST_PC)) -o $@ -c $<

$(OUT)/tests/%: tests/unit/%.c tests/unit/fixture.h $(LIB_OBJS) $(TEST_FIXTURE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(shell $(PKG) --cflags $(TEST_PC)) -o $@.o -c $<
	$(CXX) $(SANFLAGS) -o $@ $@.o $(TEST_FIXTURE) $(LIB_OBJS) $(LDLIBS) $(shell $(PKG) --libs $(TEST_PC))

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get update -q && $$SUDO apt-get install -y -q $(DEB_PACKAGES)

test-unit: $(UNIT_BINS)
	@tests/run.sh --unit $(UNIT_BINS)

test-integration: $(BIN)
	@SPATE_BIN=$(CURDIR)/$(BIN) tests/run.sh --integration

# one run, one closing line "N passed, N failed"
test: $(BIN) $(UNIT_BINS)
	@SPATE_BIN=$(CURDIR)/$(BIN) tests/run.sh --unit $(UNIT_BINS) --integration

check:
	@$(MAKE) --no-print-directory BUILD=asan test
	@$(MAKE) --no-print-directory fuzz-short

# --- fuzzing: libFuzzer targets tests/fuzz/fuzz_<name>.c, built by clang in
# build/fuzz (src compiled with -fsanitize=fuzzer-no-link,address,undefined;
# the gcc builds above are untouched). tests/fuzz/run.sh runs each target in
# a loopback-only network namespace, keeps new inputs and crash artifacts in
# a temp dir (the checked-in corpus tests/fuzz/corpus/<name>/ is read only)
# and prints them on failure.
FUZZ_CC      ?= clang
FUZZ_CXX     ?= clang++
FUZZ_OUT      = build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PC_CFLAGS)
FUZZ_CXXFLAGS = -std=c++17 $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PC_CFLAGS)
FUZZ_OBJS    := $(filter-out $(FUZZ_OUT)/src/main.o,$(C_SRCS:%.c=$(FUZZ_OUT)/%.o) $(CXX_SRCS:%.cpp=$(FUZZ_OUT)/%.o))
FUZZ_NAMES   := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_OUT)/fuzz_%)

$(FUZZ_OUT)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(call internal,$<) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/src/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(CPPFLAGS) $(call internal,$<) $(FUZZ_CXXFLAGS) -c -o $@ $<

# an archive, so a target links only the objects it uses
$(FUZZ_OUT)/libspate.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_engine.h $(FUZZ_OUT)/libspate.a
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@.o $<
	$(FUZZ_CXX) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $@.o $(FUZZ_OUT)/libspate.a $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-short: fuzz-build
	@tests/fuzz/run.sh 10 $(FUZZ_BINS)

$(OUT)/bench/ui_render: bench/ui_render.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@.o -c $<
	$(CXX) $(SANFLAGS) -o $@ $@.o $(LIB_OBJS) $(LDLIBS)

$(OUT)/bench/db_check: bench/db_check.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@.o -c $<
	$(CXX) $(SANFLAGS) -o $@ $@.o $(LIB_OBJS) $(LDLIBS)

bench: all $(OUT)/bench/ui_render $(OUT)/bench/db_check
	@$(OUT)/bench/db_check
	@SPATE_BIN=$(CURDIR)/spate bench/swarm
	@SPATE_BIN=$(CURDIR)/spate bench/mount
	@SPATE_BIN=$(CURDIR)/spate bench/disk
	@SPATE_BIN=$(CURDIR)/spate BENCH_UI_RENDER=$(CURDIR)/$(OUT)/bench/ui_render bench/ui


install: spate
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/spate/themes
	install -m 0755 spate $(DESTDIR)$(PREFIX)/bin/spate
	if ls themes/*.theme >/dev/null 2>&1; then install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/spate/themes/; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/spate
	rm -rf $(DESTDIR)$(PREFIX)/share/spate

# docs/settings.md from the settings registry (tests/unit/test_settings_doc.c
# checks it is up to date)
$(OUT)/tools/gen_settings_doc: tools/gen_settings_doc.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@.o -c $<
	$(CXX) $(SANFLAGS) -o $@ $@.o $(LIB_OBJS) $(LDLIBS)

# the command list of docs/protocol.md from the command table
# (tests/unit/test_cmd_table.c checks it)
$(OUT)/tools/gen_protocol_doc: tools/gen_protocol_doc.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@.o -c $<
	$(CXX) $(SANFLAGS) -o $@ $@.o $(LIB_OBJS) $(LDLIBS)

docs: $(OUT)/tools/gen_settings_doc $(OUT)/tools/gen_protocol_doc
	$(OUT)/tools/gen_settings_doc > docs/settings.md.tmp && mv docs/settings.md.tmp docs/settings.md
	$(OUT)/tools/gen_protocol_doc docs/protocol.md > docs/protocol.md.tmp && mv docs/protocol.md.tmp docs/protocol.md

clean:
	rm -rf build spate spate-asan tests/out bench/out

FMT_FILES = $(shell find src tests tools bench -name '*.c' -o -name '*.h' -o -name '*.cpp')
format:
	clang-format -i $(FMT_FILES)

format-check:
	clang-format --dry-run --Werror $(FMT_FILES)

-include $(OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) $(TEST_FIXTURE:.o=.d)
