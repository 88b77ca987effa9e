/* Element-wise kernels of the forward pass (layer norm, GELU, softmax,
 * log-sum-exp) on 16-lane GCC vectors, cloned for AVX-512, AVX2 and baseline
 * x86-64 and picked at load time; plus F16/BF16 conversions. */
#include <math.h>
#include <string.h>

#include "gpt2_impl.h"

typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

/* GCC only: clang 14 rejects target_clones on 64-byte vector code, and ASan
 * builds skip the ifunc resolvers. */
#if defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HOT
#endif
#define INL static inline __attribute__((always_inline))

INL v16f vload(const float *p) {
    v16f v;
    memcpy(&v, p, sizeof v);
    return v;
}
INL void vstore(float *p, v16f v) {
    memcpy(p, &v, sizeof v);
}
INL v16f vsplat(float f) {
    return (v16f){f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f};
}
INL v16f vmax(v16f a, v16f b) {
    v16i m = a > b;
    return (v16f)(((v16i)a & m) | ((v16i)b & ~m));
}
INL v16f vmin(v16f a, v16f b) {
    v16i m = a < b;
    return (v16f)(((v16i)a & m) | ((v16i)b & ~m));
}
INL float vhsum(v16f v) {
    float s = 0;
    for (int i = 0; i < 16; i++) s += v[i];
    return s;
}
INL float vhmax(v16f v) {
    float s = v[0];
    for (int i = 1; i < 16; i++) s = v[i] > s ? v[i] : s;
    return s;
}

/* exp(x) for x in any range (clamped to [-87.3, 88.7]), relative error about
 * 2e-7: x = n ln2 + r with |r| <= ln2/2, a degree-6 polynomial for e^r (the
 * Cephes expf coefficients), and 2^n built in the exponent bits. */
INL v16f vexp(v16f x) {
    x = vmin(vmax(x, vsplat(-87.3f)), vsplat(88.7f));
    const v16f magic = vsplat(12582912.0f); /* 1.5 * 2^23: rounds to nearest */
    v16f n = (x * vsplat(1.44269504f) + magic) - magic;
    v16f r = x - n * vsplat(0.693359375f) - n * vsplat(-2.12194440e-4f);
    v16f p = vsplat(1.9875691500e-4f);
    p = p * r + vsplat(1.3981999507e-3f);
    p = p * r + vsplat(8.3334519073e-3f);
    p = p * r + vsplat(4.1665795894e-2f);
    p = p * r + vsplat(1.6666665459e-1f);
    p = p * r + vsplat(5.0000001201e-1f);
    p = p * r * r + r + vsplat(1.0f);
    v16i e = (__builtin_convertvector(n, v16i) + 127) << 23;
    return p * (v16f)e;
}

/* The last n < 16 elements of a row through the vector code, padded with
 * `pad` (e.g. -inf, whose exp is 0). */
INL v16f vload_tail(const float *p, int n, float pad) {
    float buf[16];
    for (int i = 0; i < 16; i++) buf[i] = i < n ? p[i] : pad;
    return vload(buf);
}
INL void vstore_tail(float *p, int n, v16f v) {
    float buf[16];
    vstore(buf, v);
    for (int i = 0; i < n; i++) p[i] = buf[i];
}

HOT void gpt2_layernorm(float *out, const float *x, const float *w, const float *b, size_t n, int c,
                        float eps) {
    for (size_t i = 0; i < n; i++) {
        const float *xi = x + i * (size_t)c;
        float *oi = out + i * (size_t)c;
        v16f s = vsplat(0);
        int j = 0;
        for (; j + 16 <= c; j += 16) s += vload(xi + j);
        float mean = vhsum(s);
        for (; j < c; j++) mean += xi[j];
        mean /= (float)c;
        v16f q = vsplat(0), mv = vsplat(mean);
        for (j = 0; j + 16 <= c; j += 16) {
            v16f d = vload(xi + j) - mv;
            q += d * d;
        }
        float var = vhsum(q);
        for (; j < c; j++) var += (xi[j] - mean) * (xi[j] - mean);
        var /= (float)c;
        float rstd = 1.0f / sqrtf(var + eps);
        v16f rv = vsplat(rstd);
        for (j = 0; j + 16 <= c; j += 16)
            vstore(oi + j, (vload(xi + j) - mv) * rv * vload(w + j) + vload(b + j));
        for (; j < c; j++) oi[j] = (xi[j] - mean) * rstd * w[j] + b[j];
    }
}

