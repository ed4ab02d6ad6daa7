package io.dualsock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** UNP's {@code tcp_connect} loop behind {@link NativeSocket#connect(String, String, Hints, Duration)}. */
final class TcpConnectLoop {
    private TcpConnectLoop() {}

    static NativeSocket connect(String host, String service, Hints hints, Duration timeout)
            throws ResolverException, NativeSocketException {
        Objects.requireNonNull(timeout, "timeout");
        List<AddrInfo> results = Resolver.getaddrinfo(host, service, hints);
        NativeSocketException first = null;
        for (AddrInfo ai : results) {
            NativeSocket s = null;
            try {
                s = NativeSocket.open(ai.family(), ai.socktype(), ai.protocol());
                s.connect(ai.address(), timeout);
                return s;
            } catch (NativeSocketException e) {
                if (s != null) s.close();
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        throw first; // getaddrinfo never returns an empty list
    }
}
