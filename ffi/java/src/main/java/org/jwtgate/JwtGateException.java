package org.jwtgate;

/**
 * A refusal or failure from jwtgate: a stable {@link #code()} and {@link #reason()}
 * shared by every binding (DESIGN §4), plus a message that says what to change.
 * Messages never contain a secret or a whole token.
 */
public class JwtGateException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final String detail;
    private final String wwwAuthenticate;

    /** Creates an exception; {@link #getMessage()} is {@code "reason: message"}. */
    public JwtGateException(int code, String reason, String message) {
        this(code, reason, message, null, null);
    }

    JwtGateException(int code, String reason, String message, String wwwAuthenticate, Throwable cause) {
        super(reason + ": " + message, cause);
        this.code = code;
        this.reason = reason;
        this.detail = message;
        this.wwwAuthenticate = wwwAuthenticate != null ? wwwAuthenticate : "Bearer realm=\"jwtgate\"";
    }

    /** Called from Rust (the JNI error policy); the cause is a key loader's exception or null. */
    @SuppressWarnings("unused")
    private static JwtGateException fromNative(
            int code, String reason, String message, String wwwAuthenticate, Throwable cause) {
        return new JwtGateException(code, reason, message, wwwAuthenticate, cause);
    }

    /** The stable numeric code, e.g. 40 for {@code token_expired}. */
    public int code() {
        return code;
    }

    /** The stable snake_case reason, e.g. {@code token_expired}. */
    public String reason() {
        return reason;
    }

    /** The message without the leading reason. */
    public String detail() {
        return detail;
    }

    /** The RFC 6750 {@code WWW-Authenticate} value to send with a 401 for this refusal. */
    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }

    /** True for {@code config_io} and {@code config_invalid}: the operator must fix the configuration. */
    public boolean isConfigError() {
        return code == 10 || code == 11;
    }

    /**
     * The HTTP status a server should answer: 401 for refusals of the token or its
     * absence, 503 while the key source is unavailable, 500 for configuration and
     * internal failures.
     */
    public int httpStatus() {
        if (code >= 20 && code < 60 && code != 31) {
            return 401;
        }
        return code == 31 ? 503 : 500;
    }
}
