package io.dualsock.resolver;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;

import io.dualsock.Dualsock;

/**
 * The provider the JDK finds through {@code META-INF/services} (class path) or the module's
 * {@code provides} (module path). The JDK calls {@link #get} once, at the first name lookup of
 * the process, and keeps the resolver it returns for the life of the JVM.
 *
 * <p>System properties, read at that moment:
 * <ul>
 *   <li>{@value #SWITCH}{@code =off}: the JDK's built-in resolver answers every lookup, as if
 *       this jar were absent ({@code on}, the default, or no value: dualsock answers);</li>
 *   <li>{@value #VERBOSE}{@code =true} (or present without a value): one log record, through
 *       {@link System.Logger} {@code io.dualsock.resolver} at INFO, naming the active resolver.</li>
 * </ul>
 * When dualsock's native library does not load here, the built-in resolver answers and the
 * reason is logged at WARNING (always): name lookups keep working in an application that carries
 * the jar onto a platform dualsock does not support.
 */
public final class DualsockResolverProvider extends InetAddressResolverProvider {
    /** The system property that switches the provider off: {@code -Ddualsock.resolver=off}. */
    public static final String SWITCH = "dualsock.resolver";
    /** The system property that logs the active resolver at first use. */
    public static final String VERBOSE = "dualsock.resolver.verbose";

    static final System.Logger LOG = System.getLogger("io.dualsock.resolver");

    /** Called by {@link java.util.ServiceLoader}. */
    public DualsockResolverProvider() {}

    @Override
    public InetAddressResolver get(Configuration configuration) {
        String mode = System.getProperty(SWITCH, "on").trim();
        boolean verbose = isTrue(System.getProperty(VERBOSE));
        if (mode.equalsIgnoreCase("off") || mode.equalsIgnoreCase("false")) {
            if (verbose) LOG.log(System.Logger.Level.INFO, "dualsock resolver: off (-D" + SWITCH + "=" + mode
                    + "): the JDK's built-in resolver answers InetAddress lookups");
            return configuration.builtinResolver();
        }
        if (!mode.isEmpty() && !mode.equalsIgnoreCase("on") && !mode.equalsIgnoreCase("true")) {
            LOG.log(System.Logger.Level.WARNING, "dualsock resolver: -D" + SWITCH + "=" + mode
                    + " is neither on nor off; dualsock answers InetAddress lookups");
        }
        Dualsock.Diagnostics d = Dualsock.diagnostics();
        if (!d.loaded()) {
            LOG.log(System.Logger.Level.WARNING, "dualsock resolver: the native library did not load, so the JDK's "
                    + "built-in resolver answers InetAddress lookups: " + d.error());
            return configuration.builtinResolver();
        }
        DualsockResolver r = new DualsockResolver(System.getProperty("java.net.preferIPv6Addresses"));
        if (verbose) LOG.log(System.Logger.Level.INFO, "dualsock resolver: on: InetAddress lookups go to libc's "
                + "getaddrinfo (AI_ADDRCONFIG, " + r.orderRule() + ") and getnameinfo (NI_NAMEREQD) through dualsock, binding "
                + d.binding() + "; -D" + SWITCH + "=off hands them back to the JDK's built-in resolver");
        return r;
    }

    @Override
    public String name() {
        return "dualsock (libc getaddrinfo/getnameinfo)";
    }

    private static boolean isTrue(String v) {
        return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("on"));
    }
}
