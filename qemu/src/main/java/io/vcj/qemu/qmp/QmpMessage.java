package io.vcj.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** One message QEMU sends on a QMP connection. */
public sealed interface QmpMessage {

    /** The first message on every connection, before capabilities are negotiated. */
    record Greeting(JsonNode qmp) implements QmpMessage {
    }

    /** A successful reply to the command sent with {@code id}. */
    record Return(long id, JsonNode value) implements QmpMessage {
    }

    /** A failed reply to the command sent with {@code id}: QMP's error class and its human description. */
    record Error(long id, String errorClass, String desc) implements QmpMessage {
    }

    /** An asynchronous event such as SHUTDOWN, STOP, RESUME or DEVICE_DELETED. */
    record Event(String name, JsonNode data) implements QmpMessage {
    }
}
