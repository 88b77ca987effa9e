/* The sha256 of a data file, recorded in results.json so that a number can be
 * traced to the exact bytes it was computed on (OpenSSL's libcrypto). */
#include "eval/eval.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>

int eval_sha256_file(const char *path, char hex[65], wt_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return wt_fail_errno(err, "%s", path);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(md);
        fclose(f);
        return wt_fail(err, "%s: cannot start sha256", path);
    }
    unsigned char buf[1 << 14];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) EVP_DigestUpdate(md, buf, n);
    int bad = ferror(f);
    fclose(f);
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_DigestFinal_ex(md, d, &dl);
    EVP_MD_CTX_free(md);
    if (bad) return wt_fail(err, "%s: read error", path);
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return 0;
}
