/**
 * The operating system's own resolver and socket calls, from Java, IPv4-mapped IPv6 addresses
 * included.
 *
 * <p>{@link io.dualsock.Resolver} calls libc's {@code getaddrinfo(3)} and {@code getnameinfo(3)}
 * with {@link io.dualsock.Hints} and returns {@link io.dualsock.AddrInfo} results in libc's order;
 * {@link io.dualsock.SockAddr} ({@link io.dualsock.Inet4SockAddr}, {@link io.dualsock.Inet6SockAddr})
 * is an address as the kernel sees it, a mapped one stays IPv6. {@link io.dualsock.NativeSocket}
 * has one method per socket system call ({@code socket}, {@code bind}, {@code connect},
 * {@code accept4}, {@code sendto}, {@code recvfrom}, {@code getsockopt}, …) and
 * {@link io.dualsock.NativeSocket#connect(String, String, Hints, java.time.Duration)}, UNP's
 * {@code tcp_connect}; {@link io.dualsock.DatagramBatch} the batched {@code sendmmsg}/{@code recvmmsg};
 * {@link io.dualsock.AddressSelection} the order glibc sorts answers in and why;
 * {@link io.dualsock.Nat64} NAT64 prefixes and addresses (RFC 6052) and prefix discovery (RFC 7050).
 *
 * <p>Failures: {@link io.dualsock.ResolverException} (the {@code EAI_*} code),
 * {@link io.dualsock.NativeSocketException} (the call and errno name); argument mistakes are
 * {@link IllegalArgumentException} before any native call. The native part ships inside the jar
 * for linux-x86_64 and linux-aarch64 (glibc 2.17+); {@link io.dualsock.Dualsock#diagnostics()}
 * says whether it loaded here, and from where.
 */
package io.dualsock;
