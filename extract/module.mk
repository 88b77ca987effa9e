# extract/: `bin/extract` (WARC response records -> JSON Lines documents:
# HTTP decoding, charset, gumbo parse, main-content extraction, language,
# filters) and the benchmark tools `extract score` / `extract speed`.
MODULES += extract
extract_SRCS := $(filter-out extract/main.c,$(wildcard extract/*.c))
BIN_SPECS += extract:extract/main.c:extract
PKGS += gumbo uchardet libxxhash libutf8proc libbrotlidec libexttextcat
TEST_SPECS += test_extract:$(call csv,$(wildcard tests/unit/extract_*.c)):extract
