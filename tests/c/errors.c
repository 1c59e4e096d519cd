/* Every error family through the C ABI, the reason table, NULL and
 * non-UTF-8 arguments, wrong handle types, and the thread-local detail. */
#include "common.h"

static void reason_table_matches_the_constants(void) {
    struct { int code; const char *name; } want[] = {
        {JWTGATE_OK, "ok"}, {JWTGATE_INVALID_ARGUMENT, "invalid_argument"},
        {JWTGATE_INTERNAL, "internal"}, {JWTGATE_CONFIG_IO, "config_io"},
        {JWTGATE_CONFIG_INVALID, "config_invalid"}, {JWTGATE_TOKEN_MISSING, "token_missing"},
        {JWTGATE_TOKEN_MALFORMED, "token_malformed"}, {JWTGATE_TOKEN_ENCRYPTED, "token_encrypted"},
        {JWTGATE_ALGORITHM_NOT_ALLOWED, "algorithm_not_allowed"},
        {JWTGATE_MULTIPLE_TOKENS, "multiple_tokens"}, {JWTGATE_TOKEN_TOO_LARGE, "token_too_large"},
        {JWTGATE_UNSUPPORTED_CRITICAL_HEADER, "unsupported_critical_header"},
        {JWTGATE_KEY_NOT_FOUND, "key_not_found"},
        {JWTGATE_KEY_SOURCE_UNAVAILABLE, "key_source_unavailable"},
        {JWTGATE_SIGNATURE_INVALID, "signature_invalid"}, {JWTGATE_TOKEN_EXPIRED, "token_expired"},
        {JWTGATE_TOKEN_NOT_YET_VALID, "token_not_yet_valid"},
        {JWTGATE_ISSUER_NOT_ALLOWED, "issuer_not_allowed"},
        {JWTGATE_AUDIENCE_NOT_ALLOWED, "audience_not_allowed"},
        {JWTGATE_CLAIM_MISSING, "claim_missing"}, {JWTGATE_USER_CLAIM_MISSING, "user_claim_missing"},
        {JWTGATE_ENDPOINT_NOT_ENABLED, "endpoint_not_enabled"},
    };
    size_t n = sizeof want / sizeof want[0];
    for (size_t i = 0; i < n; i++) CHECK_STR(jwtgate_error_reason(want[i].code), want[i].name);
    /* Every other code in 0..99 is unknown: no reason exists without a constant. */
    int known = 0;
    for (int c = -5; c < 100; c++)
        if (strcmp(jwtgate_error_reason(c), "unknown") != 0) known++;
    CHECK(known == (int)n);
}

static void config_errors(void) {
    jwtgate_gate *gate = (jwtgate_gate *)0x1;
    CHECK_CODE(jwtgate_gate_from_file("tests/c/no-such-file.properties", &gate), JWTGATE_CONFIG_IO);
    CHECK(gate == NULL);
    CHECK(last_error_starts_with("config_io: "));
    const char *bad = "yfs.yfs.jwt.verify.keyloader=sharedkey\nyfs.yfs.jwt.verify.clockskew=1m\n";
    gate = (jwtgate_gate *)0x1;
    CHECK_CODE(jwtgate_gate_from_string(bad, strlen(bad), &gate), JWTGATE_CONFIG_INVALID);
    CHECK(gate == NULL);
    CHECK(strstr(jwtgate_last_error_message(), "clockskew") != NULL);
    /* A misspelt key is a warning naming the key it probably meant. */
    const char *typo = "yfs.yfs.jwt.verify.keyloader=sharedkey\n"
                       "yfs.yfs.jwt.verify.sharedkey=0123456789abcdef0123456789abcdef\n"
                       "yfs.yfs.jwt.verify.clockskw=5\n";
    CHECK_CODE(jwtgate_gate_from_string(typo, strlen(typo), &gate), JWTGATE_OK);
    char *warnings = NULL;
    CHECK_CODE(jwtgate_gate_warnings(gate, &warnings), JWTGATE_OK);
    CHECK(warnings != NULL && strstr(warnings, "line 3") != NULL && strstr(warnings, "clockskew") != NULL);
    jwtgate_string_free(warnings);
    jwtgate_gate_free(gate);
    const char *unknown_loader = "yfs.yfs.jwt.verify.keyloader=nobody-registered-this\n";
    CHECK_CODE(jwtgate_gate_from_string(unknown_loader, strlen(unknown_loader), &gate),
               JWTGATE_CONFIG_INVALID);
}

