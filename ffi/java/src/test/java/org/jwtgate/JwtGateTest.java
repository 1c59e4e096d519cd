package org.jwtgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtGateTest {
    @Test
    void demo_token_verifies_with_the_example_properties_file() throws Exception {
        Path root = TestSupport.repoRoot();
        String token = TestSupport.read(root.resolve("examples/demo.jwt")).trim();
        try (JwtGate gate = JwtGate.fromFile(root.resolve("examples/customer_overrides.properties").toString())) {
            Identity id = gate.verify(token);
            assertEquals("testuser", id.user());
            assertEquals("test@foo.com", id.email());
            assertEquals(List.of("admins", "csr"), id.groups());
            assertEquals("default", id.profile());
            assertEquals("RS256", id.alg());
            assertEquals("demo-rsa-1", id.kid());
            assertTrue(id.expiresAt().isPresent());
            assertTrue(id.claimsJson().contains("\"userid\":\"testuser\""), id.claimsJson());
        }
    }

    @Test
    void identity_carries_every_field_of_the_contract() throws Exception {
        try (JwtGate gate = JwtGate.fromString(TestSupport.propertiesFor("k1", "rsa2048"), TestSupport.NOW)) {
            Identity id = gate.verify(TestSupport.aliceToken());
            assertEquals("alice", id.user());
            assertEquals("alice@example.com", id.email());
            assertEquals(List.of("admins", "csr"), id.groups());
            assertEquals("https://idp.example.com", id.realm());
            assertEquals("https://idp.example.com", id.issuer());
            assertEquals("alice", id.subject());
            assertEquals(List.of("api"), id.audience());
            assertEquals(TestSupport.FAR_FUTURE, id.expiresAt().getAsLong());
            assertEquals(TestSupport.NOW - 10, id.issuedAt().getAsLong());
            assertEquals("k1", id.kid());
            assertEquals("RS256", id.alg());
            assertEquals("default", id.profile());
            assertEquals("alice", id.uniqueId());
            assertFalse(id.toString().contains("email"), "toString leaves claims out");
        }
    }

    @Test
    void absent_optional_fields_are_null_or_empty() throws Exception {
        String token = TestSupport.rs256("rsa2048", "k1", "{\"sub\":\"bob\",\"aud\":[\"api\"],\"exp\":" + (TestSupport.NOW + 60) + "}");
        try (JwtGate gate = JwtGate.fromString(TestSupport.propertiesFor("k1", "rsa2048"), TestSupport.NOW)) {
            Identity id = gate.verify(token);
            assertNull(id.email());
            assertNull(id.issuer());
            assertTrue(id.groups().isEmpty());
            assertFalse(id.issuedAt().isPresent());
        }
    }

    @Test
    void authenticate_reads_bearer_header_cookie_and_form_body() throws Exception {
        String token = TestSupport.aliceToken();
        try (JwtGate gate = JwtGate.fromString(TestSupport.propertiesFor("k1", "rsa2048"), TestSupport.NOW)) {
            assertEquals("alice", gate.authenticate("api", Map.of("Authorization", "Bearer " + token), null, null).user());
            assertEquals("alice", gate.authenticate("api", Map.of("cookie", "a=b; jwtToken=" + token), null, null).user());
            assertEquals("alice", gate.authenticate("api", Map.of(), null, "access_token=" + token).user());
            assertEquals("alice", gate.authenticate("api",
                    List.of(JwtGate.header("X-Other", "1"), JwtGate.header("authorization", "bearer " + token)),
                    "https://h/x", null).user());
            JwtGateException missing = assertThrows(JwtGateException.class,
                    () -> gate.authenticate("api", Map.of(), null, null));
            assertEquals("token_missing", missing.reason());
            assertEquals("Bearer realm=\"jwtgate\"", missing.wwwAuthenticate());
            JwtGateException off = assertThrows(JwtGateException.class,
                    () -> gate.authenticate("nope", Map.of("Authorization", "Bearer " + token), null, null));
            assertEquals("endpoint_not_enabled", off.reason());
        }
    }

    @Test
    void stats_is_json_naming_each_profile() throws Exception {
        try (JwtGate gate = JwtGate.fromString(TestSupport.propertiesFor("k1", "rsa2048"))) {
            String stats = gate.stats();
            assertTrue(stats.startsWith("{") && stats.contains("\"profiles\"") && stats.contains("default"), stats);
        }
    }

    @Test
    void reasons_come_from_the_native_table_in_code_order() {
        Map<Integer, String> reasons = JwtGate.reasons();
        assertEquals(22, reasons.size());
        assertEquals("ok", reasons.get(0));
        assertEquals("internal", reasons.get(2));
        assertEquals("token_expired", reasons.get(40));
        assertEquals("endpoint_not_enabled", reasons.get(50));
    }

    @Test
    void reload_picks_up_a_new_key_and_a_bad_file_keeps_the_old_config(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("customer_overrides.properties");
        Files.writeString(props, TestSupport.propertiesFor("k1", "rsa2048b"));
        String token = TestSupport.aliceToken(); // signed by rsa2048
        try (JwtGate gate = JwtGate.fromFile(props.toString())) {
            assertEquals("signature_invalid", assertThrows(JwtGateException.class, () -> gate.verify(token)).reason());
            Files.writeString(props, TestSupport.propertiesFor("k1", "rsa2048"));
            gate.reload();
            assertEquals("alice", gate.verify(token).user());
            Files.writeString(props, "yfs.yfs.jwt.verify.clockskew=soon\n");
            JwtGateException bad = assertThrows(JwtGateException.class, gate::reload);
            assertEquals("config_invalid", bad.reason());
            assertEquals("alice", gate.verify(token).user(), "a failed reload keeps the old configuration");
        }
    }
}
