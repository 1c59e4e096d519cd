package org.jwtgate;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who a verified token speaks for (DESIGN §4). Immutable and thread-safe; built by the
 * native side, never by hosts.
 */
public final class Identity {
    private final String user;
    private final String email;
    private final List<String> groups;
    private final String realm;
    private final String issuer;
    private final String subject;
    private final List<String> audience;
    private final Long expiresAt;
    private final Long issuedAt;
    private final String kid;
    private final String alg;
    private final String profile;
    private final String uniqueId;
    private final String claimsJson;

    // Called from Rust with a constructor ID cached in JNI_OnLoad: keep the signature in
    // step with ffi/src/jni/identity.rs. Absent numbers come as has* = false.
    Identity(String user, String email, String[] groups, String realm, String issuer, String subject,
             String[] audience, long expiresAt, boolean hasExpiresAt, long issuedAt, boolean hasIssuedAt,
             String kid, String alg, String profile, String uniqueId, String claimsJson) {
        this.user = user;
        this.email = email;
        this.groups = List.of(groups);
        this.realm = realm;
        this.issuer = issuer;
        this.subject = subject;
        this.audience = List.of(audience);
        this.expiresAt = hasExpiresAt ? expiresAt : null;
        this.issuedAt = hasIssuedAt ? issuedAt : null;
        this.kid = kid;
        this.alg = alg;
        this.profile = profile;
        this.uniqueId = uniqueId;
        this.claimsJson = claimsJson;
    }

    /** The user name, from {@code defclaimparser.user.path} (default {@code sub}). Never null. */
    public String user() { return user; }

    /** The e-mail from {@code defclaimparser.user.email.path}, or {@code null}. */
    public String email() { return email; }

    /** The groups (unmodifiable, possibly empty). */
    public List<String> groups() { return groups; }

    /** The realm: {@code defclaimparser.realm.path}, else claim {@code realmName}, else {@code iss}. */
    public String realm() { return realm; }

    /** The {@code iss} claim, or {@code null}. */
    public String issuer() { return issuer; }

    /** The {@code sub} claim, or {@code null}. */
    public String subject() { return subject; }

    /** The {@code aud} claim as a list (unmodifiable, possibly empty). */
    public List<String> audience() { return audience; }

    /** The {@code exp} claim in Unix seconds, when present. */
    public OptionalLong expiresAt() {
        return expiresAt == null ? OptionalLong.empty() : OptionalLong.of(expiresAt);
    }

    /** The {@code iat} claim in Unix seconds, when present. */
    public OptionalLong issuedAt() {
        return issuedAt == null ? OptionalLong.empty() : OptionalLong.of(issuedAt);
    }

    /** The {@code kid} header, or {@code null}. */
    public String kid() { return kid; }

    /** The algorithm that verified the signature, e.g. {@code RS256}. */
    public String alg() { return alg; }

    /** The profile that verified the token: its issuer name, or {@code default}. */
    public String profile() { return profile; }

    /** The unique id ({@code defclaimparser.uniqueid.path}, default the user). */
    public String uniqueId() { return uniqueId; }

    /** The full verified payload as JSON text. */
    public String claimsJson() { return claimsJson; }

    /** The e-mail as an Optional, for hosts that prefer it. */
    public Optional<String> emailOptional() { return Optional.ofNullable(email); }

    @Override
    public String toString() {
        // No claims: they may carry data the host does not want in logs.
        return "Identity{user=" + user + ", profile=" + profile + ", issuer=" + issuer
                + ", groups=" + groups + ", alg=" + alg + ", kid=" + kid + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Identity)) {
            return false;
        }
        Identity other = (Identity) o;
        return user.equals(other.user) && claimsJson.equals(other.claimsJson)
                && Objects.equals(kid, other.kid) && alg.equals(other.alg) && profile.equals(other.profile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, claimsJson, kid, alg, profile);
    }
}
