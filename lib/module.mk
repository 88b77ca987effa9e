# lib/: libwebtext, the plumbing every stage shares. Depends on nothing of ours.
MODULES += webtext
webtext_SRCS := $(wildcard lib/*.c)
TEST_SPECS += test_lib:$(call csv,$(wildcard tests/unit/lib_*.c)):
PKGS += libcrypto
PKGS += libdeflate
