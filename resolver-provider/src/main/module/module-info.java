/**
 * dualsock's {@link java.net.spi.InetAddressResolverProvider}: with this module (or jar) present,
 * {@code InetAddress} asks libc's {@code getaddrinfo}/{@code getnameinfo} through dualsock.
 */
module io.dualsock.resolver {
    requires io.dualsock;

    exports io.dualsock.resolver;

    provides java.net.spi.InetAddressResolverProvider with io.dualsock.resolver.DualsockResolverProvider;
}
