package io.dualsock.cli.clients;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dualsock.cli.output.Json;

/** The outputs of {@code dualsock matrix --clients}: the text table, and the JSON and Markdown files when asked. */
public final class ClientsRun {
    private ClientsRun() {}

    public static void write(PrintWriter out, ClientsReport report, Path json, Path markdown) throws IOException {
        out.print(report.toText());
        if (json != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(json, StandardCharsets.UTF_8))) {
                Json.writePretty(w, report.toJson());
            }
        }
        if (markdown != null) Files.writeString(markdown, report.toMarkdown(), StandardCharsets.UTF_8);
        out.flush();
    }
}
