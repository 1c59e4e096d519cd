package org.jwtgate;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A verifier built from a {@code customer_overrides.properties} file or text.
 *
 * <pre>{@code
 * try (JwtGate gate = JwtGate.fromFile("customer_overrides.properties")) {
 *     Identity id = gate.verify(token);
 *     System.out.println(id.user() + " " + id.email() + " " + id.groups());
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may call {@link #verify}, {@link #authenticate},
 * {@link #stats} and {@link #reload} on one gate at once, and no global lock is taken.
 * {@link #close()} must not run while other threads are still inside calls. A gate that
 * is never closed is freed by a {@link Cleaner} once it becomes unreachable.
 */
public final class JwtGate implements AutoCloseable {
    static {
        NativeLibrary.load();
    }

    private static final Cleaner CLEANER = Cleaner.create();

    /** Owns the native handle. Must never refer to its JwtGate, or the Cleaner would never run. */
    private static final class State implements Runnable {
        private volatile long handle;

        State(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            long h = handle;
            handle = 0;
            nativeFree(h);
        }
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;

    private JwtGate(long handle) {
        this.state = new State(handle);
        this.cleanable = CLEANER.register(this, state);
    }

    /**
     * Builds a gate from a properties file; {@link #reload()} re-reads it.
     *
     * @throws JwtGateException {@code config_io} when the file cannot be read,
     *     {@code config_invalid} for a bad value (naming the key and its line)
     */
    public static JwtGate fromFile(String path) throws JwtGateException {
        return new JwtGate(nativeFromFile(path));
    }

    /** Builds a gate from properties text (relative key file paths resolve against the working directory). */
    public static JwtGate fromString(String text) throws JwtGateException {
        return new JwtGate(nativeFromString(text, false, 0));
    }

    /**
     * Builds a gate whose clock is fixed at {@code fixedNow} (Unix seconds): for tests and
     * for replaying recorded tokens. Never use it to serve traffic.
     */
    public static JwtGate fromString(String text, long fixedNow) throws JwtGateException {
        return new JwtGate(nativeFromString(text, true, fixedNow));
    }

    /**
     * Verifies a compact JWS and maps its claims to an identity.
     *
     * @throws JwtGateException with the reason of the first failed check, in the order of DESIGN §4
     */
    public Identity verify(String token) throws JwtGateException {
        long h = handle();
        try {
            return nativeVerify(h, token);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Finds the token in a request for {@code endpoint} ({@code <endpoint>.servlet.jwt.*}) and
     * verifies it. Header names are case-insensitive.
     *
     * @param headers the request headers; use the {@link Collection} overload when a name repeats
     * @param url the resource URL (for Liberty's audience rule), or null
     * @param body the form body ({@code access_token=...}), or null
     */
    public Identity authenticate(String endpoint, Map<String, String> headers, String url, String body)
            throws JwtGateException {
        return authenticate(endpoint, headers == null ? null : headers.entrySet(), url, body);
    }

    /** Like {@link #authenticate(String, Map, String, String)}, for headers whose names repeat. */
    public Identity authenticate(String endpoint, Collection<? extends Map.Entry<String, String>> headers,
                                 String url, String body) throws JwtGateException {
        String[] flat = new String[headers == null ? 0 : headers.size() * 2];
        int i = 0;
        if (headers != null) {
            for (Map.Entry<String, String> e : headers) {
                flat[i++] = Objects.requireNonNull(e.getKey(), "header name");
                flat[i++] = e.getValue() == null ? "" : e.getValue();
            }
        }
        long h = handle();
        try {
            return nativeAuthenticate(h, endpoint, flat, url, body);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Re-reads the file of a {@link #fromFile} gate and swaps the new configuration in;
     * calls in flight finish on the old one. On failure the old configuration stays.
     */
    public void reload() throws JwtGateException {
        long h = handle();
        try {
            nativeReload(h);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Per-profile key source status (keys, fetches, failures, last error) as JSON text. */
    public String stats() throws JwtGateException {
        long h = handle();
        try {
            return nativeStats(h);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Frees the native gate. Idempotent; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** True once {@link #close()} ran (or the Cleaner freed the gate). */
    public boolean isClosed() {
        return state.handle == 0;
    }

    /**
     * Registers {@code loader} under {@code name} for {@code verify.keyloader=<name>}; gates
     * built afterwards use it. Replaces an earlier loader of that name.
     */
    public static void registerKeyLoader(String name, VerificationKeyLoader loader) throws JwtGateException {
        nativeRegisterKeyLoader(Objects.requireNonNull(name, "name"), Objects.requireNonNull(loader, "loader"));
    }

    /** Removes a registered loader; returns whether one was registered. Built gates keep theirs. */
    public static boolean unregisterKeyLoader(String name) throws JwtGateException {
        return nativeUnregisterKeyLoader(Objects.requireNonNull(name, "name"));
    }

    /** Every reason code and its name, in code order, as the native core defines them. */
    public static Map<Integer, String> reasons() {
        String[] names = nativeReasons();
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String entry : names) {
            int colon = entry.indexOf(':');
            out.put(Integer.parseInt(entry.substring(0, colon)), entry.substring(colon + 1));
        }
        return out;
    }

    /** A header pair for the {@link Collection} overload of authenticate. */
    public static Map.Entry<String, String> header(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    private long handle() {
        long h = state.handle;
        if (h == 0) {
            throw new IllegalStateException("closed");
        }
        return h;
    }

    /**
     * Instantiates the class named in {@code verify.keyloader}; called from Rust while a gate
     * is being built. The context class loader comes first so that a servlet container finds
     * web-app classes; jwtgate's own loader is the fallback.
     */
    @SuppressWarnings("unused")
    private static VerificationKeyLoader instantiateLoader(String className) throws ReflectiveOperationException {
        ClassNotFoundException notFound = null;
        Class<?> cls = null;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader cl : new ClassLoader[] {context, JwtGate.class.getClassLoader()}) {
            if (cl == null) {
                continue;
            }
            try {
                cls = Class.forName(className, true, cl);
                break;
            } catch (ClassNotFoundException e) {
                notFound = e;
            }
        }
        if (cls == null) {
            throw notFound != null ? notFound : new ClassNotFoundException(className);
        }
        if (!VerificationKeyLoader.class.isAssignableFrom(cls)) {
            throw new ClassCastException("class " + className + " does not implement " + VerificationKeyLoader.class.getName());
        }
        return (VerificationKeyLoader) cls.getDeclaredConstructor().newInstance();
    }

    private static native long nativeFromFile(String path) throws JwtGateException;

    private static native long nativeFromString(String text, boolean fixedClock, long now) throws JwtGateException;

    private static native Identity nativeVerify(long handle, String token) throws JwtGateException;

    private static native Identity nativeAuthenticate(long handle, String endpoint, String[] headers, String url,
                                                     String body) throws JwtGateException;

    private static native void nativeReload(long handle) throws JwtGateException;

    private static native String nativeStats(long handle) throws JwtGateException;

    private static native void nativeFree(long handle);

    private static native void nativeRegisterKeyLoader(String name, VerificationKeyLoader loader) throws JwtGateException;

    private static native boolean nativeUnregisterKeyLoader(String name) throws JwtGateException;

    private static native String[] nativeReasons();

    /** Test hook: gates built and not yet freed, in this process. */
    static native long nativeLiveGates();

    /** Test hook: panics in Rust, which must surface as {@code internal}. */
    static native void nativePanicForTest() throws JwtGateException;
}
