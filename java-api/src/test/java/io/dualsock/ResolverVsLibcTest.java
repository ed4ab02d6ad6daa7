package io.dualsock;

import io.dualsock.testsupport.Prerequisite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Platform;
import io.dualsock.testsupport.GaiRef;

/**
 * Resolver.getaddrinfo against libc itself: every row is asked of the Java API and of the C
 * reference program gai_ref, and the result lists must be equal line by line (order and
 * duplicates included), or both must fail with the same EAI_* code. No row may leave the
 * machine: see {@link LocalLookups}.
 */
class ResolverVsLibcTest {

    /** "AF_INET6" / "SOCK_DGRAM" / "AI_V4MAPPED|AI_ALL" / "0" / "0x7fff0000" to this platform's number. */
    static int value(String names) {
        int v = 0;
        for (String n : names.split("\\|")) {
            v |= Names.value(n).orElseThrow(() -> new IllegalArgumentException("unknown constant " + n));
        }
        return v;
    }

    static Hints hints(String family, String socktype, String protocol, String flags) {
        return Hints.builder().family(value(family)).socktype(value(socktype)).protocol(value(protocol))
                .rawFlags(value(flags)).build();
    }

    /** null stands for NULL; "" stays the empty string. */
    static String nul(String s) {
        return "-null".equals(s) ? null : s;
    }

