package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NameFilesTest {
    final Topology t = Topology.figure125();

    @Test
    void hostsFilesListEveryNameWithOnlyItsOwnRecords() {
        String hosts = NameFiles.files(t, t.host("cd"), NameSource.FILES).get("hosts");
        assertTrue(hosts.contains("198.51.100.11\ts4.ds.test\n"));
        assertFalse(hosts.lines().anyMatch(l -> l.startsWith("2001:") && l.endsWith("\ts4.ds.test")), "s4 has an A record only");
        assertTrue(hosts.contains("2001:db8::12\ts6.ds.test\n"));
        assertFalse(hosts.lines().anyMatch(l -> l.startsWith("198.51.100.") && l.endsWith("s6.ds.test")));
        assertTrue(hosts.contains("198.51.100.13\td4.ds.test\n") && hosts.contains("2001:db8::13\td4.ds.test\n"));
    }

    @Test
    void filesModeLooksOnlyAtTheHostsFile() {
        Map<String, String> f = NameFiles.files(t, t.host("c4"), NameSource.FILES);
        assertTrue(f.get("nsswitch.conf").contains("hosts:\tfiles\n"));
        assertFalse(f.get("resolv.conf").lines().anyMatch(l -> l.startsWith("nameserver")));
        assertEquals("multi on\n", f.get("host.conf"));
        assertTrue(f.get("gai.conf").lines().allMatch(l -> l.startsWith("#")), "gai.conf must leave glibc's defaults");
    }

    @Test
    void dnsModeAsksTheLabServerOverTheVersionsTheHostHas() {
        Map<String, String> c4 = NameFiles.files(t, t.host("c4"), NameSource.DNS);
        Map<String, String> c6 = NameFiles.files(t, t.host("c6"), NameSource.DNS);
        Map<String, String> cd = NameFiles.files(t, t.host("cd"), NameSource.DNS);
        assertTrue(c4.get("resolv.conf").contains("nameserver 198.51.100.53") && !c4.get("resolv.conf").contains("2001:db8::53"));
        assertTrue(c6.get("resolv.conf").contains("nameserver 2001:db8::53") && !c6.get("resolv.conf").contains("198.51.100.53"));
        assertTrue(cd.get("resolv.conf").contains("198.51.100.53") && cd.get("resolv.conf").contains("2001:db8::53"));
        assertTrue(cd.get("nsswitch.conf").contains("hosts:\tfiles dns\n"));
        assertFalse(cd.get("hosts").contains("ds.test"), "names must come from DNS, not the file");
    }

    @Test
    void dnsmasqServesOnlyTheRecordsAndForwardsNothing() {
        List<String> a = NameFiles.dnsmasqArgs(t);
        assertTrue(a.contains("--no-resolv") && a.contains("--no-hosts") && a.contains("--conf-file=/dev/null"));
        assertTrue(a.contains("--host-record=s4.ds.test,198.51.100.11"));
        assertTrue(a.contains("--host-record=s6.ds.test,2001:db8::12"));
        assertTrue(a.contains("--host-record=d4.ds.test,198.51.100.13,2001:db8::13"));
        assertTrue(a.contains("--local=/d4.ds.test/"));
        assertFalse(a.stream().anyMatch(x -> x.startsWith("--server")));
    }

    @Test
    void aHostsGaiConfIsWrittenAsGiven() {
        Topology t2 = TopologyJson.parse("""
                {"hosts": [{"name": "a", "stack": "dual", "gai_conf": "precedence ::ffff:0:0/96 100\\n"}]}""", "test");
        assertEquals("precedence ::ffff:0:0/96 100\n", NameFiles.files(t2, t2.host("a"), NameSource.FILES).get("gai.conf"));
    }
}
