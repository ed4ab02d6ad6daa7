package io.dualsock.cli.compare;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second opinion for the tests, deliberately sharing no code with {@link JdkProbe}: run in a
 * child JVM with one property setting, it prints what InetAddress says for each host and which
 * /proc/net table lists a ServerSocketChannel it opens. No native library is loaded.
 *
 * <pre>
 * PROP preferIPv4Stack=... preferIPv6Addresses=...
 * HOST name|Inet4Address 127.0.0.1,Inet6Address 0:0:0:0:0:0:0:1     (or HOST name|ERROR)
 * FAMILY tcp6
 * </pre>
 */
public final class IndependentJdkCheck {
    private IndependentJdkCheck() {}

    public static void main(String[] args) throws Exception {
        System.out.println("PROP preferIPv4Stack=" + System.getProperty("java.net.preferIPv4Stack") + " preferIPv6Addresses="
                + System.getProperty("java.net.preferIPv6Addresses"));
        for (String h : args) System.out.println("HOST " + h + "|" + lookup(h));
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(0))) {
            int port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
            String hex = String.format(":%04X ", port);
            String table = "none";
            for (String t : List.of("tcp", "tcp6")) {
                for (String line : Files.readAllLines(Path.of("/proc/net/" + t))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(hex.trim()) && f[3].equals("0A")) table = t;
                }
            }
            System.out.println("FAMILY " + table);
        }
    }

    static String lookup(String h) {
        try {
            List<String> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(h)) {
                out.add((a instanceof Inet4Address ? "Inet4Address " : "Inet6Address ") + a.getHostAddress());
            }
            return String.join(",", out);
        } catch (UnknownHostException e) {
            return "ERROR";
        }
    }
}
