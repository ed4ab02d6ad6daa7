package io.dualsock.cli.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dualsock.cli.compare.CompareReport.CacheRun;
import io.dualsock.cli.compare.CompareReport.Difference;
import io.dualsock.cli.compare.CompareReport.HostReport;
import io.dualsock.cli.compare.CompareReport.IdnRow;
import io.dualsock.cli.compare.CompareReport.JdkRow;
import io.dualsock.cli.compare.CompareReport.JdkRun;
import io.dualsock.cli.compare.ProbeLauncher.Request;
import io.dualsock.cli.compare.ProbeOutput.CachePolicy;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;
import io.dualsock.cli.compare.ProbeOutput.SocketFact;

/**
 * Runs a comparison: one child JVM per JDK and setting for the hosts of this namespace (with
 * the socket facts), the same in a lab namespace for lab names, the cache demonstration there,
 * libc's answers (in this process for root hosts, from a child in the lab), then the analysis.
 */
public final class Comparison {
    private Comparison() {}

    public static CompareReport run(CompareOptions o) {
        EnvironmentInfo env = EnvironmentInfo.collect();
        List<String> notes = new ArrayList<>();
        List<HostReport> hosts = new ArrayList<>();

        // Root hosts: refuse anything that could leave the machine.
        List<String> rootOk = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (String h : o.rootHosts()) {
            String why = RootSafety.refusal(h);
            if (why == null) rootOk.add(h);
            else refused.put(h, why);
        }

        boolean needsLab = !o.labHosts().isEmpty() || o.cacheDemo() || !o.idnNames().isEmpty();
        String sandboxWhy = needsLab ? Sandbox.unavailableReason() : null;
        Sandbox sandbox = null;
        if (sandboxWhy == null && needsLab) sandbox = Sandbox.create(o.labStack());
        try {
            List<Request> requests = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            List<String> cacheLabels = new ArrayList<>();
            boolean rootProbes = !rootOk.isEmpty() || o.sockets();
            boolean demo = sandbox != null && o.cacheDemo();
            for (Jdk jdk : o.jdks()) {
                for (JdkSetting s : o.settings()) {
                    if (!rootProbes) break;
                    if (s.unavailableOn(jdk) != null) continue; // dualsock's resolver: Java 18+ and its jar only
                    requests.add(new Request(jdk, s, rootOk, o.service(), false, o.sockets(), List.of(), null, null));
                    tags.add("root");
                }
                boolean demoDone = false;
                if (sandbox != null && !o.labHosts().isEmpty()) {
                    for (JdkSetting s : o.labSettings()) {
                        if (s.unavailableOn(jdk) != null) continue;
                        boolean libcHere = jdk == o.jdks().get(0) && s == o.labSettings().get(0);
                        // The cache demonstration rides along in the default JVM (its names are its own).
                        boolean withDemo = demo && s == JdkSetting.DEFAULT;
                        requests.add(new Request(jdk, s, o.labHosts(), o.service(), libcHere, false, List.of(),
                                withDemo ? sandbox.hostsCopy() : null, sandbox));
                        tags.add(withDemo ? "lab+cache" : "lab");
                        if (withDemo) {
                            cacheLabels.add("defaults");
                            demoDone = true;
                        }
                    }
                }
                if (demo && !demoDone) {
                    requests.add(new Request(jdk, JdkSetting.DEFAULT, List.of(), null, false, false, List.of(), sandbox.hostsCopy(),
                            sandbox));
                    tags.add("cache");
                    cacheLabels.add("defaults");
                }
            }
            if (demo) {
                requests.add(new Request(o.jdks().get(0), JdkSetting.DEFAULT, List.of(), null, false, false,
                        List.of("networkaddress.cache.ttl=0", "networkaddress.cache.negative.ttl=0"), sandbox.hostsCopy(), sandbox));
                tags.add("cache");
                cacheLabels.add("networkaddress.cache.ttl=0, networkaddress.cache.negative.ttl=0 (Security properties)");
            }
            List<ProbeOutput> outs = ProbeLauncher.runAll(requests, o.parallel());
            List<IdnRow> idn = List.of();
            if (!o.idnNames().isEmpty()) {
                if (sandbox == null) notes.add("Internationalised names not compared: " + sandboxWhy + ".");
                else idn = IdnRun.run(o.jdks(), o.idnNames(), sandbox, IdnRun.LANGS, o.parallel());
            }

            // Index the answers.
            Map<String, Map<JdkSetting, List<JdkLookup>>> rootLookups = new LinkedHashMap<>();
            Map<String, Map<JdkSetting, List<JdkLookup>>> labLookups = new LinkedHashMap<>();
            Map<String, Map<JdkSetting, List<SocketFact>>> socketsBy = new LinkedHashMap<>();
            Map<String, List<SocketFact>> socketsByRun = new LinkedHashMap<>();
            Map<String, Map<JdkSetting, CachePolicy>> policies = new LinkedHashMap<>();
            Map<String, JdkRun> jdkRuns = new LinkedHashMap<>();
            List<LibcLookup> labLibc = new ArrayList<>();
            List<CacheRun> cache = new ArrayList<>();
            int cacheIndex = 0;
            for (int i = 0; i < outs.size(); i++) {
                ProbeOutput p = outs.get(i);
                Request r = requests.get(i);
                String jl = r.jdk().label();
                switch (tags.get(i)) {
                    case "root" -> {
                        rootLookups.computeIfAbsent(jl, k -> new LinkedHashMap<>()).put(r.setting(), p.lookups());
                        socketsBy.computeIfAbsent(jl, k -> new LinkedHashMap<>()).put(r.setting(), p.sockets());
                        socketsByRun.put(jl + " " + r.setting().label(), p.sockets());
                    }
                    case "lab", "lab+cache" -> {
                        labLookups.computeIfAbsent(jl, k -> new LinkedHashMap<>()).put(r.setting(), p.lookups());
                        labLibc.addAll(p.libc());
                    }
                    default -> { }
                }
                if (tags.get(i).endsWith("cache")) cache.add(new CacheRun(jl, cacheLabels.get(cacheIndex++), p.cacheDemo()));
                if (!r.security().isEmpty()) continue;
                policies.computeIfAbsent(jl, k -> new LinkedHashMap<>()).putIfAbsent(r.setting(), p.cachePolicy());
                if (r.setting() == JdkSetting.DEFAULT || !jdkRuns.containsKey(jl)) {
                    jdkRuns.put(jl, new JdkRun(jl, p.jdk().runtimeVersion(), p.jdk().vendor(), p.jdk().home(), p.cachePolicy()));
                }
            }

            for (String h : o.rootHosts()) {
                if (refused.containsKey(h)) {
                    hosts.add(new HostReport(h, o.service(), "root namespace", env.addrconfigFamilies(), List.of(), List.of(),
                            List.of(), refused.get(h)));
                    continue;
                }
                List<LibcLookup> libc = LibcLookup.runAll(h, o.service());
                hosts.add(hostReport(h, o.service(), "root namespace", env.addrconfigFamilies(), libc, rootLookups,
                        policies, RootSafety.isNumeric(h), env.nscd()));
            }
            if (!o.labHosts().isEmpty()) {
                if (sandbox == null) {
                    notes.add("Lab names not compared: " + sandboxWhy + ".");
                    for (String h : o.labHosts()) {
                        hosts.add(new HostReport(h, o.service(), "lab namespace", List.of(), List.of(), List.of(), List.of(),
                                sandboxWhy));
                    }
                } else {
                    List<String> fams = new ArrayList<>();
                    if (o.labStack().hasIpv4()) fams.add("IPv4");
                    if (o.labStack().hasIpv6()) fams.add("IPv6");
                    for (String h : o.labHosts()) {
                        List<LibcLookup> libc = labLibc.stream().filter(l -> l.host().equals(h)).toList();
                        hosts.add(hostReport(h, o.service(), sandbox.describe(), fams, libc, labLookups, policies,
                                RootSafety.isNumeric(h), "absent in the lab namespace (no nscd socket is reachable there)"));
                    }
                }
            }
            if (o.cacheDemo() && sandbox == null) {
                notes.add("Cache demonstration not run: " + sandboxWhy + ". The JDK's policy is shown per JDK instead: it caches "
                        + "successful lookups for networkaddress.cache.ttl seconds (30 by default) and failures for "
                        + "networkaddress.cache.negative.ttl seconds (10 by default); libc keeps no cache.");
            }

            Map<String, CachePolicy> defaultPolicies = new LinkedHashMap<>();
            for (Map.Entry<String, JdkRun> e : jdkRuns.entrySet()) defaultPolicies.put(e.getKey(), e.getValue().cachePolicy());
            List<String> jdkLabels = o.jdks().stream().map(Jdk::label).toList();
            Map<String, Map<JdkSetting, List<JdkLookup>>> allLookups = new LinkedHashMap<>();
            for (String j : jdkLabels) {
                Map<JdkSetting, List<JdkLookup>> m = new LinkedHashMap<>();
                for (JdkSetting s : o.settings()) {
                    List<JdkLookup> l = new ArrayList<>(rootLookups.getOrDefault(j, Map.of()).getOrDefault(s, List.of()));
                    l.addAll(labLookups.getOrDefault(j, Map.of()).getOrDefault(s, List.of()));
                    m.put(s, l);
                }
                allLookups.put(j, m);
            }
            List<Difference> versions = jdkLabels.size() < 2 ? List.of()
                    : JdkVersionDifferences.betweenJdks(jdkLabels, allLookups, socketsBy, defaultPolicies);
            if (jdkLabels.size() < 2) notes.add("Only one JDK was available, so no JDK-versus-JDK comparison was made.");
            return new CompareReport(env, o.command(), new ArrayList<>(jdkRuns.values()), hosts,
                    Differences.socketRows(socketsByRun), cache, versions, notes, idn);
        } finally {
            if (sandbox != null) sandbox.close();
        }
    }

    private static HostReport hostReport(String h, String service, String where, List<String> fams, List<LibcLookup> libc,
            Map<String, Map<JdkSetting, List<JdkLookup>>> lookups, Map<String, Map<JdkSetting, CachePolicy>> policies,
            boolean literal, String nscd) {
        List<JdkRow> rows = new ArrayList<>();
        List<Differences.Run> runs = new ArrayList<>();
        for (Map.Entry<String, Map<JdkSetting, List<JdkLookup>>> e : lookups.entrySet()) {
            for (Map.Entry<JdkSetting, List<JdkLookup>> s : e.getValue().entrySet()) {
                for (JdkLookup l : s.getValue()) {
                    if (!l.host().equals(h)) continue;
                    rows.add(new JdkRow(e.getKey(), s.getKey().label(), l));
                    runs.add(new Differences.Run(e.getKey(), s.getKey(), l, policies.get(e.getKey()).get(s.getKey())));
                }
            }
        }
        return new HostReport(h, service, where, fams, libc, rows, Differences.forHost(h, literal, libc, runs, fams, nscd),
                null);
    }
}
