package io.dualsock.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answering half of the agent protocol ({@link AgentProcess}), for {@link Agent} and for
 * other programs that speak it (the cli's peer-client agent): one request line in, one answer
 * object out.
 */
public final class AgentAnswer {
    private AgentAnswer() {}

    /** Fills the answer to one request; throwing makes it an {@code ok:false} answer. */
    @FunctionalInterface
    public interface Handler {
        void handle(JsonNode request, ObjectNode reply) throws Exception;
    }

    /** {@code {"id":n,"ok":true,...}}, or {@code {"id":n,"ok":false,"error":...}} when handling threw. */
    public static ObjectNode answer(String line, Handler handler) {
        ObjectNode reply = Agent.JSON.createObjectNode();
        long id = -1;
        try {
            JsonNode req = Agent.JSON.readTree(line);
            id = req.path("id").asLong(-1);
            reply.put("id", id);
            handler.handle(req, reply);
            reply.put("ok", true);
        } catch (Exception e) {
            reply.removeAll();
            reply.put("id", id);
            reply.put("ok", false);
            reply.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return reply;
    }
}
