package io.dualsock.lab;

import java.util.Map;

/**
 * One client attempt made by a host's agent: a socket, one echo exchange, the outcome.
 *
 * @param outcome "ok", the errno name of the call that failed ("ECONNREFUSED", "EAGAIN" for a
 *     receive that ran into its time limit), "BADREPLY", or "REFUSED_BY_API" when dualsock
 *     refused the arguments before any system call
 * @param step the call that failed: socket, connect, send, recv, sendto, recvfrom (null when ok)
 * @param detail the exception message, or null
 * @param local the socket's local address after connect/sendto ({@code getsockname}), or null
 * @param replyFrom the source of the reply datagram (unconnected UDP), or null
 * @param clientCounters the client namespace's counter changes around the attempt
 */
public record ExchangeResult(String outcome, String step, String detail, String local, String replyFrom,
                             Map<String, Long> clientCounters) {
    public ExchangeResult {
        clientCounters = Map.copyOf(clientCounters);
    }

    public boolean ok() {
        return "ok".equals(outcome);
    }
}
