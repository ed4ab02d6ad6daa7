package io.dualsock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.dualsock.bindings.Native;

/**
 * The references the fuzz tests compare dualsock's Java code against: libc's inet_pton/inet_ntop
 * through the shim (thin wrappers, C strings and bytes in, as C would call them), and libc's
 * getaddrinfo in a separate C process ({@code gai_oracle}, which never touches the shim).
 */
final class LibcRef {
    private LibcRef() {}

    private static final ThreadLocal<ByteBuffer> SRC = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 16));
    private static final ThreadLocal<ByteBuffer> DST = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(64));

    /** inet_pton(family, bytes + NUL): the address bytes, or null when libc says 0 (not valid). */
    static byte[] inetPton(int family, byte[] text) {
        if (text.length >= (1 << 16) - 1) return null;
        ByteBuffer src = SRC.get();
        ByteBuffer dst = DST.get();
        src.put(0, text).put(text.length, (byte) 0);
        for (int i = 0; i < 16; i++) dst.put(i, (byte) 0);
        int rc = Native.shim().ds_inet_pton(family, Native.address(src), Native.address(dst));
        Reference.reachabilityFence(src);
        Reference.reachabilityFence(dst);
        if (rc < 0) throw new IllegalStateException("inet_pton failed: " + rc);
        if (rc == 0) return null;
        byte[] out = new byte[family == io.dualsock.bindings.Platform.AF_INET ? 4 : 16];
        dst.get(0, out);
        return out;
    }

    /** inet_ntop(family, addr) into a 64-byte buffer. */
    static String inetNtop(int family, byte[] addr) {
        ByteBuffer src = SRC.get();
        ByteBuffer dst = DST.get();
        src.put(0, addr);
        int n = Native.shim().ds_inet_ntop(family, Native.address(src), Native.address(dst), dst.capacity());
        Reference.reachabilityFence(src);
        Reference.reachabilityFence(dst);
        if (n < 0) throw new IllegalStateException("inet_ntop failed: " + n);
        byte[] out = new byte[n];
        dst.get(0, out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** One entry as gai_oracle prints it, comparable with an {@link AddrInfo}. */
    record Entry(int family, int socktype, int protocol, int flags, String addrHex, int port, int flowinfo,
                 int scope, String canon) {
        static Entry of(AddrInfo a) {
            String hex = "-";
            int port = 0, flow = 0, scope = 0;
            if (a.address() != null) {
                hex = HexFormat.of().formatHex(a.address().addressBytes());
                port = a.address().port();
                if (a.address() instanceof Inet6SockAddr a6) {
                    flow = a6.flowinfo();
                    scope = a6.scopeId();
                }
            }
            return new Entry(a.family(), a.socktype(), a.protocol(), a.flags(), hex, port, flow, scope,
                    a.canonicalName());
        }
    }

    /** getaddrinfo's answer: an EAI code (0 = success) and, on success, the entries. */
    record GaiAnswer(int code, int errno, List<Entry> entries) {}

    private static Process oracle;
    private static Writer toOracle;
    private static BufferedReader fromOracle;

    static Path oraclePath() {
        String p = System.getProperty("ds.gai_oracle", "../native-bindings/target/cmake/gai_oracle");
        return Path.of(p).toAbsolutePath();
    }

    /** libc's getaddrinfo in the oracle process; the oracle adds AI_NUMERICHOST itself. */
    static synchronized GaiAnswer getaddrinfo(byte[] host, byte[] service, Hints hints) {
        try {
            if (oracle == null || !oracle.isAlive()) {
                Path exe = oraclePath();
                if (!Files.isExecutable(exe)) throw new IllegalStateException("gai_oracle not built at " + exe);
                oracle = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                toOracle = new OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.US_ASCII);
                fromOracle = new BufferedReader(new InputStreamReader(oracle.getInputStream(), StandardCharsets.US_ASCII));
            }
            toOracle.write(hex(host) + " " + hex(service) + " " + hints.family() + " " + hints.socktype() + " "
                    + hints.protocol() + " " + hints.flags() + "\n");
            toOracle.flush();
            String[] head = fromOracle.readLine().split(" ");
            if (head[0].equals("error")) {
                return new GaiAnswer(Integer.parseInt(head[1]), Integer.parseInt(head[2]), List.of());
            }
            if (!head[0].equals("ok")) throw new IllegalStateException("gai_oracle said " + String.join(" ", head));
            int n = Integer.parseInt(head[1]);
            List<Entry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String[] f = fromOracle.readLine().split(" ");
                out.add(new Entry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), f[4], Integer.parseInt(f[5]), (int) Long.parseLong(f[6]),
                        (int) Long.parseLong(f[7]),
                        f[8].equals("-") ? null : new String(HexFormat.of().parseHex(f[8]), StandardCharsets.UTF_8)));
            }
            return new GaiAnswer(0, 0, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(byte[] b) {
        if (b == null) return "-";
        if (b.length == 0) return "=";
        return HexFormat.of().formatHex(b);
    }
}
