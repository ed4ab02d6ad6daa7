package io.dualsock.lab;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one {@link LabHost#connect} did.
 *
 * @param client {@code happy}, {@code sequential} or {@code socket}
 * @param outcome {@code ok}, an errno name, {@code TIMEOUT} or an exception's class
 * @param family {@code ipv4} or {@code ipv6}: the protocol of the connection, from its peer address; null when none
 * @param peer the peer as the client saw it, or null
 * @param elapsedMs from the start of the connect to its end, as the client measured it
 * @param attempts connection attempts made ({@code socket}: 1, the first address only)
 * @param trace the Connector's trace as JSON ({@link io.dualsock.ConnectTrace#toJson()}), or null for {@code socket}
 * @param detail the failure's message, or null
 */
public record ConnectResult(String client, String outcome, String family, String peer, double elapsedMs, int attempts,
        JsonNode trace, String detail) {
    /** True when the connection was made and the echo came back. */
    public boolean ok() {
        return "ok".equals(outcome);
    }
}
