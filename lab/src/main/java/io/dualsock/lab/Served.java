package io.dualsock.lab;

/**
 * A lab echo server's report of one exchange.
 *
 * @param server the server's id
 * @param transport "tcp" or "udp"
 * @param peer the client's address as {@code accept}/{@code recvfrom} gave it (an IPv4 client
 *     of an IPv6 socket shows as {@code [::ffff:a.b.c.d]:port})
 * @param local the accepted socket's local address (TCP), or null
 * @param payload what the client sent
 * @param end how it ended: "eof" (TCP, the client's FIN), "replied" (UDP), or an errno name
 */
public record Served(String server, String transport, String peer, String local, String payload, String end) {}
