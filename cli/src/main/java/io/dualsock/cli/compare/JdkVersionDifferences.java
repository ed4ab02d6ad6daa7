package io.dualsock.cli.compare;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.dualsock.cli.compare.CompareReport.Difference;
import io.dualsock.cli.compare.ProbeOutput.CachePolicy;
import io.dualsock.cli.compare.ProbeOutput.JdkAddress;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;
import io.dualsock.cli.compare.ProbeOutput.SocketFact;

/** Where two JDK releases answer differently under the same setting ({@link Differences} compares a JDK with libc). */
final class JdkVersionDifferences {
    private JdkVersionDifferences() {}

    /**
     * Where two JDKs answer differently under the same setting: name lookups and socket facts.
     *
     * @param lookups for each JDK label, for each setting, the lookups by host
     * @param sockets for each JDK label, for each setting, the socket facts
     */
    static List<Difference> betweenJdks(List<String> jdks, Map<String, Map<JdkSetting, List<JdkLookup>>> lookups,
            Map<String, Map<JdkSetting, List<SocketFact>>> sockets, Map<String, CachePolicy> policies) {
        List<Difference> raw = new ArrayList<>();
        for (int a = 0; a < jdks.size(); a++) {
            for (int b = a + 1; b < jdks.size(); b++) {
                String ja = jdks.get(a);
                String jb = jdks.get(b);
                for (JdkSetting s : JdkSetting.values()) {
                    List<JdkLookup> la = lookups.getOrDefault(ja, Map.of()).get(s);
                    List<JdkLookup> lb = lookups.getOrDefault(jb, Map.of()).get(s);
                    if (la != null && lb != null) raw.addAll(lookupVersionDiffs(ja, jb, s, la, lb));
                    List<SocketFact> fa = sockets.getOrDefault(ja, Map.of()).get(s);
                    List<SocketFact> fb = sockets.getOrDefault(jb, Map.of()).get(s);
                    if (fa != null && fb != null) raw.addAll(socketVersionDiffs(ja, jb, s, fa, fb));
                }
                CachePolicy pa = policies.get(ja);
                CachePolicy pb = policies.get(jb);
                if (pa != null && pb != null && !Objects.equals(Differences.policyText(pa), Differences.policyText(pb))) {
                    raw.add(new Difference("JDK-VERSION", "address cache policy", null, ja + ": " + Differences.policyText(pa),
                            jb + ": " + Differences.policyText(pb), List.of("default"),
                            Objects.equals(pa.stale(), pb.stale()) ? "The default cache policy differs between the releases."
                                    : "Only the newer release has a stale-answer policy (networkaddress.cache.stale.ttl, "
                                            + "JDK-8304885, JDK 21); positive and negative TTLs are as shown.",
                            true));
                }
            }
        }
        return Differences.merge(raw);
    }

    private static List<Difference> lookupVersionDiffs(String ja, String jb, JdkSetting s, List<JdkLookup> la,
            List<JdkLookup> lb) {
        List<Difference> out = new ArrayList<>();
        for (JdkLookup x : la) {
            JdkLookup y = lb.stream().filter(l -> l.host().equals(x.host())).findFirst().orElse(null);
            if (y == null) continue;
            String tx = Differences.jdkText(x);
            String ty = Differences.jdkText(y);
            if (tx.equals(ty)) continue;
            String why;
            boolean explained = true;
            if (!x.ok() && !y.ok()) {
                why = "Both JDKs fail; only the exception text differs between the releases.";
            } else if (x.ok() && y.ok() && sameSet(x, y)) {
                why = "Same addresses in a different order.";
                explained = false;
            } else {
                why = "The releases answer differently; no known rule accounts for it.";
                explained = false;
            }
            out.add(new Difference("JDK-VERSION", x.host(), null, ja + ": " + tx, jb + ": " + ty, List.of(s.label()), why,
                    explained));
        }
        return out;
    }

    private static boolean sameSet(JdkLookup x, JdkLookup y) {
        return new HashSet<>(x.addresses().stream().map(JdkAddress::key).toList())
                .equals(new HashSet<>(y.addresses().stream().map(JdkAddress::key).toList()));
    }

    private static List<Difference> socketVersionDiffs(String ja, String jb, JdkSetting s, List<SocketFact> fa,
            List<SocketFact> fb) {
        List<Difference> out = new ArrayList<>();
        for (SocketFact x : fa) {
            SocketFact y = fb.stream().filter(f -> f.id().equals(x.id())).findFirst().orElse(null);
            if (y == null) {
                out.add(new Difference("JDK-VERSION", x.topic(), null, ja + ": " + x.jdk() + " | " + x.kernel(),
                        jb + ": (no such fact)", List.of(s.label()), "Only one release produced this fact.", false));
                continue;
            }
            if (x.jdk().equals(y.jdk()) && x.kernel().equals(y.kernel())) continue;
            String why = x.kernel().equals(y.kernel())
                    ? "The kernel state is the same; the releases report it differently."
                    : "The releases leave the socket in a different state, as the kernel shows: "
                            + "they configure it differently.";
            if (x.id().contains("IP_TOS") && !x.kernel().equals(y.kernel())) {
                why = "JDK-8303509 (JDK 21): on an IPv6 socket, Socket and SocketChannel now set IP_TOS as well as "
                        + "IPV6_TCLASS, so IPv4 connections made through mapped addresses carry the traffic class; before, "
                        + "only IPV6_TCLASS was set (DatagramChannel is unchanged).";
            }
            out.add(new Difference("JDK-VERSION", x.topic(), null, ja + ": " + x.jdk() + " | kernel: " + x.kernel(),
                    jb + ": " + y.jdk() + " | kernel: " + y.kernel(), List.of(s.label()), why, true));
        }
        return out;
    }
}
