package org.jwtgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated
class CloseAndCleanerTest {
    private static final String PROPS = TestSupport.propertiesFor("k1", "rsa2048");

    @Test
    void close_twice_is_harmless_and_frees_once() throws Exception {
        long before = JwtGate.nativeLiveGates();
        JwtGate gate = JwtGate.fromString(PROPS, TestSupport.NOW);
        assertEquals(before + 1, JwtGate.nativeLiveGates());
        gate.close();
        gate.close();
        assertTrue(gate.isClosed());
        assertEquals(before, JwtGate.nativeLiveGates());
    }

    @Test
    void use_after_close_is_illegal_state_not_a_crash() throws Exception {
        JwtGate gate = JwtGate.fromString(PROPS, TestSupport.NOW);
        gate.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gate.verify(TestSupport.aliceToken()));
        assertEquals("closed", e.getMessage());
        assertThrows(IllegalStateException.class, gate::reload);
        assertThrows(IllegalStateException.class, gate::stats);
        assertThrows(IllegalStateException.class, () -> gate.authenticate("api", java.util.Map.of(), null, null));
    }

    @Test
    void unreachable_gates_are_freed_by_the_cleaner() throws Exception {
        long before = JwtGate.nativeLiveGates();
        for (int i = 0; i < 50; i++) {
            JwtGate.fromString(PROPS, TestSupport.NOW).verify(TestSupport.aliceToken()); // never closed
        }
        assertTrue(JwtGate.nativeLiveGates() >= before + 1);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (JwtGate.nativeLiveGates() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before, JwtGate.nativeLiveGates(), "the Cleaner freed every forgotten gate");
    }
}
