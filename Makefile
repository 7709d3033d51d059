# skbfilter — plain Makefile with pkg-config.
#   make                      build ./skbfilter
#   make test                 unit + generated + fixture tests
#   make check                the same tests built with SANITIZE=address,undefined
#   make fuzz FUZZ_SECONDS=N  run every libFuzzer target (clang)
#   make bench                benchmarks (not tests)
#   make install PREFIX=...   install binary, man page and bash completion (DESTDIR= too)
#   V=1                       show commands
PREFIX ?= /usr/local
CC ?= cc
PKGS := libelf zlib lzo2 snappy libzstd liblzma libpcap libbpf
# libcurl: headers only.  src/io/remote.c dlopen()s it when a URL is opened, so
# local runs do not map it and the ~30 libraries it pulls in (docs/remote.md).
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libcurl 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# dlopen() is in libc from glibc 2.34; before that (and on some other libcs) in libdl.
LIBDL := $(shell printf '\043include <dlfcn.h>\nint main(void){return !dlopen("x",RTLD_NOW);}\n' | \
	$(CC) -x c -o /dev/null - >/dev/null 2>&1 || echo -ldl)

SANITIZE ?=
BUILD ?= build$(if $(SANITIZE),/san,/std)

WARN := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wformat=2 -Wvla
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) -Iinclude -Isrc -D_FILE_OFFSET_BITS=64 -D_GNU_SOURCE $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS)
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif
# libbz2 ships no pkg-config file on Debian 12
LIBS := $(PKG_LIBS) -lbz2 -lsnappy -lstdc++ -lm -lpthread $(LIBDL)

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRCS := $(sort $(wildcard src/*/*.c arch/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libskbfilter.a
MAIN_OBJ := $(BUILD)/src/main.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
GEN_SRCS := $(sort $(wildcard tests/gen/*.c))
GEN_BINS := $(GEN_SRCS:tests/gen/%.c=$(BUILD)/tests/gen/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
# Fuzz targets are compiled in every build (with a file-replay driver) so they cannot rot.
FUZZ_REPLAY := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
SKBFILTER_BIN := $(if $(SANITIZE),$(BUILD)/skbfilter,skbfilter)

.PHONY: all test check fuzz bench damage install deb clean
# Keep object files of test binaries (they are intermediates of pattern rules).
.SECONDARY:
all: $(SKBFILTER_BIN) $(UNIT_BINS) $(GEN_BINS) $(FUZZ_REPLAY)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(SKBFILTER_BIN): $(MAIN_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/gen/%: $(BUILD)/tests/gen/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/fuzz/replay.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

test: all
	$(Q)BUILD=$(BUILD) SKBFILTER=$(abspath $(SKBFILTER_BIN)) tests/run.sh

check:
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined test

FUZZ_SECONDS ?= 60
FUZZ_BUILD := build/fuzz
fuzz:
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZ_BUILD) PKG_CFLAGS="$(PKG_CFLAGS)" LIBS="$(LIBS)" tests/fuzz/run.sh

bench: all
	$(Q)SKBFILTER=$(abspath $(SKBFILTER_BIN)) BUILD=$(BUILD) bench/run.sh

damage: all
	$(Q)SKBFILTER=$(abspath $(SKBFILTER_BIN)) BUILD=$(BUILD) tests/damage/run.sh

# The installed binary is always the plain build, whatever make invoked this
# (`make check` runs the tests with SANITIZE set, and a test runs make install).
install:
	$(Q)$(MAKE) --no-print-directory SANITIZE= BUILD=build/std skbfilter
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0755 skbfilter $(DESTDIR)$(PREFIX)/bin/skbfilter
	install -m 0644 docs/skbfilter.1 $(DESTDIR)$(PREFIX)/share/man/man1/skbfilter.1
	install -m 0644 tools/completion/skbfilter.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/skbfilter

# A .deb from debian/ (dpkg-buildpackage writes it to the parent directory).
deb:
	dpkg-buildpackage -us -uc -b

clean:
	rm -rf build skbfilter

-include $(shell find build -name '*.d' 2>/dev/null)
