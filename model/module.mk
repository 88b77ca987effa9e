# model/: the GPT-2 inference core (libmodel, linked by eval) and bin/model.
MODULES += model
model_SRCS := model/blas.c model/safetensors.c model/load.c model/kernels.c model/forward.c \
	model/score.c model/kv.c model/init.c model/resolve.c
model_BIN_SRCS := model/main.c model/cmd_info_init.c model/cmd_logprobs.c model/cmd_generate.c model/cmd_next.c
BIN_SPECS += model:$(call csv,$(model_BIN_SRCS)):model,tokenize
TEST_SPECS += test_model:$(call csv,$(wildcard tests/unit/model_*.c)):model
PKGS += openblas
# The element-wise kernels use 64-byte GCC vectors, cloned per ISA.
$(BUILD)/model/kernels.o: CFLAGS += -O3 -Wno-psabi
