package io.vcj.qemu.qmp;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class QmpCodecTest {

    @Test
    void commandIsOneJsonLineWithIdAndArguments() throws Exception {
        byte[] line = QmpCodec.encodeCommand(7, "device_del", QmpCodec.newObject().put("id", "vblk-x"));

        String text = new String(line, StandardCharsets.UTF_8);
        assertEquals('\n', text.charAt(text.length() - 1));
        assertEquals(new ObjectMapper().readTree("{\"execute\":\"device_del\",\"id\":7,\"arguments\":{\"id\":\"vblk-x\"}}"),
                new ObjectMapper().readTree(text));
    }

    @Test
    void streamOfGreetingReturnErrorAndEventIsDecodedInOrder() throws Exception {
        String stream = """
                {"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}}, "capabilities": []}}\r
                {"return": {}, "id": 1}\r
                {"error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}, "id": 2}\r
                {"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}\r
                """;
        Iterator<QmpMessage> messages = QmpCodec.decodeStream(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
        List<QmpMessage> all = new ArrayList<>();
        messages.forEachRemaining(all::add);

        assertEquals(4, all.size());
        assertEquals(7, assertInstanceOf(QmpMessage.Greeting.class, all.get(0)).qmp().at("/version/qemu/major").asInt());
        assertEquals(1, assertInstanceOf(QmpMessage.Return.class, all.get(1)).id());
        assertEquals(new QmpMessage.Error(2, "CommandNotFound", "The command nope has not been found"), all.get(2));
        assertEquals("STOP", assertInstanceOf(QmpMessage.Event.class, all.get(3)).name());
    }
}
