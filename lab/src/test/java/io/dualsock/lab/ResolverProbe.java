package io.dualsock.lab;

import io.dualsock.AddrInfo;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NameInfo;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;
import io.dualsock.testsupport.GaiRef;

/**
 * A main run inside a lab host by {@link ResolverInNamespaceLabTest}: one dualsock resolver call,
 * printed like gai_ref prints it ("error CODE" on failure).
 *
 * <pre>getnameinfo ADDRESS PORT FLAGS      -> "HOST SERV"
 * getaddrinfo HOST SERVICE FAMILY FLAGS -> one numeric address per line
 * addrinfo HOST SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS -> one gai_ref line per result ("-null": NULL)</pre>
 */
public final class ResolverProbe {
    private ResolverProbe() {}

    public static void main(String[] args) throws Exception {
        try {
            if (args[0].equals("getnameinfo")) {
                NameInfo ni = Resolver.getnameinfo(SockAddr.parse(args[1], Integer.parseInt(args[2])), Integer.parseInt(args[3]));
                System.out.println(ni.host() + " " + ni.service());
            } else if (args[0].equals("addrinfo")) {
                Hints h = Hints.builder().family(Integer.parseInt(args[3])).socktype(Integer.parseInt(args[4]))
                        .protocol(Integer.parseInt(args[5])).rawFlags(Integer.parseInt(args[6])).build();
                for (AddrInfo ai : Resolver.getaddrinfo(nul(args[1]), nul(args[2]), h)) System.out.println(line(ai));
            } else {
                Hints h = Hints.builder().family(Integer.parseInt(args[3])).stream().rawFlags(Integer.parseInt(args[4])).build();
                for (AddrInfo ai : Resolver.getaddrinfo(args[1], args[2], h)) System.out.println(ai.address().address());
            }
        } catch (ResolverException e) {
            System.out.println("error " + e.code());
        }
    }

    private static String nul(String s) {
        return "-null".equals(s) ? null : s;
    }

    /** One result as gai_ref prints it. */
    private static String line(AddrInfo ai) {
        String addr = "?";
        int port = 0, flow = 0, scope = 0;
        if (ai.address() instanceof Inet4SockAddr a4) {
            addr = a4.address();
            port = a4.port();
        } else if (ai.address() instanceof Inet6SockAddr a6) {
            addr = a6.address();
            port = a6.port();
            flow = a6.flowinfo();
            scope = a6.scopeId();
        }
        return GaiRef.line(ai.family(), ai.socktype(), ai.protocol(), addr, port, flow, scope, ai.canonicalName(), ai.flags());
    }
}
