package io.dualsock.cli.compare;

import java.util.List;
import java.util.Map;

/**
 * Everything one child JVM ({@link JdkProbe}) reports, as JSON on its standard output.
 *
 * @param jdk the running VM and the networking properties it was started with
 * @param setting {@link JdkSetting#label()} the parent asked for
 * @param cachePolicy the address cache policy in force in that VM
 * @param lookups {@code InetAddress.getAllByName} for every host asked
 * @param libc getaddrinfo answers, when the probe was asked to put them (inside a namespace)
 * @param sockets socket facts: what the JDK reports next to what the kernel says about the same socket
 * @param cacheDemo the cache demonstration, when asked
 */
public record ProbeOutput(JdkInfo jdk, String setting, CachePolicy cachePolicy, List<JdkLookup> lookups,
        List<LibcLookup> libc, List<SocketFact> sockets, CacheDemo cacheDemo) {

    public ProbeOutput {
        lookups = lookups == null ? List.of() : List.copyOf(lookups);
        libc = libc == null ? List.of() : List.copyOf(libc);
        sockets = sockets == null ? List.of() : List.copyOf(sockets);
    }

    /**
     * @param version {@code java.version}
     * @param runtimeVersion {@code java.runtime.version}
     * @param vendor {@code java.vendor.version} or {@code java.vendor}
     * @param home {@code java.home}
     * @param feature {@code Runtime.version().feature()}
     * @param preferIPv4Stack the property as the VM saw it (null when unset)
     * @param preferIPv6Addresses the property as the VM saw it (null when unset)
     */
    public record JdkInfo(String version, String runtimeVersion, String vendor, String home, int feature,
            String preferIPv4Stack, String preferIPv6Addresses) {}

    /**
     * The JDK's address cache policy, in seconds (-1 forever, 0 never).
     *
     * @param positive how long successful lookups are kept
     * @param negative how long failed lookups are kept
     * @param stale how long stale answers may stand in when the name service fails (JDK 21+), else null
     * @param source where the numbers come from: {@code sun.net.InetAddressCachePolicy} (the JDK's own
     *     answer) or the documented defaults applied to the properties
     * @param settings the security and system properties that set it, as found
     */
    public record CachePolicy(Integer positive, Integer negative, Integer stale, String source,
            Map<String, String> settings) {}

    /**
     * {@code InetAddress.getAllByName(host)}.
     *
     * @param addresses the array in the JDK's order, empty on error
     * @param error {@code UnknownHostException: message} or null
     */
    public record JdkLookup(String host, List<JdkAddress> addresses, String error) {
        public JdkLookup {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * One {@code InetAddress}.
     *
     * @param type {@code Inet4Address} or {@code Inet6Address}
     * @param address as {@code inet_ntop(3)} would print the bytes (comparable with libc)
     * @param hostAddress {@code getHostAddress()}, the JDK's own text
     * @param text {@code toString()}: {@code name/address}, or {@code /address} when the JDK
     *     made the object from a literal without any lookup
     * @param v4MappedBytes an {@code Inet6Address} whose 16 bytes are {@code ::ffff:a.b.c.d}
     * @param fromName a host name is attached, i.e. the JDK looked the name up
     */
    public record JdkAddress(String type, String address, String hostAddress, String text, boolean v4MappedBytes,
            boolean fromName) {
        /** {@code AF_INET 127.0.0.1}, the same identity as {@link LibcLookup.Entry#key()}. */
        public String key() {
            return ("Inet4Address".equals(type) ? "AF_INET " : "AF_INET6 ") + address;
        }
    }

    /**
     * One socket fact: what the JDK reports and what the kernel says, for the same socket.
     *
     * @param id stable identifier, e.g. {@code tcp.accept.peer}
     * @param topic human title
     * @param jdk the JDK's side
     * @param kernel the kernel's side (getsockopt, getpeername, recvfrom on the same descriptor,
     *     or a native socket doing the same thing)
     * @param note why they differ, or why they agree, written by the probe from what it saw
     */
    public record SocketFact(String id, String topic, String jdk, String kernel, String note) {}

    /**
     * The cache demonstration: a name whose answer changes while the JVM runs.
     *
     * @param name the name that was changed
     * @param policy the cache policy in force
     * @param steps what happened, step by step
     * @param skipped why it did not run, or null
     */
    public record CacheDemo(String name, CachePolicy policy, List<CacheStep> steps, String skipped) {
        public CacheDemo {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    /**
     * @param change what was written to the hosts file before this step
     * @param file what the file says about the name now
     * @param jdk what {@code InetAddress.getAllByName} answered
     * @param libc what getaddrinfo (AF_UNSPEC) answered
     * @param jdkCurrent whether the JDK's answer matches the file (false: served from its cache)
     * @param libcCurrent whether libc's answer matches the file
     */
    public record CacheStep(String change, String file, String jdk, String libc, boolean jdkCurrent,
            boolean libcCurrent) {}
}
