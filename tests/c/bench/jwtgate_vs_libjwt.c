/* jwtgate (libjwtgate, the C ABI) vs Debian's libjwt on the same tokens.
 *
 *   bash tests/c/bench/run.sh      (mints the tokens, builds, runs)
 *   jwtgate_vs_libjwt TOKENS_DIR KEYS_DIR [ROUNDS]
 *
 * Each round times every implementation on every algorithm back to back, so a
 * ratio is taken within one round (the machine is shared and noisy); we print
 * min/median/max over rounds of ns per verification and of the ratio.
 *
 * Both sides do the same work: check the signature and then iss, aud, exp,
 * nbf, and read the user (sub) and email. libjwt 1.10 (Debian 12) decodes and
 * checks the signature in jwt_decode() but validates no claim, so the claim
 * checks are written here with its getters. libjwt 1.10 has no EdDSA or PS256;
 * those rows are jwtgate only. libjwt takes the key as PEM bytes and parses it
 * on every call: that is its API, there is no prebuilt-key variant.
 */
#define _POSIX_C_SOURCE 200809L
#include <jwt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jwtgate.h"

#define MAX_ROUNDS 31
#ifndef LIBJWT_VERSION /* run.sh passes pkg-config --modversion libjwt */
#define LIBJWT_VERSION "?"
#endif

static char *read_file(const char *dir, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) n--; /* token files end in a newline */
    buf[n] = 0;
    if (len) *len = (size_t)n;
    return buf;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* --- the work under test ------------------------------------------------ */

typedef struct {
    const char *token;
    size_t token_len;
    jwtgate_gate *gate;
    const unsigned char *key; /* libjwt: public PEM, or the HMAC secret */
    int key_len;
} ctx;

static volatile size_t sink; /* keeps the compiler from dropping results */

static int run_jwtgate(const ctx *c) {
    jwtgate_identity *id = NULL;
    int rc = jwtgate_gate_verify(c->gate, c->token, c->token_len, &id);
    if (rc != JWTGATE_OK) return rc;
    sink += strlen(jwtgate_identity_user(id)) + strlen(jwtgate_identity_email(id));
    jwtgate_identity_free(id);
    return 0;
}

/* The JNI/FFI-overhead probe: a token refused at the first structural check. */
static int run_jwtgate_malformed(const ctx *c) {
    jwtgate_identity *id = NULL;
    int rc = jwtgate_gate_verify(c->gate, "x", 1, &id);
    return rc == JWTGATE_TOKEN_MALFORMED ? 0 : 1;
}

static int run_libjwt(const ctx *c) {
    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, c->token, c->key, c->key_len) != 0) return 1;
    int bad = 0;
    const char *iss = jwt_get_grant(jwt, "iss");
    const char *aud = jwt_get_grant(jwt, "aud");
    long now = (long)time(NULL);
    bad |= !iss || strcmp(iss, "https://idp.example.com") != 0;
    bad |= !aud || strcmp(aud, "api") != 0;
    bad |= jwt_get_grant_int(jwt, "exp") <= now;
    bad |= jwt_get_grant_int(jwt, "nbf") > now;
    const char *sub = jwt_get_grant(jwt, "sub");
    const char *email = jwt_get_grant(jwt, "email");
    bad |= !sub;
    if (!bad) sink += strlen(sub) + (email ? strlen(email) : 0);
    jwt_free(jwt);
    return bad;
}

typedef int (*work_fn)(const ctx *);

/* ns per call over `iters` calls; exits on the first failure (a bench that
 * silently measures an error path would be worse than none). */
static double time_it(work_fn f, const ctx *c, long iters, const char *what) {
    double t0 = now_ns();
    for (long i = 0; i < iters; i++) {
        int rc = f(c);
        if (rc != 0) {
            fprintf(stderr, "%s failed (code %d): %s\n", what, rc, jwtgate_last_error_message());
            exit(1);
        }
    }
    return (now_ns() - t0) / (double)iters;
}

