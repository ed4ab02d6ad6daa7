package io.dualsock;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * {@link NativeSocket#receiveMessage} and {@link NativeSocket#sendMessage}: {@code recvmsg(2)}
 * and {@code sendmsg(2)} written out around {@link Descriptor#begin}/{@link Descriptor#end} in
 * the style of {@link Transfer}, allocating nothing. The per-thread {@link Scratch#msg} holds the
 * {@code struct ds_msg} (layout from the shim); direct buffers go to the kernel in place, heap
 * buffers through {@link Scratch#data}.
 */
final class MessageCalls {
    private static final Shim SHIM = Native.shim();
    static final int MSG_SIZE = Constants.i("sizeof(struct ds_msg)");
    private static final int BUF = Constants.i("offsetof(struct ds_msg,buf)");
    private static final int LEN = Constants.i("offsetof(struct ds_msg,len)");
    private static final int NAME = Constants.i("offsetof(struct ds_msg,name)");
    private static final int CONTROL = Constants.i("offsetof(struct ds_msg,control)");
    private static final int CONTROLLEN = Constants.i("offsetof(struct ds_msg,controllen)");
    private static final int FLAGS = Constants.i("offsetof(struct ds_msg,flags)");

    private MessageCalls() {}

    /** Fills the descriptor: data buf/len, name holder (0: none), control (null: none) with controlLength bytes. */
    private static void describe(Scratch sc, long buf, int len, long name, ControlMessages control, int controlLength) {
        ByteBuffer m = sc.msg;
        m.putLong(BUF, buf);
        m.putLong(LEN, len);
        m.putLong(NAME, name);
        m.putLong(CONTROL, control == null ? 0 : control.address);
        m.putInt(CONTROLLEN, control == null ? 0 : controlLength);
        m.putInt(FLAGS, 0);
    }

    static int receive(Descriptor d, NativeSocket owner, ByteBuffer dst, SockAddrHolder source,
            ControlMessages control, int flags) throws NativeSocketException {
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(control, "control");
        if (dst.isReadOnly()) throw new IllegalArgumentException("read-only buffer: cannot receive into it");
        Scratch sc = Scratch.get();
        SockAddrHolder from = source != null ? source : sc.holder;
        int pos = dst.position();
        int rem = dst.limit() - pos;
        ByteBuffer into = dst;
        long buf;
        if (dst.isDirect()) {
            buf = d.receiveAddress(dst) + pos;
        } else {
            rem = Math.min(rem, Scratch.MAX_COPY);
            into = sc.data(rem);
            buf = sc.addressOf(into);
        }
        describe(sc, buf, rem, from.address, control, control.capacity());
        from.invalidate();
        int fd = d.begin("recvmsg");
        long rc;
        boolean closed;
        try {
            rc = SHIM.ds_recvmsg(fd, sc.msgAddr, d.transferFlags(flags));
        } finally {
            closed = d.end();
        }
        Reference.reachabilityFence(owner);
        Reference.reachabilityFence(into);
        Reference.reachabilityFence(from);
        Reference.reachabilityFence(control);
        // as recvfrom: woken by close() means 0 bytes and no source; a real datagram has a source
        if (rc < 0 || (closed && rc == 0 && from.isEmpty())) throw Descriptor.failure(closed, "recvmsg", rc, null);
        control.received(sc.msg.getInt(CONTROLLEN), sc.msg.getInt(FLAGS));
        int got = (int) Math.min(rc, rem);
        if (into != dst) dst.put(pos, into, 0, got);
        dst.position(pos + got);
        return (int) rc;
    }

    /** {@link NativeSocket#sendMessage(ByteBuffer, EncodedSockAddr, ControlMessages, int)}: dst null for the connected peer. */
    static int send(Descriptor d, NativeSocket owner, ByteBuffer src, EncodedSockAddr dst, ControlMessages control, int flags)
            throws NativeSocketException {
        if (dst == null) return send(d, owner, src, 0, Platform.AF_UNSPEC, false, null, control, flags);
        if (dst.family() != owner.family()) SockAddrCodec.checkFamily("sendmsg", owner.family(), dst.sockAddr());
        boolean mapped = dst.sockAddr() instanceof Inet6SockAddr a6 && a6.isV4Mapped();
        return send(d, owner, src, dst.address, dst.family(), mapped, dst, control, flags);
    }

    /** {@link NativeSocket#sendMessage(ByteBuffer, SockAddrHolder, ControlMessages, int)}: a reply to a holder's address. */
    static int send(Descriptor d, NativeSocket owner, ByteBuffer src, SockAddrHolder dst, ControlMessages control, int flags)
            throws NativeSocketException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isEmpty()) throw new IllegalArgumentException("sendmsg: the holder holds no address");
        if (dst.family() != owner.family()) SockAddrCodec.checkFamily("sendmsg", owner.family(), dst.sockAddr());
        return send(d, owner, src, dst.address, dst.family(), dst.isV4Mapped(), dst, control, flags);
    }

    static int send(Descriptor d, NativeSocket owner, ByteBuffer src, long dest, int destFamily, boolean destMapped,
            Object destination, ControlMessages control, int flags) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        if (control != null) checkFamilies("sendmsg", -1, owner.family(), destination, destFamily, destMapped, control);
        Scratch sc = Scratch.get();
        int pos = src.position();
        int len = src.limit() - pos;
        ByteBuffer from = src;
        long buf;
        if (src.isDirect()) {
            buf = d.sendAddress(src) + pos;
        } else {
            from = sc.data(len);
            from.put(0, src, pos, len);
            buf = sc.addressOf(from);
        }
        describe(sc, buf, len, dest, control, control == null ? 0 : control.length());
        int fd = d.begin("sendmsg");
        long rc;
        boolean closed;
        try {
            rc = SHIM.ds_sendmsg(fd, sc.msgAddr, d.transferFlags(flags));
        } finally {
            closed = d.end();
        }
        Reference.reachabilityFence(owner);
        Reference.reachabilityFence(from);
        Reference.reachabilityFence(destination);
        Reference.reachabilityFence(control);
        if (rc < 0) {
            throw Descriptor.failure(closed, "sendmsg", rc, destination == null ? null : "to " + destination);
        }
        src.position(pos + (int) rc);
        return (int) rc;
    }

    /**
     * Refuses control messages the kernel would silently ignore for this datagram: IPv6 ones on
     * an AF_INET socket or to an IPv4-mapped destination (IPV6_PKTINFO with a mapped address
     * excepted, which the kernel takes from an AF_INET6 socket), IPv4 ones to an IPv6
     * destination. A connected AF_INET6 socket's peer is not looked up (a system call per send):
     * only a destination given (destFamily not AF_UNSPEC) is checked.
     *
     * @param call "sendmsg" or "sendmmsg", for the message
     * @param slot the batch slot, -1 for none
     */
    static void checkFamilies(String call, int slot, int socketFamily, Object destination, int destFamily, boolean destMapped,
            ControlMessages control) {
        boolean inet6 = socketFamily == Platform.AF_INET6;
        boolean v6;
        if (!inet6) v6 = false;
        else if (destFamily == Platform.AF_INET6) v6 = !destMapped;
        else return;
        String bad = control.misfit(v6, inet6);
        if (bad != null) {
            throw new IllegalArgumentException(call + (slot < 0 ? "" : ": slot " + slot) + ": " + bad + " on an " + (v6 ? "IPv6" : "IPv4") + " datagram"
                    + (destination == null ? "" : " to " + destination) + " from an " + Names.family(socketFamily)
                    + " socket: the kernel ignores it; " + (v6 ? "an IPv6 datagram takes IPPROTO_IPV6 messages (IPV6_TCLASS, IPV6_PKTINFO)"
                    : "an IPv4 datagram takes IPPROTO_IP messages (IP_TOS, IP_PKTINFO)"));
        }
    }
}
