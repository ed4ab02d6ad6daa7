package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Shim;

/**
 * The two rtnetlink dumps glibc's getaddrinfo reads before it sorts (its {@code __check_pf}
 * and {@code __check_native}): every interface address with its prefix length, interface index
 * and flags, and every link's hardware type. The socket is made on the calling thread, so it
 * sees the network namespace that thread is in.
 *
 * <p>The message numbers below are the kernel's rtnetlink ABI ({@code linux/netlink.h},
 * {@code linux/rtnetlink.h}, {@code linux/if_addr.h}, {@code linux/if_arp.h}): the same on every
 * Linux architecture; the shim exports {@code AF_NETLINK} only.
 */
final class Rtnetlink {
    private Rtnetlink() {}

    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_GETADDR = 22;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    static final int IFA_F_OPTIMISTIC = 0x04;
    static final int IFA_F_HOMEADDRESS = 0x10;
    static final int IFA_F_DEPRECATED = 0x20;
    static final int ARPHRD_TUNNEL = 768;
    static final int ARPHRD_TUNNEL6 = 769;
    static final int ARPHRD_SIT = 776;

    /**
     * One interface address as glibc records it: IPv4 addresses as {@code ::ffff:a.b.c.d},
     * the 8-bit {@code ifa_flags} (not the 32-bit {@code IFA_FLAGS} attribute, which glibc
     * does not read).
     */
    record Address(byte[] addr16, int prefixLength, int flags, int index) {}

    /** Every address of this namespace, in the kernel's order. */
    static List<Address> addresses() throws NativeSocketException {
        List<Address> out = new ArrayList<>();
        dump(RTM_GETADDR, "RTM_GETADDR", (type, m, off, len) -> {
            if (type != RTM_NEWADDR) return;
            int family = m.get(off) & 0xff;
            int prefixLen = m.get(off + 1) & 0xff;
            int flags = m.get(off + 2) & 0xff;
            int index = m.getInt(off + 4);
            boolean v4 = family == NativeSocket.AF_INET;
            if (!v4 && family != NativeSocket.AF_INET6) return;
            byte[] local = null;
            byte[] address = null;
            int a = off + 8;
            while (a + 4 <= off + len) {
                int alen = m.getShort(a) & 0xffff;
                int atype = m.getShort(a + 2) & 0xffff;
                if (alen < 4 || a + alen > off + len) break;
                byte[] data = new byte[alen - 4];
                m.get(a + 4, data);
                if (atype == IFA_LOCAL) local = data;
                // glibc takes IFA_ADDRESS as soon as it sees it (the peer, on a point-to-point link).
                if (atype == IFA_ADDRESS) {
                    address = data;
                    break;
                }
                a += (alen + 3) & ~3;
            }
            byte[] chosen = address != null ? address : local;
            if (chosen == null || chosen.length < (v4 ? 4 : 16)) return;
            byte[] a16 = new byte[16];
            if (v4) {
                a16[10] = (byte) 0xff;
                a16[11] = (byte) 0xff;
                System.arraycopy(chosen, 0, a16, 12, 4);
            } else {
                System.arraycopy(chosen, 0, a16, 0, 16);
            }
            out.add(new Address(a16, prefixLen, flags, index));
        });
        return out;
    }

    /** Interface index to hardware type ({@code ifi_type}, an ARPHRD_* value). */
    static Map<Integer, Integer> linkTypes() throws NativeSocketException {
        Map<Integer, Integer> out = new HashMap<>();
        dump(RTM_GETLINK, "RTM_GETLINK", (type, m, off, len) -> {
            if (type != RTM_NEWLINK) return;
            out.put(m.getInt(off + 4), m.getShort(off + 2) & 0xffff);
        });
        return out;
    }

    private interface Handler {
        void message(int type, ByteBuffer m, int payloadOffset, int payloadLength);
    }

    private static void dump(int requestType, String what, Handler handler) throws NativeSocketException {
        Shim shim = Native.shim();
        int fd = shim.ds_socket(Constants.i("AF_NETLINK"), Constants.i("SOCK_RAW") | Constants.i("SOCK_CLOEXEC"), NETLINK_ROUTE);
        if (fd < 0) throw NativeSocketException.of("socket(AF_NETLINK)", fd);
        try {
            ByteBuffer req = ByteBuffer.allocateDirect(20).order(ByteOrder.nativeOrder());
            int seq = (int) (System.nanoTime() & 0x7fffffff);
            req.putInt(0, 20);                                  // nlmsg_len: header + rtgenmsg, padded
            req.putShort(4, (short) requestType);
            req.putShort(6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
            req.putInt(8, seq);
            req.putInt(12, 0);                                  // nlmsg_pid 0: the kernel fills it in
            req.put(16, (byte) Constants.i("AF_UNSPEC"));        // rtgen_family: every family
            long rc = shim.ds_send(fd, Native.address(req), 20, 0);
            if (rc < 0) throw NativeSocketException.of("send(" + what + ")", rc);
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
            long addr = Native.address(buf);
            for (;;) {
                long n = shim.ds_recv(fd, addr, buf.capacity(), 0);
                if (n < 0) throw NativeSocketException.of("recv(" + what + ")", n);
                int off = 0;
                while (off + 16 <= n) {
                    int len = buf.getInt(off);
                    int type = buf.getShort(off + 4) & 0xffff;
                    int mseq = buf.getInt(off + 8);
                    if (len < 16 || off + len > n) break;
                    if (mseq == seq) {
                        if (type == NLMSG_DONE) return;
                        if (type == NLMSG_ERROR) {
                            int err = buf.getInt(off + 16);
                            throw NativeSocketException.of(what, err);
                        }
                        handler.message(type, buf, off + 16, len - 16);
                    }
                    off += (len + 3) & ~3;
                }
            }
        } finally {
            shim.ds_close(fd);
        }
    }
}
