package io.dualsock.cli;

import picocli.CommandLine.Option;

/**
 * {@code dualsock matrix}'s options for the lab's own life rather than the measurement, as a
 * picocli mixin: keep it up afterwards, remove what an earlier one left, or refuse the demo
 * fallback when the lab cannot run.
 */
final class MatrixLabOptions {
    @Option(names = "--keep", description = "Leave the lab running for inspection; prints how to enter each host.")
    boolean keep;

    @Option(names = "--no-demo", description = "Without the privileges for a lab, exit 3 instead of running `dualsock demo`.")
    boolean noDemo;

    @Option(names = "--cleanup", description = "Remove what an earlier lab left (after --keep or a kill) and exit.")
    boolean cleanup;
}
