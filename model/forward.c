/* The forward pass over a packed batch of token segments: pre-LN blocks,
 * every matmul an OpenBLAS sgemm over all tokens of the batch at once, and
 * causal attention per segment and head as two sgemms per block of rows;
 * heads and element-wise rows are spread over the workspace's threads. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpt2_impl.h"
#include "pool.h"

gpt2_ws *gpt2_ws_create(const gpt2_model *m, size_t max_tokens, wt_error *err) {
    const gpt2_config *c = &m->cfg;
    size_t N = max_tokens < (size_t)c->n_ctx ? (size_t)c->n_ctx : max_tokens;
    size_t C = (size_t)c->n_embd;
    int threads = openblas_get_num_threads();
    if (threads < 1) threads = 1;
    size_t floats = N * C * 10 + (size_t)threads * GPT2_ATT_ROWS * (size_t)c->n_ctx +
                    (size_t)GPT2_LOGIT_ROWS * (GPT2_LOGIT_COLS + 4);
    size_t bytes = floats * sizeof(float) + N * (2 * sizeof(int32_t) + sizeof(gpt2_seg)) + 64;
    gpt2_ws *ws = calloc(1, sizeof *ws);
    void *block = ws ? malloc(bytes) : NULL;
    wt_pool *pool = block ? wt_pool_create(threads) : NULL;
    if (!pool) {
        free(block);
        free(ws);
        wt_fail(err, "out of memory for the activations of %zu tokens (%zu MiB)", N, bytes >> 20);
        return NULL;
    }
    float *p = block;
    ws->block = block;
    ws->pool = pool;
    ws->threads = threads;
    ws->max_tokens = N;
    ws->x = p, p += N * C;
    ws->h = p, p += N * C;
    ws->qkv = p, p += 3 * N * C;
    ws->att = p, p += N * C;
    ws->fc = p, p += 4 * N * C;
    ws->scores = p, p += (size_t)threads * GPT2_ATT_ROWS * (size_t)c->n_ctx;
    ws->logits = p, p += (size_t)GPT2_LOGIT_ROWS * GPT2_LOGIT_COLS;
    ws->lse_max = p, p += GPT2_LOGIT_ROWS;
    ws->lse_sum = p, p += GPT2_LOGIT_ROWS;
    ws->lse_tgt = p, p += GPT2_LOGIT_ROWS;
    ws->lse_arg = (int32_t *)(void *)p, p += GPT2_LOGIT_ROWS;
    ws->segs = (gpt2_seg *)(void *)p;
    ws->tok = (int32_t *)(void *)(ws->segs + N);
    ws->row_req = ws->tok + N;
    return ws;
}

void gpt2_ws_free(gpt2_ws *ws) {
    if (!ws) return;
    wt_pool_destroy(ws->pool);
    free(ws->block);
    free(ws);
}

size_t gpt2_ws_max_tokens(const gpt2_ws *ws) {
    return ws->max_tokens;
}

void gpt2_parallel(gpt2_ws *ws, size_t n, void (*fn)(void *ctx, size_t i, int worker), void *ctx) {
    if (n == 1) /* a decoding step's single row: waking the pool costs more */
        fn(ctx, 0, 0);
    else
        wt_pool_for(ws->pool, n, 1, fn, ctx);
}

/* y (n, out) = x (n, in) @ w (in, out), accumulated into y when beta is 1.
 * One row (a decoding step) goes through sgemv, which streams w once;
 * sgemm would first copy w into its packed layout. */
static void matmul(float *y, const float *x, const float *w, size_t n, int in, int out,
                   float beta) {
    if (n == 1)
        cblas_sgemv(CblasRowMajor, CblasTrans, in, out, 1.0f, w, out, x, 1, beta, y, 1);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, out, in, 1.0f, x, in, w, out,
                    beta, y, out);
}

/* ---- element-wise work over row chunks, in parallel ---- */

enum { ROW_CHUNK = 64 };
typedef enum { OP_LAYERNORM, OP_ADD_BIAS, OP_BIAS_GELU } row_op;

typedef struct rows_job {
    row_op op;
    float *out;
    const float *x, *w, *b;
    size_t n;
    int c;
    float eps;
} rows_job;

