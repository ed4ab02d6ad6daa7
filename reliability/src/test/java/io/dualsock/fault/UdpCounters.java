package io.dualsock.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/** The kernel's UDP counters (/proc/net/snmp and snmp6): where lost datagrams are accounted. */
final class UdpCounters {
    private UdpCounters() {}

    /** Udp RcvbufErrors + Udp6 RcvbufErrors (datagrams dropped because a receive buffer was full). */
    static long rcvbufErrors() {
        return field("/proc/net/snmp", "Udp:", "RcvbufErrors") + field6("Udp6RcvbufErrors");
    }

    /**
     * The kernel's drop counter of the UDP socket bound to this local port (the last column of
     * /proc/net/udp and /proc/net/udp6): datagrams that reached the socket but did not fit in its
     * receive buffer. -1 when no such socket is listed.
     */
    static long socketDrops(int port) {
        String hexPort = String.format(":%04X", port);
        long total = -1;
        for (String file : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            try {
                for (String line : Files.readAllLines(Paths.get(file))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 12 && f[1].endsWith(hexPort)) total = Math.max(total, 0) + Long.parseLong(f[f.length - 1]);
                }
            } catch (IOException e) {
                // no IPv6: nothing listed there
            }
        }
        return total;
    }

    private static long field(String file, String prefix, String name) {
        try {
            List<String> lines = Files.readAllLines(Paths.get(file));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith(prefix) && lines.get(i + 1).startsWith(prefix)) {
                    String[] k = lines.get(i).split("\\s+");
                    String[] v = lines.get(i + 1).split("\\s+");
                    for (int j = 0; j < k.length; j++) if (k[j].equals(name)) return Long.parseLong(v[j]);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long field6(String name) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/net/snmp6"))) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals(name)) return Long.parseLong(kv[1]);
            }
            return 0;
        } catch (IOException e) {
            return 0; // no IPv6 in this kernel
        }
    }
}
