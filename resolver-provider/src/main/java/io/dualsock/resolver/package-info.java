/**
 * The JDK's name service replaced by libc's, through dualsock (JEP 418, Java 18+).
 *
 * <p>Put {@code dualsock-resolver-provider} on the class path (or the module path) and every
 * {@code InetAddress.getAllByName}/{@code getByName} that misses the JDK's cache is answered by
 * {@code getaddrinfo(3)} with {@code AI_ADDRCONFIG}, in libc's order, as a C program would get it;
 * reverse lookups by {@code getnameinfo(3)} with {@code NI_NAMEREQD}. {@code -Ddualsock.resolver=off}
 * hands every lookup back to the JDK's built-in resolver; {@code -Ddualsock.resolver.verbose=true}
 * logs which resolver is active at the first lookup. Rules and the JDK-cache interaction: the
 * module's README.
 */
package io.dualsock.resolver;
