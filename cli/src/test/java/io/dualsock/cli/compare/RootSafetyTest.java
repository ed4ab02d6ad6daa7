package io.dualsock.cli.compare;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root-namespace rule; it reads files and asks libc with AI_NUMERICHOST only, so no lookup happens here. */
class RootSafetyTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void literalsAreAlwaysAllowed() throws IOException {
        Path hosts = file("hosts", "");
        Path nss = file("nss", "hosts: dns files\n");
        for (String h : new String[] {"127.0.0.1", "::1", "::ffff:127.0.0.1", "127.1", "0x7f.1", "fe80::1%1"}) {
            assertNull(RootSafety.refusal(h, hosts, nss), h);
        }
    }

    @Test
    void namesNeedAnIpv4LineAndFilesFirst() throws IOException {
        Path hosts = file("hosts", "127.0.0.1 localhost # comment\n::1 ip6-only\n198.51.100.1 Mixed\n2001:db8::1 mixed\n");
        Path files = file("nss", "passwd: files\nhosts:   files dns\n");
        assertNull(RootSafety.refusal("localhost", hosts, files));
        assertNull(RootSafety.refusal("MIXED", hosts, files));
        assertTrue(RootSafety.refusal("ip6-only", hosts, files).contains("no IPv4 line"));
        assertTrue(RootSafety.refusal("ds-dual.lab", hosts, files).contains("DNS"));
        assertTrue(RootSafety.refusal("comment", hosts, files).contains("DNS"), "text after # is no name");
        Path dnsFirst = file("nss2", "hosts: dns files\n");
        assertNotNull(RootSafety.refusal("localhost", hosts, dnsFirst));
    }

    @Test
    void thisMachinesLocalhostIsAllowed() {
        assertNull(RootSafety.refusal("localhost"), "localhost must be in /etc/hosts with an IPv4 line here");
    }
}