static void token_key_and_claim_errors(void) {
    jwtgate_gate *gate = test_gate(NULL);
    CHECK_CODE(verify_code(gate, TOK_OK), JWTGATE_OK);
    CHECK_STR(jwtgate_last_error_message(), "");
    CHECK_STR(jwtgate_last_error_www_authenticate(), "");

    CHECK_CODE(verify_code(gate, ""), JWTGATE_TOKEN_MALFORMED);
    CHECK_CODE(verify_code(gate, "not-a-token"), JWTGATE_TOKEN_MALFORMED);
    CHECK_CODE(verify_code(gate, "a.b.c.d.e"), JWTGATE_TOKEN_ENCRYPTED);
    /* {"alg":"none"}.{"sub":"a"}. */
    CHECK_CODE(verify_code(gate, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."), JWTGATE_ALGORITHM_NOT_ALLOWED);
    CHECK_CODE(verify_code(gate, TOK_ES256), JWTGATE_ALGORITHM_NOT_ALLOWED);
    CHECK_CODE(verify_code(gate, TOK_CRIT), JWTGATE_UNSUPPORTED_CRITICAL_HEADER);
    char *huge = malloc(20001);
    memset(huge, 'a', 20000);
    huge[20000] = '\0';
    CHECK_CODE(verify_code(gate, huge), JWTGATE_TOKEN_TOO_LARGE);
    free(huge);
    CHECK_CODE(verify_code(gate, TOK_OTHER_KEY), JWTGATE_SIGNATURE_INVALID);
    CHECK_CODE(verify_code(gate, TOK_EXPIRED), JWTGATE_TOKEN_EXPIRED);
    /* The detail names the reason and never echoes the token. */
    CHECK(last_error_starts_with("token_expired: "));
    CHECK(strstr(jwtgate_last_error_message(), TOK_EXPIRED) == NULL);
    CHECK(strstr(jwtgate_last_error_www_authenticate(), "error=\"invalid_token\"") != NULL);
    CHECK_CODE(verify_code(gate, TOK_NOT_YET_VALID), JWTGATE_TOKEN_NOT_YET_VALID);
    CHECK_CODE(verify_code(gate, TOK_BAD_ISS), JWTGATE_ISSUER_NOT_ALLOWED);
    CHECK_CODE(verify_code(gate, TOK_WRONG_AUD), JWTGATE_AUDIENCE_NOT_ALLOWED);
    CHECK_CODE(verify_code(gate, TOK_NO_IAT), JWTGATE_CLAIM_MISSING);
    CHECK_CODE(verify_code(gate, TOK_NO_SUB), JWTGATE_USER_CLAIM_MISSING);
    /* A user "admin\0x" would read as "admin" in C: refused, not shortened. */
    CHECK_CODE(verify_code(gate, TOK_NUL_USER), JWTGATE_TOKEN_MALFORMED);
    CHECK(strstr(jwtgate_last_error_message(), "NUL") != NULL);
    /* A success clears the detail. */
    CHECK_CODE(verify_code(gate, TOK_OK), JWTGATE_OK);
    CHECK_STR(jwtgate_last_error_message(), "");
    jwtgate_gate_free(gate);
}

static void request_errors(void) {
    jwtgate_gate *gate = test_gate(NULL);
    jwtgate_identity *id = (jwtgate_identity *)0x1;
    jwtgate_header none[] = {hdr("Accept", "*/*")};
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", none, 1, NULL, NULL, 0, &id), JWTGATE_TOKEN_MISSING);
    CHECK(id == NULL);
    CHECK_STR(jwtgate_last_error_www_authenticate(), "Bearer realm=\"jwtgate\"");
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", NULL, 0, NULL, NULL, 0, &id), JWTGATE_TOKEN_MISSING);
    jwtgate_header two[] = {hdr("Authorization", "Bearer " TOK_OK), hdr("Cookie", "jwtToken=" TOK_OK_BOB)};
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", two, 2, NULL, NULL, 0, &id), JWTGATE_MULTIPLE_TOKENS);
    jwtgate_header ok[] = {hdr("Authorization", "Bearer " TOK_OK)};
    CHECK_CODE(jwtgate_gate_authenticate(gate, "off", ok, 1, NULL, NULL, 0, &id), JWTGATE_ENDPOINT_NOT_ENABLED);
    CHECK_CODE(jwtgate_gate_authenticate(gate, "nowhere", ok, 1, NULL, NULL, 0, &id),
               JWTGATE_ENDPOINT_NOT_ENABLED);
    jwtgate_header expired[] = {hdr("Authorization", "Bearer " TOK_EXPIRED)};
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", expired, 1, NULL, NULL, 0, &id), JWTGATE_TOKEN_EXPIRED);
    jwtgate_gate_free(gate);
}

static void null_and_non_utf8_arguments(void) {
    jwtgate_gate *gate = test_gate(NULL);
    jwtgate_identity *id = (jwtgate_identity *)0x1;
    jwtgate_gate *g2 = (jwtgate_gate *)0x1;
    const char *text = TEST_PROPERTIES;

    CHECK_CODE(jwtgate_gate_from_file(NULL, &g2), JWTGATE_INVALID_ARGUMENT);
    CHECK(g2 == NULL);
    CHECK_CODE(jwtgate_gate_from_file("examples/customer_overrides.properties", NULL),
               JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_from_file("examples/\xff.properties", &g2), JWTGATE_INVALID_ARGUMENT);
    CHECK(last_error_starts_with("invalid_argument: `path` is not valid UTF-8"));
    CHECK_CODE(jwtgate_gate_from_string(NULL, 10, &g2), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_from_string(text, strlen(text), NULL), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_from_string("a=\xc3\x28", 5, &g2), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_from_string_at(text, strlen(text), -1, &g2), JWTGATE_INVALID_ARGUMENT);
    CHECK(g2 == NULL);

    CHECK_CODE(jwtgate_gate_verify(NULL, TOK_OK, strlen(TOK_OK), &id), JWTGATE_INVALID_ARGUMENT);
    CHECK(id == NULL);
    CHECK_CODE(jwtgate_gate_verify(gate, NULL, 5, &id), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_verify(gate, TOK_OK, strlen(TOK_OK), NULL), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_verify(gate, "ab\xff.cd.ef", 9, &id), JWTGATE_INVALID_ARGUMENT);
    CHECK(last_error_starts_with("invalid_argument: `token` is not valid UTF-8"));
    CHECK_CODE(jwtgate_gate_verify_for_url(gate, TOK_OK, strlen(TOK_OK), "https://h/\xfe", &id),
               JWTGATE_INVALID_ARGUMENT);

    jwtgate_header ok[] = {hdr("Authorization", "Bearer " TOK_OK)};
    jwtgate_header null_value[] = {{"Authorization", 13, NULL, 4}};
    CHECK_CODE(jwtgate_gate_authenticate(NULL, "api", ok, 1, NULL, NULL, 0, &id), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_authenticate(gate, NULL, ok, 1, NULL, NULL, 0, &id), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_authenticate(gate, "a\xffi", ok, 1, NULL, NULL, 0, &id), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", NULL, 1, NULL, NULL, 0, &id), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", null_value, 1, NULL, NULL, 0, &id),
               JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", ok, 1, "\xff", NULL, 0, &id), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_gate_authenticate(gate, "api", ok, 1, NULL, NULL, 0, NULL), JWTGATE_INVALID_ARGUMENT);
    CHECK(id == NULL);

    CHECK_CODE(jwtgate_gate_reload(NULL), JWTGATE_INVALID_ARGUMENT);
    char *stats = (char *)0x1;
    CHECK_CODE(jwtgate_gate_stats_json(NULL, &stats), JWTGATE_INVALID_ARGUMENT);
    CHECK(stats == NULL);
    CHECK_CODE(jwtgate_gate_stats_json(gate, NULL), JWTGATE_INVALID_ARGUMENT);
    char *warnings = (char *)0x1;
    CHECK_CODE(jwtgate_gate_warnings(NULL, &warnings), JWTGATE_INVALID_ARGUMENT);
    CHECK(warnings == NULL);
    CHECK_CODE(jwtgate_gate_warnings(gate, &warnings), JWTGATE_OK);
    CHECK_STR(warnings, "");
    jwtgate_string_free(warnings);

    /* A pointer of the wrong type is refused, not read as a gate. */
    jwtgate_identity *real = NULL;
    CHECK_CODE(jwtgate_gate_verify(gate, TOK_OK, strlen(TOK_OK), &real), JWTGATE_OK);
    CHECK_CODE(jwtgate_gate_verify((const jwtgate_gate *)real, TOK_OK, strlen(TOK_OK), &id),
               JWTGATE_INVALID_ARGUMENT);
    CHECK(jwtgate_identity_user((const jwtgate_identity *)gate) == NULL);
    jwtgate_identity_free(real);

    /* Getters and frees accept NULL. */
    CHECK(jwtgate_identity_user(NULL) == NULL);
    CHECK(jwtgate_identity_email(NULL) == NULL);
    CHECK(jwtgate_identity_claims_json(NULL) == NULL);
    CHECK(jwtgate_identity_group_count(NULL) == 0);
    CHECK(jwtgate_identity_group(NULL, 0) == NULL);
    CHECK(jwtgate_identity_audience_count(NULL) == 0);
    CHECK(jwtgate_identity_expires_at(NULL) == -1);
    CHECK(jwtgate_identity_issued_at(NULL) == -1);
    jwtgate_identity_free(NULL);
    jwtgate_gate_free(NULL);
    jwtgate_string_free(NULL);

    CHECK_CODE(jwtgate_register_keyloader(NULL, NULL, NULL), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_unregister_keyloader(NULL), JWTGATE_INVALID_ARGUMENT);
    CHECK_CODE(jwtgate_key_sink_put(NULL, (const uint8_t *)"x", 1), JWTGATE_INVALID_ARGUMENT);
    jwtgate_gate_free(gate);
}

int main(void) {
    reason_table_matches_the_constants();
    config_errors();
    token_key_and_claim_errors();
    request_errors();
    null_and_non_utf8_arguments();
    return finish("errors");
}
