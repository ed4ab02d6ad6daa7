package io.dualsock.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a network namespace's SNMP counters: {@code /proc/net/snmp} (IPv4: Ip, Icmp,
 * IcmpMsg, Tcp, Udp, UdpLite) and {@code /proc/net/snmp6} (IPv6: Ip6, Icmp6, Udp6, UdpLite6).
 * {@code /proc/net} shows the namespace of the process that reads it (it is
 * {@code /proc/self/net}; a thread that changed namespace with {@code setns} alone must read
 * {@code /proc/thread-self/net}).
 *
 * <p>Names: the snmp6 names as the kernel writes them ({@code Ip6InDelivers},
 * {@code Udp6NoPorts}); the snmp ones with their group in front in the same style
 * ({@code IpInDelivers}, {@code TcpPassiveOpens}, {@code UdpNoPorts}), as {@code nstat} prints
 * them.
 *
 * <p>Note that Linux keeps one TCP MIB for both IP versions: {@code Tcp*} counts IPv4 and IPv6
 * segments together (there is no Tcp6 line), so the IP version of TCP traffic can only be
 * told from the IP layer; UDP has separate {@code Udp} and {@code Udp6} counters. A datagram
 * that reaches an IPv6 socket as IPv4 (a mapped peer) counts in {@code Udp}, because the IPv4
 * stack received it.
 */
public record KernelCounters(Map<String, Long> values) {
    public KernelCounters {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Reads this process's namespace's counters. */
    public static KernelCounters read() throws IOException {
        return read(Path.of("/proc/net/snmp"), Path.of("/proc/net/snmp6"));
    }

    static KernelCounters read(Path snmp, Path snmp6) throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        if (Files.exists(snmp)) parseSnmp(Files.readString(snmp, StandardCharsets.US_ASCII), m);
        // snmp6 is missing when IPv6 is disabled at boot; present but unchanging with disable_ipv6.
        if (Files.exists(snmp6)) parseSnmp6(Files.readString(snmp6, StandardCharsets.US_ASCII), m);
        return new KernelCounters(m);
    }

    /** {@code /proc/net/snmp}: pairs of lines "Group: Name Name ..." / "Group: value value ...". */
    static void parseSnmp(String text, Map<String, Long> out) {
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String[] names = lines[i].trim().split("\\s+");
            String[] values = lines[i + 1].trim().split("\\s+");
            if (names.length == 0 || !names[0].endsWith(":") || !names[0].equals(values[0])) {
                throw new IllegalArgumentException("unexpected /proc/net/snmp format near: " + lines[i]);
            }
            String group = names[0].substring(0, names[0].length() - 1);
            for (int k = 1; k < names.length && k < values.length; k++) {
                try {
                    out.put(group + names[k], Long.parseLong(values[k]));
                } catch (NumberFormatException e) {
                    // a non-numeric field would be a new kernel format: skip it rather than fail a run
                }
            }
        }
    }

    /** {@code /proc/net/snmp6}: one "Name value" per line. */
    static void parseSnmp6(String text, Map<String, Long> out) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 2) continue;
            try {
                out.put(f[0], Long.parseLong(f[1]));
            } catch (NumberFormatException e) {
                // not a counter line
            }
        }
    }

    public long get(String name) {
        Long v = values.get(name);
        return v == null ? 0 : v;
    }

    /** {@code this - before}, counter by counter; only counters that changed are kept. */
    public Map<String, Long> minus(KernelCounters before) {
        Map<String, Long> d = new TreeMap<>();
        for (Map.Entry<String, Long> e : values.entrySet()) {
            long delta = e.getValue() - before.get(e.getKey());
            if (delta != 0) d.put(e.getKey(), delta);
        }
        return d;
    }
}
