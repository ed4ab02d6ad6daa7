package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The rtnetlink dumps, read with the headers' numbers and layouts from the shim, against what
 * the kernel shows in {@code /proc/net/if_inet6} and {@code /sys/class/net} for this namespace.
 */
class RtnetlinkTest {

    @Test
    void ipv6AddressesAsProcNetIfInet6ShowsThem() throws Exception {
        // "fe80...0001 04 40 20 80 eth0": address, ifindex, prefix length, scope, flags (8 bits), all hex
        Set<String> proc = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/net/if_inet6"))) {
            String[] f = line.trim().split("\\s+");
            proc.add(f[0] + " " + Integer.parseInt(f[1], 16) + " " + Integer.parseInt(f[2], 16) + " "
                    + Integer.parseInt(f[4], 16));
        }
        Set<String> dumped = new TreeSet<>();
        for (Rtnetlink.Address a : Rtnetlink.addresses()) {
            if (SelectionPolicy.isMapped(a.addr16())) continue;
            dumped.add(HexFormat.of().formatHex(a.addr16()) + " " + a.index() + " " + a.prefixLength() + " " + a.flags());
        }
        assertFalse(proc.isEmpty(), "this test needs IPv6 (at least ::1)");
        assertEquals(proc, dumped);
    }

    @Test
    void ipv4AddressesAreMappedAndOnKnownInterfaces() throws Exception {
        Map<Integer, Integer> links = Rtnetlink.linkTypes();
        List<Rtnetlink.Address> v4 = Rtnetlink.addresses().stream().filter(a -> SelectionPolicy.isMapped(a.addr16())).toList();
        assertFalse(v4.isEmpty(), "127.0.0.1 at least");
        for (Rtnetlink.Address a : v4) {
            assertFalse(a.prefixLength() > 32, a.toString());
            assertFalse(!links.containsKey(a.index()), "interface " + a.index() + " of an IPv4 address is a link");
        }
    }

    @Test
    void linkTypesAsSysClassNetShowsThem() throws Exception {
        Map<Integer, Integer> sys = new HashMap<>();
        try (Stream<Path> dirs = Files.list(Path.of("/sys/class/net"))) {
            for (Path d : dirs.toList()) {
                sys.put(Integer.parseInt(Files.readString(d.resolve("ifindex")).trim()),
                        Integer.parseInt(Files.readString(d.resolve("type")).trim()));
            }
        }
        assertEquals(sys, Rtnetlink.linkTypes());
    }
}
