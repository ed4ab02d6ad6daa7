package io.dualsock;

import java.util.List;

import io.dualsock.bindings.Native;
import io.dualsock.bindings.NativeLoader;

/** The library itself: whether its native part loaded on this machine, and from where. */
public final class Dualsock {
    private Dualsock() {}

    /**
     * What {@code dualsock selftest} reports about the native library, for an application's own
     * health check or bug report. Loads the library if that has not happened yet; never throws
     * for a failed load (the failure is in {@link Diagnostics#error()}, with the flag that fixes
     * it where the loader recognised the cause).
     *
     * @return the state of the native library in this JVM
     */
    public static Diagnostics diagnostics() {
        String platform = NativeLoader.platform();
        List<String> bundled = NativeLoader.bundledPlatforms();
        try {
            int abi = Native.shim().ds_abi_version();
            return new Diagnostics(true, Native.librarySource(), Native.libraryPath(), abi,
                    NativeLoader.ABI_VERSION, Native.binding(), Native.bindingReason(), platform, bundled, null);
        } catch (LinkageError e) {
            return new Diagnostics(false, null, null, -1, NativeLoader.ABI_VERSION, null, null, platform, bundled,
                    e.getMessage());
        }
    }

    /**
     * The native library's state.
     *
     * @param loaded           whether {@code libdualsock.so} is loaded and usable
     * @param source           where it came from (the override property, or the bundled copy and
     *                         the directory it was extracted to); null when not loaded
     * @param path             the file it was loaded from (a bundled copy is deleted once loaded);
     *                         null when not loaded
     * @param abiVersion       the loaded library's {@code ds_abi_version()}; -1 when not loaded
     * @param abiExpected      the ABI version this Java code was written against
     * @param binding          the binding that crosses to C, {@code ffm} or {@code jnr}; null when not loaded
     * @param bindingReason    why that binding (Java version, {@code -Ddualsock.binding}); null when not loaded
     * @param platform         this machine's platform name, e.g. {@code linux-x86_64}
     * @param bundledPlatforms the platforms whose library this jar carries
     * @param error            why it did not load, every candidate tried and why it failed;
     *                         null when loaded
     */
    public record Diagnostics(boolean loaded, String source, String path, int abiVersion, int abiExpected,
                              String binding, String bindingReason, String platform, List<String> bundledPlatforms, String error) {
        /** Multi-line text, as {@code dualsock selftest} prints it. */
        @Override
        public String toString() {
            String head = "platform " + platform + ", this jar carries " + String.join(" ", bundledPlatforms);
            return loaded ? "library " + source + "\n" + "        " + path + "\nABI " + abiVersion + " (this code needs "
                    + abiExpected + ")\nbinding " + binding + ": " + bindingReason + "\n" + head
                    : "library NOT LOADED: " + error + "\n" + head;
        }
    }
}
