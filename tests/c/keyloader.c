/* A key loader written in C: registered by name, asked with kid / alg /
 * issuer, handing PEM back through the sink; its failures and "no key"
 * answers become key_source_unavailable and key_not_found. */
#include <pthread.h>

#include "common.h"

struct loader_state {
    pthread_mutex_t lock;
    int calls;
    char last_kid[64], last_alg[16], last_issuer[64];
    char *pem;
    size_t pem_len;
};

static void copy(char *dst, size_t n, const char *src) {
    snprintf(dst, n, "%s", src ? src : "(null)");
}

static int test_loader(void *userdata, const char *kid, const char *alg, const char *issuer,
                       jwtgate_key_sink *sink) {
    struct loader_state *st = userdata;
    pthread_mutex_lock(&st->lock);
    st->calls++;
    copy(st->last_kid, sizeof st->last_kid, kid);
    copy(st->last_alg, sizeof st->last_alg, alg);
    copy(st->last_issuer, sizeof st->last_issuer, issuer);
    pthread_mutex_unlock(&st->lock);
    if (kid && strcmp(kid, "k-fail") == 0) return 7;
    if (kid && strcmp(kid, "k-none") == 0) return 0; /* no key for this kid */
    /* Hand the PEM over in two pieces: the sink appends. */
    size_t half = st->pem_len / 2;
    if (jwtgate_key_sink_put(sink, (const uint8_t *)st->pem, half) != JWTGATE_OK) return 1;
    return jwtgate_key_sink_put(sink, (const uint8_t *)st->pem + half, st->pem_len - half);
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    char *buf = malloc(8192);
    *len = fread(buf, 1, 8192, f);
    fclose(f);
    return buf;
}

int main(void) {
    static struct loader_state st = {.lock = PTHREAD_MUTEX_INITIALIZER};
    st.pem = slurp("tests/fixtures/keys/rsa2048b.pub.pem", &st.pem_len);

    /* Registration is checked. */
    CHECK_CODE(jwtgate_register_keyloader("ctest", NULL, &st), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_register_keyloader("", test_loader, &st), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_register_keyloader("HttpsJwks", test_loader, &st), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_register_keyloader("c\xfftest", test_loader, &st), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_unregister_keyloader("never-registered"), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_register_keyloader("ctest", test_loader, &st), JWTGATE_OK);

    jwtgate_gate *gate = test_gate(LOADER_PROPERTIES);
    jwtgate_identity *id = NULL;
    CHECK_CODE(jwtgate_gate_verify(gate, TOK_LOADER_RSA, strlen(TOK_LOADER_RSA), &id), JWTGATE_OK);
    CHECK_STR(jwtgate_identity_user(id), "carol");
    CHECK_STR(jwtgate_identity_profile(id), "https://loader.test");
    CHECK_STR(jwtgate_identity_kid(id), "k-rsa");
    jwtgate_identity_free(id);
    CHECK(st.calls == 1);
    CHECK_STR(st.last_kid, "k-rsa");
    CHECK_STR(st.last_alg, "RS256");
    CHECK_STR(st.last_issuer, "https://loader.test");

    /* The answer is cached per kid: no second call. */
    CHECK_CODE(verify_code(gate, TOK_LOADER_RSA), JWTGATE_OK);
    CHECK(st.calls == 1);

    CHECK_CODE(verify_code(gate, TOK_LOADER_FAIL), JWTGATE_KEY_SOURCE_UNAVAILABLE);
    CHECK(strstr(jwtgate_last_error_message(), "returned 7") != NULL);
    CHECK_CODE(verify_code(gate, TOK_LOADER_NONE), JWTGATE_KEY_NOT_FOUND);
    int calls = st.calls;
    /* The "no key" answer is remembered for the cooldown: no new call. */
    CHECK_CODE(verify_code(gate, TOK_LOADER_NONE), JWTGATE_KEY_NOT_FOUND);
    CHECK(st.calls == calls);
    /* The default profile still uses its own key, never the loader's. */
    CHECK_CODE(verify_code(gate, TOK_OK), JWTGATE_OK);
    jwtgate_gate_free(gate);

    /* After unregistering, new gates cannot name the loader. */
    CHECK_CODE(jwtgate_unregister_keyloader("ctest"), JWTGATE_OK);
    size_t n = strlen(TEST_PROPERTIES) + strlen(LOADER_PROPERTIES);
    char *text = malloc(n + 1);
    snprintf(text, n + 1, "%s%s", TEST_PROPERTIES, LOADER_PROPERTIES);
    jwtgate_gate *g2 = NULL;
    CHECK_CODE(jwtgate_gate_from_string_at(text, n, TEST_NOW, &g2), JWTGATE_CONFIG_INVALID);
    CHECK(g2 == NULL);
    free(text);
    free(st.pem);
    return finish("keyloader");
}
