package io.dualsock.cli;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.lab.Prerequisites;

/**
 * Facts about the machine this runs on, for {@code dualsock selftest} and for anything else that
 * must decide whether a test can run here (uid, capabilities and programs are asked of the
 * lab's {@link Prerequisites}). Every probe is harmless: it opens and closes one socket on
 * loopback, reads /proc, or runs a short-lived program; none changes the host.
 */
public final class Probes {
    private Probes() {}

    /** The outcome of one check: whether it passed and what was seen. */
    public record Check(boolean ok, String detail) {}

    /**
     * The version of the C library this process uses ({@code gnu_get_libc_version()}, through the
     * active binding), or empty when it is not glibc (the symbol is missing, e.g. musl).
     */
    public static Optional<String> glibcVersion() {
        try {
            return Optional.ofNullable(Native.gnuLibcVersion());
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---- IPv6 ----

    /** {@code socket(AF_INET6, SOCK_DGRAM, 0)} through the shim, closed at once: does the kernel do IPv6? */
    public static Check ipv6Socket() {
        int fd = Native.shim().ds_socket(Platform.AF_INET6, Platform.SOCK_DGRAM, 0);
        if (fd < 0) {
            return new Check(false, "socket(AF_INET6, SOCK_DGRAM) failed: " + Errors.errnoName(-fd) + " "
                    + Errors.strerror(-fd));
        }
        int rc = Native.shim().ds_close(fd);
        return new Check(true, "socket(AF_INET6, SOCK_DGRAM) = fd " + fd
                + (rc < 0 ? " (close: " + Errors.errnoName(-rc) + ")" : ", closed"));
    }

    /** Whether /proc/net/if_inet6 lists ::1, i.e. loopback has its IPv6 address. */
    public static Check ipv6Loopback() {
        Path p = Path.of("/proc/net/if_inet6");
        if (!Files.isReadable(p)) return new Check(false, p + " missing (kernel without IPv6, or ipv6.disable=1)");
        try {
            for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[0].equals("00000000000000000000000000000001")) {
                    return new Check(true, "::1 on " + f[5] + " (" + p + ")");
                }
            }
            return new Check(false, "no ::1 in " + p + " (IPv6 disabled on lo?)");
        } catch (IOException e) {
            return new Check(false, "cannot read " + p + ": " + e);
        }
    }

    /** Binds a UDP socket to [::1]:0 with the JDK and closes it: is IPv6 loopback usable? */
    public static Check ipv6Bind() {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            ch.bind(new InetSocketAddress(InetAddress.getByAddress(null, loopback6()), 0));
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            return new Check(local.getAddress() instanceof Inet6Address, "bound [::1]:" + local.getPort() + ", closed");
        } catch (IOException | RuntimeException e) {
            return new Check(false, "bind [::1]:0 failed: " + e);
        }
    }

    private static byte[] loopback6() {
        byte[] a = new byte[16];
        a[15] = 1;
        return a;
    }

    // ---- network namespaces ----

    /** Readlink of /proc/self/ns/net: {@code net:[4026531840]}. */
    public static Check netnsReadable() {
        Path p = Path.of("/proc/self/ns/net");
        try {
            return new Check(true, Files.readSymbolicLink(p).toString());
        } catch (IOException | RuntimeException e) {
            return new Check(false, "cannot read " + p + ": " + e);
        }
    }

    /**
     * Runs {@code unshare --net true}: creates a network namespace that vanishes when {@code true}
     * exits. The most direct answer to "can the lab build hosts here".
     */
    public static Check unshareNet() {
        Optional<Path> unshare = Prerequisites.which("unshare");
        if (unshare.isEmpty()) return new Check(false, "unshare not found");
        return run(List.of(unshare.get().toString(), "--net", "true"), 5);
    }

    /** Runs a short program (ours alone; killed by its own handle after the timeout). */
    static Check run(List<String> command, int timeoutSeconds) {
        String shown = String.join(" ", command);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            return new Check(false, shown + ": cannot start: " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Check(false, shown + ": no exit within " + timeoutSeconds + " s, killed");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = p.exitValue();
            return new Check(rc == 0, shown + ": exit " + rc + (output.isEmpty() ? "" : " (" + output + ")"));
        } catch (IOException e) {
            return new Check(false, shown + ": " + e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Check(false, shown + ": interrupted");
        }
    }
}
