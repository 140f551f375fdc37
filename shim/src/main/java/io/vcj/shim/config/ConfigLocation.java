package io.vcj.shim.config;

import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which vcj config file a shim reads, first match wins: the {@code ConfigPath} of the runtime
 * options containerd passes (CRI's {@code runtimes.vcj.options}, or {@code ctr run
 * --runtime-config-path}), then {@code $VCJ_CONFIG}, then {@link VcjConfig#DEFAULT_PATH}.
 */
public final class ConfigLocation {

    public static final String ENVIRONMENT = "VCJ_CONFIG";
    /**
     * containerd's generic runtime options ({@code pkg/runtimeoptions/v1}): type_url = 1,
     * config_path = 2. containerd marshals them under their proto name.
     */
    static final String RUNTIME_OPTIONS_TYPE = "runtimeoptions.v1.Options";
    private static final int CONFIG_PATH_FIELD = 2;

    private ConfigLocation() {
    }

    /**
     * @param options the marshalled {@code google.protobuf.Any} containerd wrote to the shim's
     *                stdin, empty when it sent none
     */
    public static Path resolve(byte[] options, Map<String, String> environment) {
        return configPath(options)
                .or(() -> Optional.ofNullable(environment.get(ENVIRONMENT)).filter(path -> !path.isEmpty()))
                .map(Path::of)
                .orElse(VcjConfig.DEFAULT_PATH);
    }

    /** The ConfigPath in runtime options; empty for no options or options of another type (runc's). */
    static Optional<String> configPath(byte[] options) {
        if (options.length == 0) {
            return Optional.empty();
        }
        try {
            Any any = Any.parseFrom(options);
            if (!any.getTypeUrl().endsWith(RUNTIME_OPTIONS_TYPE)) {
                return Optional.empty();
            }
            return stringField(any.getValue().newCodedInput(), CONFIG_PATH_FIELD).filter(path -> !path.isEmpty());
        } catch (IOException e) {
            throw new ConfigException("runtime options from containerd are not valid protobuf: " + e.getMessage(), e);
        }
    }

    private static Optional<String> stringField(CodedInputStream in, int field) throws IOException {
        String found = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field) {
                if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw new InvalidProtocolBufferException("field " + field + " is not a string");
                }
                found = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return Optional.ofNullable(found);
    }
}
