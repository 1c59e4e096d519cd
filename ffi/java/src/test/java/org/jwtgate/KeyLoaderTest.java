package org.jwtgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyLoaderTest {
    /** Named in properties by class name; answers the rsa2048 public key for kid k1 only. */
    public static final class PemKeyLoader implements VerificationKeyLoader {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public String load(String kid, String alg, String issuer) {
            CALLS.incrementAndGet();
            return "k1".equals(kid) ? TestSupport.publicPem("rsa2048") : null;
        }
    }

    /** A loader whose key server is down. */
    public static final class FailingKeyLoader implements VerificationKeyLoader {
        @Override
        public String load(String kid, String alg, String issuer) throws IOException {
            throw new IOException("key server unreachable");
        }
    }

    /** Not a loader at all. */
    public static final class NotALoader {}

    private static String customLoader(String name) {
        return "yfs.yfs.jwt.verify.keyloader=" + name + "\nyfs.yfs.jwt.verify.audiences=api\n";
    }

    @Test
    void class_named_in_the_properties_is_instantiated_and_called_with_the_header() throws Exception {
        String name = PemKeyLoader.class.getName(); // org.jwtgate.KeyLoaderTest$PemKeyLoader
        int before = PemKeyLoader.CALLS.get();
        try (JwtGate gate = JwtGate.fromString(customLoader(name), TestSupport.NOW)) {
            assertEquals("alice", gate.verify(TestSupport.aliceToken()).user());
            assertEquals("alice", gate.verify(TestSupport.aliceToken()).user());
            assertEquals(1, PemKeyLoader.CALLS.get() - before, "the answer is cached per kid");
        }
    }

    @Test
    void loader_exception_is_key_source_unavailable_with_the_exception_as_cause() throws Exception {
        try (JwtGate gate = JwtGate.fromString(customLoader(FailingKeyLoader.class.getName()), TestSupport.NOW)) {
            JwtGateException e = assertThrows(JwtGateException.class, () -> gate.verify(TestSupport.aliceToken()));
            assertEquals("key_source_unavailable", e.reason());
            assertTrue(e.getMessage().contains("key server unreachable"), e.getMessage());
            assertTrue(e.getMessage().contains("FailingKeyLoader"), e.getMessage());
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals(503, e.httpStatus());
            // The next, unrelated refusal must not inherit that cause.
            JwtGateException other = assertThrows(JwtGateException.class, () -> gate.verify("x.y"));
            assertEquals(null, other.getCause());
        }
    }

    @Test
    void missing_class_or_wrong_type_is_config_invalid_with_the_reason() {
        JwtGateException missing = assertThrows(JwtGateException.class,
                () -> JwtGate.fromString(customLoader("com.acme.NoSuchLoader")));
        assertEquals("config_invalid", missing.reason());
        assertTrue(missing.getMessage().contains("ClassNotFoundException"), missing.getMessage());
        JwtGateException wrong = assertThrows(JwtGateException.class,
                () -> JwtGate.fromString(customLoader(NotALoader.class.getName())));
        assertEquals("config_invalid", wrong.reason());
        assertTrue(wrong.getMessage().contains("does not implement org.jwtgate.VerificationKeyLoader"), wrong.getMessage());
    }

    @Test
    void registered_instance_is_used_by_name_and_null_means_no_key() throws Exception {
        JwtGate.registerKeyLoader("test-registered", (kid, alg, iss) -> "k1".equals(kid) ? TestSupport.publicPem("rsa2048") : null);
        try (JwtGate gate = JwtGate.fromString(customLoader("test-registered"), TestSupport.NOW)) {
            assertEquals("alice", gate.verify(TestSupport.aliceToken()).user());
            String other = TestSupport.rs256("rsa2048", "k2", "{\"sub\":\"a\",\"aud\":\"api\",\"exp\":" + TestSupport.FAR_FUTURE + "}");
            assertEquals("key_not_found", assertThrows(JwtGateException.class, () -> gate.verify(other)).reason());
        } finally {
            assertTrue(JwtGate.unregisterKeyLoader("test-registered"));
        }
        assertEquals("config_invalid",
                assertThrows(JwtGateException.class, () -> JwtGate.fromString(customLoader("test-registered"))).reason());
    }

    /**
     * A servlet container loads web-app classes in a child class loader that jwtgate's own
     * loader cannot see: the binding must find them through the context class loader.
     */
    @Test
    void class_only_visible_to_the_context_class_loader_is_found(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/com/acme/CtxLoader.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package com.acme;\n"
                + "public class CtxLoader implements org.jwtgate.VerificationKeyLoader {\n"
                + "  public String load(String kid, String alg, String iss) throws Exception {\n"
                + "    return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(\""
                + TestSupport.keyFile("rsa2048.pub.pem").toString().replace("\\", "\\\\") + "\")));\n"
                + "  }\n}\n");
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        assertEquals(0, rc, "javac");

        String props = customLoader("com.acme.CtxLoader");
        assertEquals("config_invalid", assertThrows(JwtGateException.class, () -> JwtGate.fromString(props)).reason(),
                "not visible without the web-app class loader");
        Thread t = Thread.currentThread();
        ClassLoader saved = t.getContextClassLoader();
        try (URLClassLoader webapp = new URLClassLoader(new URL[] {classes.toUri().toURL()}, saved)) {
            t.setContextClassLoader(webapp);
            try (JwtGate gate = JwtGate.fromString(props, TestSupport.NOW)) {
                t.setContextClassLoader(saved); // verify must not depend on the context loader any more
                assertEquals("alice", gate.verify(TestSupport.aliceToken()).user());
            }
        } finally {
            t.setContextClassLoader(saved);
        }
    }

    @Test
    void loader_called_from_many_threads_at_once() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        JwtGate.registerKeyLoader("test-threads", (kid, alg, iss) -> {
            calls.incrementAndGet();
            return TestSupport.publicPem("rsa2048");
        });
        try (JwtGate gate = JwtGate.fromString(customLoader("test-threads"), TestSupport.NOW)) {
            List<Thread> threads = new java.util.ArrayList<>();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 8; i++) {
                final int n = i;
                Thread th = new Thread(() -> {
                    try {
                        for (int j = 0; j < 20; j++) {
                            String tok = TestSupport.rs256("rsa2048", "kid-" + n + "-" + j,
                                    "{\"sub\":\"u\",\"aud\":\"api\",\"exp\":" + TestSupport.FAR_FUTURE + "}");
                            gate.verify(tok);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(List.of(), errors);
            assertTrue(calls.get() >= 160, "one call per new kid: " + calls.get());
        } finally {
            JwtGate.unregisterKeyLoader("test-threads");
        }
    }
}