static void rows_chunk(void *ctx, size_t i, int worker) {
    (void)worker;
    const rows_job *j = ctx;
    size_t r0 = i * ROW_CHUNK, k = j->n - r0 < ROW_CHUNK ? j->n - r0 : ROW_CHUNK;
    size_t off = r0 * (size_t)j->c;
    switch (j->op) {
    case OP_LAYERNORM:
        gpt2_layernorm(j->out + off, j->x + off, j->w, j->b, k, j->c, j->eps);
        break;
    case OP_ADD_BIAS:
        gpt2_add_bias(j->out + off, j->b, k, j->c);
        break;
    case OP_BIAS_GELU:
        gpt2_bias_gelu(j->out + off, j->b, k, j->c);
        break;
    }
}

static void rows_run(gpt2_ws *ws, rows_job j) {
    gpt2_parallel(ws, (j.n + ROW_CHUNK - 1) / ROW_CHUNK, rows_chunk, &j);
}

/* ---- attention ---- */

/* Causal attention of one head of one segment, whose keys and values are in
 * two parts: the `past` earlier positions (kp, vp: rows with stride ldp; a
 * KV cache) and the segment's own n positions (kn, vn: stride ldn). q: (n, hd)
 * rows with stride ldq; out: (n, hd), stride ldo; s: (ATT_ROWS, past + n)
 * scratch. Row i sees keys 0 .. past + i. Rows go in blocks so the scores of
 * a block stop at its last row's horizon: fully masked blocks are never
 * computed. Scores of the two parts land side by side in one row of s. */
static void attend_head(int hd, float *s, const float *q, int ldq, const float *kp, const float *vp,
                        int ldp, const float *kn, const float *vn, int ldn, float *out, int ldo,
                        int n, int past) {
    float scale = 1.0f / sqrtf((float)hd);
    for (int r0 = 0; r0 < n; r0 += GPT2_ATT_ROWS) {
        int rb = n - r0 < GPT2_ATT_ROWS ? n - r0 : GPT2_ATT_ROWS;
        int nn = r0 + rb, kv_len = past + nn; /* own keys visible to the block */
        const float *qb = q + (size_t)r0 * ldq;
        float *ob = out + (size_t)r0 * ldo;
        if (rb == 1) { /* one query: s = K q */
            if (past)
                cblas_sgemv(CblasRowMajor, CblasNoTrans, past, hd, 1.0f, kp, ldp, qb, 1, 0.0f, s,
                            1);
            cblas_sgemv(CblasRowMajor, CblasNoTrans, nn, hd, 1.0f, kn, ldn, qb, 1, 0.0f, s + past,
                        1);
        } else {
            if (past)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rb, past, hd, 1.0f, qb, ldq,
                            kp, ldp, 0.0f, s, kv_len);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rb, nn, hd, 1.0f, qb, ldq, kn, ldn,
                        0.0f, s + past, kv_len);
        }
        for (int i = 0; i < rb; i++) {
            int len = past + r0 + i + 1;
            float *si = s + (size_t)i * kv_len;
            gpt2_softmax_row(si, len, scale);
            memset(si + len, 0, (size_t)(kv_len - len) * sizeof(float));
        }
        if (rb == 1) { /* out = V^T s */
            if (past)
                cblas_sgemv(CblasRowMajor, CblasTrans, past, hd, 1.0f, vp, ldp, s, 1, 0.0f, ob, 1);
            cblas_sgemv(CblasRowMajor, CblasTrans, nn, hd, 1.0f, vn, ldn, s + past, 1,
                        past ? 1.0f : 0.0f, ob, 1);
        } else {
            if (past)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rb, hd, past, 1.0f, s,
                            kv_len, vp, ldp, 0.0f, ob, ldo);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rb, hd, nn, 1.0f, s + past,
                        kv_len, vn, ldn, past ? 1.0f : 0.0f, ob, ldo);
        }
    }
}

typedef struct att_job {
    const gpt2_model *m;
    gpt2_ws *ws;
    const gpt2_seg *segs;
    int layer;
} att_job;

/* Item i of the attention loop: head i % H of segment i / H. The earlier
 * positions' keys and values come from the segment's KV cache; its own come
 * from the cache too when they were appended to it, else from the batch's
 * qkv rows. */
