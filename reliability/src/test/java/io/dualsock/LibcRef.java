package io.dualsock;

import java.util.List;

import io.dualsock.bindings.LibcLocale;
import io.dualsock.testsupport.GaiRef;
import io.dualsock.testsupport.LibcText;

/**
 * The references the fuzz tests compare dualsock's Java code against: libc's inet_pton/inet_ntop
 * through libdsbench.so (thin wrappers, C strings and bytes in, as C would call them), and libc's
 * getaddrinfo in a separate C process (the reference program gai_ref in batch mode, which never
 * touches the shim).
 */
final class LibcRef {
    private LibcRef() {}

    /** inet_pton(family, bytes + NUL): the address bytes, or null when libc says 0 (not valid). */
    static byte[] inetPton(int family, byte[] text) {
        if (text.length >= (1 << 16) - 1) return null;
        return LibcText.pton(family, text, family == io.dualsock.bindings.Platform.AF_INET ? 4 : 16);
    }

    /** inet_ntop(family, addr) into a 64-byte buffer. */
    static String inetNtop(int family, byte[] addr) {
        return LibcText.ntop(family, addr);
    }

    /** gai_ref -numeric -batch: libc's getaddrinfo in one long-lived C process, AI_NUMERICHOST always added. */
    private static GaiRef.Batch ref;

    /**
     * libc's getaddrinfo for the same question, in gai_ref's line format (result lines or one
     * "error CODE ERRNO" line). gai_ref runs with this JVM's environment and calls
     * setlocale(LC_ALL, "") as the JVM did at start-up; with AI_IDN the answer depends on the
     * locale (issue 20), so a reference in another locale than this JVM is refused outright.
     */
    static synchronized List<String> getaddrinfo(String host, String service, Hints hints) {
        if (ref == null || !ref.isAlive()) {
            GaiRef.Batch b = GaiRef.here().batch(true);
            String jvm = LibcLocale.describe();
            if (!b.locale().toString().equals(jvm)) {
                b.close();
                throw new IllegalStateException("gai_ref runs in " + b.locale() + " but this JVM's libc in " + jvm
                        + ": AI_IDN answers would differ for that reason alone (issue 20)");
            }
            ref = b;
        }
        return ref.getaddrinfo(host, service, hints.family(), hints.socktype(), hints.protocol(), hints.flags());
    }

    /** The locale both sides convert AI_IDN names in, for failure messages (checked when gai_ref started). */
    static synchronized String locale() {
        return ref != null ? ref.locale().toString() : LibcLocale.describe();
    }

    /** dualsock's results in the same format. */
    static List<String> lines(List<AddrInfo> results) {
        return results.stream().map(LibcRef::line).toList();
    }

    private static String line(AddrInfo a) {
        String addr = "?";
        int port = 0, flow = 0, scope = 0;
        if (a.address() != null) {
            addr = a.address().address();
            port = a.address().port();
            if (a.address() instanceof Inet6SockAddr a6) {
                flow = a6.flowinfo();
                scope = a6.scopeId();
            }
        }
        return GaiRef.line(a.family(), a.socktype(), a.protocol(), addr, port, flow, scope, a.canonicalName(), a.flags());
    }
}
