package io.dualsock.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Why a load failed, in words that name the fix: the failures that are not about dualsock's
 * extraction directory (jffi refused by the JVM, jffi's own stub on a noexec mount, a platform
 * the jar has no build for) are recognised here from the exception chain.
 */
final class LoadFailures {
    private LoadFailures() {}

    /**
     * Runs jffi once (its stub, its memory access) and looks for the ASM classes jnr-ffi generates
     * its bindings with; null when all is there, else what failed.
     */
    static Throwable jffiProblem() {
        try {
            Class.forName("org.objectweb.asm.ClassVisitor", false, jnr.ffi.LibraryLoader.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            NoClassDefFoundError n = new NoClassDefFoundError("org/objectweb/asm/ClassVisitor (jnr-ffi needs ASM)");
            n.initCause(e);
            return n;
        }
        try {
            jnr.ffi.Runtime.getSystemRuntime();
            com.kenai.jffi.MemoryIO io = com.kenai.jffi.MemoryIO.getInstance();
            long a = io.allocateMemory(8, true);
            try {
                io.putLong(a, 1L);
            } finally {
                io.freeMemory(a);
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            return e;
        }
    }

    /** {@link NativeLoader#describe} of the failure, followed by the flag that fixes it when known. */
    static String explain(Throwable e) {
        String d = NativeLoader.describe(e);
        String fix = fix(e);
        return fix == null ? d : d + " -- " + fix;
    }

    /** The JVM flag that fixes this failure, or null when it is not one of the known kinds. */
    static String fix(Throwable e) {
        String all = chain(e);
        if (all.contains("IllegalCallerException") || all.contains("native access")) {
            return "native access is denied: run java with --enable-native-access=ALL-UNNAMED "
                    + "(on the module path: --enable-native-access=org.jnrproject.jffi)";
        }
        if (all.contains("UnsupportedOperationException") && (all.contains("sun.misc.Unsafe")
                || all.matches("(?s).*\\b(put|get)(Long|Int|Byte|Short|Address)\\b.*"))) {
            return "sun.misc.Unsafe memory access is denied (--sun-misc-unsafe-memory-access=deny): "
                    + "add -Djffi.unsafe.disabled=true";
        }
        if (all.contains("org/objectweb/asm") || all.contains("org.objectweb.asm")) {
            return "jnr-ffi's ASM is not in the module graph (nothing requires it by name on the module path): "
                    + "add --add-modules org.objectweb.asm.commons,org.objectweb.asm.util";
        }
        if (isNoexec(e) && (all.contains("StubLoader") || all.contains("libjffi"))) {
            return "jffi could not map its own stub from its extraction directory (noexec mount?): "
                    + "set -Djffi.extract.dir=DIR to a directory on a mount that allows exec";
        }
        return null;
    }

    static boolean isNoexec(Throwable e) {
        String all = chain(e).toLowerCase(Locale.ROOT);
        return all.contains("failed to map segment") || all.contains("operation not permitted");
    }

    /** Class, message and stack frames of e, its causes and suppressed exceptions, in one string. */
    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        append(sb, e, 0);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Throwable e, int depth) {
        if (e == null || depth > 8) return;
        sb.append(e.getClass().getName()).append(": ").append(e.getMessage()).append('\n');
        for (StackTraceElement f : e.getStackTrace()) sb.append(f.getClassName()).append('.').append(f.getMethodName()).append('\n');
        for (Throwable s : e.getSuppressed()) append(sb, s, depth + 1);
        append(sb, e.getCause(), depth + 1);
    }

    /**
     * One line saying why this machine cannot use the bundled shim at all, or null when it can:
     * a platform the jar has no build for, or musl libc (the bundled builds are for glibc).
     *
     * @param maps the text of /proc/self/maps (which libc this JVM runs on)
     */
    static String unsupportedPlatform(String platform, List<String> bundled, String maps) {
        if (maps.contains("ld-musl") || maps.contains("libc.musl")) {
            return "dualsock: this JVM runs on musl libc; the bundled libdualsock.so builds " + bundled
                    + " need glibc: build the shim from source on this machine and set -D"
                    + NativeLoader.PATH_PROPERTY + "=/path/to/libdualsock.so";
        }
        if (!bundled.contains(platform)) {
            return "dualsock: no bundled libdualsock.so for platform " + platform + " (this jar carries "
                    + bundled + "): build the shim from source and set -D" + NativeLoader.PATH_PROPERTY + "=FILE";
        }
        return null;
    }

    static String processMaps() {
        try {
            return Files.readString(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
