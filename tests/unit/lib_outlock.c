/* Tests of lib/outlock: the holder details, a second taker refused with a
 * message naming the holder and nothing changed, a stale lock file taken
 * over, a lock dropped by the kernel when its holder is killed, folders. */
#include "lib_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "outlock.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = calloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_holder_details_and_release(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), out[512], lockf[600], want[64];
    snprintf(out, sizeof out, "%s/crawl-00000.warc.gz", dir);
    snprintf(lockf, sizeof lockf, "%s/.crawl-00000.warc.gz.lock", dir); /* hidden, beside */
    wt_outlock l = {0};
    wt_error err;
    assert_int_equal(wt_outlock_take(&l, out, WT_LOCK_FILE, &err), 0);
    assert_true(l.held);
    char *text = slurp(lockf);
    assert_non_null(text);
    snprintf(want, sizeof want, "pid %ld\nhost ", (long)getpid());
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "\nsince 20"));
    assert_non_null(strstr(text, "\ncommand "));
    free(text);
    wt_outlock_release(&l);
    assert_false(l.held);
    assert_false(wt_file_exists(lockf)); /* removed at the end */
    wt_outlock_release(&l);              /* a second release is a no-op */
    tu_rmdir(dir);
}

static void test_second_taker_refused(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), out[512], lockf[600], want[700];
    snprintf(out, sizeof out, "%s/docs.jsonl.zst", dir);
    snprintf(lockf, sizeof lockf, "%s/.docs.jsonl.zst.lock", dir);
    wt_outlock a = {0}, b = {0};
    wt_error err;
    assert_int_equal(wt_outlock_take(&a, out, WT_LOCK_FILE, &err), 0);
    char *before = slurp(lockf);
    struct stat st0, st1;
    assert_int_equal(stat(lockf, &st0), 0);
    /* another open file description: refused like another process */
    assert_int_equal(wt_outlock_take(&b, out, WT_LOCK_FILE, &err), 1);
    assert_false(b.held);
    snprintf(want, sizeof want, "%s is being written by pid %ld on host ", out, (long)getpid());
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "(command: "));
    assert_non_null(strstr(err.msg, "; refusing"));
    char *after = slurp(lockf);
    assert_string_equal(before, after); /* nothing changed */
    assert_int_equal(stat(lockf, &st1), 0);
    assert_int_equal(st0.st_mtim.tv_sec, st1.st_mtim.tv_sec);
    assert_int_equal(st0.st_mtim.tv_nsec, st1.st_mtim.tv_nsec);
    assert_int_equal(wt_outlock_main(&b, "test", out, WT_LOCK_FILE), WT_EXIT_LOCKED);
    wt_outlock_release(&b); /* not held: no effect on a's file */
    assert_true(wt_file_exists(lockf));
    wt_outlock_release(&a);
    assert_int_equal(wt_outlock_take(&b, out, WT_LOCK_FILE, &err), 0);
    wt_outlock_release(&b);
    free(before);
    free(after);
    tu_rmdir(dir);
}

static void test_stale_file_taken_over(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), out[512], lockf[600], want[64];
    snprintf(out, sizeof out, "%s/x", dir);
    snprintf(lockf, sizeof lockf, "%s/.x.lock", dir);
    FILE *f = fopen(lockf, "w");
    assert_non_null(f);
    fputs("pid 999999\nhost elsewhere\nsince 2000-01-01T00:00:00Z\ncommand old run with a much "
          "longer command line than ours\n",
          f);
    fclose(f);
    wt_outlock l = {0};
    wt_error err;
    assert_int_equal(wt_outlock_take(&l, out, WT_LOCK_FILE, &err), 0);
    char *text = slurp(lockf);
    snprintf(want, sizeof want, "pid %ld\n", (long)getpid());
    assert_true(!strncmp(text, want, strlen(want)));
    assert_null(strstr(text, "elsewhere"));
    assert_null(strstr(text, "longer command")); /* truncated, not overwritten in place */
    free(text);
    wt_outlock_release(&l);
    tu_rmdir(dir);
}

static void test_killed_holder_never_blocks(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), out[512];
    snprintf(out, sizeof out, "%s/out", dir);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        wt_outlock l = {0};
        wt_error e;
        char c = wt_outlock_take(&l, out, WT_LOCK_DIR, &e) == 0 ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1) _exit(1);
        pause();
        _exit(0);
    }
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    wt_outlock l = {0};
    wt_error err;
    char want[64];
    assert_int_equal(wt_outlock_take(&l, out, WT_LOCK_DIR, &err), 1);
    snprintf(want, sizeof want, "by pid %ld on host", (long)child);
    assert_non_null(strstr(err.msg, want));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    char lockf[600];
    snprintf(lockf, sizeof lockf, "%s/.lock", out);
    assert_true(wt_file_exists(lockf)); /* left behind, unheld */
    assert_int_equal(wt_outlock_take(&l, out, WT_LOCK_DIR, &err), 0);
    wt_outlock_release(&l);
    close(ready[0]);
    close(ready[1]);
    tu_rmdir(dir);
}

static void test_folders_and_names(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), out[512], lockf[600];
    snprintf(out, sizeof out, "%s/a/b/work", dir);
    wt_outlock l = {0};
    wt_error err;
    assert_int_equal(wt_outlock_take(&l, out, "/.signatures-00003.lock", &err), 0);
    snprintf(lockf, sizeof lockf, "%s/.signatures-00003.lock", out);
    assert_true(wt_file_exists(lockf)); /* the folder was created */
    wt_outlock_release(&l);
    char *longname = malloc(5000);
    memset(longname, 'x', 4999);
    longname[4999] = '\0';
    assert_int_equal(wt_outlock_take(&l, longname, WT_LOCK_FILE, &err), -1);
    assert_non_null(strstr(err.msg, "too long"));
    assert_int_equal(wt_outlock_main(&l, "test", "/proc/no-such-dir/x", WT_LOCK_FILE),
                     WT_EXIT_FAIL);
    free(longname);
    /* a bare file name: the hidden lock file in the current folder */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(wt_outlock_take(&l, "plain.txt", WT_LOCK_FILE, &err), 0);
    assert_true(wt_file_exists(".plain.txt.lock"));
    wt_outlock_release(&l);
    assert_false(wt_file_exists(".plain.txt.lock"));
    assert_int_equal(chdir(cwd), 0);
    /* an empty lock file held by someone: the holder is unknown, said so */
    char empty[600], buf[1024];
    snprintf(empty, sizeof empty, "%s/empty.lock", dir);
    fclose(fopen(empty, "w"));
    wt_outlock_holder(empty, buf, sizeof buf);
    assert_non_null(strstr(buf, "an unknown process"));
    tu_rmdir(dir);
}

int lib_outlock_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_holder_details_and_release),
        cmocka_unit_test(test_second_taker_refused),
        cmocka_unit_test(test_stale_file_taken_over),
        cmocka_unit_test(test_killed_holder_never_blocks),
        cmocka_unit_test(test_folders_and_names),
    };
    return cmocka_run_group_tests_name("lib_outlock", tests, NULL, NULL);
}
