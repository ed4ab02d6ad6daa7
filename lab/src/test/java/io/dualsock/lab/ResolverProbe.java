package io.dualsock.lab;

import io.dualsock.AddrInfo;
import io.dualsock.AddrInfoLines;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NameInfo;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;
import io.dualsock.bindings.Platform;

/**
 * A main run inside a lab host by {@link ResolverInNamespaceLabTest}: one dualsock resolver call,
 * printed like gai_ref prints it ("error CODE" on failure).
 *
 * <pre>getnameinfo ADDRESS PORT FLAGS      -> "HOST SERV"
 * getaddrinfo HOST SERVICE FAMILY FLAGS -> one numeric address per line
 * addrinfo HOST SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS -> one gai_ref line per result ("-null": NULL)
 * getent DATABASE KEY                   -> what getent ahosts/ahostsv6/ahostsv4 prints, spaces collapsed</pre>
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
                for (AddrInfo ai : Resolver.getaddrinfo(nul(args[1]), nul(args[2]), h)) System.out.println(AddrInfoLines.line(ai));
            } else if (args[0].equals("getent")) {
                getent(args[1], args[2]);
            } else {
                Hints h = Hints.builder().family(Integer.parseInt(args[3])).stream().rawFlags(Integer.parseInt(args[4])).build();
                for (AddrInfo ai : Resolver.getaddrinfo(args[1], args[2], h)) System.out.println(ai.address().address());
            }
        } catch (ResolverException e) {
            System.out.println("error " + e.code());
        }
    }

    /**
     * glibc's getent calls getaddrinfo(key, NULL) with AI_V4MAPPED|AI_ADDRCONFIG|AI_CANONNAME plus
     * AI_IDN|AI_CANONIDN, family AF_UNSPEC (ahosts), AF_INET6 (ahostsv6) or AF_INET (ahostsv4), and
     * prints address[%scope], the socket type word and the canonical name; exit 2 (nothing) on failure.
     */
    private static void getent(String database, String key) throws ResolverException {
        int family = switch (database) {
            case "ahosts" -> Platform.AF_UNSPEC;
            case "ahostsv6" -> Platform.AF_INET6;
            case "ahostsv4" -> Platform.AF_INET;
            default -> throw new IllegalArgumentException(database);
        };
        int flags = AiFlag.V4MAPPED.value() | AiFlag.ADDRCONFIG.value() | AiFlag.CANONNAME.value();
        if (AiFlag.IDN.isDefined()) flags |= AiFlag.IDN.value();
        if (AiFlag.CANONIDN.isDefined()) flags |= AiFlag.CANONIDN.value();
        for (AddrInfo ai : Resolver.getaddrinfo(key, null, Hints.builder().family(family).rawFlags(flags).build())) {
            String addr = ai.address().address();
            if (ai.address() instanceof Inet6SockAddr a6 && a6.scopeId() != 0) addr += "%" + Integer.toUnsignedString(a6.scopeId());
            String type = ai.socktype() == Platform.SOCK_STREAM ? "STREAM"
                    : ai.socktype() == Platform.SOCK_DGRAM ? "DGRAM"
                    : ai.socktype() == Platform.SOCK_RAW ? "RAW" : Integer.toString(ai.socktype());
            System.out.println(addr + " " + type + (ai.canonicalName() != null ? " " + ai.canonicalName() : ""));
        }
    }

    private static String nul(String s) {
        return "-null".equals(s) ? null : s;
    }
}
