package io.dualsock;

import java.io.IOException;

/**
 * {@link Connector} made no connection: every address failed, none was found, the time limit
 * ran out or the connect was cancelled. {@link #trace()} says what was tried; the message starts
 * with the errno or {@code EAI_*} name of the last failure.
 */
public final class ConnectFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ConnectTrace trace;

    ConnectFailedException(ConnectTrace trace) {
        super("connect to " + trace.host() + " port " + trace.port() + " failed: " + trace.failure());
        this.trace = trace;
    }

    /** Every query and attempt, with times and results. */
    public ConnectTrace trace() {
        return trace;
    }
}
