package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import io.dualsock.cli.output.Table;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.Dualsock;
import io.dualsock.bindings.Constants;
import io.dualsock.bindings.LibcLocale;
import io.dualsock.bindings.NativeLoader;
import io.dualsock.lab.Prerequisites;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dualsock selftest}: what works on this machine, the first thing a bug report needs. */
@Command(name = "selftest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show what works on this machine (for bug reports).",
            "Prints where libdualsock.so was loaded from, its ABI version, which binding crosses to it "
                + "(ffm or jnr) and why, the Java, OS and glibc "
                + "versions, the platform constants the shim read from the C headers, and whether IPv6 "
                + "and network namespaces are available here. Every check is harmless: one socket "
                + "opened and closed, one bound to [::1]:0, /proc read, and 'unshare --net true' (a "
                + "namespace that vanishes at once)."},
        footer = {
            "",
            "--json prints one object:",
            "{\"library\":   {\"loaded\", \"source\", \"path\", \"abi_version\",",
            "               \"abi_expected\", \"binding\", \"binding_reason\", \"error\"},",
            " \"java\":      {\"version\", \"vendor\", \"vm\", \"home\"},",
            " \"os\":        {\"name\", \"version\", \"arch\", \"platform\"},",
            " \"glibc\":     {\"version\", \"source\"},",
            " \"locale\":    {\"lc_ctype\", \"codeset\"}  (what AI_IDN reads names in),",
            " \"constants\": {\"count\", \"key\" (or with --constants \"all\"): {NAME: value}},",
            " \"ipv6\":      {\"available\", \"socket\", \"loopback\", \"bind\"},",
            " \"netns\":     {\"possible\", \"euid\", \"cap_sys_admin\", \"ip\", \"ns_net\",",
            "               \"unshare\"}}",
            "where each check (socket, loopback, ...) is {\"ok\": bool, \"detail\": text}.",
            "",
            "Exit status: 0 when the library loads, even if IPv6 or namespaces are unavailable; "
                + "1 LIBRARY_LOAD when it does not (every candidate and why it failed on stderr)."})
final class SelftestCommand extends CliCommand {

    /** Shown by default; --constants shows all. */
    static final List<String> KEY_CONSTANTS = List.of(
            "AF_UNSPEC", "AF_INET", "AF_INET6", "SOCK_STREAM", "SOCK_DGRAM", "IPPROTO_TCP", "IPPROTO_UDP",
            "IPPROTO_IPV6", "IPV6_V6ONLY", "AI_PASSIVE", "AI_NUMERICHOST", "AI_V4MAPPED", "AI_ALL",
            "AI_ADDRCONFIG", "EAI_NONAME", "EAI_SYSTEM", "sizeof(struct sockaddr_in)",
            "sizeof(struct sockaddr_in6)", "sizeof(struct sockaddr_storage)");

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--constants", description = "List every platform constant, not only the key ones.")
    boolean allConstants;

    @Override
    public Integer call() {
        ObjectNode r = Json.object();
        Table t = new Table();

        ObjectNode lib = r.putObject("library");
        Dualsock.Diagnostics d = Dualsock.diagnostics();
        String loadError = d.error();
        lib.put("loaded", d.loaded()).put("source", d.source()).put("path", d.path())
                .put("abi_version", d.loaded() ? d.abiVersion() : null).put("abi_expected", d.abiExpected())
                .put("binding", d.binding()).put("binding_reason", d.bindingReason())
                .put("error", loadError);
        lib.putArray("bundled_platforms").addAll(d.bundledPlatforms().stream().map(lib::textNode).toList());
        if (d.loaded()) {
            t.add("library", d.source());
            t.add("", d.path() + (d.source().startsWith("bundled") ? " (deleted once loaded)" : ""));
            t.add("ABI version", d.abiVersion() + " (this code needs " + d.abiExpected() + ")");
            t.add("binding", bindingName(d.binding()) + ": " + d.bindingReason());
        } else {
            t.add("library", "NOT LOADED (see stderr)");
        }
        t.add("jar carries", String.join(" ", d.bundledPlatforms()));

        String javaVersion = System.getProperty("java.version");
        String vendor = System.getProperty("java.vendor");
        r.putObject("java").put("version", javaVersion).put("vendor", vendor)
                .put("vm", System.getProperty("java.vm.name")).put("home", System.getProperty("java.home"));
        t.add("Java", javaVersion + " (" + vendor + ", " + System.getProperty("java.vm.name") + ")");
        t.add("", System.getProperty("java.home"));
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        r.putObject("os").put("name", System.getProperty("os.name")).put("version", System.getProperty("os.version"))
                .put("arch", System.getProperty("os.arch")).put("platform", NativeLoader.platform());
        t.add("OS", os + " (bundle directory " + NativeLoader.platform() + ")");

        Optional<String> glibc = Probes.glibcVersion();
        r.putObject("glibc").put("version", glibc.orElse(null)).put("source", "gnu_get_libc_version()");
        t.add("glibc", glibc.map(v -> v + " (gnu_get_libc_version)").orElse(loadError != null
                ? "unknown (no native call works until the library loads)" : "not glibc (no gnu_get_libc_version)"));

        if (loadError != null) {
            print(r, t);
            throw new CliException("LIBRARY_LOAD", loadError, ExitCodes.FAILURE);
        }

        locale(r, t);
        constants(r, t);
        ipv6(r, t);
        netns(r, t);
        print(r, t);
        return ExitCodes.OK;
    }

