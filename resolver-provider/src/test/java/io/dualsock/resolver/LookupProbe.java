package io.dualsock.resolver;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;

import io.dualsock.Inet6SockAddr;

/**
 * Run in a child JVM inside a lab host, with this module on the class path: resolves each
 * argument in order with {@code InetAddress.getAllByName} and prints one line per argument,
 * {@code <name> <address>...} or {@code <name> ! <exception class> <message>}, then
 * {@code dualsockNameLookups=<n>}: how many of them reached dualsock's provider (0 when the
 * JDK's built-in resolver answered). {@code -Dprobe.ttl=N}/{@code -Dprobe.negativeTtl=N} set
 * the JDK's cache security properties first.
 */
public final class LookupProbe {
    private LookupProbe() {}

    public static void main(String[] args) {
        if (System.getProperty("probe.ttl") != null) Security.setProperty("networkaddress.cache.ttl", System.getProperty("probe.ttl"));
        if (System.getProperty("probe.negativeTtl") != null) {
            Security.setProperty("networkaddress.cache.negative.ttl", System.getProperty("probe.negativeTtl"));
        }
        for (String name : args) {
            List<String> line = new ArrayList<>(List.of(name));
            try {
                for (InetAddress a : InetAddress.getAllByName(name)) line.add(text(a));
            } catch (UnknownHostException e) {
                line.add("! " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
            System.out.println(String.join(" ", line));
        }
        System.out.println("dualsockNameLookups=" + DualsockResolver.nameLookups());
    }

    /** inet_ntop's text, as getent prints it (the JDK writes IPv6 addresses uncompressed; an Inet6Address with mapped bytes stays ::ffff:a.b.c.d). */
    static String text(InetAddress a) {
        if (a instanceof Inet4Address) return a.getHostAddress();
        return new Inet6SockAddr(a.getAddress(), 0, 0, 0).address();
    }
}
