# eval/: zero-shot benchmarks of the GPT-2 paper (libeval + bin/eval), linked
# with model/ and tokenize/ (eval first: it uses both).
MODULES += eval
eval_SRCS := eval/detok.c eval/stopwords.c eval/sha256.c eval/score.c eval/lambada_data.c \
	eval/cbt_data.c eval/task_lambada.c eval/task_cbt.c eval/task_words.c eval/task_bytes.c \
	eval/task_webtext.c eval/tasks.c eval/results.c eval/cmd_table.c
BIN_SPECS += eval:eval/main.c:eval,model,tokenize
TEST_SPECS += test_eval:$(call csv,$(wildcard tests/unit/eval_*.c)):eval,model,tokenize
PKGS += libcrypto
