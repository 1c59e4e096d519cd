/* Happy paths: the demo configuration and token through jwtgate_gate_from_file,
 * verify and authenticate; every identity getter; stats JSON. */
#include "common.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r' || buf[got - 1] == ' '))
        buf[--got] = '\0';
    return buf;
}

static void demo_token_verifies_from_the_example_file(void) {
    jwtgate_gate *gate = (jwtgate_gate *)0x1; /* must be overwritten */
    CHECK_CODE(jwtgate_gate_from_file("examples/customer_overrides.properties", &gate), JWTGATE_OK);
    CHECK(gate != NULL);
    CHECK_STR(jwtgate_last_error_message(), "");
    char *token = read_file("examples/demo.jwt");
    jwtgate_identity *id = NULL;
    CHECK_CODE(jwtgate_gate_verify(gate, token, strlen(token), &id), JWTGATE_OK);
    CHECK_STR(jwtgate_identity_user(id), "testuser");
    CHECK_STR(jwtgate_identity_email(id), "test@foo.com");
    CHECK(jwtgate_identity_group_count(id) == 2);
    CHECK_STR(jwtgate_identity_group(id, 0), "admins");
    CHECK_STR(jwtgate_identity_group(id, 1), "csr");
    CHECK(jwtgate_identity_group(id, 2) == NULL);
    CHECK_STR(jwtgate_identity_profile(id), "default");
    CHECK_STR(jwtgate_identity_alg(id), "RS256");
    CHECK(jwtgate_identity_expires_at(id) > 4000000000LL);
    jwtgate_identity_free(id);

    /* Authenticate: the same token as Bearer, then as the z/OSMF cookie. */
    size_t n = strlen(token) + 32;
    char *bearer = malloc(n), *cookie = malloc(n);
    snprintf(bearer, n, "Bearer %s", token);
    snprintf(cookie, n, "theme=dark; jwtToken=%s", token);
    jwtgate_header by_bearer[] = {hdr("Accept", "*/*"), hdr("authorization", bearer)};
    id = NULL;
    CHECK_CODE(jwtgate_gate_authenticate(gate, "xapirest", by_bearer, 2, NULL, NULL, 0, &id), JWTGATE_OK);
    CHECK_STR(jwtgate_identity_user(id), "testuser");
    jwtgate_identity_free(id);
    jwtgate_header by_cookie[] = {hdr("Cookie", cookie)};
    id = NULL;
    CHECK_CODE(jwtgate_gate_authenticate(gate, "xapirest", by_cookie, 1, "https://h/x", NULL, 0, &id),
               JWTGATE_OK);
    CHECK_STR(jwtgate_identity_user(id), "testuser");
    jwtgate_identity_free(id);

    char *stats = NULL;
    CHECK_CODE(jwtgate_gate_stats_json(gate, &stats), JWTGATE_OK);
    CHECK(stats != NULL && stats[0] == '{' && strstr(stats, "\"profiles\"") != NULL);
    jwtgate_string_free(stats);
    free(bearer);
    free(cookie);
    free(token);
    jwtgate_gate_free(gate);
}

