package io.dualsock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The TTL that {@code getaddrinfo} does not report: one AAAA query in the DNS wire format (RFC
 * 1035 §4), sent over UDP through {@link NativeSocket} to the {@code nameserver}s of
 * {@code /etc/resolv.conf} (the file glibc reads in this process's mount namespace), in order,
 * once each, with the file's {@code options timeout:} (glibc's default 5 s). The answer's
 * records are read for their TTLs; nothing else of the message is trusted. Package-private:
 * {@link Nat64Discovery} is its only user.
 *
 * <p>glibc's own {@code res_nquery} would do the same, but it exists with the {@code GLIBC_2.34}
 * symbol version only, above the shim's glibc floor of 2.17 (c-shim/test/check_glibc_floor.sh).
 */
final class DnsTtl {
    private DnsTtl() {}

    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final int TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;
    private static final int MAXNS = 3; // glibc's resolv.h

    /** The {@code nameserver} lines and {@code options timeout:} of a resolv.conf text. */
    record Conf(List<String> nameservers, int timeoutSeconds) {
        static Conf parse(String text) {
            List<String> ns = new ArrayList<>();
            int timeout = 5;
            for (String line : text.split("\n")) {
                String[] w = line.strip().split("\\s+");
                if (w.length >= 2 && w[0].equals("nameserver") && ns.size() < MAXNS) ns.add(w[1]);
                if (w.length >= 2 && w[0].equals("options")) {
                    for (String o : w) {
                        if (o.startsWith("timeout:")) {
                            try {
                                timeout = Math.max(1, Math.min(30, Integer.parseInt(o.substring(8))));
                            } catch (NumberFormatException ignored) {
                                // glibc ignores it too
                            }
                        }
                    }
                }
            }
            // resolv.conf(5): no nameserver line means the server on this machine
            if (ns.isEmpty()) ns.add("127.0.0.1");
            return new Conf(List.copyOf(ns), timeout);
        }

        static Conf read() {
            try {
                return parse(Files.readString(RESOLV_CONF, StandardCharsets.ISO_8859_1));
            } catch (NoSuchFileException e) {
                return parse("");
            } catch (IOException e) {
                return parse("");
            }
        }
    }

    /** The smallest TTL of the answer section and the server that gave it, or why there is none. */
    record Ttl(long seconds, String server, String why) {
        boolean known() { return seconds >= 0; }
    }

    /** Asks the servers in order; the first answer with AAAA records gives the TTL. */
    static Ttl aaaa(String name, Conf conf) {
        List<String> failures = new ArrayList<>();
        for (String server : conf.nameservers()) {
            try {
                long ttl = ask(name, server, conf.timeoutSeconds());
                if (ttl >= 0) return new Ttl(ttl, server, null);
                failures.add(server + ": no AAAA record in the answer");
            } catch (IOException | RuntimeException e) {
                failures.add(server + ": " + e.getMessage());
            }
        }
        return new Ttl(-1, null, String.join("; ", failures));
    }

    private static long ask(String name, String server, int timeoutSeconds) throws IOException {
        SockAddr to = SockAddr.parse(server, 53);
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] q = query(id, name);
        try (NativeSocket s = NativeSocket.open(to instanceof Inet6SockAddr ? NativeSocket.AF_INET6 : NativeSocket.AF_INET,
                NativeSocket.SOCK_DGRAM)) {
            s.connect(to);
            s.send(q);
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            byte[] buf = new byte[4096];
            for (;;) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || s.poll(NativeSocket.POLLIN, (int) left) == 0) throw new IOException("no answer in " + timeoutSeconds + " s");
                int n = s.recv(buf);
                long ttl = minTtl(buf, n, id);
                if (ttl != Long.MIN_VALUE) return ttl;
                // another message on this port (not our id): keep waiting
            }
        }
    }

    /** A standard query, recursion desired, one question {@code name IN AAAA}. */
    static byte[] query(int id, String name) {
        byte[] qname = encodeName(name);
        byte[] m = new byte[12 + qname.length + 4];
        put16(m, 0, id);
        put16(m, 2, 0x0100); // RD
        put16(m, 4, 1);
        System.arraycopy(qname, 0, m, 12, qname.length);
        put16(m, 12 + qname.length, TYPE_AAAA);
        put16(m, 14 + qname.length, CLASS_IN);
        return m;
    }

    /**
     * The smallest TTL among the answer section's IN AAAA records; -1 when there is none (an
     * error rcode or no such record); {@code Long.MIN_VALUE} when the message is not the answer
     * to query {@code id}.
     *
     * @throws IllegalArgumentException for a malformed message
     */
    static long minTtl(byte[] m, int len, int id) {
        if (len < 12) throw new IllegalArgumentException("a DNS message of " + len + " bytes");
        if (get16(m, 0) != id || (get16(m, 2) & 0x8000) == 0) return Long.MIN_VALUE;
        int qd = get16(m, 4), an = get16(m, 6);
        int p = 12;
        for (int i = 0; i < qd; i++) p = skipName(m, len, p) + 4;
        long min = -1;
        for (int i = 0; i < an; i++) {
            p = skipName(m, len, p);
            if (p + 10 > len) throw new IllegalArgumentException("answer record cut short");
            int type = get16(m, p), cls = get16(m, p + 2);
            long raw = (long) get16(m, p + 4) << 16 | get16(m, p + 6);
            long ttl = raw > 0x7fffffffL ? 0 : raw; // RFC 2181 §8: a TTL with the top bit set counts as 0
            int rdlen = get16(m, p + 8);
            if (type == TYPE_AAAA && cls == CLASS_IN) min = min < 0 ? ttl : Math.min(min, ttl);
            p += 10 + rdlen;
            if (p > len) throw new IllegalArgumentException("record data cut short");
        }
        return min;
    }

    private static int skipName(byte[] m, int len, int p) {
        for (int labels = 0; labels < 128; labels++) {
            if (p >= len) throw new IllegalArgumentException("name runs past the message");
            int l = m[p] & 0xff;
            if (l == 0) return p + 1;
            if ((l & 0xc0) == 0xc0) return p + 2; // a compression pointer ends the name here
            if ((l & 0xc0) != 0) throw new IllegalArgumentException("label type " + (l >> 6));
            p += 1 + l;
        }
        throw new IllegalArgumentException("name with too many labels");
    }

    private static byte[] encodeName(String name) {
        byte[] out = new byte[name.length() + 2];
        int o = 0;
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            if (b.length == 0 || b.length > 63) throw new IllegalArgumentException("bad label in " + name);
            out[o++] = (byte) b.length;
            System.arraycopy(b, 0, out, o, b.length);
            o += b.length;
        }
        out[o++] = 0;
        return java.util.Arrays.copyOf(out, o);
    }

    private static int get16(byte[] m, int at) {
        return (m[at] & 0xff) << 8 | (m[at + 1] & 0xff);
    }

    private static void put16(byte[] m, int at, int v) {
        m[at] = (byte) (v >> 8);
        m[at + 1] = (byte) v;
    }
}
