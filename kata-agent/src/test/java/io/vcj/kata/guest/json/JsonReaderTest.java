package io.vcj.kata.guest.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsWhatJsonWriterWrites() {
        String json = new JsonWriter().beginObject()
                .name("s").value("a\"b\\c\n\u0001")
                .name("n").value(-5)
                .name("u").literal(Long.toUnsignedString(-1L))
                .name("b").value(true)
                .name("a").beginArray().value(1).beginObject().endObject().endArray()
                .endObject().toString();
        Map<?, ?> map = (Map<?, ?>) JsonReader.parse(json);
        assertEquals("a\"b\\c\n\u0001", map.get("s"));
        assertEquals(-5L, map.get("n"));
        assertEquals(-1L, map.get("u"), "uint64 max keeps its bits");
        assertEquals(true, map.get("b"));
        assertEquals(List.of(1L, Map.of()), map.get("a"));
    }

    @Test
    void readsRuncOutputShapes() {
        assertEquals(List.of(12L, 34L), JsonReader.parse("[12,34]\n"));
        assertEquals(Arrays.asList(null, 1.5), JsonReader.parse(" [ null , 1.5 ] "));
    }

    @Test
    void rejectsBrokenInput() {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1] x"));
    }
}
