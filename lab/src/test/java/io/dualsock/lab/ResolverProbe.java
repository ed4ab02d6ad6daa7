package io.dualsock.lab;

import io.dualsock.AddrInfo;
import io.dualsock.Hints;
import io.dualsock.NameInfo;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;

/**
 * A main run inside a lab host by {@link ResolverInNamespaceLabTest}: one dualsock resolver call,
 * printed like gai_ref prints it ("error CODE" on failure).
 *
 * <pre>getnameinfo ADDRESS PORT FLAGS      -> "HOST SERV"
 * getaddrinfo HOST SERVICE FAMILY FLAGS -> one numeric address per line</pre>
 */
public final class ResolverProbe {
    private ResolverProbe() {}

    public static void main(String[] args) throws Exception {
        try {
            if (args[0].equals("getnameinfo")) {
                NameInfo ni = Resolver.getnameinfo(SockAddr.parse(args[1], Integer.parseInt(args[2])), Integer.parseInt(args[3]));
                System.out.println(ni.host() + " " + ni.service());
            } else {
                Hints h = Hints.builder().family(Integer.parseInt(args[3])).stream().rawFlags(Integer.parseInt(args[4])).build();
                for (AddrInfo ai : Resolver.getaddrinfo(args[1], args[2], h)) System.out.println(ai.address().address());
            }
        } catch (ResolverException e) {
            System.out.println("error " + e.code());
        }
    }
}
