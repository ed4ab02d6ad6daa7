package io.dualsock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.dualsock.bindings.Platform;

/**
 * Decides whether a resolver query can be answered without leaving the machine, so that tests
 * never make libc send a DNS query. Seen on this machine (glibc 2.36, /etc/hosts without ::1,
 * hosts: files dns): {@code getaddrinfo("localhost")} with AF_INET6 and no AI_V4MAPPED found
 * nothing in /etc/hosts and went on to the DNS server; numeric hosts, AI_NUMERICHOST and the
 * other localhost queries stayed local (checked with strace in an empty network namespace).
 */
final class LocalLookups {
    private LocalLookups() {}

    /** NSS host sources that never leave the machine. */
    private static final Set<String> LOCAL_SOURCES = Set.of("files", "myhostname", "mymachines");

    /** The sources of the hosts line of /etc/nsswitch.conf that may use the network, e.g. "dns". */
    static List<String> networkHostSources() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/nsswitch.conf"))) {
                String l = line.strip();
                if (!l.startsWith("hosts:")) continue;
                return List.of(l.substring("hosts:".length()).strip().split("\\s+")).stream()
                        .filter(s -> !s.isEmpty() && !s.startsWith("[") && !LOCAL_SOURCES.contains(s))
                        .toList();
            }
            return List.of(); // glibc's default without the file is "dns files", but then say so:
        } catch (IOException e) {
            return List.of("(no readable /etc/nsswitch.conf: glibc falls back to dns)");
        }
    }

    /** Whether /etc/hosts maps "localhost" to an IPv4 (v6=false) or IPv6 (v6=true) address. */
    static boolean hostsFileHasLocalhost(boolean v6) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
                int hash = line.indexOf('#');
                String[] f = (hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+");
                if (f.length < 2) continue;
                boolean names = false;
                for (int i = 1; i < f.length; i++) names |= f[i].equals("localhost");
                if (names && (f[0].indexOf(':') >= 0) == v6) return true;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * Null when the query stays on this machine, else the reason it might not (for a skip).
     * Numeric hosts are recognised by asking libc itself (gai_ref with AI_NUMERICHOST), since
     * libc's numeric reading ({@code 127.1}, {@code 0x7f.1}) is wider than inet_pton's.
     */
    static String whyNotLocal(String host, Hints h) {
        if (host == null || (h.flags() & AiFlag.NUMERICHOST.value()) != 0) return null;
        List<String> net = networkHostSources();
        if (net.isEmpty()) return null;
        Hints numeric = Hints.builder().rawFlags(AiFlag.NUMERICHOST.value()).build();
        if (!AddrInfoLines.ask(host, null, numeric).isError()) return null;
        if (host.equals("localhost")) {
            boolean v4 = hostsFileHasLocalhost(false);
            boolean v6 = hostsFileHasLocalhost(true);
            boolean mapped = (h.flags() & AiFlag.V4MAPPED.value()) != 0;
            boolean all = (h.flags() & AiFlag.ALL.value()) != 0;
            boolean local;
            if (h.family() == Platform.AF_INET) local = v4;
            else if (h.family() == Platform.AF_INET6) local = mapped ? (all ? v4 : v4 || v6) : v6;
            else local = v4 || v6;
            if (local) return null;
            return "/etc/hosts cannot answer localhost for " + h + ", so libc would ask " + net;
        }
        return "\"" + host + "\" is no number to libc and hosts: in nsswitch.conf lists " + net;
    }
}
