package io.vcj.vc.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.vcj.vc.hypervisor.AgentChannel;

import java.time.Duration;
import java.time.Instant;

/** The JSON mapping of persisted state. */
final class StateJson {

    private StateJson() {
    }

    static ObjectMapper mapper() {
        // jackson-datatype-jsr310 is not among our libraries: time values travel as ISO-8601 strings.
        var time = new SimpleModule("vcj-time")
                .addSerializer(Instant.class, ToStringSerializer.instance)
                .addSerializer(Duration.class, ToStringSerializer.instance)
                .addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
                    @Override
                    protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctx) {
                        return Instant.parse(value);
                    }
                })
                .addDeserializer(Duration.class, new FromStringDeserializer<>(Duration.class) {
                    @Override
                    protected Duration _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctx) {
                        return Duration.parse(value);
                    }
                });
        return new ObjectMapper()
                .registerModule(time)
                .addMixIn(AgentChannel.class, AgentChannelTypes.class)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = AgentChannel.SerialSocket.class, name = "serialSocket"),
            @JsonSubTypes.Type(value = AgentChannel.Vsock.class, name = "vsock")})
    private interface AgentChannelTypes {
    }
}
