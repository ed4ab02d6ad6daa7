package io.dualsock.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code dualsock matrix}'s report files, as a picocli mixin: each is written when its option
 * names a file (the clients table takes --json and --markdown).
 */
final class MatrixOutputs {
    @Option(names = "--json", paramLabel = "FILE", description = "Write every detail as JSON (schema: docs/lab-schema.json).")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the tables and explanations as Markdown.")
    Path markdown;

    @Option(names = "--html", paramLabel = "FILE", description = "Write one self-contained HTML page: the grids coloured by "
            + "outcome, each cell opening its evidence (fetches nothing; open it in any browser).")
    Path html;
}
