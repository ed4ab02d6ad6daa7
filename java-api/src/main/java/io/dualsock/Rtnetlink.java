package io.dualsock;

import static io.dualsock.Rtnetlink.Kernel.*;

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
 * <p>Every message number, flag and struct layout used here comes from the kernel's headers
 * ({@code linux/netlink.h}, {@code linux/rtnetlink.h}, {@code linux/if_addr.h},
 * {@code net/if_arp.h}) through the shim's constant table; fields are read with the widths
 * the headers give them.
 */
final class Rtnetlink {
    private Rtnetlink() {}

    /** The kernel's numbers used here, each read by its own name from the headers when first used. */
    enum Kernel {
        NETLINK_ROUTE, NLMSG_ALIGNTO, NLMSG_ERROR, NLMSG_DONE, NLM_F_REQUEST, NLM_F_DUMP,
        RTM_NEWLINK, RTM_GETLINK, RTM_NEWADDR, RTM_GETADDR, RTA_ALIGNTO, IFA_ADDRESS, IFA_LOCAL,
        IFA_F_OPTIMISTIC, IFA_F_HOMEADDRESS, IFA_F_DEPRECATED, ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_SIT;

        final int value = Constants.i(name());
    }

    private static final Field NLMSG_LEN = Field.of("nlmsghdr", "nlmsg_len");
    private static final Field NLMSG_TYPE = Field.of("nlmsghdr", "nlmsg_type");
    private static final Field NLMSG_FLAGS = Field.of("nlmsghdr", "nlmsg_flags");
    private static final Field NLMSG_SEQ = Field.of("nlmsghdr", "nlmsg_seq");
    private static final Field NLMSG_PID = Field.of("nlmsghdr", "nlmsg_pid");
    private static final int NLMSG_HDRLEN = align(Constants.i("sizeof(struct nlmsghdr)"), NLMSG_ALIGNTO.value);
    private static final Field RTGEN_FAMILY = Field.of("rtgenmsg", "rtgen_family");
    private static final int RTGENMSG_SIZE = Constants.i("sizeof(struct rtgenmsg)");
    private static final Field NLMSGERR_ERROR = Field.of("nlmsgerr", "error");
    private static final Field IFA_FAMILY = Field.of("ifaddrmsg", "ifa_family");
    private static final Field IFA_PREFIXLEN = Field.of("ifaddrmsg", "ifa_prefixlen");
    private static final Field IFA_FLAGS = Field.of("ifaddrmsg", "ifa_flags");
    private static final Field IFA_INDEX = Field.of("ifaddrmsg", "ifa_index");
    private static final int IFADDRMSG_SIZE = align(Constants.i("sizeof(struct ifaddrmsg)"), NLMSG_ALIGNTO.value);
    private static final Field IFI_TYPE = Field.of("ifinfomsg", "ifi_type");
    private static final Field IFI_INDEX = Field.of("ifinfomsg", "ifi_index");
    private static final Field RTA_LEN = Field.of("rtattr", "rta_len");
    private static final Field RTA_TYPE = Field.of("rtattr", "rta_type");
    private static final int RTA_HDRLEN = align(Constants.i("sizeof(struct rtattr)"), RTA_ALIGNTO.value);

    /** One struct member: its offset and width as the headers give them. */
    private record Field(String name, int offset, int size) {
        static Field of(String struct, String member) {
            String key = "(struct " + struct + "," + member + ")";
            int size = Constants.i("sizeof(struct " + struct + "." + member + ")");
            if (size != 1 && size != 2 && size != 4) {
                throw new IllegalStateException(struct + "." + member + " is " + size + " bytes; Rtnetlink reads 1, 2 or 4");
            }
            return new Field(struct + "." + member, Constants.i("offsetof" + key), size);
        }

        /** The member of the struct at {@code base}: unsigned for 1 and 2 bytes, as the kernel's types are. */
        int get(ByteBuffer b, int base) {
            return switch (size) {
                case 1 -> b.get(base + offset) & 0xff;
                case 2 -> b.getShort(base + offset) & 0xffff;
                default -> b.getInt(base + offset);
            };
        }

        void put(ByteBuffer b, int base, int value) {
            switch (size) {
                case 1 -> b.put(base + offset, (byte) value);
                case 2 -> b.putShort(base + offset, (short) value);
                default -> b.putInt(base + offset, value);
            }
        }
    }

    private static int align(int n, int to) {
        return (n + to - 1) & ~(to - 1);
    }

