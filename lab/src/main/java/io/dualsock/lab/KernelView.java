package io.dualsock.lab;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.NativeSocket;
import io.dualsock.SockAddr;
import io.dualsock.SocketOption;
import io.dualsock.SocketOptions.SolSocket;
import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * The kernel's view of a socket that the JDK owns: the descriptor is found through
 * {@code /proc/net/{tcp,tcp6,udp,udp6}} and {@code /proc/self/fd} (no JDK internals), then asked
 * with {@code getsockopt(2)}, {@code getsockname(2)}, {@code getpeername(2)} and
 * {@code recvfrom(2)} with {@code MSG_PEEK} (which leaves the datagram for the JDK to read).
 * Used by the {@link Agent}'s {@value Agent#JDK} side and by {@code dualsock compare}'s probes.
 */
public final class KernelView {
    private KernelView() {}

    /** A descriptor of this process and the /proc/net table that lists it (tcp, tcp6, udp, udp6). */
    public record Found(int fd, String table) {
        /** The family the kernel's table implies: tcp6/udp6 list AF_INET6 sockets. */
        public String familyFromTable() {
            return table.endsWith("6") ? "AF_INET6" : "AF_INET";
        }
    }

    /**
     * The descriptor of the socket with this local port (and remote port, 0 for a listening or
     * unconnected socket).
     *
     * @throws IllegalStateException when no such socket belongs to this process
     */
    public static Found find(boolean tcp, int localPort, int remotePort) {
        String base = tcp ? "tcp" : "udp";
        for (String table : List.of(base, base + "6")) {
            long inode = inodeIn(Path.of("/proc/net/" + table), localPort, remotePort);
            if (inode < 0) continue;
            int fd = fdOfInode(inode);
            if (fd >= 0) return new Found(fd, table);
        }
        throw new IllegalStateException("no " + base + " socket with local port " + localPort + " and remote port "
                + remotePort + " among this process's descriptors");
    }

