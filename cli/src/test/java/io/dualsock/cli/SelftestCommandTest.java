package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.LibcLocale;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.NativeLoader;
import io.dualsock.testsupport.GaiRef;
import io.dualsock.testsupport.Prerequisite;

class SelftestCommandTest {

    @Test
    void textNamesLibraryAbiAndChecks() {
        Cli.Result r = Cli.run("selftest");
        assertEquals(0, r.code(), r::toString);
        int abi = Native.shim().ds_abi_version();
        assertTrue(r.out().contains("ABI version  " + abi + " (this code needs " + NativeLoader.ABI_VERSION + ")"),
                r::toString);
        assertTrue(r.out().contains(Native.libraryPath()), r::toString);
        assertTrue(r.out().contains("binding      " + Native.binding() + " ("), r::toString);
        assertTrue(r.out().contains(Native.bindingReason()), r::toString);
        assertTrue(r.out().contains(Constants.all().size() + " read from the C headers"), r::toString);
        for (String s : new String[] {"Java", "OS", "glibc", "IPv6", "namespaces", "AI_V4MAPPED = ",
            "LC_CTYPE " + LibcLocale.ctype() + ", codeset " + LibcLocale.codeset()}) {
            assertTrue(r.out().contains(s), s);
        }
    }

    @Test
    void jsonMatchesWhatTheLibraryReports() throws Exception {
        Cli.Result r = Cli.run("selftest", "--json");
        assertEquals(0, r.code(), r::toString);
        JsonNode o = r.json();
        assertTrue(o.get("library").get("loaded").asBoolean());
        assertEquals(Native.shim().ds_abi_version(), o.get("library").get("abi_version").asInt());
        assertEquals(Native.librarySource(), o.get("library").get("source").asText());
        assertEquals(Native.binding(), o.get("library").get("binding").asText());
        assertEquals(Native.bindingReason(), o.get("library").get("binding_reason").asText());
        assertEquals(Constants.all().size(), o.get("constants").get("count").asInt());
        assertEquals(Constants.i("AF_INET6"), o.get("constants").get("key").get("AF_INET6").asInt());
        assertEquals(System.getProperty("java.version"), o.get("java").get("version").asText());
        assertTrue(o.get("ipv6").get("available").isBoolean());
        assertTrue(o.get("netns").get("possible").isBoolean());
        assertTrue(o.get("netns").get("unshare").has("detail"));
    }

    @Test
    void localeIsWhatACProgramGetsFromTheSameEnvironment() throws Exception {
        JsonNode locale = Cli.run("selftest", "--json").json().get("locale");
        assertEquals(LibcLocale.ctype(), locale.get("lc_ctype").asText());
        assertEquals(LibcLocale.codeset(), locale.get("codeset").asText());
        // independent of the shim: gai_ref calls setlocale(LC_ALL, "") as the JVM did
        Prerequisite.require(GaiRef.available(), "gai_ref is not built at " + GaiRef.path());
        GaiRef.Locale c = GaiRef.here().getaddrinfo("127.0.0.1", null, 0, 0, 0, Constants.i("AI_NUMERICHOST")).locale();
        assertEquals(c.ctype(), locale.get("lc_ctype").asText());
        assertEquals(c.codeset(), locale.get("codeset").asText());
    }

    @Test
    void constantsFlagListsEveryConstant() throws Exception {
        JsonNode all = Cli.run("selftest", "--json", "--constants").json().get("constants").get("all");
        assertEquals(Constants.all().size(), all.size());
        Constants.all().forEach((k, v) -> assertEquals(v.longValue(), all.get(k).asLong(), k));
        String text = Cli.run("selftest", "--constants").out();
        Constants.all().forEach((k, v) -> assertTrue(text.contains(k + " = " + v), k));
    }

    @Test
    void ipv6CheckAgreesWithProc() throws Exception {
        // The kernel's own list of IPv6 addresses: a line "000…01 <ifindex> 80 10 80 lo" is ::1 on
        // loopback; the file is missing when IPv6 is disabled at boot.
        java.nio.file.Path ifInet6 = java.nio.file.Path.of("/proc/net/if_inet6");
        boolean procHasLoopback = java.nio.file.Files.exists(ifInet6)
                && java.nio.file.Files.readAllLines(ifInet6).stream().map(l -> l.trim().split("\\s+"))
                        .anyMatch(f -> f.length == 6 && f[0].equals("00000000000000000000000000000001") && f[5].equals("lo"));
        Probes.Check lo = Probes.ipv6Loopback();
        assertEquals(procHasLoopback, lo.ok(), "selftest's loopback check vs /proc/net/if_inet6: " + lo.detail());
        // On a host whose loopback has ::1 the checks must all pass; elsewhere they must say why not.
        if (lo.ok()) {
            assertTrue(Probes.ipv6Socket().ok(), Probes.ipv6Socket().detail());
            assertTrue(Probes.ipv6Bind().ok(), Probes.ipv6Bind().detail());
        } else {
            assertTrue(!lo.detail().isEmpty());
        }
    }
}
