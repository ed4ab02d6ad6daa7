package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.AddressSelection;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.SelectionPolicy;
import io.dualsock.SockAddr;

/**
 * The acceptance test of destination address selection: for generated names carrying mixes
 * of IPv4, IPv4 link-local, loopback, IPv6 global, ULA, link-local, IPv4-mapped,
 * IPv4-compatible, 6to4 and deprecated addresses, the order {@link AddressSelection} predicts
 * equals the order glibc's getaddrinfo returns inside a lab host, on six hosts: glibc's
 * built-in policy, IPv4 preferred ({@code precedence ::ffff:0:0/96 100}), a custom label
 * table, all precedences equal, scopev4 lines with a home address, and an IPv4-only host.
 * getaddrinfo runs in the host's agent (a process that sees the host's hosts file and
 * gai.conf); the prediction runs on a thread inside the same namespace, finds its sources
 * there the way glibc does, and reads the host's gai.conf text with
 * {@link SelectionPolicy#parseGaiConf}. Every mismatch fails the test.
 *
 * <p>The order the name service hands to the sort is modelled from the hosts file as glibc
 * 2.36's files backend gives it: AF_UNSPEC in file order (the lab writes a name's A lines, then
 * its AAAA lines); AF_INET the A lines, then the AAAA lines that are IPv4-mapped (as IPv4) or
 * {@code ::1} (as 127.0.0.1, seen here); AF_INET6 with AI_V4MAPPED|AI_ALL every AAAA line
 * first, then that IPv4 phase mapped (so a mapped line or ::1 comes twice).
 */
class AddressSelectionLabTest {
    static final int GENERATED_SETS = 240;
    static final long SEED = 14;

    /** Host name to its gai.conf text (null: none). */
    static final Map<String, String> POLICIES = new LinkedHashMap<>();

    static {
        POLICIES.put("dflt", null);
        POLICIES.put("v4pref", "precedence ::ffff:0:0/96 100\n");
        POLICIES.put("label", "label ::1/128 0\nlabel ::/0 1\nlabel 2002::/16 2\nlabel ::/96 3\nlabel ::ffff:0:0/96 4\n"
                + "label fd00::/8 5\nlabel 2001:db8:1::/48 4  # IPv4's label for a documentation /48\n");
        POLICIES.put("flat", "precedence ::/0 40\n");
        POLICIES.put("scope", "scopev4 ::ffff:169.254.0.0/112 2\nscopev4 198.51.100.192/26 5\n"
                + "scopev4 198.51.100.15/32 1   # its own address: IPv4 destinations whose source it is mismatch\nreload yes\n");
        POLICIES.put("v4only", null);
    }

    static final List<String> POOL = List.of(
            "198.51.100.5", "198.51.100.20", "198.51.100.77", "198.51.100.130", "198.51.100.201", "198.51.100.250",
            "198.51.100.11", "198.51.100.53",
            "169.254.7.1", "169.254.200.9",
            "127.0.0.1", "127.0.0.5", "::1",
            "2001:db8::5", "2001:db8::ab", "2001:db8::12", "2001:db8:1::5", "2001:db8:2::1", "2001:db8:5::7",
            "fd00:0:0:1::5", "fd00:0:0:2::7", "fd01::1",
            "fe80::1",
            "::ffff:198.51.100.5", "::ffff:127.0.0.1", "::ffff:169.254.7.1", "::ffff:198.51.100.201",
            "2002:c633:640b::5", "2002:c633:640c::9", "2002:c633:6405::1",
            "2001:db8:1::11", "2001:db8:1::12", "2001:db8:1::13", "2001:db8:1::14", "2001:db8:1::15",
            "::198.51.100.5");

    /** Sets written by hand: the intransitive triple, loopback pairs, own addresses. */
    static final List<List<String>> CHOSEN = List.of(
            List.of("198.51.100.5", "198.51.100.201", "2001:db8::5"),
            List.of("198.51.100.201", "198.51.100.5", "2001:db8::5"),
            List.of("127.0.0.1", "::1", "198.51.100.5", "2001:db8::5"),
            List.of("198.51.100.250", "198.51.100.5", "198.51.100.11", "198.51.100.12"),
            List.of("2001:db8:1::11", "2001:db8:1::12", "2001:db8::5", "198.51.100.5"),
            List.of("::ffff:198.51.100.5", "::ffff:127.0.0.1", "2001:db8::5", "fe80::1"),
            List.of("169.254.7.1", "198.51.100.5", "127.0.0.5", "198.51.100.201"),
            List.of("fd00:0:0:1::5", "2001:db8:5::7", "2002:c633:640b::5", "2001:db8::5"));

