package io.dualsock;

import java.util.List;

import io.dualsock.testsupport.GaiRef;

/**
 * dualsock's results in the line format of the C reference program gai_ref (driven by
 * {@link GaiRef}), so that a test compares the two line by line. Public for the lab's
 * {@code ResolverProbe}, which prints results inside a lab host the same way (test-jar).
 */
public final class AddrInfoLines {
    private AddrInfoLines() {}

    /** gai_ref's answer to the same question (this JVM's environment, so this JVM's locale). */
    static GaiRef.Output ask(String host, String service, Hints h) {
        return GaiRef.here().getaddrinfo(host, service, h.family(), h.socktype(), h.protocol(), h.flags());
    }

    /** One result as gai_ref prints it. */
    public static String line(AddrInfo ai) {
        String addr = "?";
        int port = 0, flow = 0, scope = 0;
        if (ai.address() instanceof Inet4SockAddr a4) {
            addr = a4.address();
            port = a4.port();
        } else if (ai.address() instanceof Inet6SockAddr a6) {
            addr = a6.address();
            port = a6.port();
            flow = a6.flowinfo();
            scope = a6.scopeId();
        }
        return GaiRef.line(ai.family(), ai.socktype(), ai.protocol(), addr, port, flow, scope, ai.canonicalName(), ai.flags());
    }

    static List<String> lines(List<AddrInfo> list) {
        return list.stream().map(AddrInfoLines::line).toList();
    }
}
