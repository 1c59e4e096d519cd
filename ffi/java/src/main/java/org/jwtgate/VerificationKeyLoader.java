package org.jwtgate;

/**
 * A host-provided source of verification keys, the counterpart of Sterling's
 * {@code IPLTJWTVerificationKeyLoader}.
 *
 * <p>Name an implementing class in {@code yfs.yfs.jwt[.<issuer>].verify.keyloader}
 * (for example {@code com.acme.MyKeyLoader}): the binding instantiates it with its
 * public no-argument constructor through the thread's context class loader (falling
 * back to the loader of jwtgate itself). Or register an instance under a name with
 * {@link JwtGate#registerKeyLoader(String, VerificationKeyLoader)} and put that name
 * in the property.
 *
 * <p>The answer is cached per kid for {@code verify.keyloader.cache.ttl} seconds.
 * Implementations must be thread-safe: jwtgate may call them from several threads at once.
 */
@FunctionalInterface
public interface VerificationKeyLoader {
    /**
     * Returns the key material that verifies tokens with this header.
     *
     * @param kid the token's {@code kid} header, or {@code null} when it has none
     * @param alg the token's {@code alg} header (for example {@code RS256})
     * @param issuer the token's unverified {@code iss} claim, or {@code null}
     * @return a PEM public key or certificate, base64 DER, a JWK or JWKS JSON text, or an
     *     HMAC secret of at least 32 bytes; {@code null} or blank when there is no key for
     *     this kid (the token is then refused with {@code key_not_found})
     * @throws Exception any failure; the token is refused with {@code key_source_unavailable},
     *     and the exception becomes the cause of the {@link JwtGateException}
     */
    String load(String kid, String alg, String issuer) throws Exception;
}
