# tokenize/: GPT-2 byte-level BPE. libtokenize (linked by eval/ and model/)
# and bin/tokenize (encode, decode, shards).
MODULES += tokenize
tokenize_SRCS := tokenize/buffers.c tokenize/unicode_tables.c tokenize/pretok.c tokenize/vocab.c tokenize/bpe.c \
	tokenize/encode.c tokenize/shard.c
BIN_SPECS += tokenize:$(call csv,tokenize/main.c tokenize/cmd_text.c tokenize/cmd_shards.c):tokenize
TEST_SPECS += test_tokenize:$(call csv,$(wildcard tests/unit/tokenize_*.c)):tokenize
