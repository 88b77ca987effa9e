/* The task table: names as the command line takes them, the files each task
 * looks for under the data root (the layout get-eval-data.sh creates), and
 * the function that runs it. Order = the paper's Table 3 columns. */
#include "eval/eval.h"

#include <string.h>

static const eval_task tasks[] = {
    {"lambada",
     {"lambada/lambada_test_openai.jsonl", "lambada/lambada_test.jsonl",
      "lambada/lambada_test_plain_text.txt"},
     "LAMBADA last-word prediction: acc, ppl, acc_stopword_filter",
     eval_task_lambada},
    {"cbt-cn",
     {"cbt/cbtest_CN_test_2500ex.txt", "CBTest/data/cbtest_CN_test_2500ex.txt", NULL},
     "Children's Book Test, common nouns: acc over 10 candidates",
     eval_task_cbt},
    {"cbt-ne",
     {"cbt/cbtest_NE_test_2500ex.txt", "CBTest/data/cbtest_NE_test_2500ex.txt", NULL},
     "Children's Book Test, named entities: acc over 10 candidates",
     eval_task_cbt},
    {"wikitext2",
     {"wikitext-2/wiki.test.tokens", NULL, NULL},
     "WikiText-2 test: word_ppl, token_ppl (detokenized)",
     eval_task_words},
    {"ptb",
     {"ptb/ptb.test.txt", NULL, NULL},
     "Penn Treebank test (Mikolov): word_ppl, token_ppl",
     eval_task_words},
    {"enwik8", {"enwik8/enwik8", NULL, NULL}, "enwik8, last 5 MB: bpb", eval_task_bytes},
    {"text8", {"text8/text8", NULL, NULL}, "text8, last 5 M characters: bpc", eval_task_bytes},
    {"wikitext103",
     {"wikitext-103/wiki.test.tokens", NULL, NULL},
     "WikiText-103 test: word_ppl, token_ppl (detokenized)",
     eval_task_words},
    {"1bw",
     {"1bw/news.en.heldout-00000-of-00050", NULL, NULL},
     "One Billion Word benchmark, held-out shard 0: word_ppl, token_ppl",
     eval_task_words},
    {"webtext",
     {"webtext", NULL, NULL},
     "WebText token shards (tokens-*.bin.zst in a folder, or --webtext DIR): token_ppl",
     eval_task_webtext},
};

const eval_task *eval_tasks(size_t *n) {
    *n = sizeof tasks / sizeof *tasks;
    return tasks;
}
