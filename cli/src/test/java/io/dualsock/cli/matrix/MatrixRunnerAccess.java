package io.dualsock.cli.matrix;

import io.dualsock.lab.Family;

/** Test access to package-private helpers. */
public final class MatrixRunnerAccess {
    private MatrixRunnerAccess() {}

    public static Family peerProtocol(String endpoint) {
        return MatrixRunner.peerProtocol(endpoint);
    }
}
