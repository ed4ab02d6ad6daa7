package io.dualsock;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * A reusable set of datagram slots in direct memory, sent with one {@code sendmmsg(2)} and
 * received with one {@code recvmmsg(2)}: for applications that move many datagrams, one FFI call
 * and one system call carry up to {@link #MAX_SLOTS} of them.
 *
 * <p>Each slot has a payload region of {@link #slotSize()} bytes ({@link #data(int)}), a length,
 * an address and, after a receive, the kernel's {@code msg_flags}. The address is the
 * destination for {@link #send}, and a receive overwrites it with the source exactly as the
 * kernel reported it ({@code ::ffff:a.b.c.d} for an IPv4 peer of a dual-stack AF_INET6 socket).
 * So a batch just received can be sent back as it is: every datagram goes to its own source.
 *
 * <p>For many datagrams of one size to one destination, {@link #sendSegmented} hands the kernel
 * one buffer and a segment size (UDP generic segmentation offload, {@code UDP_SEGMENT}), which
 * saves the per-datagram work of the send path as well as the system calls; check
 * {@link #segmentationSupported} first.
 *
 * <p>A batch allocated with control room ({@link #allocate(int, int, int)}) gives each slot a
 * {@link ControlMessages} ({@link #control(int)}): a receive fills it (the destination address
 * with {@code IP_PKTINFO}/{@code IPV6_RECVPKTINFO} on, the TOS byte, ...), a send passes what was
 * added to it; {@link #receiveCoalesced} reads {@code UDP_GRO} segment sizes from it.
 *
 * <p>Not thread-safe. Memory is reclaimed with the object (no close). Layout: the "batch" section
 * of {@code c-shim/include/dualsock.h}.
 */
public final class DatagramBatch {
    private static final Shim SHIM = Native.shim();
    /** Most slots in one batch: the kernel's cap on {@code vlen} ({@code UIO_MAXIOV}). */
    public static final int MAX_SLOTS = Constants.i("DS_BATCH_MAX_SLOTS");
    /** Largest slot payload. */
    public static final int MAX_SLOT_SIZE = Constants.i("DS_BATCH_MAX_SLOT_SIZE");
    /** recvmmsg flag: wait for the first datagram only, then take what is queued. */
    public static final int MSG_WAITFORONE = Constants.i("MSG_WAITFORONE");
    private static final int MSG_TRUNC = Constants.i("MSG_TRUNC");
    private static final int SLOT = Constants.i("DS_BATCH_SLOT_SIZE");
    private static final int LEN = Constants.i("DS_BATCH_LEN_OFFSET");
    private static final int RES = Constants.i("DS_BATCH_RES_OFFSET");
    private static final int FLAGS = Constants.i("DS_BATCH_FLAGS_OFFSET");
    private static final int CONTROL_LEN = Constants.i("DS_BATCH_CONTROL_LEN_OFFSET");
    /** Most control bytes per slot. */
    public static final int MAX_CONTROL = Constants.i("DS_BATCH_MAX_CONTROL");
    private static final int GRO_SPACE = Constants.i("CMSG_SPACE(sizeof(int))");
    private static final int OFF_SLOTS = 0;
    private static final int OFF_DATA = 1;
    private static final int OFF_CONTROL = 2;

    private final int slots;
    private final int slotSize;
    private final ByteBuffer block;
    private final long base;
    /** Offset in block of slot 0's record and of slot 0's payload. */
    private final int recs;
    private final int data;
    private final ByteBuffer[] views;
    private final int controlSize;
    /** Each slot's control messages; empty when controlSize is 0. */
    private final ControlMessages[] controls;
    private int receivedSlots;

    private DatagramBatch(int slots, int slotSize, int controlSize) {
        this.slots = slots;
        this.slotSize = slotSize;
        this.controlSize = controlSize;
        long bytes = SHIM.ds_batch_control_bytes(slots, slotSize, controlSize);
        if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + slots + " slots of " + slotSize + " bytes is too large");
        }
        block = ByteBuffer.allocateDirect((int) bytes + 8).order(ByteOrder.nativeOrder());
        long addr = Native.address(block);
        long aligned = (addr + 7) & ~7L;
        int pad = (int) (aligned - addr);
        int rc = SHIM.ds_batch_init_control(aligned, bytes, slots, slotSize, controlSize);
        if (rc != 0) throw new IllegalStateException("ds_batch_init: " + rc);
        base = aligned;
        recs = pad + (int) SHIM.ds_batch_offset(aligned, OFF_SLOTS);
        data = pad + (int) SHIM.ds_batch_offset(aligned, OFF_DATA);
        int control = controlSize == 0 ? 0 : pad + (int) SHIM.ds_batch_offset(aligned, OFF_CONTROL);
        Reference.reachabilityFence(block);
        views = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) views[i] = block.slice(data + i * slotSize, slotSize);
        controls = new ControlMessages[controlSize == 0 ? 0 : slots];
        int stride = (controlSize + 7) & ~7; // the shim's align8: each region starts 8-byte aligned
        for (int i = 0; i < controls.length; i++) {
            controls[i] = ControlMessages.over(block.slice(control + i * stride, controlSize));
        }
    }

    /**
     * A batch of {@code slots} slots of {@code slotSize} payload bytes each, all empty (length 0,
     * no address).
     *
     * @throws IllegalArgumentException unless 1 ≤ slots ≤ {@link #MAX_SLOTS} and
     *     1 ≤ slotSize ≤ {@link #MAX_SLOT_SIZE}
     */
    public static DatagramBatch allocate(int slots, int slotSize) {
        checkShape(slots, slotSize);
        return new DatagramBatch(slots, slotSize, 0);
    }

    private static void checkShape(int slots, int slotSize) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be 1.." + MAX_SLOTS + ", got " + slots);
        }
        if (slotSize < 1 || slotSize > MAX_SLOT_SIZE) {
            throw new IllegalArgumentException("slotSize must be 1.." + MAX_SLOT_SIZE + ", got " + slotSize);
        }
    }

    /**
     * A batch whose slots also have {@code controlSize} bytes for control messages each
     * ({@link #control(int)}); {@link ControlMessages#RECEIVE_SPACE} holds every kind a receive
     * can bring.
     *
     * @throws IllegalArgumentException as {@link #allocate(int, int)}, or unless
     *     0 ≤ controlSize ≤ {@link #MAX_CONTROL}
     */
    public static DatagramBatch allocate(int slots, int slotSize, int controlSize) {
        if (controlSize < 0 || controlSize > MAX_CONTROL) {
            throw new IllegalArgumentException("controlSize must be 0.." + MAX_CONTROL + ", got " + controlSize);
        }
        checkShape(slots, slotSize);
        return new DatagramBatch(slots, slotSize, controlSize);
    }

    /** Control bytes per slot, 0 when the batch has none. */
    public int controlSize() {
        return controlSize;
    }

    /**
     * The slot's control messages: after a receive what the kernel delivered with the datagram,
     * for a send what to pass with it (empty: none). The same object on every call. A send passes
     * whatever it holds, so {@link ControlMessages#clear()} a received one before sending the
     * slot back (the kernel refuses received-only kinds such as {@code SCM_TIMESTAMPNS} with
     * {@code EINVAL}).
     *
     * @throws IllegalStateException when the batch was allocated without control room
     */
    public ControlMessages control(int slot) {
        Objects.checkIndex(slot, slots);
        if (controlSize == 0) {
            throw new IllegalStateException("this batch has no room for control messages: allocate it with "
                    + "DatagramBatch.allocate(slots, slotSize, controlSize)");
        }
        return controls[slot];
    }

    /** How many datagrams one call can carry. */
    public int slots() {
        return slots;
    }

    /** The largest datagram a slot holds, in bytes. */
    public int slotSize() {
        return slotSize;
    }

    private int rec(int slot) {
        Objects.checkIndex(slot, slots);
        return recs + slot * SLOT;
    }

    /**
     * The slot's payload region: a direct buffer of capacity {@link #slotSize()} over the batch's
     * memory, the same object on every call (its position and limit are the caller's; the batch
     * uses {@link #length(int)}, not them).
     */
    public ByteBuffer data(int slot) {
        Objects.checkIndex(slot, slots);
        return views[slot];
    }

    /**
     * Bytes of the slot's payload to send.
     *
     * @throws IllegalArgumentException unless 0 ≤ length ≤ {@link #slotSize()}
     */
    public DatagramBatch setLength(int slot, int length) {
        int r = rec(slot);
        if (length < 0 || length > slotSize) {
            throw new IllegalArgumentException("slot " + slot + ": length " + length + " outside 0.." + slotSize);
        }
        block.putInt(r + LEN, length);
        return this;
    }

    /** Bytes to send, or after a receive the bytes stored (at most {@link #slotSize()}). */
    public int length(int slot) {
        return block.getInt(rec(slot) + LEN);
    }

    /**
     * {@code msg_len} the kernel reported for the slot in the last call: the bytes sent, or
     * received; with {@code MSG_TRUNC} in the receive flags, the datagram's full length, which may
     * exceed {@link #length(int)}.
     */
    public int datagramLength(int slot) {
        return block.getInt(rec(slot) + RES);
    }

    /** {@code msg_flags} of the last receive into the slot (e.g. {@code MSG_TRUNC}). */
    public int flags(int slot) {
        return block.getInt(rec(slot) + FLAGS);
    }

    /** True when the last datagram received into the slot was longer than the slot. */
    public boolean isTruncated(int slot) {
        return (flags(slot) & MSG_TRUNC) != 0;
    }

    /** Sets the slot's destination (encoded once, here). */
    public DatagramBatch setDestination(int slot, SockAddr destination) {
        Objects.requireNonNull(destination, "destination");
        int r = rec(slot);
        int len = SockAddrCodec.encode(destination, block, r);
        block.putInt(r + Platform.HOLDER_LEN_OFFSET, len);
        return this;
    }

    /** Sets the slot's destination from a pre-encoded address. */
    public DatagramBatch setDestination(int slot, EncodedSockAddr destination) {
        Objects.requireNonNull(destination, "destination");
        return setDestination(slot, destination.sockAddr());
    }

    /**
     * Sets the slot's destination to the address in a holder (e.g. the source of a datagram
     * received with {@link NativeSocket#recvFrom(ByteBuffer, SockAddrHolder)}).
     *
     * @throws IllegalArgumentException when the holder is empty
     */
    public DatagramBatch setDestination(int slot, SockAddrHolder holder) {
        Objects.requireNonNull(holder, "holder");
        if (holder.isEmpty()) throw new IllegalArgumentException("slot " + slot + ": the holder holds no address");
        int r = rec(slot);
        block.put(r, holder.memory(), 0, Platform.HOLDER_SIZE);
        return this;
    }

    /** No destination: for a connected socket. */
    public DatagramBatch clearDestination(int slot) {
        block.putInt(rec(slot) + Platform.HOLDER_LEN_OFFSET, 0);
        return this;
    }

    /** Whether the slot holds an address (a destination set, or a source received). */
    public boolean hasAddress(int slot) {
        return block.getInt(rec(slot) + Platform.HOLDER_LEN_OFFSET) != 0;
    }

    /**
     * The slot's address, decoded: the destination, or after a receive the source as the kernel
     * wrote it; null when none. Allocates; in a loop use {@link #copyAddress}.
     */
    public SockAddr address(int slot) {
        int r = rec(slot);
        return SockAddrCodec.decode(block, r, block.getInt(r + Platform.HOLDER_LEN_OFFSET));
    }

    /** Copies the slot's address into a holder, without allocating. */
    public void copyAddress(int slot, SockAddrHolder dst) {
        Objects.requireNonNull(dst, "dst");
        int r = rec(slot);
        dst.invalidate();
        dst.memory().put(0, block, r, Platform.HOLDER_SIZE);
    }

    private void checkRange(int first, int count) {
        Objects.checkFromIndexSize(first, count, slots);
    }

    /**
     * {@code sendmmsg(2)} of slots {@code [first, first+count)} with {@code MSG_NOSIGNAL}: each
     * slot's {@link #length} bytes to its destination (none: the connected peer).
     *
     * <p>Partial sends are reported exactly: the kernel stops at the first datagram it cannot
     * send after sending at least one, and the return value says how many went; the failure
     * itself is reported by the next call, which starts at {@code first + returned}. A loop that
     * sends everything: {@code for (int i = 0; i < n; ) i += batch.send(s, i, n - i);}.
     *
     * @return datagrams sent, 1..count (0 only for count 0, when no call is made)
     * @throws IllegalArgumentException when a slot's destination is of another family than the
     *     socket (before any system call)
     * @throws IndexOutOfBoundsException when the range is not within the batch
     * @throws NativeSocketException when not even the first datagram was sent (e.g.
     *     {@code EAGAIN} on a non-blocking socket, {@code EMSGSIZE}, {@code EDESTADDRREQ})
     */
    public int send(NativeSocket socket, int first, int count) throws NativeSocketException {
        Objects.requireNonNull(socket, "socket");
        checkRange(first, count);
        if (count == 0) return 0;
        int family = socket.family();
        for (int i = first; i < first + count; i++) {
            int r = recs + i * SLOT;
            if (block.getInt(r + Platform.HOLDER_LEN_OFFSET) != 0) {
                int f = SockAddrCodec.family(block, r);
                if (f != family) {
                    throw new IllegalArgumentException("sendmmsg: slot " + i + " has a destination of family "
                            + Names.family(f) + " and the socket is " + Names.family(family)
                            + " (an AF_INET6 socket reaches IPv4 through ::ffff:a.b.c.d)");
                }
            }
            if (controlSize > 0) {
                ControlMessages c = controls[i];
                block.putInt(r + CONTROL_LEN, c.length());
                if (c.length() > 0) checkControlFamily(i, r, family, c);
            }
        }
        Descriptor d = socket.descriptor();
        int fd = d.begin("sendmmsg");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_batch_send(fd, base, first, count, d.transferFlags(0));
        } finally {
            closed = d.end();
        }
        Reference.reachabilityFence(socket);
        Reference.reachabilityFence(block);
        if (rc < 0) throw Descriptor.failure(closed, "sendmmsg", rc, "slot " + first);
        return rc;
    }

    /** As NativeSocket.sendMessage: a control message the kernel would ignore for the slot's datagram is refused. */
    private void checkControlFamily(int slot, int r, int family, ControlMessages c) {
        boolean inet6 = family == Platform.AF_INET6;
        boolean v6;
        if (!inet6) {
            v6 = false;
        } else if (block.getInt(r + Platform.HOLDER_LEN_OFFSET) != 0) {
            int a = r + Platform.SIN6_ADDR;
            boolean mapped = block.getLong(a) == 0 && block.get(a + 8) == 0 && block.get(a + 9) == 0
                    && block.get(a + 10) == (byte) 0xff && block.get(a + 11) == (byte) 0xff;
            v6 = !mapped;
        } else {
            return; // connected: the peer's family is not looked up
        }
        String bad = c.misfit(v6, inet6);
        if (bad != null) {
            throw new IllegalArgumentException("sendmmsg: slot " + slot + ": " + bad + " on an " + (v6 ? "IPv6" : "IPv4")
                    + " datagram from an " + Names.family(family) + " socket: the kernel ignores it");
        }
    }

    /** {@link #send(NativeSocket, int, int)} of every slot. */
    public int send(NativeSocket socket) throws NativeSocketException {
        return send(socket, 0, slots);
    }

    /**
     * {@code recvmmsg(2)} into slots {@code [first, first+count)}, no timeout: fills each slot's
     * payload, {@link #length}, address (the source) and {@link #flags}. Without
     * {@link #MSG_WAITFORONE} in flags a blocking socket waits until {@code count} datagrams
     * have arrived.
     *
     * @param flags {@code MSG_*} bits: {@link #MSG_WAITFORONE}, {@code MSG_DONTWAIT},
     *     {@code MSG_TRUNC} (then {@link #datagramLength} is each datagram's full length)
     * @return datagrams received, ≥ 1 (0 only for count 0, when no call is made)
     * @throws NativeSocketException e.g. {@code EAGAIN} when nothing is queued on a
     *     non-blocking socket
     */
    public int receive(NativeSocket socket, int first, int count, int flags) throws NativeSocketException {
        Objects.requireNonNull(socket, "socket");
        checkRange(first, count);
        if (count == 0) return 0;
        Descriptor d = socket.descriptor();
        int fd = d.begin("recvmmsg");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_batch_recv(fd, base, first, count, d.transferFlags(flags));
        } finally {
            closed = d.end();
        }
        Reference.reachabilityFence(socket);
        Reference.reachabilityFence(block);
        // Woken by close(): recvmmsg returns an error or nothing; datagrams received are delivered.
        if (rc < 0 || (rc == 0 && closed)) throw Descriptor.failure(closed, "recvmmsg", rc, null);
        for (int i = first; i < first + rc && controlSize > 0; i++) {
            int r = recs + i * SLOT;
            controls[i].received(block.getInt(r + CONTROL_LEN), block.getInt(r + FLAGS));
        }
        receivedSlots = rc;
        return rc;
    }

    /** {@link #receive(NativeSocket, int, int, int)} into every slot, waiting for the first datagram only. */
    public int receive(NativeSocket socket) throws NativeSocketException {
        return receive(socket, 0, slots, MSG_WAITFORONE);
    }

    /**
     * {@link #receive(NativeSocket, int, int, int)} on a socket with {@code UDP_GRO} on
     * ({@link SocketOptions.IpprotoUdp#UDP_GRO}): a slot may then hold several datagrams of one
     * flow, back to back, each {@link #segmentSize(int)} bytes (the last one shorter). Slots of
     * 65535 bytes take any coalesced receive whole; a smaller one is cut ({@link #isTruncated}).
     *
     * @return the datagrams received, summed over the {@link #receivedSlots()} slots filled
     * @throws IllegalStateException when the slots have less control room than a
     *     {@code UDP_GRO} message needs ({@code CMSG_SPACE(sizeof(int))})
     */
    public int receiveCoalesced(NativeSocket socket, int first, int count, int flags) throws NativeSocketException {
        if (controlSize < GRO_SPACE) {
            throw new IllegalStateException("receiveCoalesced needs " + GRO_SPACE + " bytes of control room per slot for "
                    + "UDP_GRO, this batch has " + controlSize + ": allocate(slots, slotSize, controlSize)");
        }
        int n = receive(socket, first, count, flags);
        int datagrams = 0;
        for (int i = first; i < first + n; i++) datagrams += segments(i);
        return datagrams;
    }

    /** Slots the last receive filled (starting at its first slot). */
    public int receivedSlots() {
        return receivedSlots;
    }

    /**
     * The size of each datagram in the slot: the {@code UDP_GRO} segment size when the kernel
     * coalesced several, else the slot's {@link #length}.
     */
    public int segmentSize(int slot) {
        int gro = controlSize == 0 ? -1 : control(slot).groSegmentSize();
        return gro > 0 ? gro : length(slot);
    }

    /** The number of datagrams in the slot: 1, or with {@code UDP_GRO} length / segment size rounded up. */
    public int segments(int slot) {
        int size = segmentSize(slot);
        int len = length(slot);
        return size <= 0 || len <= size ? 1 : (len + size - 1) / size;
    }

    /**
     * Whether the kernel offers UDP generic segmentation offload on this socket
     * ({@code getsockopt(SOL_UDP, UDP_SEGMENT)} answers rather than failing with
     * {@code ENOPROTOOPT}/{@code EINVAL}).
     */
    public static boolean segmentationSupported(NativeSocket socket) throws NativeSocketException {
        Objects.requireNonNull(socket, "socket");
        return socket.descriptor().call(socket, Syscall.UDP_SEGMENT_SUPPORTED) == 1;
    }

    /**
     * One {@code sendmsg(2)} with a {@code UDP_SEGMENT} control message: the bytes between the
     * buffer's position and limit go out as datagrams of {@code segmentSize} bytes (the last one
     * shorter) to {@code destination}, or to the connected peer when it is null. The kernel caps
     * the count of segments ({@code UDP_MAX_SEGMENTS}: 64 on older kernels, 128 on Linux 6.18) and
     * the total (64 KiB less headers): beyond that it answers {@code EINVAL}/{@code EMSGSIZE}.
     * Position advanced by the bytes sent.
     *
     * @param src a direct buffer
     * @return bytes sent
     * @throws IllegalArgumentException for a heap buffer, a segment size outside 1..65535, or a
     *     destination of another family than the socket
     * @throws NativeSocketException {@code ENOPROTOOPT} where there is no UDP_SEGMENT (see
     *     {@link #segmentationSupported}), or the kernel's error
     */
    public static int sendSegmented(NativeSocket socket, ByteBuffer src, int segmentSize, EncodedSockAddr destination)
            throws NativeSocketException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(src, "src");
        if (!src.isDirect()) throw new IllegalArgumentException("sendSegmented needs a direct buffer");
        if (segmentSize < 1 || segmentSize > 65535) {
            throw new IllegalArgumentException("segmentSize must be 1..65535, got " + segmentSize);
        }
        if (destination != null && destination.family() != socket.family()) {
            throw new IllegalArgumentException("sendmsg: destination " + destination + " is not of the socket's family "
                    + Names.family(socket.family()));
        }
        int pos = src.position();
        int len = src.limit() - pos;
        Descriptor d = socket.descriptor();
        int fd = d.begin("sendmsg");
        long rc;
        boolean closed;
        try {
            rc = SHIM.ds_send_segmented(fd, Native.address(src) + pos, len, segmentSize,
                    destination == null ? 0 : destination.address);
        } finally {
            closed = d.end();
        }
        Reference.reachabilityFence(socket);
        Reference.reachabilityFence(src);
        Reference.reachabilityFence(destination);
        if (rc < 0) throw Descriptor.failure(closed, "sendmsg", rc, "UDP_SEGMENT " + segmentSize);
        src.position(pos + (int) rc);
        return (int) rc;
    }

    /** {@link #sendSegmented(NativeSocket, ByteBuffer, int, EncodedSockAddr)} on a connected socket. */
    public static int sendSegmented(NativeSocket socket, ByteBuffer src, int segmentSize) throws NativeSocketException {
        return sendSegmented(socket, src, segmentSize, null);
    }

    @Override
    public String toString() {
        return "DatagramBatch[" + slots + " slots of " + slotSize + " bytes"
                + (controlSize == 0 ? "" : ", " + controlSize + " control bytes each") + "]";
    }
}
