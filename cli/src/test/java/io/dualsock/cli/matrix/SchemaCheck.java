package io.dualsock.cli.matrix;

import io.dualsock.lab.*;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A small JSON Schema (2020-12) checker for the keywords docs/lab-schema.json uses: type,
 * const, enum, required, properties, additionalProperties, items, $ref to #/$defs, minimum,
 * maximum, pattern. It refuses a schema that uses any other keyword, so the schema cannot
 * silently outgrow what this test checks.
 */
final class SchemaCheck {
    private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description", "type", "const", "enum",
            "required", "properties", "additionalProperties", "items", "$ref", "$defs", "minimum", "maximum", "pattern");

    private final JsonNode root;
    private final List<String> errors = new ArrayList<>();

    private SchemaCheck(JsonNode root) {
        this.root = root;
    }

    static List<String> validate(JsonNode schema, JsonNode doc) {
        SchemaCheck c = new SchemaCheck(schema);
        c.check(schema, doc, "$");
        return c.errors;
    }

    private void check(JsonNode s, JsonNode v, String path) {
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) throw new IllegalArgumentException("schema keyword not supported by this check: " + k + " at " + path);
        }
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) throw new IllegalArgumentException("unsupported $ref " + ref);
            check(root.get("$defs").get(ref.substring("#/$defs/".length())), v, path);
        }
        if (s.has("type") && !typeMatches(s.get("type"), v)) {
            errors.add(path + ": expected type " + s.get("type") + ", got " + v.getNodeType());
            return;
        }
        if (s.has("const") && !s.get("const").equals(v)) errors.add(path + ": expected " + s.get("const") + ", got " + v);
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode e : s.get("enum")) found |= e.equals(v);
            if (!found) errors.add(path + ": " + v + " not in " + s.get("enum"));
        }
        if (s.has("minimum") && v.isNumber() && v.asLong() < s.get("minimum").asLong()) errors.add(path + ": below minimum");
        if (s.has("maximum") && v.isNumber() && v.asLong() > s.get("maximum").asLong()) errors.add(path + ": above maximum");
        if (s.has("pattern") && v.isTextual() && !Pattern.compile(s.get("pattern").asText()).matcher(v.asText()).find()) {
            errors.add(path + ": " + v + " does not match " + s.get("pattern"));
        }
        if (v.isObject()) {
            for (JsonNode r : s.path("required")) if (!v.has(r.asText())) errors.add(path + ": missing required " + r.asText());
            JsonNode props = s.path("properties");
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                if (props.has(e.getKey())) {
                    check(props.get(e.getKey()), e.getValue(), path + "." + e.getKey());
                } else if (s.has("additionalProperties")) {
                    JsonNode ap = s.get("additionalProperties");
                    if (ap.isBoolean() && !ap.asBoolean()) errors.add(path + ": unexpected field " + e.getKey());
                    else if (ap.isObject()) check(ap, e.getValue(), path + "." + e.getKey());
                }
            }
        }
        if (v.isArray() && s.has("items")) {
            int i = 0;
            for (JsonNode e : v) check(s.get("items"), e, path + "[" + i++ + "]");
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeMatches(t, v)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