static void attend_item(void *ctx, size_t i, int worker) {
    const att_job *j = ctx;
    int C = j->m->cfg.n_embd, H = j->m->cfg.n_head, hd = C / H, h = (int)(i % (size_t)H);
    const gpt2_seg *sg = &j->segs[i / (size_t)H];
    const float *qkv = j->ws->qkv + sg->off * 3 * (size_t)C;
    const float *kn = qkv + C, *vn = qkv + 2 * C, *kp = NULL, *vp = NULL;
    int ldn = 3 * C;
    if (sg->k) {
        kp = sg->k + (size_t)j->layer * sg->kv_max * C;
        vp = sg->v + (size_t)j->layer * sg->kv_max * C;
        if (!sg->prefix_only) {
            kn = kp + (size_t)sg->past * C;
            vn = vp + (size_t)sg->past * C;
            ldn = C;
        }
    }
    float *s = j->ws->scores + (size_t)worker * GPT2_ATT_ROWS * (size_t)j->m->cfg.n_ctx;
    attend_head(hd, s, qkv + h * hd, 3 * C, kp ? kp + h * hd : NULL, vp ? vp + h * hd : NULL, C,
                kn + h * hd, vn + h * hd, ldn, j->ws->att + sg->off * (size_t)C + h * hd, C, sg->n,
                sg->past);
}

/* Attention of layer l over every segment: new keys/values go to the caches
 * first; then heads run in parallel, each thread's sgemms single-threaded
 * (many small independent calls beat splitting each one). */
static void attend_all(const gpt2_model *m, gpt2_ws *ws, int l, const gpt2_seg *segs, size_t nseg) {
    int C = m->cfg.n_embd;
    for (size_t s = 0; s < nseg; s++) {
        const gpt2_seg *sg = &segs[s];
        if (!sg->k || sg->prefix_only) continue;
        const float *qkv = ws->qkv + sg->off * 3 * (size_t)C;
        float *kc = sg->k + (size_t)l * sg->kv_max * C, *vc = sg->v + (size_t)l * sg->kv_max * C;
        for (int i = 0; i < sg->n; i++) {
            memcpy(kc + (size_t)(sg->past + i) * C, qkv + (size_t)i * 3 * C + C, C * sizeof(float));
            memcpy(vc + (size_t)(sg->past + i) * C, qkv + (size_t)i * 3 * C + 2 * C,
                   C * sizeof(float));
        }
    }
    att_job j = {m, ws, segs, l};
    if (ws->threads > 1) openblas_set_num_threads(1);
    gpt2_parallel(ws, nseg * (size_t)m->cfg.n_head, attend_item, &j);
    if (ws->threads > 1) openblas_set_num_threads(ws->threads);
}

void gpt2_forward(const gpt2_model *m, gpt2_ws *ws, const int32_t *tokens, size_t ntok,
                  const gpt2_seg *segs, size_t nseg) {
    const gpt2_config *c = &m->cfg;
    int C = c->n_embd;
    for (size_t s = 0; s < nseg; s++)
        for (int i = 0; i < segs[s].n; i++) {
            size_t t = segs[s].off + (size_t)i;
            const float *te = m->wte + (size_t)tokens[t] * C;
            const float *pe = m->wpe + (size_t)(segs[s].past + i) * C;
            float *x = ws->x + t * C;
            for (int j = 0; j < C; j++) x[j] = te[j] + pe[j];
        }
    for (int l = 0; l < c->n_layer; l++) {
        const gpt2_layer *L = &m->layers[l];
        rows_run(ws,
                 (rows_job){OP_LAYERNORM, ws->h, ws->x, L->ln1_w, L->ln1_b, ntok, C, c->ln_eps});
        matmul(ws->qkv, ws->h, L->attn_w, ntok, C, 3 * C, 0.0f);
        rows_run(ws, (rows_job){OP_ADD_BIAS, ws->qkv, NULL, NULL, L->attn_b, ntok, 3 * C, 0});
        attend_all(m, ws, l, segs, nseg);
        matmul(ws->x, ws->att, L->proj_w, ntok, C, C, 1.0f);
        rows_run(ws, (rows_job){OP_ADD_BIAS, ws->x, NULL, NULL, L->proj_b, ntok, C, 0});
        rows_run(ws,
                 (rows_job){OP_LAYERNORM, ws->h, ws->x, L->ln2_w, L->ln2_b, ntok, C, c->ln_eps});
        matmul(ws->fc, ws->h, L->fc_w, ntok, C, 4 * C, 0.0f);
        rows_run(ws, (rows_job){OP_BIAS_GELU, ws->fc, NULL, NULL, L->fc_b, ntok, 4 * C, 0});
        matmul(ws->x, ws->fc, L->fc2_w, ntok, 4 * C, C, 1.0f);
        rows_run(ws, (rows_job){OP_ADD_BIAS, ws->x, NULL, NULL, L->fc2_b, ntok, C, 0});
    }
    rows_run(ws, (rows_job){OP_LAYERNORM, ws->h, ws->x, m->lnf_w, m->lnf_b, ntok, C, c->ln_eps});
}
