package org.jwtgate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads libjwtgate once per class loader, trying in order:
 * <ol>
 *   <li>the file named by the system property {@code jwtgate.library.path} ({@link System#load});</li>
 *   <li>the jar resource {@code /native/<os>-<arch>/libjwtgate.so}, copied to a temporary file;</li>
 *   <li>{@code System.loadLibrary("jwtgate")}, which searches {@code java.library.path}.</li>
 * </ol>
 * If all fail, the {@link UnsatisfiedLinkError} lists every attempt.
 */
public final class NativeLibrary {
    /** The system property that names the library file explicitly. */
    public static final String PATH_PROPERTY = "jwtgate.library.path";

    private static volatile String loadedFrom;

    private NativeLibrary() {}

    /** Loads the library if this class loader has not yet; safe to call many times. */
    public static synchronized void load() {
        if (loadedFrom != null) {
            return;
        }
        List<String> attempts = new ArrayList<>();
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            try {
                System.load(Path.of(explicit).toAbsolutePath().toString());
                loadedFrom = "property " + PATH_PROPERTY + "=" + explicit;
                return;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                attempts.add(PATH_PROPERTY + "=" + explicit + ": " + e.getMessage());
            }
        } else {
            attempts.add(PATH_PROPERTY + ": not set");
        }

        String resource = "/native/" + platform() + "/" + System.mapLibraryName("jwtgate");
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                attempts.add("resource " + resource + ": not in the jar");
            } else {
                // A fresh file per process: another JVM may hold an older copy open.
                Path tmp = Files.createTempFile("jwtgate-", "-" + System.mapLibraryName("jwtgate"));
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
                loadedFrom = "resource " + resource;
                return;
            }
        } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
            attempts.add("resource " + resource + ": " + e.getMessage());
        }

        try {
            System.loadLibrary("jwtgate");
            loadedFrom = "java.library.path";
            return;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            attempts.add("System.loadLibrary(\"jwtgate\") with java.library.path="
                    + System.getProperty("java.library.path") + ": " + e.getMessage());
        }
        throw new UnsatisfiedLinkError("jwtgate: could not load the native library; tried:\n  "
                + String.join("\n  ", attempts));
    }

    /** Where the library came from (for diagnostics), or null before {@link #load()}. */
    public static String loadedFrom() {
        return loadedFrom;
    }

    /** The platform directory name inside the jar, e.g. {@code linux-x86_64}. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            os = "linux";
        } else if (os.startsWith("mac") || os.startsWith("darwin")) {
            os = "macos";
        } else if (os.startsWith("windows")) {
            os = "windows";
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            arch = "x86_64";
        } else if (arch.equals("arm64") || arch.equals("aarch64")) {
            arch = "aarch64";
        }
        return os + "-" + arch;
    }
}
