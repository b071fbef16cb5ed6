package org.grokscope.app;

/** The code version recorded with every run: the build's version, or "dev" outside a jar. */
public final class CodeVersion {
    private CodeVersion() {
    }

    public static String get() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
