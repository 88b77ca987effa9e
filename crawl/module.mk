# crawl/: `bin/crawl urls` (Pushshift dumps -> deduplicated URL shards) and
# `bin/crawl fetch` (URL shards -> WARC). The default exclusion lists in
# crawl/filters/ are embedded into the binary through a generated C file.
MODULES += crawl
crawl_SRCS := $(filter-out crawl/main.c,$(wildcard crawl/*.c)) $(BUILD)/gen/crawl_filters.c
BIN_SPECS += crawl:crawl/main.c:crawl
PKGS += libpsl libcurl libidn2 libxxhash
# `crawl urls` tests (tests/unit/crawl_url*.c, with their own main) and the
# other crawl tests (crawl_fetch_*.c) are two binaries, so each can own a main().
TEST_SPECS += test_crawl_urls:$(call csv,$(wildcard tests/unit/crawl_url*.c)):crawl
crawl_other_tests := $(filter-out tests/unit/crawl_url%,$(wildcard tests/unit/crawl_*.c))
ifneq ($(strip $(crawl_other_tests)),)
TEST_SPECS += test_crawl:$(call csv,$(crawl_other_tests)):crawl
endif

$(BUILD)/gen/crawl_filters.c: crawl/embed_lists.sh $(wildcard crawl/filters/*.txt)
	@mkdir -p $(@D)
	crawl/embed_lists.sh $@
TEST_SPECS += test_crawl_fetch:$(call csv,$(wildcard tests/unit/fetchtest_*.c)):crawl