/* GELU with the tanh approximation: 0.5 x (1 + tanh(u)) = x / (1 + e^(-2u)),
 * u = sqrt(2/pi) (x + 0.044715 x^3). */
HOT void gpt2_bias_gelu(float *x, const float *bias, size_t n, int c) {
    const float k = 0.7978845608028654f;
    for (size_t i = 0; i < n; i++) {
        float *xi = x + i * (size_t)c;
        int j = 0;
        for (; j + 16 <= c; j += 16) {
            v16f v = vload(xi + j) + vload(bias + j);
            v16f u = vsplat(-2.0f * k) * (v + vsplat(0.044715f) * v * v * v);
            vstore(xi + j, v / (vsplat(1.0f) + vexp(u)));
        }
        if (j < c) {
            v16f v = vload_tail(xi + j, c - j, 0) + vload_tail(bias + j, c - j, 0);
            v16f u = vsplat(-2.0f * k) * (v + vsplat(0.044715f) * v * v * v);
            vstore_tail(xi + j, c - j, v / (vsplat(1.0f) + vexp(u)));
        }
    }
}

void gpt2_add_bias(float *x, const float *bias, size_t n, int c) {
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < c; j++) x[i * (size_t)c + j] += bias[j];
}

HOT void gpt2_softmax_row(float *s, int len, float scale) {
    v16f mv = vsplat(-INFINITY);
    int j = 0;
    for (; j + 16 <= len; j += 16) mv = vmax(mv, vload(s + j));
    float mx = vhmax(mv);
    for (; j < len; j++) mx = s[j] > mx ? s[j] : mx;
    v16f sum = vsplat(0), sc = vsplat(scale), off = vsplat(mx * scale);
    for (j = 0; j + 16 <= len; j += 16) {
        v16f e = vexp(vload(s + j) * sc - off);
        vstore(s + j, e);
        sum += e;
    }
    if (j < len) {
        v16f e = vexp(vload_tail(s + j, len - j, -INFINITY) * sc - off);
        vstore_tail(s + j, len - j, e);
        sum += e;
    }
    float tot = vhsum(sum);
    v16f inv = vsplat(1.0f / tot);
    for (j = 0; j + 16 <= len; j += 16) vstore(s + j, vload(s + j) * inv);
    for (; j < len; j++) s[j] *= 1.0f / tot;
}

HOT float gpt2_max(const float *x, int n, int32_t *argmax) {
    v16f mv = vsplat(-INFINITY);
    int j = 0;
    for (; j + 16 <= n; j += 16) mv = vmax(mv, vload(x + j));
    float mx = vhmax(mv);
    for (; j < n; j++) mx = x[j] > mx ? x[j] : mx;
    int32_t a = 0;
    while (a < n && x[a] != mx) a++;
    *argmax = a;
    return mx;
}

HOT float gpt2_sum_exp(const float *x, int n, float off) {
    v16f sum = vsplat(0), o = vsplat(off);
    int j = 0;
    for (; j + 16 <= n; j += 16) sum += vexp(vload(x + j) - o);
    if (j < n) sum += vexp(vload_tail(x + j, n - j, -INFINITY) - o);
    return vhsum(sum);
}

float gpt2_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (man << 13); /* inf, nan */
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (man << 13);
    } else if (man == 0) {
        bits = sign;
    } else { /* subnormal: normalise */
        int e = -1;
        do {
            man <<= 1;
            e++;
        } while (!(man & 0x400));
        bits = sign | ((uint32_t)(112 - e) << 23) | ((man & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* Round to nearest even, with overflow to inf and gradual underflow. */
uint16_t gpt2_f32_to_f16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) return sign | 0x7c00 | (ax > 0x7f800000u ? 0x200 : 0);
    if (ax >= 0x477ff000u) return sign | 0x7c00; /* >= 65520 rounds to inf */
    if (ax < 0x38800000u) {                      /* below 2^-14: subnormal */
        if (ax < 0x33000000u) return sign;       /* below 2^-25 */
        uint32_t man = (ax & 0x7fffff) | 0x800000;
        int shift = 126 - (int)(ax >> 23); /* 14..24 */
        uint32_t v = man >> shift, rem = man & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (v & 1))) v++;
        return sign | (uint16_t)v;
    }
    uint32_t v = ((ax >> 13) - (112u << 10)), rem = ax & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (v & 1))) v++;
    return sign | (uint16_t)v;
}

float gpt2_bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t gpt2_f32_to_bf16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((x >> 16) | 0x40);
    x += 0x7fff + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}
