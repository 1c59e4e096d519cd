package org.jwtgate;

/** Run in a child JVM by NativeLibraryTest: loads jwtgate and prints where it came from. */
public final class LoadProbe {
    private LoadProbe() {}

    public static void main(String[] args) throws Exception {
        System.out.println(JwtGate.reasons().size() + " reasons, loaded from " + NativeLibrary.loadedFrom());
    }
}
