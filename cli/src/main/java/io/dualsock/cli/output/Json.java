package io.dualsock.cli.output;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The JSON the command line reads and writes: one strict mapper (duplicate keys and trailing
 * garbage are errors, so a typo in a query never passes silently), JSON-lines and pretty
 * writers, and the name-or-number convention for platform constants.
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses one JSON text; {@link JsonProcessingException#getOriginalMessage()} says what is wrong. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** One compact line, flushed at once so that a reader on a pipe sees each answer as it is made. */
    public static void writeLine(PrintWriter out, JsonNode node) {
        out.println(compact(node));
        out.flush();
    }

    /** Indented, for a single object a person may read. */
    public static void writePretty(PrintWriter out, JsonNode node) {
        try {
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode tree always serialises", e);
        }
        out.flush();
    }

    public static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode tree always serialises", e);
        }
    }

    /**
     * A platform constant as JSON: its name ({@code "AF_INET6"}) when the platform has one, else
     * the number. {@code name} is what {@link io.dualsock.Names} returned for {@code value}, which
     * is the decimal number itself when there is no name.
     */
    public static JsonNode nameOrNumber(String name, int value) {
        return name.equals(Integer.toString(value)) ? IntNode.valueOf(value) : TextNode.valueOf(name);
    }
}
