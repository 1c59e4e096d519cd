package org.jwtgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyAndMemoryTest {
    private static final String PROPS = TestSupport.propertiesFor("k1", "rsa2048");

    @Test
    void eight_threads_verify_on_one_gate_while_it_reloads(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("customer_overrides.properties");
        Files.writeString(props, PROPS);
        String good = TestSupport.aliceToken();
        String expired = TestSupport.rs256("rsa2048", "k1", "{\"sub\":\"x\",\"aud\":\"api\",\"exp\":1000}");
        try (JwtGate gate = JwtGate.fromFile(props.toString())) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AtomicInteger ok = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 2_000; i++) {
                            if (!gate.verify(good).user().equals("alice")) {
                                throw new AssertionError("wrong user");
                            }
                            try {
                                gate.verify(expired);
                                throw new AssertionError("expired token accepted");
                            } catch (JwtGateException e) {
                                if (!e.reason().equals("token_expired")) {
                                    throw new AssertionError("wrong reason " + e.getMessage());
                                }
                            }
                            ok.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            Thread reloader = new Thread(() -> {
                try {
                    start.await();
                    while (!stop.get()) {
                        gate.reload();
                        Thread.sleep(5);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            reloader.start();
            start.countDown();
            for (Thread th : threads) {
                th.join();
            }
            stop.set(true);
            reloader.join();
            assertEquals(List.of(), errors);
            assertEquals(8 * 2_000, ok.get());
        }
    }

    private static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static int verifyMany(JwtGate gate, String good, String bad, int n) {
        int refused = 0;
        for (int i = 0; i < n; i++) {
            try {
                if ((i & 1) == 0) {
                    gate.verify(good);
                } else {
                    gate.verify(bad);
                }
            } catch (JwtGateException e) {
                refused++;
            }
        }
        return refused;
    }

    /**
     * 100,000 verifications (half refused, so exceptions are built too) on a fixed, pre-touched
     * heap: a leaked local or global reference, identity or exception would grow the process
     * linearly. Two halves are measured: after warm-up the second must not keep growing.
     */
    @Test
    void hundred_thousand_verifications_in_bounded_memory() throws Exception {
        String good = TestSupport.aliceToken();
        String bad = good.substring(0, good.length() - 4) + "AAAA";
        try (JwtGate gate = JwtGate.fromString(PROPS, TestSupport.NOW)) {
            verifyMany(gate, good, bad, 10_000);
            System.gc();
            long rss0 = rssKiB();
            long t0 = System.nanoTime();
            int refused = verifyMany(gate, good, bad, 50_000);
            System.gc();
            long rss1 = rssKiB();
            refused += verifyMany(gate, good, bad, 50_000);
            System.gc();
            long rss2 = rssKiB();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("100000 verifications in " + ms + " ms; RSS growth " + (rss1 - rss0)
                    + " KiB then " + (rss2 - rss1) + " KiB");
            assertEquals(50_000, refused);
            assertTrue(rss2 - rss0 < 32 * 1024, "RSS grew by " + (rss2 - rss0) + " KiB over 100,000 verifications");
            assertTrue(rss2 - rss1 < 8 * 1024, "RSS kept growing: " + (rss2 - rss1) + " KiB in the second 50,000");
        }
    }
}
