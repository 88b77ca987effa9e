# webtext: top-level build. `make` builds bin/*; see `make help`.
# Each directory contributes a module.mk fragment (sources, binaries, tests,
# pkg-config names); this file only holds the shared rules.

.DEFAULT_GOAL := all
SHELL := /bin/bash

comma := ,
empty :=
space := $(empty) $(empty)
# csv LIST: a space-separated list as one comma-separated word (for *_SPECS)
csv = $(subst $(space),$(comma),$(strip $(1)))
SAN ?= 0
FUZZ ?= 0
ifeq ($(FUZZ),1)
# libFuzzer build: every library instrumented for coverage, ASan + UBSan.
CC := clang
BUILD ?= build-fuzz
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -DWT_FUZZING
OPT ?= -O1 -g
else ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT ?= -O1 -g
else
BUILD ?= build
SANFLAGS :=
OPT ?= -O2 -g
endif
BINDIR ?= $(if $(filter bin,$(BUILD:build=bin)),bin,$(BUILD)/bin)

CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif
# The data folder that `make data` fills (lib/paths.h): WEBTEXT_DATA overrides it.
WEBTEXT_DATA ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/webtext/data
export WEBTEXT_DATA
# make test STRICT=1: a skipped test counts as failed (CI).
STRICT ?= 0
PREFIX ?= /usr/local
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# Modules add pkg-config names to PKGS and plain -l flags to EXTRA_LIBS.
PKGS := zlib liblzma libzstd jansson
EXTRA_LIBS := -lbz2 -lpthread -lm
BINS :=
TESTS :=
FUZZERS :=
LIBS :=

include $(sort $(wildcard */module.mk))

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS ?=
CFLAGS += -std=c11 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -MMD -MP \
	-I. -Ilib $(PKG_CFLAGS) $(SANFLAGS) -DWEBTEXT_VERSION='"$(VERSION)"'
LDFLAGS += $(SANFLAGS)
LDLIBS := $(PKG_LIBS) $(EXTRA_LIBS)

# add_lib NAME: $(BUILD)/libNAME.a from $(NAME_SRCS)
define add_lib
$(1)_OBJS := $$(patsubst %.c,$$(BUILD)/%.o,$$($(1)_SRCS))
$$(BUILD)/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	$$(AR) rcs $$@ $$^
LIBS += $$(BUILD)/lib$(1).a
endef

# add_bin NAME MAIN_SRCS LIBNAMES: $(BINDIR)/NAME, linked with libLIBNAMES then libwebtext
define add_bin
$$(BINDIR)/$(1): $$(patsubst %.c,$$(BUILD)/%.o,$(2)) $$(foreach l,$(3) webtext,$$(BUILD)/lib$$(l).a)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
BINS += $$(BINDIR)/$(1)
endef

# add_test NAME SRCS LIBNAMES: $(BUILD)/tests/NAME, a cmocka test binary (with tests/unit/testutil.c)
define add_test
$$(BUILD)/tests/$(1): $$(patsubst %.c,$$(BUILD)/%.o,$(2) tests/unit/testutil.c) $$(foreach l,$(3) webtext,$$(BUILD)/lib$$(l).a)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS) -lcmocka
TESTS += $$(BUILD)/tests/$(1)
endef

# add_fuzz NAME SRCS LIBNAMES: $(BUILD)/fuzz/NAME, a libFuzzer target (FUZZ=1 only)
define add_fuzz
$$(BUILD)/fuzz/$(1): $$(patsubst %.c,$$(BUILD)/%.o,$(2)) $$(foreach l,$(3) webtext,$$(BUILD)/lib$$(l).a)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -fsanitize=fuzzer -o $$@ $$^ $$(LDLIBS)
FUZZERS += $$(BUILD)/fuzz/$(1)
endef

$(foreach m,$(MODULES),$(eval $(call add_lib,$(m))))
$(foreach b,$(BIN_SPECS),$(eval $(call add_bin,$(word 1,$(subst :, ,$(b))),$(subst $(comma), ,$(word 2,$(subst :, ,$(b)))),$(subst $(comma), ,$(word 3,$(subst :, ,$(b)))))))
$(foreach t,$(TEST_SPECS),$(eval $(call add_test,$(word 1,$(subst :, ,$(t))),$(subst $(comma), ,$(word 2,$(subst :, ,$(t)))),$(subst $(comma), ,$(word 3,$(subst :, ,$(t)))))))

$(foreach f,$(FUZZ_SPECS),$(eval $(call add_fuzz,$(word 1,$(subst :, ,$(f))),$(subst $(comma), ,$(word 2,$(subst :, ,$(f)))),$(subst $(comma), ,$(word 3,$(subst :, ,$(f)))))))

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

.PHONY: all help deps data test test-unit test-san bench demo fuzz fuzz-build fuzz-run install clean format format-check
ifeq ($(FUZZ),1)
all: $(FUZZERS)
else
all: $(BINS) $(TESTS) $(EXTRA_TARGETS)
endif

help:
	@echo "make            build bin/* (and the test binaries)"
	@echo "make deps       install the Debian packages, the GPT-2 vocabulary, test references and data"
	@echo "make data       fetch the real data sets into \$$WEBTEXT_DATA (sha256-checked; see README)"
	@echo "make test       run every test (unit + end-to-end); SAN=1 for ASan+UBSan"
	@echo "make test-san   the same under AddressSanitizer and UBSan (build-san/)"
	@echo "make bench      benchmarks against the anchors, each printing a ratio"
	@echo "make demo       the offline end-to-end demo"
	@echo "make fuzz       build the libFuzzer targets (build-fuzz/fuzz/fuzz_*); fuzz-run runs them"
	@echo "make format     clang-format every C file"

deps:
	@scripts/deps.sh
	@python3 scripts/get_data.py --quiet || \
	  echo "deps: the data sets are incomplete (above); tests that need them will be skipped" >&2

data:
	@python3 scripts/get_data.py

test: deps
	@$(MAKE) --no-print-directory all
	@WEBTEXT_BIN=$(abspath $(BINDIR)) WEBTEXT_BUILD=$(abspath $(BUILD)) \
	  WEBTEXT_TEST_STRICT=$(STRICT) tests/run.sh

test-san:
	@$(MAKE) --no-print-directory test SAN=1

bench: all
	@WEBTEXT_BIN=$(abspath $(BINDIR)) bench/run.sh $(BENCH)

# make fuzz: build every fuzz_* target with clang + libFuzzer into build-fuzz/fuzz/;
# make fuzz-run FUZZ_SECONDS=30: run each on its generated seed corpus.
fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 all
fuzz-run: fuzz
	@fuzz/run.sh $(abspath build-fuzz) $(or $(FUZZ_SECONDS),30)

# The offline demo: synthetic Pushshift dump + web site on 127.0.0.1, every stage,
# report and results table in $(DEMO_OUT) (EXECUTOR=slurm for the Slurm path).
demo:
	@DEMO_OUT=$(or $(DEMO_OUT),out/demo) EXECUTOR=$(or $(EXECUTOR),local) pipelines/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-san build-fuzz bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
