# dedup/: Wikipedia and domain filter, URL, exact and MinHash near-duplicate
# removal as four shard-parallel steps, and the paper's 8-gram overlap.
MODULES += dedup
dedup_MAIN := dedup/main.c dedup/main_overlap.c
dedup_SRCS := $(filter-out $(dedup_MAIN),$(wildcard dedup/*.c))
PKGS += libxxhash libutf8proc
BIN_SPECS += dedup:$(call csv,$(dedup_MAIN)):dedup
TEST_SPECS += test_dedup:$(call csv,$(wildcard tests/unit/dedup_*.c)):dedup
