package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.testsupport.GaiRef;

/**
 * Bad and extreme input to the resolver, the grow-and-retry path of the result buffer,
 * getnameinfo against libc, and the fields and message of ResolverException.
 */
class ResolverInputTest {
    static final Hints NUMERIC = Hints.builder().stream().flags(AiFlag.NUMERICHOST).build();

    // ---- bad input: caught in Java before any native call ----

    @Test
    void nullHintsIsNpe() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Resolver.getaddrinfo("::1", "80", null));
        assertTrue(e.getMessage().contains("hints"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Resolver.getnameinfo(null, 0));
    }

    @Test
    void nulInHostOrServiceIsIaeAndNeverReachesLibc() {
        // libc would read "127.0.0.1" and "80" and succeed: an IAE proves nothing was passed on
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resolver.getaddrinfo("127.0.0.1\0.evil", "80", NUMERIC));
        assertTrue(e.getMessage().contains("host contains a NUL character at index 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo("127.0.0.1", "80\0", NUMERIC));
        assertTrue(e.getMessage().contains("service contains a NUL character at index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo("\0", null, NUMERIC));
        // the message stays short and printable even for a huge prefix with control characters
        String huge = "a\n\u0001".repeat(20000) + "\0";
        e = assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo(huge, null, NUMERIC));
        assertTrue(e.getMessage().length() < 400, e.getMessage().length() + " chars");
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
    }

    @Test
    void bothNullIsEaiNonameFromLibc() {
        ResolverException e = assertThrows(ResolverException.class, () -> Resolver.getaddrinfo(null, null, Hints.none()));
        GaiRef.Output ref = AddrInfoLines.ask(null, null, Hints.none());
        assertEquals(ref.errorCode(), e.code());
        assertEquals("EAI_NONAME", e.codeName());
    }

    @Test
    void hostOrServiceOverTheLimitIsIae() {
        String over = "a".repeat(Resolver.MAX_NAME_BYTES + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resolver.getaddrinfo(over, null, NUMERIC));
        assertTrue(e.getMessage().contains("host is 65536 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo("::1", over, NUMERIC));
        // the limit counts UTF-8 bytes, not chars
        String wide = "é".repeat(Resolver.MAX_NAME_BYTES / 2 + 1);
        assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo(wide, null, NUMERIC));
    }

    /** Garbage of a legal length goes to libc, which answers (no crash, no truncation). */
    @Test
    void longGarbageHostGetsLibcsAnswer() throws Exception {
        Random rnd = new Random(42);
        StringBuilder sb = new StringBuilder();
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789.-:%";
        while (sb.length() < Resolver.MAX_NAME_BYTES) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        for (String host : List.of(sb.toString(), "a".repeat(Resolver.MAX_NAME_BYTES), "1".repeat(Resolver.MAX_NAME_BYTES),
                ":".repeat(Resolver.MAX_NAME_BYTES - 1), "é".repeat(Resolver.MAX_NAME_BYTES / 2))) {
            ResolverVsLibcTest.compare(host, "80", NUMERIC);
        }
        ResolverException e = assertThrows(ResolverException.class, () -> Resolver.getaddrinfo(sb.toString(), "80", NUMERIC));
        assertTrue(e.getMessage().length() < 500, "the message quotes a bounded prefix: " + e.getMessage().length());
    }

    // ---- the result buffer: too small is retried, never truncated ----

    /** A numeric host with a 5000-digit last part is 127.0.0.1 to libc, and AI_CANONNAME copies it: > 4096 bytes. */
    @Test
    void resultLargerThanTheInitialBufferIsRetried() throws Exception {
        String host = "127." + "0".repeat(5000) + "1";
        Hints h = Hints.builder().flags(AiFlag.CANONNAME, AiFlag.NUMERICHOST).build();
        AtomicReference<Object> got = new AtomicReference<>();
        // a fresh thread starts with the initial 4096-byte buffer
        Thread t = new Thread(() -> {
            try {
                int before = Resolver.scratchResultCapacityForTest();
                List<AddrInfo> r = Resolver.getaddrinfo(host, null, h);
                got.set(List.of(before, Resolver.scratchResultCapacityForTest(), r));
            } catch (Throwable e) {
                got.set(e);
            }
        });
        t.start();
        t.join();
        if (got.get() instanceof Throwable e) throw new AssertionError(e);
        List<?> res = (List<?>) got.get();
        assertEquals(4096, res.get(0));
        assertTrue((Integer) res.get(1) > 5000, "buffer grew to " + res.get(1));
        @SuppressWarnings("unchecked")
        List<AddrInfo> r = (List<AddrInfo>) res.get(2);
        GaiRef.Output ref = ResolverVsLibcTest.compare(host, null, h);
        assumeTrue(!ref.isError(), "this libc does not read the long literal as a number");
        assertEquals(ref.lines(), AddrInfoLines.lines(r));
        assertEquals(host, r.get(0).canonicalName());
        // and the largest legal name
        String biggest = "127." + "0".repeat(Resolver.MAX_NAME_BYTES - 5) + "1";
        ResolverVsLibcTest.compare(biggest, null, h);
        assertEquals(biggest, Resolver.getaddrinfo(biggest, null, h).get(0).canonicalName());
    }

    /** Every buffer size from the header up: the list always equals libc's, never a truncated one. */
    @Test
    void everySmallBufferSizeIsRetried() throws Exception {
        Hints h = Hints.builder().flags(AiFlag.CANONNAME, AiFlag.NUMERICHOST).build();
        GaiRef.Output ref = AddrInfoLines.ask("::1", "443", h);
        int need = 16 + (48 + 8) + 48 * (ref.lines().size() - 1); // "::1" canon: 48 + 4 -> 56
        try {
            for (int size = Platform.GAI_HEADER_SIZE; size <= need + 8; size++) {
                Resolver.replaceScratchResultForTest(size);
                assertEquals(ref.lines(), AddrInfoLines.lines(Resolver.getaddrinfo("::1", "443", h)), "buffer " + size);
                int cap = Resolver.scratchResultCapacityForTest();
                assertTrue(cap >= need, "buffer " + size + " grew to " + cap);
                // an error fits in the header whatever the size
                Resolver.replaceScratchResultForTest(size);
                ResolverException e = assertThrows(ResolverException.class,
                        () -> Resolver.getaddrinfo("x", null, NUMERIC));
                assertEquals("EAI_NONAME", e.codeName());
            }
        } finally {
            Resolver.replaceScratchResultForTest(4096);
        }
    }

    // ---- getnameinfo ----

    /** NI_NUMERICHOST|NI_NUMERICSERV compared with gai_ref -nameinfo (libc's getnameinfo) and inet_ntop. */
    @Test
    void numericGetnameinfoSameAsLibc() throws Exception {
        int flags = NiFlag.of(NiFlag.NUMERICHOST, NiFlag.NUMERICSERV);
        for (String text : List.of("198.51.100.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1",
                "2001:db8:0:1:1:1:1:1", "::ffff:198.51.100.1", "::ffff:0.0.0.0", "::198.51.100.1", "64:ff9b::1.2.3.4",
                "fe80::1%1", "fe80::1%lo", "fe80::dead:beef%1", "ff02::1%lo", "ff05::2%1", "2001:db8::1%1",
                "fe80::1%4294967295")) {
            for (int port : new int[] {0, 80, 65535}) {
                SockAddr a = SockAddr.parse(text, port);
                GaiRef.Output ref = GaiRef.here().getnameinfo(text, port, flags);
                NameInfo ni;
                try {
                    ni = Resolver.getnameinfo(a, flags);
                } catch (ResolverException e) {
                    assertTrue(ref.isError(), text + ": Java threw " + e + " but libc said " + ref.lines());
                    assertEquals(ref.errorCode(), e.code());
                    continue;
                }
                assertEquals(ref.lines(), List.of(ni.host() + " " + ni.service()), text + " port " + port);
                if (text.indexOf('%') < 0) assertEquals(a.address(), ni.host(), "inet_ntop text of " + text);
                assertEquals(Integer.toString(port), ni.service());
            }
        }
        // a flow label does not show, and libc's own flag check
        Inet6SockAddr flow = new Inet6SockAddr(Inet6SockAddr.loopback(1).addressBytes(), 1, 0xfffff, 0);
        assertEquals(new NameInfo("::1", "1"), Resolver.getnameinfo(flow, flags));
        int bad = flags | 0x7fff0000;
        GaiRef.Output ref = GaiRef.here().getnameinfo("::1", 1, bad);
        if (ref.isError()) {
            ResolverException e = assertThrows(ResolverException.class,
                    () -> Resolver.getnameinfo(Inet6SockAddr.loopback(1), bad));
            assertEquals(ref.errorCode(), e.code());
            assertEquals("getnameinfo", e.call());
            assertTrue(e.getMessage().contains(ref.gaiStrerror()), e.getMessage());
        } else {
            assertEquals(ref.lines().get(0), Resolver.getnameinfo(Inet6SockAddr.loopback(1), bad).host() + " 1");
        }
    }

    /**
     * Arguments the shim refuses come back as -EINVAL, which no EAI code equals, and Java turns
     * that into an IllegalStateException naming the sizes, not into a ResolverException.
     */
    @Test
    void refusedGetnameinfoArgumentsAreEinvalNeverAnEaiCode() throws Exception {
        ByteBuffer sa = ByteBuffer.allocateDirect(Platform.SIZEOF_SOCKADDR_STORAGE);
        ByteBuffer out = ByteBuffer.allocateDirect(Platform.NI_OUT_SIZE);
        int rc = Native.shim().ds_getnameinfo(Native.address(sa), Platform.SIZEOF_SOCKADDR_IN6,
                Native.address(out), Platform.NI_OUT_SIZE - 1, 0);
        Reference.reachabilityFence(sa);
        Reference.reachabilityFence(out);
        assertEquals(-Platform.EINVAL, rc);
        assertNull(Native.shim().ds_eai_name(rc), "-EINVAL must not be an EAI code");

        SockAddr a = Inet6SockAddr.loopback(80);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Resolver.throwNameInfoFailure(-Platform.EINVAL, a, 0, 28, 10, 0));
        assertTrue(e.getMessage().contains("ds_getnameinfo rejected its arguments (-EINVAL)"), e.getMessage());
        assertTrue(e.getMessage().contains("sockaddr of 28 bytes") && e.getMessage().contains("result buffer of 10 bytes"),
                e.getMessage());
        int badflags = Constants.i("EAI_BADFLAGS");
        ResolverException r = assertThrows(ResolverException.class,
                () -> Resolver.throwNameInfoFailure(badflags, a, 0, 28, Platform.NI_OUT_SIZE, 0));
        assertEquals("EAI_BADFLAGS", r.codeName());
    }

    /** Names from local files only: /etc/hosts for 127.0.0.1, the services database for ports. */
    @Test
    void namedGetnameinfoFromLocalFiles() throws Exception {
        assumeTrue(LocalLookups.networkHostSources().isEmpty() || LocalLookups.hostsFileHasLocalhost(false),
                "127.0.0.1 is not in /etc/hosts, so a reverse lookup could leave this machine");
        for (int flags : new int[] {0, NiFlag.of(NiFlag.NUMERICSERV), NiFlag.of(NiFlag.NUMERICHOST),
                NiFlag.of(NiFlag.DGRAM), NiFlag.of(NiFlag.NAMEREQD), NiFlag.of(NiFlag.NOFQDN)}) {
            GaiRef.Output ref = GaiRef.here().getnameinfo("127.0.0.1", 80, flags);
            NameInfo ni = Resolver.getnameinfo(Inet4SockAddr.loopback(80), flags);
            assertEquals(ref.lines(), List.of(ni.host() + " " + ni.service()), "flags " + flags);
        }
    }

    // NI_NAMEREQD for an address without a name would send a PTR query: lab's ResolverInNamespaceLabTest runs it

    // ---- ResolverException ----

    @Test
    void exceptionFieldsAndMessage() {
        Hints h = Hints.builder().inet6().stream().flags(AiFlag.NUMERICHOST, AiFlag.V4MAPPED).build();
        ResolverException e = assertThrows(ResolverException.class, () -> Resolver.getaddrinfo("not-a-number", "80", h));
        assertEquals("getaddrinfo", e.call());
        assertEquals("EAI_NONAME", e.codeName());
        assertEquals(Native.shim().ds_constant_value(indexOf("EAI_NONAME")), e.code());
        assertEquals(0, e.errno());
        assertNull(e.errnoName());
        String text = Errors.gaiStrerror(e.code());
        assertEquals("getaddrinfo(\"not-a-number\", \"80\", " + h + ") failed: EAI_NONAME (" + e.code() + "): " + text,
                e.getMessage());
        assertEquals("getaddrinfo(\"not-a-number\", \"80\", Hints[family=AF_INET6, socktype=SOCK_STREAM, protocol=0, "
                + "flags=AI_NUMERICHOST|AI_V4MAPPED])", e.getMessage().substring(0, e.getMessage().indexOf(" failed")));
        ResolverException n = assertThrows(ResolverException.class, () -> Resolver.getaddrinfo(null, null, Hints.none()));
        assertTrue(n.getMessage().startsWith("getaddrinfo(null, null, Hints[family=AF_UNSPEC"), n.getMessage());
    }

    /**
     * EAI_SYSTEM carries errno, its name and strerror text. Provoking a real EAI_SYSTEM would
     * need the JVM to run out of descriptors or memory, which is not safe in a shared test JVM,
     * and does not even work: a JVM with every descriptor taken, inside a lab host whose only
     * name source is its hosts file, got EAI_NONAME from glibc 2.36, not EAI_SYSTEM/EMFILE. So
     * the exception is built by the same factory Resolver uses, from libc's real texts.
     */
    @Test
    void eaiSystemCarriesErrno() {
        int emfile = errnoNamed("EMFILE");
        ResolverException e = Resolver.resolverError("getaddrinfo", "\"h\", null, x", Platform.EAI_SYSTEM, emfile);
        assertEquals("EAI_SYSTEM", e.codeName());
        assertEquals(emfile, e.errno());
        assertEquals("EMFILE", e.errnoName());
        assertEquals("getaddrinfo(\"h\", null, x) failed: EAI_SYSTEM (" + Platform.EAI_SYSTEM + "): "
                + Errors.gaiStrerror(Platform.EAI_SYSTEM) + "; errno EMFILE (" + emfile + "): " + Errors.strerror(emfile),
                e.getMessage());
        // errno is reported only with EAI_SYSTEM
        ResolverException other = Resolver.resolverError("getnameinfo", "x", value("EAI_AGAIN"), emfile);
        assertEquals(0, other.errno());
        assertNull(other.errnoName());
        assertFalse(other.getMessage().contains("errno"), other.getMessage());
        // an unknown code still gives a message
        ResolverException unknown = Resolver.resolverError("getaddrinfo", "x", -12345, 0);
        assertEquals("EAI code -12345", unknown.codeName());
    }

    private static int value(String name) {
        return ResolverVsLibcTest.value(name);
    }

    private static int indexOf(String constant) {
        for (int i = 0; i < Native.shim().ds_constant_count(); i++) {
            if (constant.equals(Native.shim().ds_constant_name(i))) return i;
        }
        throw new AssertionError(constant);
    }

    /** errno values are not in the constant table: find the number whose name libc's headers give. */
    private static int errnoNamed(String name) {
        for (int i = 1; i < 4096; i++) {
            if (name.equals(Native.shim().ds_errno_name(i))) return i;
        }
        throw new AssertionError("no errno named " + name);
    }
}
