package io.dualsock.cli.compare;

import java.lang.reflect.Method;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.cli.compare.ProbeOutput.CachePolicy;
import io.dualsock.cli.compare.ProbeOutput.JdkAddress;
import io.dualsock.cli.compare.ProbeOutput.JdkInfo;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;

/** The JDK's side of a resolution comparison, run inside the JVM whose behaviour is measured. */
final class JdkSide {
    private JdkSide() {}

    static final List<String> CACHE_SECURITY_PROPERTIES = List.of("networkaddress.cache.ttl",
            "networkaddress.cache.negative.ttl", "networkaddress.cache.stale.ttl");
    static final List<String> CACHE_SYSTEM_PROPERTIES = List.of("sun.net.inetaddr.ttl", "sun.net.inetaddr.negative.ttl");

    static JdkInfo info() {
        String vendor = System.getProperty("java.vendor.version");
        if (vendor == null || vendor.isBlank()) vendor = System.getProperty("java.vendor");
        return new JdkInfo(System.getProperty("java.version"), System.getProperty("java.runtime.version"), vendor,
                System.getProperty("java.home"), Runtime.version().feature(),
                System.getProperty("java.net.preferIPv4Stack"), System.getProperty("java.net.preferIPv6Addresses"));
    }

    /** {@code InetAddress.getAllByName(host)}, written down; never a reverse lookup. */
    static JdkLookup lookup(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            List<JdkAddress> out = new ArrayList<>(all.length);
            for (InetAddress a : all) out.add(describe(a));
            return new JdkLookup(host, out, null);
        } catch (UnknownHostException e) {
            return new JdkLookup(host, List.of(), "UnknownHostException: " + e.getMessage());
        } catch (RuntimeException e) {
            return new JdkLookup(host, List.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** One address, described without any lookup (toString() prints the name only if one is attached). */
    static JdkAddress describe(InetAddress a) {
        byte[] b = a.getAddress();
        String text = a.toString();
        boolean fromName = !text.startsWith("/");
        if (a instanceof Inet4Address) {
            return new JdkAddress("Inet4Address", new Inet4SockAddr(b, 0).address(), a.getHostAddress(), text, false,
                    fromName);
        }
        Inet6SockAddr s6 = new Inet6SockAddr(b, 0, 0, 0);
        String addr = s6.address();
        int scope = ((Inet6Address) a).getScopeId();
        if (scope != 0) addr += "%" + scope;
        return new JdkAddress("Inet6Address", addr, a.getHostAddress(), text, s6.isV4Mapped(), fromName);
    }

    /** Applies {@code key=value} security properties before anything reads the cache policy. */
    static void applySecurity(List<String> assignments) {
        for (String kv : assignments) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("not key=value: " + kv);
            Security.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    /**
     * The cache policy in force. Asked of {@code sun.net.InetAddressCachePolicy} when the parent
     * exported {@code sun.net} to this VM; else worked out from the properties and the defaults
     * the {@code java.security} file documents (30 s positive without a security manager, 10 s negative).
     */
    static CachePolicy cachePolicy() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String k : CACHE_SECURITY_PROPERTIES) {
            String v = Security.getProperty(k);
            if (v != null) settings.put("security " + k, v);
        }
        for (String k : CACHE_SYSTEM_PROPERTIES) {
            String v = System.getProperty(k);
            if (v != null) settings.put("system " + k, v);
        }
        try {
            Class<?> c = Class.forName("sun.net.InetAddressCachePolicy");
            Integer pos = (Integer) c.getMethod("get").invoke(null);
            Integer neg = (Integer) c.getMethod("getNegative").invoke(null);
            Integer stale = null;
            try {
                Method m = c.getMethod("getStale");
                stale = (Integer) m.invoke(null);
            } catch (NoSuchMethodException absent) {
                // before JDK 21 there is no stale policy
            }
            return new CachePolicy(pos, neg, stale, "sun.net.InetAddressCachePolicy", settings);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Integer pos = parse(Security.getProperty("networkaddress.cache.ttl"), System.getProperty("sun.net.inetaddr.ttl"), 30);
            Integer neg = parse(Security.getProperty("networkaddress.cache.negative.ttl"),
                    System.getProperty("sun.net.inetaddr.negative.ttl"), 10);
            return new CachePolicy(pos, neg, null, "properties and documented defaults (" + e.getClass().getSimpleName() + ")",
                    settings);
        }
    }

    private static Integer parse(String security, String system, int dflt) {
        for (String s : new String[] {security, system}) {
            if (s == null) continue;
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException ignored) {
                // the JDK ignores a malformed value too
            }
        }
        return dflt;
    }
}
