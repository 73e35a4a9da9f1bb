# ustap: SystemTap scripts without a kernel module.
#   make            build ./ustap (installs missing Debian -dev packages when run as root)
#   make check      build and run every test; ends with "N passed, N failed" (T=PATTERN: some)
#   make check SAN=1  the same under ASan+UBSan
#   make demo       build and trace a bundled example program
#   make bench      performance ratios against peers (bpftrace, Lua)
#   make install    binary, tapset/ and man page under $(PREFIX)
# Several people may build in one tree at once: BUILD=dir keeps objects apart.

ARCH    ?= $(shell uname -m)
PREFIX  ?= /usr/local
SAN     ?=
BUILD   ?= build$(if $(SAN),-san)
CC      ?= gcc
TCC     ?= gcc
DEPS    ?= deps
WERROR  ?= -Werror

# systemtap-sdt-dev: <sys/sdt.h> for the SDT marker test targets (tests/targets/sdt_*.c)
# g++: the C++ exception test (tests/stp/process/cxx_eh.cc)
DEB_PKGS := libelf-dev libdw-dev libunwind-dev libpfm4-dev zlib1g-dev systemtap-sdt-dev g++
DEB_HDRS := /usr/include/libelf.h /usr/include/elfutils/libdw.h /usr/include/perfmon/pfmlib.h /usr/include/zlib.h \
            $(or $(wildcard /usr/include/libunwind-ptrace.h /usr/include/*/libunwind-ptrace.h),/usr/include/libunwind-ptrace.h) \
            $(or $(wildcard /usr/include/sys/sdt.h /usr/include/*/sys/sdt.h),/usr/include/sys/sdt.h) \
            /usr/bin/g++
# gcc-N-multilib: the i386 test targets (a "// CFLAGS: -m32" line, tests/stp/process/m32_*).
# Not the gcc-multilib metapackage: Debian makes it conflict with the cross compilers (make
# arm64's gcc-aarch64-linux-gnu), gcc-N-multilib does not.
ifeq ($(ARCH),x86_64)
DEB_PKGS += gcc-$(shell $(TCC) -dumpversion 2>/dev/null | cut -d. -f1)-multilib
DEB_HDRS += /usr/lib32/crt1.o
endif

CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra $(WERROR) -Wno-unused-parameter -Wno-missing-field-initializers \
           -fno-strict-aliasing -D_GNU_SOURCE -I. -Ilang -Itracer -Iarch/$(ARCH) \
           -DUSTAP_TAPSET_DIR='"$(PREFIX)/share/ustap/tapset"'
LDLIBS  := -ldw -lelf -lunwind-ptrace -lunwind-generic -lunwind -lpfm -lz -lm -lpthread
ifneq ($(SAN),)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# FUZZ=1 (make fuzz): clang, libFuzzer's coverage, ASan+UBSan (not nonnull-attribute: qsort(NULL, 0)
# nits stop a run on every empty list; make check SAN=1 still reports them)
ifneq ($(FUZZ),)
CC      := clang
CFLAGS  += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined -fno-sanitize=nonnull-attribute
endif