static void every_identity_field_is_exposed(void) {
    jwtgate_gate *gate = test_gate(NULL);
    jwtgate_identity *id = NULL;
    CHECK_CODE(jwtgate_gate_verify(gate, TOK_OK, strlen(TOK_OK), &id), JWTGATE_OK);
    CHECK_STR(jwtgate_identity_user(id), "alice");
    CHECK_STR(jwtgate_identity_email(id), "alice@good.test");
    CHECK_STR(jwtgate_identity_realm(id), "https://good.test");
    CHECK_STR(jwtgate_identity_issuer(id), "https://good.test");
    CHECK_STR(jwtgate_identity_subject(id), "alice");
    CHECK_STR(jwtgate_identity_kid(id), NULL);
    CHECK_STR(jwtgate_identity_alg(id), "RS256");
    CHECK_STR(jwtgate_identity_profile(id), "default");
    CHECK_STR(jwtgate_identity_unique_id(id), "alice");
    CHECK(jwtgate_identity_audience_count(id) == 1);
    CHECK_STR(jwtgate_identity_audience(id, 0), "api");
    CHECK(jwtgate_identity_audience(id, 1) == NULL);
    CHECK(jwtgate_identity_group_count(id) == 2);
    CHECK_STR(jwtgate_identity_group(id, 1), "ops");
    CHECK(jwtgate_identity_expires_at(id) == 4102444800LL);
    CHECK(jwtgate_identity_issued_at(id) == TEST_NOW - 600);
    const char *claims = jwtgate_identity_claims_json(id);
    CHECK(claims != NULL && strstr(claims, "\"email\":\"alice@good.test\"") != NULL);
    const char *json = jwtgate_identity_json(id);
    CHECK(json != NULL && strstr(json, "\"user\":\"alice\"") != NULL && strstr(json, "\"claims\":{") != NULL);
    jwtgate_identity_free(id);

    /* bob has no email, groups or kid: absent fields are NULL / 0. */
    id = NULL;
    CHECK_CODE(jwtgate_gate_verify(gate, TOK_OK_BOB, strlen(TOK_OK_BOB), &id), JWTGATE_OK);
    CHECK_STR(jwtgate_identity_user(id), "bob");
    CHECK(jwtgate_identity_email(id) == NULL);
    CHECK(jwtgate_identity_group_count(id) == 0);
    jwtgate_identity_free(id);

    /* The token need not be NUL-terminated: only len bytes are read. */
    size_t n = strlen(TOK_OK);
    char *padded = malloc(n + 5);
    memcpy(padded, TOK_OK, n);
    memcpy(padded + n, "XXXXX", 5);
    id = NULL;
    CHECK_CODE(jwtgate_gate_verify(gate, padded, n, &id), JWTGATE_OK);
    jwtgate_identity_free(id);
    free(padded);

    /* An identity outlives its gate: it owns its strings. */
    id = NULL;
    CHECK_CODE(jwtgate_gate_verify(gate, TOK_OK, strlen(TOK_OK), &id), JWTGATE_OK);
    jwtgate_gate_free(gate);
    CHECK_STR(jwtgate_identity_user(id), "alice");
    jwtgate_identity_free(id);
}

static void authenticate_reads_each_token_source(void) {
    jwtgate_gate *gate = test_gate(NULL);
    jwtgate_identity *id = NULL;
    const char *body = "x=1&access_token=" TOK_OK;
    jwtgate_header form[] = {hdr("Content-Type", "application/x-www-form-urlencoded")};
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", form, 1, NULL, body, strlen(body), &id), JWTGATE_OK);
    CHECK_STR(jwtgate_identity_user(id), "alice");
    jwtgate_identity_free(id);
    /* The same token twice (header and cookie) is fine. */
    jwtgate_header both[] = {hdr("Authorization", "Bearer " TOK_OK), hdr("Cookie", "jwtToken=" TOK_OK)};
    id = NULL;
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", both, 2, NULL, NULL, 0, &id), JWTGATE_OK);
    jwtgate_identity_free(id);
    /* A non-UTF-8 byte in an unrelated header does not refuse the request. */
    jwtgate_header latin1[] = {hdr("User-Agent", "caf\xe9"), hdr("Authorization", "Bearer " TOK_OK)};
    id = NULL;
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", latin1, 2, NULL, NULL, 0, &id), JWTGATE_OK);
    jwtgate_identity_free(id);
    jwtgate_gate_free(gate);
}

int main(void) {
    CHECK_STR(jwtgate_version(), JWTGATE_VERSION);
    demo_token_verifies_from_the_example_file();
    every_identity_field_is_exposed();
    authenticate_reads_each_token_source();
    return finish("verify_demo");
}
