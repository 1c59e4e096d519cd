/* 8 threads verify on one gate at once while a 9th reloads it; each thread
 * also checks that its error detail is its own (thread-local). */
#include <pthread.h>
#include <stdatomic.h>

#include "common.h"

#define THREADS 8

static jwtgate_gate *g_gate;
static int g_iters = 200;
static atomic_int g_stop = 0; /* read by the reloader, set by main */

struct result {
    int ok, wrong;
};

static void *verifier(void *arg) {
    struct result *r = arg;
    const char *tokens[] = {TOK_OK, TOK_OK_BOB, TOK_EXPIRED, TOK_WRONG_AUD};
    const char *users[] = {"alice", "bob", NULL, NULL};
    const char *prefix[] = {"", "", "token_expired: ", "audience_not_allowed: "};
    for (int i = 0; i < g_iters; i++) {
        int k = i % 4;
        jwtgate_identity *id = NULL;
        int rc = jwtgate_gate_verify(g_gate, tokens[k], strlen(tokens[k]), &id);
        int good = users[k] ? rc == JWTGATE_OK && strcmp(jwtgate_identity_user(id), users[k]) == 0
                            : rc != JWTGATE_OK && id == NULL;
        /* Another thread's failure must never show up in this thread's detail. */
        good = good && strncmp(jwtgate_last_error_message(), prefix[k], strlen(prefix[k])) == 0;
        if (users[k]) good = good && jwtgate_last_error_message()[0] == '\0';
        jwtgate_identity_free(id);
        if (good) r->ok++;
        else r->wrong++;
    }
    return NULL;
}

static void *reloader(void *arg) {
    int *reloads = arg;
    while (!atomic_load(&g_stop)) {
        if (jwtgate_gate_reload(g_gate) == JWTGATE_OK) (*reloads)++;
    }
    return NULL;
}

int main(void) {
    const char *iters = getenv("JWTGATE_TEST_ITERS");
    if (iters) g_iters = atoi(iters);
    /* No token cache, so every call really verifies a signature. */
    g_gate = test_gate("yfs.yfs.jwt.verify.tokencache.size=0\n");
    pthread_t t[THREADS], r;
    struct result res[THREADS] = {{0, 0}};
    int reloads = 0;
    CHECK(pthread_create(&r, NULL, reloader, &reloads) == 0);
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, verifier, &res[i]) == 0);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    atomic_store(&g_stop, 1);
    pthread_join(r, NULL);
    int ok = 0, wrong = 0;
    for (int i = 0; i < THREADS; i++) {
        ok += res[i].ok;
        wrong += res[i].wrong;
    }
    printf("threads: %d verifications right, %d wrong, %d reloads meanwhile\n", ok, wrong, reloads);
    CHECK(wrong == 0);
    CHECK(ok == THREADS * g_iters);
    CHECK(reloads > 0);
    jwtgate_gate_free(g_gate);
    return finish("threads");
}
