package io.vcj.vc.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.VcException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciProcessTest {

    @Test
    void aCommandSurvivesTheTripThroughOciJson() {
        var cmd = new Cmd(List.of("/bin/sh", "-c", "id"), List.of("A=1", "PATH=/bin"), "/work", "1000", "100",
                List.of("10", "20"), true, true, true,
                new LinuxCapabilities(List.of("CAP_KILL"), List.of("CAP_KILL"), null, List.of("CAP_KILL"), null));

        ObjectNode json = OciProcess.toJson(cmd);

        assertEquals(1000, json.at("/user/uid").asInt());
        assertEquals(100, json.at("/user/gid").asInt());
        assertEquals("[10,20]", json.at("/user/additionalGids").toString());
        assertEquals(cmd, OciProcess.toCmd(json, true));
    }

    @Test
    void aUserNameIsKeptForTheGuestToResolve() {
        ObjectNode json = OciProcess.toJson(new Cmd(List.of("ls"), null, null, "nobody", null, null,
                false, false, false, null));
        assertEquals("nobody", json.at("/user/username").asText());
        assertEquals("nobody", OciProcess.toCmd(json, false).user());
    }

    @Test
    void aNonNumericGroupIsRefused() {
        var cmd = new Cmd(List.of("ls"), null, null, "0", "wheel", null, false, false, false, null);
        var e = assertThrows(VcException.InvalidArgument.class, () -> OciProcess.toJson(cmd));
        assertTrue(e.getMessage().contains("wheel"), e.getMessage());
    }

    @Test
    void badCommandsAreRefusedNamingTheProblem() {
        assertThrows(VcException.InvalidArgument.class, () -> Cmd.of());
        var relative = assertThrows(VcException.InvalidArgument.class,
                () -> new Cmd(List.of("ls"), null, "tmp", null, null, null, false, false, false, null));
        assertTrue(relative.getMessage().contains("'tmp'"), relative.getMessage());
        var env = assertThrows(VcException.InvalidArgument.class,
                () -> new Cmd(List.of("ls"), List.of("NOVALUE"), null, null, null, null, false, false, false, null));
        assertTrue(env.getMessage().contains("NOVALUE"), env.getMessage());
    }

    @Test
    void aSpecWithoutProcessIsNotACommand() throws Exception {
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree("{\"ociVersion\":\"1.1.0\"}");
        assertThrows(VcException.InvalidArgument.class, () -> OciProcess.toCmd(spec.get("process"), false));
    }
}
