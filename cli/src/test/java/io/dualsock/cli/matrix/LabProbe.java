package io.dualsock.cli.matrix;

import io.dualsock.lab.*;
import io.dualsock.AddrInfo;
import io.dualsock.Hints;
import io.dualsock.Resolver;

/** A main run inside a lab host by the tests: prints the first address of a name. */
public final class LabProbe {
    private LabProbe() {}

    public static void main(String[] args) throws Exception {
        for (AddrInfo ai : Resolver.getaddrinfo(args[0], null, Hints.builder().unspec().stream().build())) {
            System.out.println(ai.address().address());
            return;
        }
    }
}