    /** Asks both and compares; returns gai_ref's output. */
    static GaiRef.Output compare(String host, String service, Hints h) {
        String why = LocalLookups.whyNotLocal(host, h);
        assumeTrue(why == null, () -> "skipped so that no query leaves this machine (lab's ResolverInNamespaceLabTest asks"
                + " such names where only files answer): " + why);
        GaiRef.Output ref = AddrInfoLines.ask(host, service, h);
        String what = "getaddrinfo(" + host + ", " + service + ", " + h + ")";
        try {
            List<AddrInfo> got = Resolver.getaddrinfo(host, service, h);
            assertFalse(ref.isError(), what + ": Java got " + got + " but libc says " + ref.lines());
            assertEquals(ref.lines(), AddrInfoLines.lines(got), what);
            for (AddrInfo ai : got) {
                assertEquals(ai.family(), ai.address().family(), what + ": address family of " + ai);
                assertEquals(ai.address() instanceof Inet6SockAddr a6 && a6.isV4Mapped(), ai.isV4Mapped());
            }
        } catch (ResolverException e) {
            assertTrue(ref.isError(), what + ": Java threw " + e + " but libc gave " + ref.lines());
            assertEquals(ref.errorCode(), e.code(), what + ": " + e.getMessage());
            assertEquals("getaddrinfo", e.call());
            assertEquals(Errors.eaiName(e.code()), e.codeName());
            assertNotNull(ref.gaiStrerror(), "gai_ref printed no gai_strerror text");
            assertTrue(e.getMessage().contains(ref.gaiStrerror()), e.getMessage() + " lacks " + ref.gaiStrerror());
        }
        return ref;
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2} {3} {4} {5}")
    @CsvSource(delimiter = ' ', textBlock = """
        # host service family socktype protocol flags
        # numeric IPv4, IPv6, mapped
        198.51.100.7 80 AF_UNSPEC 0 0 0
        198.51.100.7 80 AF_INET SOCK_STREAM 0 AI_NUMERICHOST
        198.51.100.7 80 AF_INET6 0 0 AI_NUMERICHOST
        2001:db8::1 443 AF_UNSPEC 0 0 0
        2001:db8::1 443 AF_INET6 SOCK_DGRAM 0 AI_NUMERICHOST|AI_NUMERICSERV
        2001:db8::1 -null AF_INET 0 0 0
        2001:DB8:0:0:0:0:0:1 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        ::ffff:198.51.100.7 80 AF_UNSPEC 0 0 0
        ::ffff:198.51.100.7 80 AF_INET 0 0 0
        ::ffff:198.51.100.7 80 AF_INET6 SOCK_STREAM 0 AI_V4MAPPED
        ::198.51.100.7 80 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        0.0.0.0 0 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        :: 0 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        255.255.255.255 65535 AF_INET SOCK_DGRAM 0 AI_NUMERICHOST
        # AI_V4MAPPED with and without AI_ALL
        198.51.100.7 -null AF_INET6 0 0 AI_V4MAPPED
        198.51.100.7 -null AF_INET6 0 0 0
        198.51.100.7 -null AF_INET6 0 0 AI_V4MAPPED|AI_ALL
        198.51.100.7 -null AF_INET6 SOCK_STREAM 0 AI_ALL
        198.51.100.7 -null AF_UNSPEC 0 0 AI_V4MAPPED|AI_ALL
        2001:db8::1 -null AF_INET6 SOCK_STREAM 0 AI_V4MAPPED|AI_ALL
        ::ffff:198.51.100.7 -null AF_INET6 SOCK_STREAM 0 AI_V4MAPPED|AI_ALL
        # AI_PASSIVE and a null host, with and without it
        -null 8080 AF_UNSPEC 0 0 AI_PASSIVE
        -null 8080 AF_INET6 0 0 AI_PASSIVE
        -null 8080 AF_INET SOCK_STREAM 0 AI_PASSIVE
        -null 8080 AF_INET6 SOCK_STREAM 0 AI_PASSIVE|AI_V4MAPPED
        -null 8080 AF_UNSPEC 0 0 0
        -null 8080 AF_INET6 SOCK_STREAM 0 AI_V4MAPPED
        -null 8080 AF_INET6 SOCK_STREAM 0 AI_V4MAPPED|AI_ALL
        -null 0 AF_UNSPEC SOCK_DGRAM 0 AI_PASSIVE|AI_NUMERICSERV
        # AI_ADDRCONFIG (the answer depends on this host's addresses: libc decides)
        ::1 -null AF_UNSPEC SOCK_STREAM 0 AI_ADDRCONFIG
        127.0.0.1 -null AF_UNSPEC SOCK_STREAM 0 AI_ADDRCONFIG
        198.51.100.7 -null AF_INET6 SOCK_STREAM 0 AI_V4MAPPED|AI_ADDRCONFIG
        2001:db8::1 -null AF_UNSPEC SOCK_STREAM 0 AI_ADDRCONFIG|AI_NUMERICHOST
        -null 80 AF_UNSPEC SOCK_STREAM 0 AI_ADDRCONFIG|AI_PASSIVE
        # scoped link-local and multicast
        fe80::1%lo 22 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        fe80::1%1 22 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        fe80::1%lo 22 AF_INET6 SOCK_STREAM 0 0
        fe80::1%4294967295 22 AF_INET6 SOCK_STREAM 0 AI_NUMERICHOST
        ff02::1%lo 22 AF_INET6 SOCK_DGRAM 0 0
        fe80::1%nosuchif 22 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        fe80::1% 22 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        # "fe80::1%nosuchif 22 AF_UNSPEC SOCK_STREAM 0 0" would ask DNS: lab's ResolverInNamespaceLabTest runs it
        # libc's own reading of odd literals (inet_aton: octal, hex, short forms)
        127.1 -null AF_UNSPEC SOCK_STREAM 0 0
        127.1 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        0x7f.1 -null AF_UNSPEC SOCK_STREAM 0 0
        0x7f.1 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        192.0.2.010 -null AF_UNSPEC SOCK_STREAM 0 0
        192.0.2.010 -null AF_INET SOCK_STREAM 0 AI_NUMERICHOST
        192.0.2.010 -null AF_INET6 SOCK_STREAM 0 AI_NUMERICHOST|AI_V4MAPPED
        1 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        0x7f000001 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        017700000001 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        256.1.1.1 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        1.2.3.4.5 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        ::ffff:127.1 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        1::2::3 -null AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        # canonical names
        127.0.0.1 -null AF_UNSPEC SOCK_STREAM 0 AI_CANONNAME
        ::1 -null AF_UNSPEC 0 0 AI_CANONNAME|AI_NUMERICHOST
        0x7f.1 -null AF_UNSPEC 0 0 AI_CANONNAME|AI_NUMERICHOST
        # localhost, answered by /etc/hosts (rows that would need DNS here are skipped)
        localhost -null AF_UNSPEC 0 0 0
        localhost -null AF_INET 0 0 0
        # "localhost -null AF_INET6 0 0 0" would ask DNS: lab's ResolverInNamespaceLabTest runs it
        localhost -null AF_INET6 0 0 AI_V4MAPPED
        localhost -null AF_INET6 0 0 AI_V4MAPPED|AI_ALL
        localhost -null AF_UNSPEC 0 0 AI_V4MAPPED|AI_ALL
        localhost 80 AF_UNSPEC SOCK_STREAM 0 AI_CANONNAME
        localhost 80 AF_UNSPEC SOCK_STREAM 0 AI_ADDRCONFIG
        localhost http AF_INET6 SOCK_STREAM 0 AI_V4MAPPED|AI_ADDRCONFIG|AI_CANONNAME
        localhost -null AF_UNSPEC 0 0 AI_NUMERICHOST
        # error cases
        not-a-number -null AF_UNSPEC 0 0 AI_NUMERICHOST
        -null -null AF_UNSPEC 0 0 0
        127.0.0.1 no-such-service-xyz AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        127.0.0.1 80 AF_UNSPEC SOCK_RAW 0 AI_NUMERICHOST
        127.0.0.1 http AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        127.0.0.1 http AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST|AI_NUMERICSERV
        127.0.0.1 99999 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        127.0.0.1 -1 AF_UNSPEC SOCK_STREAM 0 AI_NUMERICHOST
        127.0.0.1 -null AF_UNSPEC 0 0 0x7fff0000
        -null 80 AF_UNSPEC 0 0 AI_CANONNAME
        127.0.0.1 -null 12345 0 0 AI_NUMERICHOST
        127.0.0.1 -null AF_UNIX 0 0 AI_NUMERICHOST
        127.0.0.1 -null AF_UNSPEC 12345 0 AI_NUMERICHOST
        127.0.0.1 -null AF_UNSPEC SOCK_STREAM IPPROTO_UDP AI_NUMERICHOST
        127.0.0.1 -null AF_UNSPEC SOCK_DGRAM IPPROTO_TCP AI_NUMERICHOST
        127.0.0.1 -null AF_UNSPEC 0 IPPROTO_SCTP AI_NUMERICHOST
        """)
    void sameAsLibc(String host, String service, String family, String socktype, String protocol, String flags) {
        compare(nul(host), nul(service), hints(family, socktype, protocol, flags));
    }

