package org.jwtgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** One refusal per error family; each must carry the code and reason of the native table. */
class ExceptionMappingTest {
    private static final String PROPS = TestSupport.propertiesFor("k1", "rsa2048");

    private static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static JwtGateException refusal(String reason, Executable call) {
        JwtGateException e = assertThrows(JwtGateException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(reason, JwtGate.reasons().get(e.code()), "code " + e.code() + " matches the native table");
        assertTrue(e.getMessage().startsWith(reason + ": "), e.getMessage());
        assertFalse(e.detail().isEmpty());
        return e;
    }

    private static String token(String payload) {
        return TestSupport.rs256("rsa2048", "k1", payload);
    }

    private static void verifyRefused(String reason, String token) throws Exception {
        try (JwtGate gate = JwtGate.fromString(PROPS, TestSupport.NOW)) {
            JwtGateException e = refusal(reason, () -> gate.verify(token));
            if (token.length() > 40) {
                assertFalse(e.getMessage().contains(token), "a message never echoes the whole token");
            }
        }
    }

    @Test
    void config_io_for_a_missing_file() {
        refusal("config_io", () -> JwtGate.fromFile("/nonexistent/customer_overrides.properties"));
    }

    @Test
    void config_invalid_names_the_key() {
        JwtGateException e = refusal("config_invalid",
                () -> JwtGate.fromString(PROPS + "yfs.yfs.jwt.verify.clockskew=soon\n"));
        assertTrue(e.getMessage().contains("clockskew"), e.getMessage());
        assertTrue(e.isConfigError());
        assertEquals(500, e.httpStatus());
    }

    @Test
    void invalid_argument_for_null_inputs() throws Exception {
        refusal("invalid_argument", () -> JwtGate.fromString(null));
        try (JwtGate gate = JwtGate.fromString(PROPS)) {
            refusal("invalid_argument", () -> gate.verify(null));
            refusal("invalid_argument", () -> gate.authenticate(null, Map.of(), null, null));
        }
    }

    @Test
    void internal_for_a_rust_panic() {
        JwtGateException e = refusal("internal", JwtGate::nativePanicForTest);
        assertTrue(e.getMessage().contains("panic"), e.getMessage());
    }

    @Test
    void token_family() throws Exception {
        verifyRefused("token_malformed", "not-a-jwt");
        verifyRefused("token_encrypted", "a.b.c.d.e");
        verifyRefused("algorithm_not_allowed",
                b64url("{\"alg\":\"none\"}") + "." + b64url("{\"sub\":\"a\"}") + ".");
        verifyRefused("token_too_large", "a".repeat(20_000) + ".b.c");
        verifyRefused("unsupported_critical_header",
                b64url("{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"x\"],\"x\":1}") + "." + b64url("{}") + ".AAAA");
    }

    @Test
    void key_and_signature_family() throws Exception {
        String good = token("{\"sub\":\"a\",\"aud\":\"api\",\"exp\":" + TestSupport.FAR_FUTURE + "}");
        String tampered = good.substring(0, good.lastIndexOf('.') + 1) + "A" + good.substring(good.lastIndexOf('.') + 2);
        verifyRefused("signature_invalid", tampered.equals(good) ? good + "x" : tampered);
        verifyRefused("key_not_found",
                TestSupport.rs256("rsa2048", "unknown-kid", "{\"sub\":\"a\",\"exp\":" + TestSupport.FAR_FUTURE + "}"));
    }

    @Test
    void claim_family() throws Exception {
        long now = TestSupport.NOW;
        verifyRefused("token_expired", token("{\"sub\":\"a\",\"aud\":\"api\",\"exp\":" + (now - 3600) + "}"));
        verifyRefused("token_not_yet_valid",
                token("{\"sub\":\"a\",\"aud\":\"api\",\"nbf\":" + (now + 3600) + ",\"exp\":" + (now + 7200) + "}"));
        verifyRefused("audience_not_allowed", token("{\"sub\":\"a\",\"aud\":\"other\",\"exp\":" + (now + 60) + "}"));
        verifyRefused("claim_missing", token("{\"sub\":\"a\",\"aud\":\"api\"}"));
        verifyRefused("user_claim_missing", token("{\"aud\":\"api\",\"exp\":" + (now + 60) + "}"));
        try (JwtGate gate = JwtGate.fromString(PROPS, TestSupport.NOW)) {
            JwtGateException e = refusal("token_expired",
                    () -> gate.verify(token("{\"sub\":\"a\",\"aud\":\"api\",\"exp\":" + (now - 3600) + "}")));
            assertTrue(e.wwwAuthenticate().contains("error=\"invalid_token\""), e.wwwAuthenticate());
            assertEquals(401, e.httpStatus());
        }
    }

    @Test
    void issuer_not_allowed_without_a_default_profile() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(TestSupport.publicPem("rsa2048").getBytes(StandardCharsets.UTF_8));
        String props = "yfs.yfs.jwt.https\\://good.example.verify.keyloader=properties\n"
                + "yfs.yfs.jwt.https\\://good.example.verify.propkeyloader.k1=" + b64 + "\n";
        try (JwtGate gate = JwtGate.fromString(props, TestSupport.NOW)) {
            refusal("issuer_not_allowed", () -> gate.verify(
                    token("{\"sub\":\"a\",\"iss\":\"https://evil.example\",\"exp\":" + TestSupport.FAR_FUTURE + "}")));
        }
    }

    @Test
    void request_family() throws Exception {
        String a = TestSupport.aliceToken();
        String b = token("{\"sub\":\"bob\",\"aud\":\"api\",\"exp\":" + TestSupport.FAR_FUTURE + "}");
        try (JwtGate gate = JwtGate.fromString(PROPS, TestSupport.NOW)) {
            refusal("token_missing", () -> gate.authenticate("api", Map.of(), null, null));
            refusal("multiple_tokens", () -> gate.authenticate("api",
                    Map.of("Authorization", "Bearer " + a, "Cookie", "jwtToken=" + b), null, null));
            refusal("endpoint_not_enabled", () -> gate.authenticate("other", Map.of("Authorization", "Bearer " + a), null, null));
        }
    }
}