    private static String bindingName(String binding) {
        return binding.equals("ffm") ? "ffm (java.lang.foreign)" : binding + " (jnr-ffi)";
    }

    /** The locale libc converts AI_IDN names with here: the JVM set it from LANG/LC_* (issue 20). */
    private static void locale(ObjectNode r, Table t) {
        String ctype = LibcLocale.ctype();
        String codeset = LibcLocale.codeset();
        r.putObject("locale").put("lc_ctype", ctype).put("codeset", codeset);
        t.add("locale", "LC_CTYPE " + ctype + ", codeset " + codeset + " (setlocale, nl_langinfo; AI_IDN reads names in it)");
    }

    private void constants(ObjectNode r, Table t) {
        Map<String, Long> all = Constants.all();
        ObjectNode c = r.putObject("constants");
        c.put("count", all.size());
        ObjectNode values = c.putObject(allConstants ? "all" : "key");
        if (allConstants) {
            all.forEach(values::put);
        } else {
            for (String k : KEY_CONSTANTS) Constants.find(k).ifPresent(v -> values.put(k, v));
        }
        t.add("constants", all.size() + " read from the C headers" + (allConstants ? ":" : "; key ones (--constants for all):"));
        for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : values.properties()) {
            long v = e.getValue().longValue();
            String hex = isBitmask(e.getKey()) && v > 9 ? " (0x" + Long.toHexString(v) + ")" : "";
            t.add("", e.getKey() + " = " + v + hex);
        }
    }

    private static boolean isBitmask(String name) {
        return (name.startsWith("AI_") || name.startsWith("NI_") && !name.startsWith("NI_MAX") || name.startsWith("MSG_")
                || name.startsWith("POLL") || name.startsWith("O_") || name.equals("SOCK_NONBLOCK")
                || name.equals("SOCK_CLOEXEC"));
    }

    private void ipv6(ObjectNode r, Table t) {
        Probes.Check socket = Probes.ipv6Socket();
        Probes.Check loopback = Probes.ipv6Loopback();
        Probes.Check bind = Probes.ipv6Bind();
        boolean ok = socket.ok() && loopback.ok() && bind.ok();
        ObjectNode o = r.putObject("ipv6");
        o.put("available", ok);
        put(o, "socket", socket);
        put(o, "loopback", loopback);
        put(o, "bind", bind);
        t.add("IPv6", ok ? "available" : "NOT available");
        row(t, socket);
        row(t, loopback);
        row(t, bind);
    }

    private void netns(ObjectNode r, Table t) {
        long euid = Prerequisites.effectiveUid();
        boolean capSysAdmin = Prerequisites.hasCapability(Prerequisites.CAP_SYS_ADMIN);
        Optional<java.nio.file.Path> ip = Prerequisites.which("ip");
        Probes.Check ns = Probes.netnsReadable();
        Probes.Check unshare = Probes.unshareNet();
        // unshare is the real test; without the program, fall back to what it would need.
        boolean possible = Prerequisites.which("unshare").isPresent() ? unshare.ok() : capSysAdmin && ns.ok();
        ObjectNode o = r.putObject("netns");
        o.put("possible", possible);
        o.put("euid", euid);
        o.put("cap_sys_admin", capSysAdmin);
        o.put("ip", ip.map(Object::toString).orElse(null));
        put(o, "ns_net", ns);
        put(o, "unshare", unshare);
        t.add("namespaces", possible ? "possible" : "NOT possible");
        t.add("", "euid " + (euid < 0 ? "unknown" : euid) + (euid == 0 ? " (root)" : "")
                + ", CAP_SYS_ADMIN " + (capSysAdmin ? "yes" : "no"));
        t.add("", "ip: " + ip.map(Object::toString).orElse("not found"));
        t.add("", "/proc/self/ns/net: " + ns.detail());
        row(t, unshare);
    }

    private static void put(ObjectNode o, String name, Probes.Check c) {
        o.putObject(name).put("ok", c.ok()).put("detail", c.detail());
    }

    private static void row(Table t, Probes.Check c) {
        t.add("", (c.ok() ? "ok    " : "FAIL  ") + c.detail());
    }

    private void print(ObjectNode r, Table t) {
        if (json) Json.writePretty(out(), r);
        else t.print(out());
    }
}
