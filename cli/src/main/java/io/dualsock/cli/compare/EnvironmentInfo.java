package io.dualsock.cli.compare;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine a comparison ran on, for the report header: the C library, the kernel, how names
 * are looked up, and which address families have a non-loopback address (what AI_ADDRCONFIG
 * looks at). Nothing here performs a name lookup.
 *
 * @param glibc first line of {@code ldd --version} (the distribution's glibc build), or
 *     {@code getconf GNU_LIBC_VERSION}
 * @param kernel {@code uname -r} (the {@code os.version} property)
 * @param arch {@code os.arch}
 * @param nsswitchHosts the {@code hosts:} line of /etc/nsswitch.conf
 * @param gaiConf the non-comment lines of /etc/gai.conf (empty: glibc's built-in RFC 6724 table)
 * @param nscd whether nscd's socket exists (then libc may answer from nscd's cache)
 * @param bindv6only {@code net.ipv6.bindv6only}
 * @param addrconfigFamilies the families AI_ADDRCONFIG lets through here: IPv4 and/or IPv6
 *     (glibc counts every configured address except 127.0.0.1 and ::1 themselves)
 */
public record EnvironmentInfo(String glibc, String kernel, String arch, String nsswitchHosts, List<String> gaiConf,
        String nscd, String bindv6only, List<String> addrconfigFamilies) {

    public static EnvironmentInfo collect() {
        String glibc = firstLine("ldd", "--version");
        if (glibc == null) glibc = firstLine("getconf", "GNU_LIBC_VERSION");
        List<String> gai = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(Path.of("/etc/gai.conf"))) {
                String t = l.trim();
                if (!t.isEmpty() && !t.startsWith("#")) gai.add(t);
            }
        } catch (IOException absent) {
            // no gai.conf: glibc's defaults
        }
        String nscd = Files.exists(Path.of("/var/run/nscd/socket")) || Files.exists(Path.of("/run/nscd/socket"))
                ? "running (its socket exists): libc may answer from nscd's cache"
                : "not running (no /run/nscd/socket): every getaddrinfo reads the sources again";
        String v6only;
        try {
            v6only = Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only")).trim();
        } catch (IOException e) {
            v6only = "unknown";
        }
        return new EnvironmentInfo(glibc == null ? "unknown" : glibc, System.getProperty("os.version"),
                System.getProperty("os.arch"), RootSafety.nsswitchHosts(Path.of("/etc/nsswitch.conf")), gai, nscd, v6only,
                configuredFamilies());
    }

    /**
     * IPv4/IPv6 when some interface has an address of that family other than 127.0.0.1 or ::1:
     * the rule of glibc's {@code __check_pf}, which decides what AI_ADDRCONFIG keeps.
     */
    static List<String> configuredFamilies() {
        boolean v4 = false;
        boolean v6 = false;
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    byte[] b = a.getAddress();
                    if (a instanceof Inet4Address) {
                        if (!(b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1)) v4 = true;
                    } else if (!a.isLoopbackAddress()) {
                        v6 = true;
                    }
                }
            }
        } catch (SocketException e) {
            // unknown: report none
        }
        List<String> out = new ArrayList<>();
        if (v4) out.add("IPv4");
        if (v6) out.add("IPv6");
        return out;
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s;
            try (InputStream in = p.getInputStream()) {
                s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0 || s.isBlank()) return null;
            return s.lines().findFirst().orElse("").trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
