/* The fetch loop over several sources (see fetch_sources.h). */
#include "crawl/fetch_sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKUP_MAGIC "#webtext cc-lookup 1"

int fetch_sources_parse(const char *list, fetch_opts *o, wt_error *err) {
    char *copy = strdup(list), *save = NULL;
    if (!copy) return wt_fail(err, "out of memory");
    o->n_sources = 0;
    int rc = 0;
    for (char *t = strtok_r(copy, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save)) {
        fetch_source s = SRC_COUNT;
        for (int k = 0; k < SRC_COUNT; k++)
            if (!strcmp(t, fetch_source_name((fetch_source)k))) s = (fetch_source)k;
        bool seen = false;
        for (int i = 0; i < o->n_sources; i++) seen |= o->sources[i] == s;
        if (s == SRC_COUNT || seen)
            rc = wt_fail(err, "--source: '%s' is %s (live, cc, wayback, each once)", t,
                         seen ? "repeated" : "not a source");
        else
            o->sources[o->n_sources++] = s;
    }
    free(copy);
    if (rc == 0 && !o->n_sources) rc = wt_fail(err, "--source: no source given");
    return rc;
}

/* Reads file i's next entry into l->line[i], l->json[i]. */
static int lookup_advance(fetch_lookup *l, size_t i, wt_error *err) {
    char *line;
    size_t len;
    for (;;) {
        int rc = wt_reader_getline(l->r[i], &line, &len, err);
        if (rc < 0) return -1;
        free(l->json[i]);
        l->json[i] = NULL;
        if (rc == 0) {
            l->line[i] = 0;
            return 0;
        }
        if (!len || line[0] == '#') continue;
        char *tab = memchr(line, '\t', len);
        char *end = NULL;
        unsigned long long no = strtoull(line, &end, 10);
        if (!tab || end != tab || no == 0)
            return wt_fail(err, "%s:%llu: not a cc-lookup line (LINE<TAB>JSON)",
                           wt_reader_path(l->r[i]), (unsigned long long)wt_reader_line_no(l->r[i]));
        if (no < l->line[i])
            return wt_fail(err, "%s:%llu: lines out of order", wt_reader_path(l->r[i]),
                           (unsigned long long)wt_reader_line_no(l->r[i]));
        l->line[i] = no;
        l->json[i] = strndup(tab + 1, len - (size_t)(tab + 1 - line));
        return l->json[i] ? 0 : wt_fail(err, "out of memory");
    }
}

int fetch_lookup_open(fetch_lookup *l, const char **paths, size_t n, const char *input,
                      wt_error *err) {
    memset(l, 0, sizeof *l);
    l->r = calloc(n, sizeof *l->r);
    l->line = calloc(n, sizeof *l->line);
    l->json = calloc(n, sizeof *l->json);
    if (!l->r || !l->line || !l->json) return wt_fail(err, "out of memory");
    l->n = n;
    const char *base = strrchr(input, '/') ? strrchr(input, '/') + 1 : input;
    for (size_t i = 0; i < n; i++) {
        if (!(l->r[i] = wt_reader_open(paths[i], err))) return -1;
        char *line;
        size_t len;
        int rc = wt_reader_getline(l->r[i], &line, &len, err);
        if (rc < 0) return -1;
        char want[1100];
        snprintf(want, sizeof want, LOOKUP_MAGIC " input=%s ", base);
        if (rc == 0 || len < strlen(want) || memcmp(line, want, strlen(want)))
            return wt_fail(err,
                           "%s: not a cc-lookup file of %s (HINT: give the files `crawl cc-lookup` "
                           "wrote for this URL file, named %s.CRAWL*.cc.tsv)",
                           paths[i], base, base);
        WT_TRY(lookup_advance(l, i, err));
    }
    return 0;
}

int fetch_lookup_attach(fetch_lookup *l, fetch_job *job, wt_error *err) {
    size_t len = 0;
    for (size_t i = 0; i < l->n; i++) {
        while (l->line[i] && l->line[i] < job->index) WT_TRY(lookup_advance(l, i, err));
        while (l->line[i] && l->line[i] == job->index) {
            size_t k = strlen(l->json[i]);
            char *p = realloc(job->captures, len + k + 2);
            if (!p) return wt_fail(err, "out of memory");
            memcpy(p + len, l->json[i], k);
            p[len + k] = '\n';
            p[len + k + 1] = '\0';
            job->captures = p;
            len += k + 1;
            l->entries++;
            WT_TRY(lookup_advance(l, i, err));
        }
    }
    return 0;
}

void fetch_lookup_close(fetch_lookup *l) {
    for (size_t i = 0; i < l->n; i++) {
        if (l->r && l->r[i]) wt_reader_close(l->r[i]);
        if (l->json) free(l->json[i]);
    }
    free(l->r), free(l->line), free(l->json);
    memset(l, 0, sizeof *l);
}

typedef struct loop {
    fetch_engine *live;
    archive_engine *arch;
} loop;

static int to_live(void *ctx, fetch_job *job, wt_error *err) {
    return fetch_engine_submit(((loop *)ctx)->live, job, err);
}

static int to_arch(void *ctx, fetch_job *job, wt_error *err) {
    return archive_engine_submit(((loop *)ctx)->arch, job, err);
}

static uint64_t finished(const fetch_output *out) {
    uint64_t n = out->responses;
    for (int r = 0; r < FR_COUNT; r++) n += out->failures[r];
    return n;
}

int fetch_sources_run(const fetch_opts *o, fetch_output *out, fetch_engine *live,
                      archive_engine *arch, fetch_lookup *lookup, fetch_next_fn next, void *ctx,
                      volatile sig_atomic_t *stop, wt_progress *progress, wt_error *err) {
    loop lp = {live, arch};
    if (live)
        fetch_engine_set_pass(live, to_arch, &lp), archive_engine_set_pass(arch, to_live, &lp);
    bool eof = false;
    uint64_t base = finished(out);
    for (;;) {
        if (stop && *stop) return 1;
        size_t held = archive_engine_jobs(arch) + (live ? fetch_engine_jobs(live) : 0);
        while (!eof && held < o->window) {
            fetch_job *job = NULL;
            int rc = next(ctx, &job, err);
            if (rc < 0) return -1;
            if (rc == 0) {
                eof = true;
                break;
            }
            job->src = 0;
            job->source = o->sources[0];
            if (lookup && lookup->n && fetch_lookup_attach(lookup, job, err) < 0) {
                fetch_job_free(job);
                return -1;
            }
            WT_TRY(job->source == SRC_LIVE ? to_live(&lp, job, err) : to_arch(&lp, job, err));
            held++;
        }
        if (live) WT_TRY(fetch_engine_step(live, err));
        WT_TRY(archive_engine_step(arch, err));
        WT_TRY(fetch_output_check(out, err));
        if (progress) wt_progress_set(progress, finished(out) - base);
        size_t nl = live ? fetch_engine_jobs(live) : 0, na = archive_engine_jobs(arch);
        if (eof && nl == 0 && na == 0) break;
        int ms = !eof && nl + na < o->window ? 0 : 100;
        if (nl && na) {
            fetch_engine_wait(live, ms < 5 ? ms : 5);
            archive_engine_wait(arch, 0);
        } else if (nl) {
            fetch_engine_wait(live, ms);
        } else {
            archive_engine_wait(arch, ms);
        }
    }
    return fetch_output_drain(out, err);
}
