package io.dualsock.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the lab must never change in the root namespace: links, addresses, routes, the IPv4/IPv6
 * sysctls of all/default interfaces, and the /etc files that ip netns exec covers for lab hosts.
 * Read by the test JVM, which runs in the root namespace.
 */
public final class RootNamespace {
    private RootNamespace() {}

    public static Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        m.put("ip -br link", run(Netns.IP, "-br", "link"));
        m.put("ip -br addr", run(Netns.IP, "-br", "addr"));
        m.put("ip route", run(Netns.IP, "route", "show", "table", "all"));
        m.put("ip -6 route", run(Netns.IP, "-6", "route", "show", "table", "all"));
        for (String dir : List.of("/proc/sys/net/ipv4/conf/all", "/proc/sys/net/ipv4/conf/default",
                "/proc/sys/net/ipv6/conf/all", "/proc/sys/net/ipv6/conf/default")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.sorted().toList()) {
                    try {
                        m.put(p.toString(), Files.readString(p).strip());
                    } catch (IOException e) {
                        // write-only or unreadable entries say nothing
                    }
                }
            }
        }
        m.put("/proc/sys/net/ipv4/ip_forward", Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip());
        for (String f : List.of("hosts", "resolv.conf", "nsswitch.conf", "gai.conf", "host.conf")) {
            Path p = Path.of("/etc", f);
            if (Files.exists(p)) m.put(p.toString(), Files.readString(p));
        }
        return m;
    }

    private static String run(String... cmd) {
        return Commands.run(List.of(cmd)).orThrow().stdout();
    }
}
