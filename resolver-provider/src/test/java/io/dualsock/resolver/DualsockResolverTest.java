package io.dualsock.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;

/**
 * The resolver called directly, in this (root) namespace: numeric hosts only (no name may reach
 * DNS from here) and the reverse lookup of 127.0.0.1, which the hosts file answers.
 */
class DualsockResolverTest {
    static final LookupPolicy BOTH = LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6);
    static final LookupPolicy V6 = LookupPolicy.of(LookupPolicy.IPV6);
    final DualsockResolver resolver = new DualsockResolver(null);

    @Test
    void numericIpv4IsOneInet4AddressNamedAsAsked() throws Exception {
        List<InetAddress> r = resolver.lookupByName("127.0.0.1", BOTH).toList();
        assertEquals(1, r.size(), r.toString());
        assertInstanceOf(Inet4Address.class, r.get(0));
        assertEquals("127.0.0.1", r.get(0).getHostAddress());
        assertEquals("127.0.0.1", r.get(0).getHostName(), "the name asked is kept: no reverse lookup");
    }

    @Test
    void mappedResultBecomesInet4AddressWhenIpv4IsAllowed() throws Exception {
        List<InetAddress> r = resolver.lookupByName("::ffff:127.0.0.1", BOTH).toList();
        assertEquals(List.of("127.0.0.1"), r.stream().map(InetAddress::getHostAddress).toList());
        assertInstanceOf(Inet4Address.class, r.get(0));
    }

    @Test
    void mappedResultStaysInet6AddressWhenThePolicyIsIpv6Only() throws Exception {
        // libc decides first (AI_ADDRCONFIG): the case exists only where this host has IPv6
        List<io.dualsock.AddrInfo> libc;
        try {
            libc = Resolver.getaddrinfo("::ffff:127.0.0.1", null, Hints.builder().inet6().flags(AiFlag.ADDRCONFIG).build());
        } catch (ResolverException e) {
            assertThrows(DualsockUnknownHostException.class, () -> resolver.lookupByName("::ffff:127.0.0.1", V6));
            return;
        }
        List<InetAddress> r = resolver.lookupByName("::ffff:127.0.0.1", V6).toList();
        assertEquals(1, r.size(), libc + " -> " + r);
        Inet6Address a = assertInstanceOf(Inet6Address.class, r.get(0));
        assertTrue(a.isIPv4CompatibleAddress() || a.getHostAddress().contains("ffff"), a.getHostAddress());
        assertFalse(a.getHostAddress().contains("%"), "no scope id printed: " + a.getHostAddress());
    }

    @Test
    void wrongFamilyIsAnUnknownHostWithTheEaiName() {
        // AF_INET6 without AI_V4MAPPED for an IPv4 literal: libc refuses without any lookup
        DualsockUnknownHostException e = assertThrows(DualsockUnknownHostException.class,
                () -> resolver.lookupByName("127.0.0.1", V6));
        assertTrue(e.eaiName().startsWith("EAI_"), e.eaiName());
        assertTrue(e.getMessage().startsWith("127.0.0.1: getaddrinfo("), e.getMessage());
        assertTrue(e.getMessage().contains(e.eaiName()), e.getMessage());
        assertInstanceOf(ResolverException.class, e.getCause());
        assertFalse(e.isTemporary());
    }

    @Test
    void eaiAgainIsTemporary() {
        DualsockUnknownHostException e = new DualsockUnknownHostException("h", "getaddrinfo", "EAI_AGAIN", -3, "x", null);
        assertTrue(e.isTemporary());
        assertFalse(new DualsockUnknownHostException("h", "getaddrinfo", "EAI_NONAME", -2, "x", null).isTemporary());
    }

    @Test
    void aHostLibcCannotBeGivenIsAnUnknownHost() {
        DualsockUnknownHostException e = assertThrows(DualsockUnknownHostException.class,
                () -> resolver.lookupByName("127.0.0.1\0evil", BOTH));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void reverseLookupIsGetentsName() throws Exception {
        Process p = new ProcessBuilder("getent", "hosts", "127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String expected = out.split("\\s+")[1];
        assertEquals(expected, resolver.lookupByAddress(new byte[] {127, 0, 0, 1}));
    }

    @Test
    void reverseLookupRefusesOtherLengths() {
        assertThrows(IllegalArgumentException.class, () -> resolver.lookupByAddress(new byte[5]));
    }

    @Test
    void orderIsLibcsUnlessAFamilyIsAskedFirst() throws Exception {
        InetAddress v6a = InetAddress.getByName("2001:db8::1"), v4a = InetAddress.getByName("198.51.100.1");
        InetAddress v6b = InetAddress.getByName("2001:db8::2"), v4b = InetAddress.getByName("198.51.100.2");
        List<InetAddress> libc = List.of(v6a, v4a, v6b, v4b);
        assertEquals(libc, DualsockResolver.order(libc, 0));
        assertEquals(libc, DualsockResolver.order(libc, LookupPolicy.IPV4 | LookupPolicy.IPV6));
        assertEquals(List.of(v4a, v4b, v6a, v6b), DualsockResolver.order(libc, LookupPolicy.IPV4 | LookupPolicy.IPV6
                | LookupPolicy.IPV4_FIRST));
        assertEquals(List.of(v6a, v6b, v4a, v4b), DualsockResolver.order(libc, LookupPolicy.IPV4 | LookupPolicy.IPV6
                | LookupPolicy.IPV6_FIRST));
    }

    @Test
    void theJdksDefaultIpv4FirstIsNotARequestButAnExplicitPropertyIs() {
        assertEquals("libc's order", new DualsockResolver(null).orderRule());
        assertTrue(new DualsockResolver("false").orderRule().contains("preferIPv6Addresses=false"));
    }

    @Test
    void theServicesFileNamesTheProvider() throws Exception {
        Path f = Path.of("src/main/resources/META-INF/services/java.net.spi.InetAddressResolverProvider");
        assertEquals(DualsockResolverProvider.class.getName(), Files.readString(f).trim());
    }
}
