package io.vcj.kata.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.vcj.kata.proto.Process;
import io.vcj.kata.proto.Spec;

import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Reads OCI runtime-spec JSON (config.json and its parts) into the kata agent's {@code grpc.Spec}
 * messages. Those mirror the OCI Go structs field by field, with the Go names capitalised
 * ({@code UIDMappings} for {@code uidMappings}), so the mapping follows the proto descriptors and a
 * naming rule instead of listing every field. JSON keys the protos do not carry (e.g. newer OCI
 * fields such as {@code process.scheduler}) are ignored, as the kata runtime does; a value of the
 * wrong type is an {@link IllegalArgumentException} naming its path.
 *
 * <p>The JSON is read into a {@link DynamicMessage} and handed over as bytes: a generated builder's
 * setField goes through protobuf's reflection tables, whose first use per message type looks up
 * every public method of the message and builder classes (loading every class their signatures
 * name) and spins method handles to call them: 1.2 MiB of the shim's RSS with a pod.
 */
final class OciJsonToProto {
    /** Go field names whose JSON tag is not the name with its leading capitals lowered. */
    private static final Map<String, String> JSON_NAMES = Map.of(
            "Version", "ociVersion",
            "Pagesize", "pageSize",
            "errnoret", "errnoRet");
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private OciJsonToProto() {
    }

    static Spec spec(JsonNode json) {
        return read(json, Spec.getDescriptor(), Spec.parser(), "spec");
    }

    static Process process(JsonNode json) {
        return read(json, Process.getDescriptor(), Process.parser(), "process");
    }

    private static <T extends Message> T read(JsonNode json, Descriptor type, Parser<T> parser, String path) {
        Message message = read(json, DynamicMessage.newBuilder(type), path);
        try {
            return parser.parseFrom(message.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the " + type.getFullName() + " just written does not parse", e);
        }
    }

    /** The JSON key of a field: its name with the leading run of capitals lowered, an acronym's last letter kept when a word follows. */
    static String jsonName(String protoName) {
        String special = JSON_NAMES.get(protoName);
        if (special != null) {
            return special;
        }
        int capitals = 0;
        while (capitals < protoName.length() && Character.isUpperCase(protoName.charAt(capitals))) {
            capitals++;
        }
        boolean wordFollows = capitals > 1 && capitals < protoName.length()
                && Character.isLowerCase(protoName.charAt(capitals));
        int lowered = wordFollows ? capitals - 1 : capitals;
        return protoName.substring(0, lowered).toLowerCase(Locale.ROOT) + protoName.substring(lowered);
    }

    private static Message read(JsonNode json, Message.Builder builder, String path) {
        if (!json.isObject()) {
            throw wrongType(path, "an object", json);
        }
        Descriptor descriptor = builder.getDescriptorForType();
        for (FieldDescriptor field : descriptor.getFields()) {
            JsonNode value = json.get(jsonName(field.getName()));
            if (value == null || value.isNull()) {
                continue;
            }
            String fieldPath = path + "." + jsonName(field.getName());
            if (field.isMapField()) {
                readMap(value, builder, field, fieldPath);
            } else if (field.isRepeated()) {
                if (!value.isArray()) {
                    throw wrongType(fieldPath, "an array", value);
                }
                for (int i = 0; i < value.size(); i++) {
                    builder.addRepeatedField(field, single(value.get(i), builder, field, fieldPath + "[" + i + "]"));
                }
            } else {
                builder.setField(field, single(value, builder, field, fieldPath));
            }
        }
        return builder.build();
    }

    /** OCI maps (annotations, sysctl) are string to string, as are the protos'. */
    private static void readMap(JsonNode value, Message.Builder builder, FieldDescriptor field, String path) {
        if (!value.isObject()) {
            throw wrongType(path, "an object", value);
        }
        Descriptor entryType = field.getMessageType();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw wrongType(path + "." + entry.getKey(), "a string", entry.getValue());
            }
            Message.Builder entryBuilder = builder.newBuilderForField(field);
            entryBuilder.setField(entryType.findFieldByName("key"), entry.getKey());
            entryBuilder.setField(entryType.findFieldByName("value"), entry.getValue().textValue());
            builder.addRepeatedField(field, entryBuilder.build());
        }
    }

    private static Object single(JsonNode value, Message.Builder parent, FieldDescriptor field, String path) {
        return switch (field.getType()) {
            case STRING -> {
                if (!value.isTextual()) {
                    throw wrongType(path, "a string", value);
                }
                yield value.textValue();
            }
            case BOOL -> {
                if (!value.isBoolean()) {
                    throw wrongType(path, "true or false", value);
                }
                yield value.booleanValue();
            }
            case INT32 -> (int) integer(value, path, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
            case UINT32 -> (int) integer(value, path, BigInteger.ZERO, BigInteger.valueOf(MAX_UINT32));
            case INT64 -> integer(value, path, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
            case UINT64 -> integer(value, path, BigInteger.ZERO, MAX_UINT64);
            case MESSAGE -> read(value, parent.newBuilderForField(field), path);
            default -> throw new IllegalStateException("no OCI JSON reading for " + field.getFullName());
        };
    }

    /** The number's low 64 bits (how protobuf holds unsigned values), after checking its range. */
    private static long integer(JsonNode value, String path, BigInteger min, BigInteger max) {
        if (!value.isIntegralNumber()) {
            throw wrongType(path, "an integer", value);
        }
        BigInteger number = value.bigIntegerValue();
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            throw new IllegalArgumentException("invalid OCI spec: " + path + " is " + number
                    + ", out of range [" + min + ", " + max + "]");
        }
        return number.longValue();
    }

    private static IllegalArgumentException wrongType(String path, String expected, JsonNode actual) {
        return new IllegalArgumentException("invalid OCI spec: " + path + " must be " + expected + ", got "
                + actual.getNodeType().name().toLowerCase(Locale.ROOT) + " " + abbreviated(actual));
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