/* Enough calls for ~target_ms per round. */
static long calibrate(work_fn f, const ctx *c, double target_ms, const char *what) {
    double per = time_it(f, c, 20, what);
    long n = (long)(target_ms * 1e6 / per);
    return n < 20 ? 20 : n;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void stats(double *v, int n, double *min, double *med, double *max) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    *min = v[0];
    *max = v[n - 1];
    *med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static jwtgate_gate *make_gate(const char *props, long cache) {
    char *text = malloc(strlen(props) + 64);
    sprintf(text, "%s\nyfs.yfs.jwt.verify.tokencache.size=%ld\n", props, cache);
    jwtgate_gate *g = NULL;
    if (jwtgate_gate_from_string(text, strlen(text), &g) != JWTGATE_OK) {
        fprintf(stderr, "gate: %s\n", jwtgate_last_error_message());
        exit(2);
    }
    free(text);
    return g;
}

typedef struct {
    const char *alg;
    const char *pub_pem; /* NULL: HS256 */
    int libjwt;          /* libjwt 1.10 supports it */
} alg_spec;

enum { IMPL_MISS, IMPL_HIT, IMPL_LIBJWT, IMPL_MALFORMED, N_IMPL };
static const char *impl_name[N_IMPL] = {"jwtgate", "jwtgate_cache_hit", "libjwt", "jwtgate_malformed"};

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s TOKENS_DIR KEYS_DIR [ROUNDS]\n", argv[0]);
        return 2;
    }
    const char *tokens = argv[1], *keys = argv[2];
    int rounds = argc > 3 ? atoi(argv[3]) : 7;
    if (rounds < 1 || rounds > MAX_ROUNDS) rounds = 7;
    const alg_spec algs[] = {
        {"RS256", "rsa2048.pub.pem", 1}, {"PS256", "rsa2048.pub.pem", 0}, {"ES256", "ec256.pub.pem", 1},
        {"EdDSA", "ed25519.pub.pem", 0}, {"HS256", NULL, 1},
    };
    enum { N_ALG = sizeof algs / sizeof algs[0] };

    ctx cx[N_ALG][N_IMPL];
    long iters[N_ALG][N_IMPL];
    double ns[N_ALG][N_IMPL][MAX_ROUNDS];
    double ratio[N_ALG][MAX_ROUNDS];
    work_fn fns[N_IMPL] = {run_jwtgate, run_jwtgate, run_libjwt, run_jwtgate_malformed};

    for (int a = 0; a < N_ALG; a++) {
        char name[64];
        size_t tlen;
        snprintf(name, sizeof name, "%s.jwt", algs[a].alg);
        char *tok = read_file(tokens, name, &tlen);
        snprintf(name, sizeof name, "props-%s.properties", algs[a].alg);
        char *props = read_file(tokens, name, NULL);
        size_t klen;
        char *key = algs[a].pub_pem ? read_file(keys, algs[a].pub_pem, &klen) : read_file(tokens, "hs256.secret", &klen);
        jwtgate_gate *miss = make_gate(props, 0), *hit = make_gate(props, 10000);
        for (int i = 0; i < N_IMPL; i++) {
            cx[a][i] = (ctx){tok, tlen, i == IMPL_HIT ? hit : miss, (const unsigned char *)key, (int)klen};
            if (i == IMPL_LIBJWT && !algs[a].libjwt) continue;
            iters[a][i] = calibrate(fns[i], &cx[a][i], 150.0, impl_name[i]);
        }
        free(props);
    }

    for (int r = 0; r < rounds; r++)
        for (int a = 0; a < N_ALG; a++) {
            for (int i = 0; i < N_IMPL; i++) {
                if (i == IMPL_LIBJWT && !algs[a].libjwt) continue;
                ns[a][i][r] = time_it(fns[i], &cx[a][i], iters[a][i], impl_name[i]);
            }
            ratio[a][r] = algs[a].libjwt ? ns[a][IMPL_LIBJWT][r] / ns[a][IMPL_MISS][r] : 0;
        }

    printf("libjwt %s vs libjwtgate %s; %d rounds of ~150 ms per row; ns per verification, min / median / max over rounds\n\n",
           LIBJWT_VERSION, jwtgate_version(), rounds);
    printf("| alg | implementation | min | median | max | libjwt / jwtgate (median, min-max) |\n");
    printf("|---|---|---|---|---|---|\n");
    for (int a = 0; a < N_ALG; a++)
        for (int i = 0; i < N_IMPL; i++) {
            if (i == IMPL_LIBJWT && !algs[a].libjwt) continue;
            if (i == IMPL_MALFORMED && a > 0) continue; /* the same for every alg: print once */
            double mn, md, mx;
            stats(ns[a][i], rounds, &mn, &md, &mx);
            char rat[96] = "";
            if (i == IMPL_LIBJWT) {
                double rmn, rmd, rmx;
                stats(ratio[a], rounds, &rmn, &rmd, &rmx);
                snprintf(rat, sizeof rat, "%.1f× (%.1f-%.1f)", rmd, rmn, rmx);
            }
            printf("| %s | %s | %.0f | %.0f | %.0f | %s |\n", i == IMPL_MALFORMED ? "any" : algs[a].alg, impl_name[i], mn, md, mx, rat);
        }
    return 0;
}
