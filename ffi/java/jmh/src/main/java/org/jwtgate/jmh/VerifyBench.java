package org.jwtgate.jmh;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jwtgate.Identity;
import org.jwtgate.JwtGate;
import org.jwtgate.JwtGateException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * jwtgate (JNI) vs jose4j vs nimbus-jose-jwt on the tokens of bench/make_tokens.sh.
 *
 * <p>Every implementation does the same work: the signature with a key parsed
 * once in setup (the peers get a prebuilt {@link PublicKey} or secret key, their
 * best case), then iss, aud, exp and nbf, and reads the user (sub) and email.
 * The system properties {@code bench.tokens} and {@code bench.keys} name the
 * token and key folders; {@code jwtgate.library.path} the release libjwtgate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyBench {
    static final String ISS = "https://idp.example.com";
    static final String AUD = "api";

    @Param({"RS256", "PS256", "ES256", "EdDSA", "HS256"})
    public String alg;

    String token;
    JwtGate gateMiss;
    JwtGate gateHit;
    JwtConsumer jose4j;
    DefaultJWTProcessor<SecurityContext> nimbus;
    DefaultJWTClaimsVerifier<SecurityContext> nimbusClaims;
    Ed25519Verifier nimbusEd;

    @Setup
    public void setup() throws Exception {
        Path tokens = Path.of(System.getProperty("bench.tokens", "target/bench-tokens"));
        Path keys = Path.of(System.getProperty("bench.keys", "tests/fixtures/keys"));
        token = Files.readString(tokens.resolve(alg + ".jwt")).strip();
        String props = Files.readString(tokens.resolve("props-" + alg + ".properties"));
        gateMiss = JwtGate.fromString(props + "\nyfs.yfs.jwt.verify.tokencache.size=0\n");
        gateHit = JwtGate.fromString(props + "\nyfs.yfs.jwt.verify.tokencache.size=10000\n");

        Key key;
        if (alg.equals("HS256")) {
            key = new SecretKeySpec(Files.readAllBytes(tokens.resolve("hs256.secret")), "HmacSHA256");
        } else {
            String file = switch (alg) {
                case "ES256" -> "ec256.pub.pem";
                case "EdDSA" -> "ed25519.pub.pem";
                default -> "rsa2048.pub.pem";
            };
            String kty = switch (alg) {
                case "ES256" -> "EC";
                case "EdDSA" -> "Ed25519";
                default -> "RSA";
            };
            key = publicKey(Files.readString(keys.resolve(file)), kty);
        }

        jose4j = new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg)
                .setExpectedIssuer(ISS)
                .setExpectedAudience(AUD)
                .setRequireExpirationTime()
                .setRequireSubject()
                .build();

        nimbus = new DefaultJWTProcessor<>();
        JWSAlgorithm jalg = JWSAlgorithm.parse(alg);
        nimbusClaims = new DefaultJWTClaimsVerifier<>(
                AUD, new JWTClaimsSet.Builder().issuer(ISS).build(), Set.of("sub", "exp"));
        if (alg.equals("EdDSA")) {
            // nimbus verifies Ed25519 only from an OctetKeyPair JWK (through Tink), and its
            // DefaultJWTProcessor found no key for it here: verify the parsed token directly.
            byte[] spki = key.getEncoded();
            byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            nimbusEd = new Ed25519Verifier(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build());
        } else {
            nimbus.setJWSKeySelector(new SingleKeyJWSKeySelector<>(jalg, key));
        }
        nimbus.setJWTClaimsSetVerifier(nimbusClaims);

        // Every implementation must accept the token before anything is timed.
        check(jwtgate(), "jwtgate");
        check(jwtgateCacheHit(), "jwtgate cache hit");
        check(jose4j(), "jose4j");
        check(nimbus(), "nimbus");
    }

    static void check(String got, String who) {
        if (!"alice alice@example.com".equals(got)) throw new IllegalStateException(who + " returned " + got);
    }

    static PublicKey publicKey(String pem, String kty) throws Exception {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(kty).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    @TearDown
    public void tearDown() {
        gateMiss.close();
        gateHit.close();
    }

    @Benchmark
    public String jwtgate() throws JwtGateException {
        Identity id = gateMiss.verify(token);
        return id.user() + " " + id.email();
    }

    @Benchmark
    public String jwtgateCacheHit() throws JwtGateException {
        Identity id = gateHit.verify(token);
        return id.user() + " " + id.email();
    }

    @Benchmark
    public String jose4j() throws Exception {
        JwtClaims c = jose4j.processToClaims(token);
        return c.getSubject() + " " + c.getStringClaimValue("email");
    }

    @Benchmark
    public String nimbus() throws Exception {
        JWTClaimsSet c;
        if (nimbusEd != null) {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.verify(nimbusEd)) throw new IllegalStateException("nimbus: bad EdDSA signature");
            c = jwt.getJWTClaimsSet();
            nimbusClaims.verify(c, null);
        } else {
            c = nimbus.process(token, null);
        }
        return c.getSubject() + " " + c.getStringClaim("email");
    }
}
