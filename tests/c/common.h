/* Shared helpers for the C tests of libjwtgate. Each test program includes
 * this once; failures print file:line and the library's last error, and make
 * the program exit non-zero. Run from the repository root (tests/c/run.sh
 * does), since the test configuration names key files by relative path. */
#ifndef JWTGATE_TEST_COMMON_H
#define JWTGATE_TEST_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwtgate.h"
#include "tokens.h"

static int g_failures = 0;
static int g_checks = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        g_checks++;                                                                      \
        if (!(cond)) {                                                                   \
            g_failures++;                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n  last error: %s\n", __FILE__,     \
                    __LINE__, #cond, jwtgate_last_error_message());                      \
        }                                                                                \
    } while (0)

/* Checks that `call` returned the reason `want` (a JWTGATE_* constant). */
#define CHECK_CODE(call, want)                                                           \
    do {                                                                                 \
        int got_ = (call);                                                               \
        g_checks++;                                                                      \
        if (got_ != (want)) {                                                            \
            g_failures++;                                                                \
            fprintf(stderr, "%s:%d: %s returned %d (%s), want %d (%s)\n  last error: %s\n", \
                    __FILE__, __LINE__, #call, got_, jwtgate_error_reason(got_), (want),   \
                    jwtgate_error_reason(want), jwtgate_last_error_message());             \
        }                                                                                \
    } while (0)

#define CHECK_STR(got, want)                                                             \
    do {                                                                                 \
        const char *g_ = (got), *w_ = (want);                                            \
        g_checks++;                                                                      \
        if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) {                 \
            g_failures++;                                                                \
            fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                             \
        }                                                                                \
    } while (0)

/* True when the thread's last error message starts with `prefix`. */
static inline int last_error_starts_with(const char *prefix) {
    return strncmp(jwtgate_last_error_message(), prefix, strlen(prefix)) == 0;
}

/* The configuration of most tests: the default profile trusts rsa2048 (a
 * key file without kid), issuer profile https://loader.test asks the C
 * loader `ctest` (keyloader.c registers it before building the gate).
 * Endpoint `api` reads Bearer, the jwtToken cookie and access_token. */
static const char TEST_PROPERTIES[] =
    "yfs.yfs.jwt.verify.keyloader=file\n"
    "yfs.yfs.jwt.verify.keyloader.path=tests/fixtures/keys/rsa2048.pub.pem\n"
    "yfs.yfs.jwt.verify.algorithms=RS256\n"
    "yfs.yfs.jwt.verify.audiences=api\n"
    "yfs.yfs.jwt.verify.issuers=https\\://good.test\n"
    "yfs.yfs.jwt.verify.requiredclaims=exp,iat\n"
    "yfs.yfs.jwt.defclaimparser.user.email.path=email\n"
    "api.servlet.jwt.auth.enabled=true\n"
    "api.servlet.jwt.cookie.name=jwtToken\n"
    "off.servlet.jwt.auth.enabled=false\n";

static const char LOADER_PROPERTIES[] =
    "yfs.yfs.jwt.https\\://loader.test.verify.keyloader=ctest\n";

/* A gate on TEST_PROPERTIES (plus `extra`) with the clock at TEST_NOW. */
static inline jwtgate_gate *test_gate(const char *extra) {
    size_t n = strlen(TEST_PROPERTIES) + (extra ? strlen(extra) : 0);
    char *text = malloc(n + 1);
    jwtgate_gate *gate = NULL;
    snprintf(text, n + 1, "%s%s", TEST_PROPERTIES, extra ? extra : "");
    int rc = jwtgate_gate_from_string_at(text, n, TEST_NOW, &gate);
    free(text);
    if (rc != JWTGATE_OK) {
        fprintf(stderr, "test_gate: %s\n", jwtgate_last_error_message());
        exit(2);
    }
    return gate;
}

/* Verifies `token` and returns the code; frees any identity. */
static inline int verify_code(const jwtgate_gate *gate, const char *token) {
    jwtgate_identity *id = NULL;
    int rc = jwtgate_gate_verify(gate, token, strlen(token), &id);
    if ((rc == JWTGATE_OK) != (id != NULL)) {
        g_failures++;
        fprintf(stderr, "verify returned %d with *out %s\n", rc, id ? "set" : "NULL");
    }
    jwtgate_identity_free(id);
    return rc;
}

static inline jwtgate_header hdr(const char *name, const char *value) {
    jwtgate_header h = {name, strlen(name), value, strlen(value)};
    return h;
}

/* Ends main: prints a summary line and returns the exit status. */
static inline int finish(const char *name) {
    printf("%s: %d checks, %d failed\n", name, g_checks, g_failures);
    return g_failures == 0 ? 0 : 1;
}

#endif