    static final List<List<String>> SETS = sets();

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(topology(), NameSource.FILES);

    static List<List<String>> sets() {
        List<List<String>> out = new ArrayList<>(CHOSEN);
        Random r = new Random(SEED);
        while (out.size() < CHOSEN.size() + GENERATED_SETS) {
            int n = 2 + r.nextInt(6);
            Set<String> s = new LinkedHashSet<>();
            while (s.size() < n) s.add(POOL.get(r.nextInt(POOL.size())));
            out.add(List.copyOf(s));
        }
        return out;
    }

    static String name(int i) {
        return String.format("s%03d.sel.test", i);
    }

    static Topology topology() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("description", "destination address selection: one host per sorting policy");
        ArrayNode hosts = o.putArray("hosts");
        int i = 1;
        for (Map.Entry<String, String> p : POLICIES.entrySet()) {
            boolean v4only = p.getKey().equals("v4only");
            int n = 10 + i++;
            ObjectNode h = hosts.addObject();
            h.put("name", p.getKey());
            h.put("stack", v4only ? "ipv4-only" : "dual-stack");
            h.put("ipv4", "198.51.100." + n);
            if (!v4only) h.put("ipv6", "2001:db8::" + n);
            h.putArray("names").add(p.getKey() + ".sel.test");
            ArrayNode extra = h.putArray("addresses");
            extra.add("198.51.100." + (200 + n - 10) + "/26");
            extra.add("169.254.7." + n + "/16");
            if (!v4only) {
                extra.add("fd00:0:0:1::" + n + "/48");
                extra.add(String.format("2002:c633:64%02x::1/48", n));
                extra.addObject().put("address", "2001:db8:1::" + n + "/48").put("deprecated", true);
                if (p.getKey().equals("scope")) extra.addObject().put("address", "2001:db8:5::" + n + "/64").put("home", true);
            }
            if (p.getValue() != null) h.put("gai_conf", p.getValue());
        }
        ArrayNode records = o.putArray("records");
        for (int s = 0; s < SETS.size(); s++) {
            ObjectNode rec = records.addObject();
            rec.put("name", name(s));
            ArrayNode a = rec.putArray("a");
            ArrayNode aaaa = rec.putArray("aaaa");
            for (String addr : SETS.get(s)) (addr.indexOf(':') >= 0 ? aaaa : a).add(addr);
        }
        return TopologyJson.parse(o.toString(), "AddressSelectionLabTest");
    }

    enum Query {
        UNSPEC(Hints.builder().unspec().stream().build()),
        INET(Hints.builder().inet().stream().build()),
        INET6_MAPPED_ALL(Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED, AiFlag.ALL).build());

        final Hints hints;

        Query(Hints hints) {
            this.hints = hints;
        }
    }

    /** What glibc 2.36's files backend hands the sort, for a name whose A and AAAA lines are these. */
    static List<String> asReceived(Query q, List<String> a, List<String> aaaa) {
        List<String> v4phase = new ArrayList<>(a);
        for (String x : aaaa) {
            // files-hosts.c: for an IPv4 lookup an IPv6 line counts if it is mapped, or ::1 (as 127.0.0.1).
            if (x.startsWith("::ffff:")) v4phase.add(x.substring("::ffff:".length()));
            if (x.equals("::1")) v4phase.add("127.0.0.1");
        }
        List<String> out = new ArrayList<>();
        switch (q) {
            case UNSPEC -> {
                out.addAll(a);
                out.addAll(aaaa);
            }
            case INET -> out.addAll(v4phase);
            case INET6_MAPPED_ALL -> {
                out.addAll(aaaa);
                for (String x : v4phase) out.add("::ffff:" + x);
            }
        }
        return out;
    }

    record Mismatch(String host, String name, Query query, List<String> received, List<String> predicted,
                    List<String> glibc, String why) {}

    @Test
    void predictedOrderIsGlibcsOrder(Lab lab) throws Exception {
        List<Mismatch> mismatches = new ArrayList<>();
        Map<String, Integer> compared = new TreeMap<>();
        Map<AddressSelection.Rule, Integer> deciding = new EnumMap<>(AddressSelection.Rule.class);
        int reordered = 0;
        int total = 0;
        long t0 = System.nanoTime();
        for (String host : POLICIES.keySet()) {
            LabHost h = lab.host(host);
            String conf = lab.topology().host(host).gaiConf();
            SelectionPolicy.GaiConf gai = SelectionPolicy.parseGaiConf(conf == null ? "" : conf, SelectionPolicy.glibc());
            assertTrue(gai.warnings().isEmpty(), host + ": " + gai.warnings());
            // Predictions first, all on one thread inside the host's namespace.
            List<List<String>> inputs = new ArrayList<>();
            for (int s = 0; s < SETS.size(); s++) {
                Topology.NameRecord rec = lab.topology().nameTable().get(name(s));
                for (Query q : Query.values()) inputs.add(asReceived(q, rec.a(), rec.aaaa()));
            }
            List<AddressSelection.Result> predictions = h.inNetwork(() -> {
                List<AddressSelection.Result> out = new ArrayList<>();
                for (List<String> in : inputs) {
                    List<SockAddr> dst = in.stream().map(x -> SockAddr.parse(x, 7007)).toList();
                    out.add(AddressSelection.sort(dst, AddressSelection.sources(dst), gai.policy()));
                }
                return out;
            });
            int k = 0;
            for (int s = 0; s < SETS.size(); s++) {
                for (Query q : Query.values()) {
                    List<String> received = inputs.get(k);
                    AddressSelection.Result predicted = predictions.get(k++);
                    if (received.isEmpty()) continue;
                    Lookup libc = h.lookup(name(s), "7007", q.hints);
                    if (!libc.ok()) {
                        mismatches.add(new Mismatch(host, name(s), q, received, List.of(), List.of(), "getaddrinfo: " + libc.detail()));
                        continue;
                    }
                    List<String> actual = libc.addresses().stream().map(Lookup.Resolved::address).toList();
                    List<String> order = predicted.addresses().stream().map(SockAddr::address).toList();
                    total++;
                    compared.merge(host, 1, Integer::sum);
                    if (!order.equals(received)) reordered++;
                    for (AddressSelection.Step st : predicted.steps()) deciding.merge(st.rule(), 1, Integer::sum);
                    if (!order.equals(actual)) {
                        StringBuilder why = new StringBuilder();
                        for (AddressSelection.Candidate c : predicted.input()) why.append("\n      ").append(c.destination().address())
                                .append(" source ").append(c.source());
                        for (AddressSelection.Step st : predicted.steps()) why.append("\n      ").append(st);
                        mismatches.add(new Mismatch(host, name(s), q, received, order, actual, why.toString()));
                    }
                }
            }
        }
        System.out.printf("address selection in the lab: %d destination sets, %d hosts (policies), %d getaddrinfo calls"
                + " compared (%d reordered by libc), %d mismatches, %d ms; per host %s; deciding rules of adjacent pairs %s%n",
                SETS.size(), POLICIES.size(), total, reordered, mismatches.size(), (System.nanoTime() - t0) / 1_000_000,
                compared, deciding);
        if (!mismatches.isEmpty()) {
            StringBuilder sb = new StringBuilder(mismatches.size() + " of " + total + " orders differ from glibc's:");
            for (Mismatch mm : mismatches.subList(0, Math.min(15, mismatches.size()))) {
                sb.append("\n  ").append(mm.host).append(' ').append(mm.name).append(' ').append(mm.query)
                        .append("\n    received  ").append(mm.received).append("\n    predicted ").append(mm.predicted)
                        .append("\n    glibc     ").append(mm.glibc).append(mm.why);
            }
            fail(sb.toString());
        }
        assertTrue(SETS.size() >= 200);
        for (AddressSelection.Rule rule : List.of(AddressSelection.Rule.AVOID_UNUSABLE, AddressSelection.Rule.MATCHING_SCOPE,
                AddressSelection.Rule.AVOID_DEPRECATED, AddressSelection.Rule.HOME_ADDRESS, AddressSelection.Rule.MATCHING_LABEL,
                AddressSelection.Rule.HIGHER_PRECEDENCE, AddressSelection.Rule.SMALLER_SCOPE, AddressSelection.Rule.LONGEST_PREFIX,
                AddressSelection.Rule.ORIGINAL_ORDER)) {
            assertTrue(deciding.getOrDefault(rule, 0) > 0, rule + " never decided a pair: the sets do not exercise it");
        }
    }

    @Test
    void theHostsHaveTheirAddressesAndGaiConf(Lab lab) {
        ExecResult addr = lab.host("dflt").exec(java.time.Duration.ofSeconds(10), Netns.IP, "-6", "address", "show", "dev", "eth0");
        assertTrue(addr.stdout().contains("2001:db8:1::11/48") && addr.stdout().contains("deprecated"), addr.stdout());
        ExecResult home = lab.host("scope").exec(java.time.Duration.ofSeconds(10), Netns.IP, "-6", "address", "show", "dev", "eth0");
        assertTrue(home.stdout().contains("home"), home.stdout());
        ExecResult conf = lab.host("v4pref").exec(java.time.Duration.ofSeconds(10), "cat", "/etc/gai.conf");
        assertEquals(POLICIES.get("v4pref"), conf.stdout());
    }
}
