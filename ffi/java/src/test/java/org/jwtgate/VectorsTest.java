package org.jwtgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java runner of the shared conformance vectors (tests/vectors/*.json, read in place):
 * one gate per file with the clock fixed at {@code now}, every case through verify or
 * authenticate, the same reason (and identity fields) as every other binding.
 */
class VectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static int passed;
    private static int failed;

    static Path vectorsDir() {
        return TestSupport.repoRoot().resolve("tests/vectors");
    }

    @TestFactory
    Stream<DynamicTest> shared_vectors_give_the_same_reason_or_identity() throws IOException {
        Path dir = vectorsDir();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        Assumptions.assumeFalse(files.isEmpty(), "no vector files in " + dir + " yet: skipping the vector runner");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            JsonNode doc = JSON.readTree(file.toFile());
            String props = doc.get("properties").asText();
            JsonNode now = doc.get("now");
            for (JsonNode c : doc.get("cases")) {
                String name = file.getFileName() + " " + c.get("id").asText() + ": " + c.path("title").asText();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    try {
                        runCase(props, now, c);
                        passed++;
                    } catch (Throwable t) {
                        failed++;
                        throw t;
                    }
                }));
            }
        }
        return tests.stream();
    }

    @AfterAll
    static void summary() {
        if (passed + failed > 0) {
            System.out.println("vectors: " + passed + " passed, " + failed + " failed");
        }
    }

    private static void runCase(String props, JsonNode now, JsonNode c) throws Exception {
        // One gate per case keeps cases independent; building is cheap next to the JVM start.
        try (JwtGate gate = now == null || now.isNull() ? JwtGate.fromString(props)
                : JwtGate.fromString(props, now.asLong())) {
            String want = c.get("expect").get("reason").asText();
            Identity id;
            try {
                id = call(gate, c);
            } catch (JwtGateException e) {
                assertEquals(want, e.reason(), e.getMessage());
                return;
            }
            assertEquals(want, "ok", "accepted, user " + id.user());
            JsonNode fields = c.get("expect").get("identity");
            if (fields == null) {
                return;
            }
            ObjectNode got = asJson(id);
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode expected = f.getValue();
                JsonNode actual = got.get(f.getKey());
                if (expected.isNumber() && actual != null && actual.isNumber()) {
                    assertEquals(expected.asLong(), actual.asLong(), "identity." + f.getKey());
                } else {
                    assertEquals(expected, actual == null ? JsonNodeFactory.instance.nullNode() : actual,
                            "identity." + f.getKey());
                }
            }
        }
    }

    private static Identity call(JwtGate gate, JsonNode c) throws JwtGateException {
        JsonNode token = c.get("token");
        if (token != null && !token.isNull()) {
            return gate.verify(token.asText());
        }
        JsonNode r = c.get("request");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (JsonNode h : r.path("headers")) {
            headers.add(JwtGate.header(h.get(0).asText(), h.get(1).asText()));
        }
        return gate.authenticate(r.get("endpoint").asText(), headers, text(r.get("url")), text(r.get("body")));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The identity under the field names of DESIGN §4, as the Rust runner serialises it. */
    private static ObjectNode asJson(Identity id) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("user", id.user());
        o.put("email", id.email());
        ArrayNode groups = o.putArray("groups");
        id.groups().forEach(groups::add);
        o.put("realm", id.realm());
        o.put("issuer", id.issuer());
        o.put("subject", id.subject());
        ArrayNode aud = o.putArray("audience");
        id.audience().forEach(aud::add);
        if (id.expiresAt().isPresent()) {
            o.put("expires_at", id.expiresAt().getAsLong());
        } else {
            o.putNull("expires_at");
        }
        if (id.issuedAt().isPresent()) {
            o.put("issued_at", id.issuedAt().getAsLong());
        } else {
            o.putNull("issued_at");
        }
        o.put("kid", id.kid());
        o.put("alg", id.alg());
        o.put("profile", id.profile());
        o.put("unique_id", id.uniqueId());
        o.set("claims", JSON.readTree(id.claimsJson()));
        return o;
    }
}
