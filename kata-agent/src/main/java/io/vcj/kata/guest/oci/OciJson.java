package io.vcj.kata.guest.oci;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import io.vcj.kata.guest.json.JsonWriter;
import java.util.List;
import java.util.Map;

/**
 * Writes the kata {@code oci.proto} messages as OCI runtime-spec JSON (what runc reads).
 *
 * <p>The proto mirrors the Go structs field for field, so one descriptor walk covers every message;
 * only the JSON names differ, by a rule plus three exceptions. Unset proto3 scalars are left
 * out, which is what the OCI spec means by an absent optional field (a zero limit or weight is
 * never meaningful, and ids default to 0 in runc).
 */
public final class OciJson {
    private static final Map<String, String> NAME_EXCEPTIONS = Map.of(
            "Version", "ociVersion",
            "Pagesize", "pageSize",
            "errnoret", "errnoRet");

    private OciJson() {
    }

    public static String toJson(Message message) {
        JsonWriter json = new JsonWriter();
        writeMessage(json, message);
        return json.toString();
    }

    private static void writeMessage(JsonWriter json, Message message) {
        json.beginObject();
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            json.name(jsonName(descriptor.getName()));
            if (descriptor.isMapField()) {
                writeMap(json, (List<?>) field.getValue());
            } else if (descriptor.isRepeated()) {
                json.beginArray();
                for (Object element : (List<?>) field.getValue()) {
                    writeValue(json, descriptor, element);
                }
                json.endArray();
            } else {
                writeValue(json, descriptor, field.getValue());
            }
        }
        json.endObject();
    }

    private static void writeMap(JsonWriter json, List<?> entries) {
        json.beginObject();
        for (Object entry : entries) {
            MapEntry<?, ?> e = (MapEntry<?, ?>) entry;
            json.name(String.valueOf(e.getKey())).value(String.valueOf(e.getValue()));
        }
        json.endObject();
    }

    private static void writeValue(JsonWriter json, FieldDescriptor descriptor, Object value) {
        switch (descriptor.getType()) {
            case MESSAGE -> writeMessage(json, (Message) value);
            case STRING -> json.value((String) value);
            case BOOL -> json.value((Boolean) value);
            case UINT32, FIXED32 -> json.value(Integer.toUnsignedLong((Integer) value));
            case UINT64, FIXED64 -> json.literal(Long.toUnsignedString((Long) value));
            default -> json.literal(String.valueOf(value));
        }
    }

    /**
     * Go-style names to OCI JSON names: lower-case the leading capitals, except the last one
     * when it starts the next word ({@code UIDMappings} → {@code uidMappings},
     * {@code OOMScoreAdj} → {@code oomScoreAdj}, {@code HostID} → {@code hostID}).
     */
    static String jsonName(String protoName) {
        String exception = NAME_EXCEPTIONS.get(protoName);
        if (exception != null) {
            return exception;
        }
        int upper = 0;
        while (upper < protoName.length() && Character.isUpperCase(protoName.charAt(upper))) {
            upper++;
        }
        if (upper == 0) {
            return protoName;
        }
        boolean wordFollows = upper > 1 && upper < protoName.length()
                && Character.isLowerCase(protoName.charAt(upper));
        int lowerEnd = wordFollows ? upper - 1 : upper;
        return protoName.substring(0, lowerEnd).toLowerCase() + protoName.substring(lowerEnd);
    }
}