    /** Odd strings that the CSV table cannot hold: empty, spaces, non-ASCII, control characters. */
    @Test
    void oddStringsSameAsLibc() {
        Hints numeric = Hints.builder().rawFlags(value("AI_NUMERICHOST")).stream().build();
        Hints numericServ = Hints.builder().rawFlags(value("AI_NUMERICHOST|AI_NUMERICSERV")).stream().build();
        for (String host : List.of("", " ", "127.0.0.1 ", " 127.0.0.1", "127.0.0.1\t", "127.0.0.1\n", "bücher.example",
                "\uff11\uff12\uff17.0.0.1", "::1\u00a0", "é", "\u0663.0.0.1", "1.2.3.4 x", "::ffff:1.2.3.4 ")) {
            compare(host, "80", numeric);
        }
        for (String service : List.of("", " 80", "80 ", "0x50", "080", "\u0668\u0660", "65536", "+80")) {
            compare("127.0.0.1", service, numeric);
            compare("127.0.0.1", service, numericServ);
        }
        if (AiFlag.IDN.isDefined()) {
            compare("bücher.example", null, Hints.builder().rawFlags(value("AI_NUMERICHOST|AI_IDN")).build());
        }
    }

    /** Error names and the gai_strerror text, for each EAI code the issue names. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ' ', textBlock = """
        EAI_NONAME not-a-number -null AF_UNSPEC 0 0 AI_NUMERICHOST
        EAI_NONAME -null -null AF_UNSPEC 0 0 0
        EAI_SERVICE 127.0.0.1 no-such-service-xyz AF_INET SOCK_STREAM 0 AI_NUMERICHOST
        EAI_BADFLAGS 127.0.0.1 -null AF_UNSPEC 0 0 0x7fff0000
        EAI_FAMILY 127.0.0.1 -null 12345 0 0 AI_NUMERICHOST
        EAI_SOCKTYPE 127.0.0.1 -null AF_UNSPEC 12345 0 AI_NUMERICHOST
        """)
    void errorCodes(String name, String host, String service, String family, String socktype, String protocol,
                    String flags) {
        Hints h = hints(family, socktype, protocol, flags);
        GaiRef.Output ref = compare(nul(host), nul(service), h);
        assertTrue(ref.isError(), ref.lines().toString());
        assertEquals(value(name), ref.errorCode());
        ResolverException e = assertThrows(ResolverException.class,
                () -> Resolver.getaddrinfo(nul(host), nul(service), h));
        assertEquals(name, e.codeName());
        assertEquals(value(name), e.code());
        assertEquals(0, e.errno());
        assertEquals(null, e.errnoName());
        assertTrue(e.getMessage().startsWith("getaddrinfo("), e.getMessage());
        assertTrue(e.getMessage().endsWith("failed: " + name + " (" + value(name) + "): " + ref.gaiStrerror()),
                e.getMessage());
    }

    /** libc reads 127.1 as 127.0.0.1 in getaddrinfo, while inet_pton (and SockAddr.parse) refuse it. */
    @Test
    void getaddrinfoIsWiderThanInetPton() throws Exception {
        Hints h = Hints.builder().inet().stream().flags(AiFlag.NUMERICHOST).build();
        GaiRef.Output ref = compare("127.1", "80", h);
        assumeTrue(!ref.isError(), "this libc refuses 127.1 in getaddrinfo");
        assertEquals(Inet4SockAddr.loopback(80), Resolver.getaddrinfo("127.1", "80", h).get(0).address());
        assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("127.1", 80));
    }

    /** Mapped results are Inet6SockAddr with isV4Mapped(), never silently made IPv4. */
    @Test
    void mappedResultsStayMapped() throws Exception {
        Hints h = Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED, AiFlag.NUMERICHOST).build();
        AddrInfo ai = Resolver.getaddrinfo("198.51.100.7", "80", h).get(0);
        assertEquals(Platform.AF_INET6, ai.family());
        assertTrue(ai.isV4Mapped());
        Inet6SockAddr a6 = (Inet6SockAddr) ai.address();
        assertEquals("::ffff:198.51.100.7", a6.address());
        assertEquals(Inet4SockAddr.parse("198.51.100.7", 80), a6.v4());
    }

    /**
     * {@code getent ahosts}/{@code ahostsv6}: glibc's getent calls getaddrinfo(key, NULL) with
     * AI_V4MAPPED|AI_ADDRCONFIG|AI_CANONNAME plus AI_IDN|AI_CANONIDN (unless -i), and family
     * AF_UNSPEC (ahosts) or AF_INET6 (ahostsv6, which adds AI_V4MAPPED again); it prints
     * address[%scope], socket type word and the canonical name. Those are what we compare.
     */
    @ParameterizedTest
    @CsvSource({"ahosts,AF_UNSPEC", "ahostsv6,AF_INET6", "ahostsv4,AF_INET"})
    void sameAsGetent(String database, String family) throws Exception {
        int flags = value("AI_V4MAPPED|AI_ADDRCONFIG|AI_CANONNAME");
        if (AiFlag.IDN.isDefined()) flags |= AiFlag.IDN.value();
        if (AiFlag.CANONIDN.isDefined()) flags |= AiFlag.CANONIDN.value();
        Hints h = Hints.builder().family(value(family)).rawFlags(flags).build();
        String why = LocalLookups.whyNotLocal("localhost", h);
        assumeTrue(why == null, () -> "skipped so that no query leaves this machine (lab's ResolverInNamespaceLabTest asks"
                + " such names where only files answer): " + why);
        List<String> getent = getent(database, "localhost");
        List<String> java = new ArrayList<>();
        try {
            for (AddrInfo ai : Resolver.getaddrinfo("localhost", null, h)) {
                String addr = ai.address().address();
                if (ai.address() instanceof Inet6SockAddr a6 && a6.scopeId() != 0) {
                    addr += "%" + Integer.toUnsignedString(a6.scopeId());
                }
                String type = ai.socktype() == Platform.SOCK_STREAM ? "STREAM"
                        : ai.socktype() == Platform.SOCK_DGRAM ? "DGRAM"
                        : ai.socktype() == Platform.SOCK_RAW ? "RAW" : Integer.toString(ai.socktype());
                java.add(addr + " " + type + (ai.canonicalName() != null ? " " + ai.canonicalName() : ""));
            }
        } catch (ResolverException e) {
            assertEquals(List.of(), getent, "Java: " + e.getMessage());
            return;
        }
        assertEquals(getent, java);
    }

    /** getent's output, one "address type [canon]" per line; empty when getent finds nothing (exit 2). */
    private static List<String> getent(String database, String key) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("getent", database, key).redirectErrorStream(true).start();
        } catch (IOException e) {
            // .ci/run installs getent (libc-bin): in CI its absence is a failure, elsewhere a stated skip
            throw Prerequisite.missing("getent cannot run: " + e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("getent hung");
        }
        if (p.exitValue() == 2) return List.of();
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String l : new String(out, StandardCharsets.UTF_8).split("\n")) {
            if (!l.isBlank()) lines.add(String.join(" ", l.strip().split("\\s+")));
        }
        return lines;
    }
}
