package org.jwtgate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Paths to the shared fixtures and a minimal RS256 token minter built on the JDK. */
final class TestSupport {
    private TestSupport() {}

    /** 2026-01-01T00:00:00Z, the fixed clock of most tests. */
    static final long NOW = 1767225600L;

    static Path repoRoot() {
        String root = System.getProperty("jwtgate.repo.root");
        return root != null ? Path.of(root).toAbsolutePath().normalize() : Path.of("../..").toAbsolutePath().normalize();
    }

    static Path keyFile(String name) {
        return repoRoot().resolve("tests/fixtures/keys").resolve(name);
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static String publicPem(String key) {
        return read(keyFile(key + ".pub.pem"));
    }

    /** A default profile that trusts {@code key} (e.g. rsa2048) under {@code kid} through the properties loader. */
    static String propertiesFor(String kid, String key) {
        String b64 = Base64.getEncoder().encodeToString(publicPem(key).getBytes(StandardCharsets.UTF_8));
        return "yfs.yfs.jwt.verify.keyloader=properties\n"
                + "yfs.yfs.jwt.verify.propkeyloader." + kid + "=" + b64 + "\n"
                + "yfs.yfs.jwt.verify.audiences=api\n"
                + "yfs.yfs.jwt.defclaimparser.user.email.path=email\n"
                + "api.servlet.jwt.auth.enabled=true\n"
                + "api.servlet.jwt.cookie.name=jwtToken\n";
    }

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Signs {@code payloadJson} with RS256 and the PKCS#8 key {@code key}.pk8.pem; {@code kid} may be null. */
    static String rs256(String key, String kid, String payloadJson) {
        String header = kid == null ? "{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
                : "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String signingInput = b64url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64url(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            String pem = read(keyFile(key + ".pk8.pem"))
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey pk = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(pk);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64url(s.sign());
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    /** 2100-01-01: tokens checked against the real clock (file-based gates) expire then. */
    static final long FAR_FUTURE = 4102444800L;

    /** A token for user {@code alice}, issued just before {@link #NOW}, valid until 2100, signed by rsa2048 under kid k1. */
    static String aliceToken() {
        return rs256("rsa2048", "k1", "{\"sub\":\"alice\",\"email\":\"alice@example.com\",\"groups\":[\"admins\",\"csr\"],"
                + "\"iss\":\"https://idp.example.com\",\"aud\":\"api\",\"iat\":" + (NOW - 10) + ",\"exp\":" + FAR_FUTURE + "}");
    }
}