    /**
     * One interface address as glibc records it: IPv4 addresses as {@code ::ffff:a.b.c.d},
     * the 8-bit {@code ifa_flags} (not the 32-bit {@code IFA_FLAGS} attribute, which glibc
     * does not read).
     */
    record Address(byte[] addr16, int prefixLength, int flags, int index) {}

    /** Every address of this namespace, in the kernel's order. */
    static List<Address> addresses() throws NativeSocketException {
        List<Address> out = new ArrayList<>();
        dump(RTM_GETADDR.value, "RTM_GETADDR", (type, m, off, len) -> {
            if (type != RTM_NEWADDR.value) return;
            int family = IFA_FAMILY.get(m, off);
            int prefixLen = IFA_PREFIXLEN.get(m, off);
            int flags = IFA_FLAGS.get(m, off);
            int index = IFA_INDEX.get(m, off);
            boolean v4 = family == NativeSocket.AF_INET;
            if (!v4 && family != NativeSocket.AF_INET6) return;
            byte[] local = null;
            byte[] address = null;
            int a = off + IFADDRMSG_SIZE;
            while (a + RTA_HDRLEN <= off + len) {
                int alen = RTA_LEN.get(m, a);
                int atype = RTA_TYPE.get(m, a);
                if (alen < RTA_HDRLEN || a + alen > off + len) break;
                byte[] data = new byte[alen - RTA_HDRLEN];
                m.get(a + RTA_HDRLEN, data);
                if (atype == IFA_LOCAL.value) local = data;
                // glibc takes IFA_ADDRESS as soon as it sees it (the peer, on a point-to-point link).
                if (atype == IFA_ADDRESS.value) {
                    address = data;
                    break;
                }
                a += align(alen, RTA_ALIGNTO.value);
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
        dump(RTM_GETLINK.value, "RTM_GETLINK", (type, m, off, len) -> {
            if (type != RTM_NEWLINK.value) return;
            out.put(IFI_INDEX.get(m, off), IFI_TYPE.get(m, off));
        });
        return out;
    }

    private interface Handler {
        void message(int type, ByteBuffer m, int payloadOffset, int payloadLength);
    }

    private static void dump(int requestType, String what, Handler handler) throws NativeSocketException {
        Shim shim = Native.shim();
        int fd = shim.ds_socket(Constants.i("AF_NETLINK"), Constants.i("SOCK_RAW") | Constants.i("SOCK_CLOEXEC"),
                NETLINK_ROUTE.value);
        if (fd < 0) throw NativeSocketException.of("socket(AF_NETLINK)", fd);
        try {
            int reqLen = align(NLMSG_HDRLEN + RTGENMSG_SIZE, NLMSG_ALIGNTO.value);
            ByteBuffer req = ByteBuffer.allocateDirect(reqLen).order(ByteOrder.nativeOrder());
            int seq = (int) (System.nanoTime() & 0x7fffffff);
            NLMSG_LEN.put(req, 0, reqLen);
            NLMSG_TYPE.put(req, 0, requestType);
            NLMSG_FLAGS.put(req, 0, NLM_F_REQUEST.value | NLM_F_DUMP.value);
            NLMSG_SEQ.put(req, 0, seq);
            NLMSG_PID.put(req, 0, 0);                            // 0: the kernel fills it in
            RTGEN_FAMILY.put(req, NLMSG_HDRLEN, Constants.i("AF_UNSPEC")); // every family
            long rc = shim.ds_send(fd, Native.address(req), reqLen, 0);
            if (rc < 0) throw NativeSocketException.of("send(" + what + ")", rc);
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
            long addr = Native.address(buf);
            for (;;) {
                long n = shim.ds_recv(fd, addr, buf.capacity(), 0);
                if (n < 0) throw NativeSocketException.of("recv(" + what + ")", n);
                int off = 0;
                while (off + NLMSG_HDRLEN <= n) {
                    int len = NLMSG_LEN.get(buf, off);
                    int type = NLMSG_TYPE.get(buf, off);
                    int mseq = NLMSG_SEQ.get(buf, off);
                    if (len < NLMSG_HDRLEN || off + len > n) break;
                    if (mseq == seq) {
                        if (type == NLMSG_DONE.value) return;
                        if (type == NLMSG_ERROR.value) {
                            int err = NLMSGERR_ERROR.get(buf, off + NLMSG_HDRLEN);
                            throw NativeSocketException.of(what, err);
                        }
                        handler.message(type, buf, off + NLMSG_HDRLEN, len - NLMSG_HDRLEN);
                    }
                    off += align(len, NLMSG_ALIGNTO.value);
                }
            }
        } finally {
            shim.ds_close(fd);
        }
    }
}
