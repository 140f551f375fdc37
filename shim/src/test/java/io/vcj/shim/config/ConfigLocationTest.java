package io.vcj.shim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLocationTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void runtimeOptionsWin() throws IOException {
        byte[] options = runtimeOptions("/etc/vcj/pod.toml");

        assertEquals(Path.of("/etc/vcj/pod.toml"), ConfigLocation.resolve(options, Map.of("VCJ_CONFIG", "/env.toml")));
    }

    @Test
    void thenTheEnvironmentThenTheDefault() {
        assertEquals(Path.of("/env.toml"), ConfigLocation.resolve(new byte[0], Map.of("VCJ_CONFIG", "/env.toml")));
        assertEquals(Path.of("/etc/vcj/configuration.toml"), ConfigLocation.resolve(new byte[0], NO_ENV));
    }

    @Test
    void optionsOfAnotherRuntimeAreNotOurs() {
        byte[] runc = Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")
                .setValue(ByteString.copyFromUtf8("\u0012\u0004/bad")).build().toByteArray();

        assertEquals(Path.of("/etc/vcj/configuration.toml"), ConfigLocation.resolve(runc, NO_ENV));
    }

    @Test
    void garbageOnStdinIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLocation.resolve(new byte[] {(byte) 0xff, 0x01}, NO_ENV));

        assertEquals(true, e.getMessage().startsWith("runtime options from containerd are not valid protobuf"));
    }

    /** What ctr run --runtime-config-path and CRI's ConfigPath send: runtimeoptions.v1.Options in an Any. */
    private static byte[] runtimeOptions(String configPath) throws IOException {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(value);
        out.writeString(2, configPath);
        out.flush();
        return Any.newBuilder().setTypeUrl("runtimeoptions.v1.Options")
                .setValue(ByteString.copyFrom(value.toByteArray())).build().toByteArray();
    }
}
