package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.dualsock.bindings.Constants;

/**
 * Public members and documented error paths no other test reached: the errno each documented
 * misuse gets from the kernel, DatagramBatch's whole-batch calls, the raw side of
 * SockAddrHolder, and Hints' value semantics.
 */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class PublicApiGapsTest {

    private static String errno(ThrowingRunnable r) {
        return assertThrows(NativeSocketException.class, r::run).errnoName();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void peerAddressOfAnUnconnectedSocketIsEnotconn() throws Exception {
        for (int type : new int[] {SOCK_STREAM, SOCK_DGRAM}) {
            try (NativeSocket s = NativeSocket.open(AF_INET6, type)) {
                NativeSocketException e = assertThrows(NativeSocketException.class, s::peerAddress);
                assertEquals("ENOTCONN", e.errnoName());
                assertTrue(e.getMessage().startsWith("getpeername failed: ENOTCONN"), e.getMessage());
            }
        }
    }

    @Test
    void acceptOnASocketThatDoesNotListenIsEinval() throws Exception {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            s.bind(Inet4SockAddr.loopback(0));
            assertEquals("EINVAL", errno(s::accept)); // accept(2): socket is not listening
        }
    }

    @Test
    void listenOnUdpIsEopnotsupp() throws Exception {
        try (NativeSocket s = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            s.bind(Inet6SockAddr.loopback(0));
            assertEquals("EOPNOTSUPP", errno(() -> s.listen(1)));
        }
    }

    @Test
    void bindToAnAddressThisHostDoesNotHaveIsEaddrnotavail() throws Exception {
        // Documentation addresses no interface of this host carries (bind sends nothing).
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            assertEquals("EADDRNOTAVAIL", errno(() -> s.bind(Inet4SockAddr.parse("198.51.100.250", 0))));
        }
        try (NativeSocket s = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            assertEquals("EADDRNOTAVAIL", errno(() -> s.bind(Inet6SockAddr.parse("2001:db8::fffe", 0))));
        }
    }

    @Test
    void wholeBatchSendAndReceive() throws Exception {
        try (NativeSocket rx = NativeSocket.open(AF_INET, SOCK_DGRAM); NativeSocket tx = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            rx.bind(Inet4SockAddr.loopback(0));
            tx.bind(Inet4SockAddr.loopback(0));
            SockAddrHolder rxAddress = new SockAddrHolderFrom(rx).holder; // before anything else is queued
            DatagramBatch out = DatagramBatch.allocate(3, 32);
            assertEquals(3, out.slots());
            assertEquals(32, out.slotSize());
            for (int i = 0; i < 3; i++) {
                out.data(i).put(0, (byte) ('x' + i));
                out.setLength(i, 1 + i).setDestination(i, rx.localAddress());
                assertTrue(out.hasAddress(i));
            }
            int sent = 0;
            while (sent < 3) sent += out.send(tx, sent, 3 - sent);
            assertEquals(3, sent);
            // send() is every slot: two more go out through it
            out.clearDestination(2);
            assertFalse(out.hasAddress(2));
            out.setDestination(2, rxAddress);
            assertEquals(3, out.send(tx));
            DatagramBatch in = DatagramBatch.allocate(8, 32);
            int got = 0;
            while (got < 6) got += in.receive(rx, got, 8 - got, DatagramBatch.MSG_WAITFORONE);
            assertEquals(6, got);
            for (int i = 0; i < 6; i++) {
                assertEquals(1 + i % 3, in.length(i), "slot " + i);
                assertEquals(in.length(i), in.datagramLength(i));
                assertEquals(0, in.flags(i));
                assertEquals((byte) ('x' + i % 3), in.data(i).get(0));
                assertEquals(tx.localAddress(), in.address(i));
            }
            // receive() fills from slot 0 and returns once one datagram is there
            tx.sendTo(new byte[] {'z'}, rx.localAddress());
            assertEquals(1, in.receive(rx));
            assertEquals('z', in.data(0).get(0));
            assertEquals("DatagramBatch[8 slots of 32 bytes]", in.toString());
        }
    }

    /** A holder filled by the kernel with rx's own address (recvfrom of a datagram rx sends to itself). */
    private static final class SockAddrHolderFrom {
        final SockAddrHolder holder = new SockAddrHolder();

        SockAddrHolderFrom(NativeSocket rx) throws Exception {
            rx.sendTo(new byte[] {'w'}, rx.localAddress());
            rx.recvFrom(ByteBuffer.allocateDirect(8), holder);
        }
    }

    @Test
    void holderRawSide() throws Exception {
        SockAddrHolder empty = new SockAddrHolder();
        assertEquals(0, empty.length());
        assertEquals(0, empty.toBytes().length);
        assertThrows(IllegalStateException.class, empty::scopeId);
        assertThrows(IllegalStateException.class, empty::toEncoded);
        try (NativeSocket s6 = NativeSocket.open(AF_INET6, SOCK_DGRAM); NativeSocket s4 = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            s6.bind(Inet6SockAddr.loopback(0));
            s4.bind(Inet4SockAddr.loopback(0));
            SockAddrHolder h6 = new SockAddrHolderFrom(s6).holder;
            SockAddrHolder h4 = new SockAddrHolderFrom(s4).holder;
            // The lengths the kernel returned are the C structs' sizes.
            assertEquals(Constants.i("sizeof(struct sockaddr_in6)"), h6.length());
            assertEquals(Constants.i("sizeof(struct sockaddr_in)"), h4.length());
            assertEquals(0, h6.scopeId()); // ::1 has no scope
            assertEquals(0, h4.scopeId());
            // toBytes is the kernel's sockaddr: family in host order, port in network order.
            byte[] b6 = h6.toBytes();
            assertEquals(h6.length(), b6.length);
            ByteBuffer r6 = ByteBuffer.wrap(b6).order(ByteOrder.nativeOrder());
            assertEquals(AF_INET6, r6.getShort(Constants.i("offsetof(struct sockaddr_in6,sin6_family)")));
            assertEquals(s6.localAddress().port(),
                    r6.order(ByteOrder.BIG_ENDIAN).getShort(Constants.i("offsetof(struct sockaddr_in6,sin6_port)")) & 0xffff);
            byte[] addr = Arrays.copyOfRange(b6, Constants.i("offsetof(struct sockaddr_in6,sin6_addr)"),
                    Constants.i("offsetof(struct sockaddr_in6,sin6_addr)") + 16);
            byte[] loop6 = new byte[16];
            loop6[15] = 1;
            assertArrayEquals(loop6, addr);
            byte[] b4 = h4.toBytes();
            assertEquals(h4.length(), b4.length);
            assertArrayEquals(new byte[] {127, 0, 0, 1}, Arrays.copyOfRange(b4, Constants.i("offsetof(struct sockaddr_in,sin_addr)"),
                    Constants.i("offsetof(struct sockaddr_in,sin_addr)") + 4));
            // toEncoded: the same address, usable for sending, and a copy (the holder may change after)
            EncodedSockAddr e6 = h6.toEncoded();
            assertEquals(s6.localAddress(), e6.sockAddr());
            assertTrue(h6.matches(e6));
            assertFalse(h4.matches(e6));
            assertEquals(AF_INET6, h6.family());
            assertEquals(AF_INET, h4.family());
            assertEquals(s6.localAddress().port(), h6.port());
            assertEquals(s4.localAddress().port(), h4.port());
            assertFalse(h6.isV4Mapped());
            // matches: the port and the address count, for both families
            assertTrue(h4.matches(h4.toEncoded()));
            assertFalse(h4.matches(EncodedSockAddr.of(Inet4SockAddr.loopback(h4.port() + 1))));
            assertFalse(h4.matches(EncodedSockAddr.of(Inet4SockAddr.parse("127.0.0.2", h4.port()))));
            assertFalse(h6.matches(EncodedSockAddr.of(Inet6SockAddr.loopback(h6.port() + 1))));
            assertFalse(h6.matches(EncodedSockAddr.of(Inet6SockAddr.parse("::2", h6.port()))));
            assertFalse(empty.matches(e6));
            assertTrue(h4.toString().contains("127.0.0.1"), h4.toString());
            assertEquals("(empty)", empty.toString());
        }
    }

    @Test
    void hintsAreValues() {
        Hints a = Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED, AiFlag.ALL).build();
        Hints b = Hints.builder().inet6().stream().flags(AiFlag.ALL).flags(AiFlag.V4MAPPED).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(a.has(AiFlag.V4MAPPED) && a.has(AiFlag.ALL));
        assertFalse(a.has(AiFlag.PASSIVE));
        Set<Hints> set = new HashSet<>(Set.of(a));
        assertTrue(set.contains(b));
        assertNotEquals(a, Hints.builder().inet().stream().flags(AiFlag.V4MAPPED, AiFlag.ALL).build());
        assertNotEquals(a, Hints.builder().inet6().dgram().flags(AiFlag.V4MAPPED, AiFlag.ALL).build());
        assertNotEquals(a, Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED).build());
        assertNotEquals(a, null);
        assertNotEquals(a, "hints");
        // toBuilder starts from a copy: changing it leaves the original as it was
        Hints c = a.toBuilder().dgram().build();
        assertEquals(AF_INET6, c.family());
        assertEquals(SOCK_DGRAM, c.socktype());
        assertEquals(a.flags(), c.flags());
        assertEquals(SOCK_STREAM, a.socktype());
        assertEquals(a, a.toBuilder().build());
        assertFalse(Hints.none().has(AiFlag.V4MAPPED));
        assertEquals(Hints.builder().unspec().stream().build(), Hints.builder().stream().build()); // AF_UNSPEC is the default
        int tcp = Constants.i("IPPROTO_TCP");
        Hints p = Hints.builder().inet().stream().protocol(tcp).build();
        assertEquals(tcp, p.protocol());
        assertNotEquals(p, Hints.builder().inet().stream().build());
        assertNotEquals(a.hashCode(), c.hashCode());
    }
}
