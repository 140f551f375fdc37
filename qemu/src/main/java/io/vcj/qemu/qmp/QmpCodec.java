package io.vcj.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/** Turns QMP commands into bytes and QEMU's JSON stream into {@link QmpMessage}s. */
public final class QmpCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QmpCodec() {
    }

    public static ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    /** A command line as QMP wants it: one JSON object, newline-terminated. */
    public static byte[] encodeCommand(long id, String command, ObjectNode arguments) {
        ObjectNode message = JSON.createObjectNode().put("execute", command).put("id", id);
        if (arguments != null && !arguments.isEmpty()) {
            message.set("arguments", arguments);
        }
        return (message + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Messages read lazily from {@code in}; the iterator ends when the stream does. */
    public static Iterator<QmpMessage> decodeStream(InputStream in) throws IOException {
        MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(in);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return values.hasNext();
            }

            @Override
            public QmpMessage next() {
                return decode(values.next());
            }
        };
    }

    static QmpMessage decode(JsonNode node) {
        if (node.has("QMP")) {
            return new QmpMessage.Greeting(node.get("QMP"));
        }
        if (node.has("event")) {
            return new QmpMessage.Event(node.get("event").asText(), node.path("data"));
        }
        if (node.has("return")) {
            return new QmpMessage.Return(node.path("id").asLong(-1), node.get("return"));
        }
        if (node.has("error")) {
            JsonNode error = node.get("error");
            return new QmpMessage.Error(node.path("id").asLong(-1),
                    error.path("class").asText(), error.path("desc").asText());
        }
        throw new IllegalArgumentException("not a QMP message: " + node);
    }
}