SRCS    := $(wildcard lang/*.c tracer/*.c arch/$(ARCH)/*.c)
LIBSRCS := $(filter-out tracer/main.c,$(SRCS))
OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(SRCS))
LIBOBJS := $(patsubst %.c,$(BUILD)/%.o,$(LIBSRCS))
UNITS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/*.c))
TARGETS := $(wildcard tests/targets/*.c)
TBIN    := $(patsubst tests/targets/%.c,$(BUILD)/tests/targets/%,$(TARGETS)) \
           $(patsubst tests/targets/%.c,$(BUILD)/tests/targets/%-O2,$(TARGETS))

.PHONY: all deps guest-deps check demo bench install clean fuzz
all: deps ustap

# The root ./ustap is the default build's binary; other BUILD dirs keep their own.
ifeq ($(BUILD),build)
ustap: $(BUILD)/ustap
	cp $< $@
else
ustap: $(BUILD)/ustap
endif

deps:
	@missing=""; for h in $(DEB_HDRS); do [ -e $$h ] || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $(DEB_PKGS)"; \
	    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEB_PKGS)) >/dev/null || exit 1; \
	  else \
	    echo "ustap needs: sudo apt-get install -y $(DEB_PKGS)"; exit 1; \
	  fi; \
	fi

$(BUILD)/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libustap.a: $(LIBOBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/ustap: $(BUILD)/tracer/main.o $(BUILD)/libustap.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libustap.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Targets are traced, never instrumented: no sanitizers, -g always, -O0 and -O2. A
# "// CFLAGS: ..." line adds compile flags (-m32: an i386 program, on x86_64 only).
TFLAGS = $(shell sed -n 's|^// *CFLAGS: *||p' $<) $(shell sed -n 's|^// *LDFLAGS: *||p' $<)
TARCH  = $(if $(filter x86_64,$(ARCH)),$(TFLAGS),$(filter-out -m32,$(TFLAGS)))
$(BUILD)/tests/targets/%: tests/targets/%.c
	@mkdir -p $(dir $@)
	$(TCC) -g -O0 -fno-omit-frame-pointer -o $@ $< -lpthread $(TARCH)
$(BUILD)/tests/targets/%-O2: tests/targets/%.c
	@mkdir -p $(dir $@)
	$(TCC) -g -O2 -o $@ $< -lpthread $(TARCH)

# The kernel tests also run in a qemu guest with Debian's kernel (it has kprobes): as root,
# install what the guest needs; where it can't be installed those tests say "skipped".
GUEST_PKGS := qemu-system-x86 linux-image-amd64 busybox-static cpio
guest-deps:
	@if ! command -v qemu-system-x86_64 >/dev/null || ! ls /boot/vmlinuz-*-amd64 >/dev/null 2>&1 || \
	    ! command -v busybox >/dev/null || ! command -v cpio >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $(GUEST_PKGS) (for the kprobe tests in a qemu guest)"; \
	    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(GUEST_PKGS)) >/dev/null 2>&1 || \
	      echo "could not install $(GUEST_PKGS): the guest tests will be skipped"; \
	  else \
	    echo "for the kprobe tests in a qemu guest: sudo apt-get install -y $(GUEST_PKGS)"; \
	  fi; \
	fi

# Leak checking stays off: arenas and the session are released by exit, on purpose.
check: deps guest-deps $(if $(filter build,$(BUILD)),check-arm64-build) $(BUILD)/ustap $(if $(filter build,$(BUILD)),ustap) $(UNITS) $(TBIN)
	@ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  BUILD=$(BUILD) USTAP=$(BUILD)/ustap tests/run $(T)

# Not part of check: lex+parse+elab+compile on random scripts for FUZZ_TIME seconds (libFuzzer,
# clang). Seeds: every script of the test suite. Crashes land in build-fuzz/crash-*.
FUZZ_TIME ?= 60
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz FUZZ=1 WERROR= build-fuzz/fuzz_compile
	@mkdir -p build-fuzz/corpus build-fuzz/seeds
	@for f in tests/parseok/*.stp tests/semok/*.stp $$(find tests/stp -name '*.stp'); do \
	  cp $$f build-fuzz/seeds/$$(echo $$f | tr / _); done
	cd build-fuzz && ASAN_OPTIONS=detect_leaks=0 ./fuzz_compile -jobs=1 -timeout=10 -rss_limit_mb=2048 \
	  -max_len=4096 -max_total_time=$(FUZZ_TIME) -print_final_stats=1 corpus seeds

$(BUILD)/fuzz_compile: tests/fuzz/fuzz_compile.c $(BUILD)/libustap.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -DFUZZ_TAPSET_DIR='"$(CURDIR)/tapset"' -o $@ $^ $(LDLIBS)

demo: deps ustap $(BUILD)/tests/targets/demo
	./ustap examples/demo.stp -c $(BUILD)/tests/targets/demo

bench: deps ustap $(BUILD)/tests/targets/bench_getppid-O2 $(BUILD)/tests/targets/bench_hit-O2
	@BUILD=$(BUILD) bench/run

install: ustap
	install -D -m 755 ustap $(DESTDIR)$(PREFIX)/bin/ustap
	mkdir -p $(DESTDIR)$(PREFIX)/share/ustap/tapset
	cp -r tapset/. $(DESTDIR)$(PREFIX)/share/ustap/tapset/
	install -D -m 644 ustap.1 $(DESTDIR)$(PREFIX)/share/man/man1/ustap.1

clean:
	rm -rf build build-* ustap

# arch/aarch64 and the breakpoint engine built for aarch64 (compile only; needs the Debian
# package gcc-aarch64-linux-gnu).
CROSS_AARCH64 := $(wildcard arch/aarch64/*.c) tracer/ptrace.c tracer/bkpt.c tracer/shadow.c tracer/module.c \
                 tracer/ctx_ptrace.c tracer/bi_context.c
cross-aarch64:
	@for f in $(CROSS_AARCH64); do echo "aarch64-linux-gnu-gcc $$f"; \
	  aarch64-linux-gnu-gcc $(filter-out -Iarch/$(ARCH) -fsanitize%,$(CFLAGS)) -Iarch/aarch64 \
	    -c $$f -o /dev/null || exit 1; done

# aarch64 for real on an x86_64 host (make arm64): ustap, its unit tests and the test targets
# cross-built against Debian's arm64 packages unpacked into build-arm64/sysroot; make
# check-aarch64 boots Debian's arm64 kernel in qemu-system-aarch64 and runs the process tests
# there (tests/qemu/run-guest-arm64.sh). make arm64-deps (root) installs the cross compiler and
# qemu, with dpkg --add-architecture arm64.
A64_BUILD := build-arm64
A64_CC    := aarch64-linux-gnu-gcc --sysroot=$(CURDIR)/$(A64_BUILD)/sysroot
A64_PKGS  := gcc-aarch64-linux-gnu qemu-system-arm
.PHONY: arm64 arm64-deps check-aarch64 check-arm64-build targets units
targets: $(TBIN)
units: $(UNITS)
arm64-deps:
	@if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-system-aarch64 >/dev/null || \
	    ! dpkg --print-foreign-architectures | grep -qx arm64 || \
	    ! apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $(A64_PKGS) and the arm64 package lists (for the aarch64 guest)"; \
	    (dpkg --add-architecture arm64 && apt-get update && \
	     DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(A64_PKGS)) >/dev/null 2>&1 || \
	      echo "could not install $(A64_PKGS): the aarch64 guest tests will be skipped"; \
	  else \
	    echo "for the aarch64 guest: sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install -y $(A64_PKGS)"; \
	  fi; \
	fi
arm64: arm64-deps
	@tests/qemu/arm64-sysroot.sh $(A64_BUILD)/sysroot
	@$(MAKE) --no-print-directory ARCH=aarch64 BUILD=$(A64_BUILD) CC="$(A64_CC)" TCC="$(A64_CC)" DEPS= \
	  $(A64_BUILD)/ustap
	@$(MAKE) --no-print-directory -k ARCH=aarch64 BUILD=$(A64_BUILD) CC="$(A64_CC)" TCC="$(A64_CC)" DEPS= \
	  targets units || echo "make arm64: some test targets did not build for aarch64 (their tests fail)"
# make check (default build): the aarch64 build for tests/stp/process/aarch64_guest, never fatal
check-arm64-build:
	@$(MAKE) --no-print-directory arm64 >/dev/null 2>&1 || \
	  echo "make arm64 failed: the aarch64 guest test is skipped (make arm64 says why)"
check-aarch64: arm64
	@tests/qemu/run-guest-arm64.sh $(A64_BUILD) $(T)

-include $(OBJS:.o=.d)