    private static long inodeIn(Path table, int localPort, int remotePort) {
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            return -1;
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 10) continue;
            int lp = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            int rp = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
            if (lp == localPort && rp == remotePort) {
                long inode = Long.parseLong(f[9]);
                if (inode != 0) return inode;
            }
        }
        return -1;
    }

    private static int fdOfInode(long inode) {
        String want = "socket:[" + inode + "]";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : ds) {
                try {
                    if (want.equals(Files.readSymbolicLink(p).toString())) return Integer.parseInt(p.getFileName().toString());
                } catch (IOException | NumberFormatException gone) {
                    // a descriptor closed while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return -1;
    }

    /** The descriptors of this process that are sockets (for sockets not yet listed in /proc/net). */
    public static java.util.Set<Integer> socketFds() {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : ds) {
                try {
                    if (Files.readSymbolicLink(p).toString().startsWith("socket:")) {
                        out.add(Integer.parseInt(p.getFileName().toString()));
                    }
                } catch (IOException | NumberFormatException gone) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return out;
    }

    /**
     * The one IP socket descriptor that exists now and did not before. Other new sockets are not
     * counted: Java 25 opens a Unix domain socket of its own beside a channel's first socket.
     */
    public static int newSocketFd(java.util.Set<Integer> before) {
        java.util.Set<Integer> now = socketFds();
        now.removeAll(before);
        now.removeIf(fd -> !family(fd).startsWith("AF_INET"));
        if (now.size() != 1) throw new IllegalStateException("expected one new socket descriptor, found " + now);
        return now.iterator().next();
    }

    /** {@code getsockopt(fd, option's level and name, &int)}; the value, or a string like {@code EINVAL} on failure. */
    public static Object intOpt(int fd, SocketOption<?> option) {
        ByteBuffer val = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        int rc = getsockopt(fd, option, val, 4);
        if (rc < 0) return Errors.errnoName(-rc);
        return val.getInt(0);
    }

    /** {@code getsockopt(SO_LINGER)} as {@code {l_onoff=0, l_linger=0}}, or the errno name. */
    public static String linger(int fd) {
        ByteBuffer val = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        int rc = getsockopt(fd, SolSocket.SO_LINGER, val, 8);
        if (rc < 0) return Errors.errnoName(-rc);
        return "{l_onoff=" + val.getInt(0) + ", l_linger=" + val.getInt(4) + "}";
    }

    /** {@code getsockopt(fd, option's level and name, val, &size)} into a direct buffer; the shim's return (-errno on failure). */
    private static int getsockopt(int fd, SocketOption<?> option, ByteBuffer val, int size) {
        ByteBuffer len = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        len.putInt(0, size);
        int rc = Native.shim().ds_getsockopt(fd, option.level(), option.optname(), Native.address(val), Native.address(len));
        Reference.reachabilityFence(val);
        Reference.reachabilityFence(len);
        return rc;
    }

    /** {@code setsockopt(fd, option's level and name, &int)}: "0" or the errno name. */
    public static String setInt(int fd, SocketOption<?> option, int value) {
        ByteBuffer val = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        val.putInt(0, value);
        int rc = Native.shim().ds_setsockopt(fd, option.level(), option.optname(), Native.address(val), 4);
        Reference.reachabilityFence(val);
        return rc < 0 ? Errors.errnoName(-rc) : "0";
    }

    public static String family(int fd) {
        Object v = intOpt(fd, SolSocket.SO_DOMAIN);
        return v instanceof Integer i ? Names.family(i) : v.toString();
    }

    /** {@code getpeername(2)}, decoded; the errno name on failure. */
    public static String peer(int fd) {
        return name(fd, true);
    }

    /** {@code getsockname(2)}, decoded. */
    public static String local(int fd) {
        return name(fd, false);
    }

    private static String name(int fd, boolean peer) {
        ByteBuffer h = holder();
        Shim s = Native.shim();
        int rc = peer ? s.ds_getpeername(fd, Native.address(h)) : s.ds_getsockname(fd, Native.address(h));
        Reference.reachabilityFence(h);
        if (rc < 0) return Errors.errnoName(-rc);
        return describe(decode(h));
    }

    /**
     * {@code recvfrom(fd, .., MSG_PEEK|MSG_DONTWAIT, &from)} after waiting up to timeoutMs for a
     * datagram: the source address exactly as the kernel wrote it, the datagram left queued.
     */
    public static String peekSource(int fd, int timeoutMs) {
        int p = Native.shim().ds_poll(fd, NativeSocket.POLLIN, timeoutMs);
        if (p <= 0) return p == 0 ? "nothing arrived" : Errors.errnoName(-p);
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        ByteBuffer h = holder();
        long n = Native.shim().ds_recvfrom(fd, Native.address(buf), buf.capacity(),
                NativeSocket.MSG_PEEK | NativeSocket.MSG_DONTWAIT, Native.address(h));
        Reference.reachabilityFence(buf);
        Reference.reachabilityFence(h);
        if (n < 0) return Errors.errnoName((int) -n);
        return describe(decode(h));
    }

    private static ByteBuffer holder() {
        return ByteBuffer.allocateDirect(Platform.HOLDER_SIZE).order(ByteOrder.nativeOrder());
    }

    /** The shim's holder: sockaddr_storage bytes, then the length the kernel returned. */
    static SockAddr decode(ByteBuffer h) {
        int len = h.getInt(Platform.HOLDER_LEN_OFFSET);
        if (len == 0) return null;
        int family = Platform.SIZEOF_SA_FAMILY == 2 ? h.getShort(Platform.SIN_FAMILY) & 0xffff : h.getInt(Platform.SIN_FAMILY);
        ByteBuffer be = h.duplicate().order(ByteOrder.BIG_ENDIAN);
        if (family == Platform.AF_INET) {
            byte[] a = new byte[4];
            h.get(Platform.SIN_ADDR, a);
            return new Inet4SockAddr(a, be.getShort(Platform.SIN_PORT) & 0xffff);
        }
        if (family == Platform.AF_INET6) {
            byte[] a = new byte[16];
            h.get(Platform.SIN6_ADDR, a);
            return new Inet6SockAddr(a, be.getShort(Platform.SIN6_PORT) & 0xffff, be.getInt(Platform.SIN6_FLOWINFO),
                    h.getInt(Platform.SIN6_SCOPE_ID));
        }
        throw new IllegalStateException("unexpected family " + Names.family(family));
    }

    /** {@code AF_INET6 [::ffff:127.0.0.1]:4711}. */
    public static String describe(SockAddr a) {
        if (a == null) return "(no address)";
        return Names.family(a.family()) + " " + a;
    }

}
