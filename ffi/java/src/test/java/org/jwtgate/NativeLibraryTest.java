package org.jwtgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class NativeLibraryTest {
    private static String runProbe(String... jvmArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(jvmArgs));
        cmd.add(LoadProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @Test
    void this_test_jvm_loaded_the_library_named_by_the_property() {
        JwtGate.reasons();
        assertTrue(NativeLibrary.loadedFrom().startsWith("property jwtgate.library.path="), NativeLibrary.loadedFrom());
    }

    @Test
    void a_wrong_property_falls_back_to_the_library_packed_with_the_classes() throws Exception {
        String out = runProbe("-Djwtgate.library.path=/nonexistent/libjwtgate.so");
        assertTrue(out.contains("22 reasons, loaded from resource /native/" + NativeLibrary.platform() + "/"), out);
    }

    @Test
    void platform_names_os_and_arch() {
        assertTrue(NativeLibrary.platform().matches("[a-z]+-[a-z0-9_]+"), NativeLibrary.platform());
    }
}
