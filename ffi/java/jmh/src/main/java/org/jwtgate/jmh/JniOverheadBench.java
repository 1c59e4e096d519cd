package org.jwtgate.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jwtgate.JwtGate;
import org.jwtgate.JwtGateException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JNI round trip on its own, reported apart from the verify benchmarks:
 * a token refused at the first structural check, so nearly all the time is
 * the call, the JwtGateException built in native code, and its catch. The
 * same for every algorithm, so measured once (with the RS256 configuration).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JniOverheadBench {
    JwtGate gate;

    @Setup
    public void setup() throws Exception {
        Path tokens = Path.of(System.getProperty("bench.tokens", "target/bench-tokens"));
        gate = JwtGate.fromString(Files.readString(tokens.resolve("props-RS256.properties")));
    }

    @TearDown
    public void tearDown() {
        gate.close();
    }

    @Benchmark
    public int jniMalformed() {
        try {
            gate.verify("x");
            throw new IllegalStateException("malformed token accepted");
        } catch (JwtGateException e) {
            return e.code();
        }
    }
}
