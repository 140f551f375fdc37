package io.vcj.kata.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.kata.guest.oci.GuestSpec;
import io.vcj.kata.guest.oci.OciJson;
import io.vcj.kata.proto.CreateContainerRequest;
import io.vcj.kata.proto.ExecProcessRequest;
import io.vcj.kata.proto.Process;
import io.vcj.kata.proto.Spec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OCI process a container or exec is asked for reaches runc unchanged: host OCI JSON, the
 * {@code grpc.Spec}/{@code grpc.Process} on the wire (serialised and parsed as the guest does), the
 * guest's config.json or exec process.json. Env, args, cwd, user and terminal are what a container
 * runs with; losing any of them silently runs something else.
 */
class ProcessRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PROCESS = """
            {
              "terminal": true,
              "consoleSize": {"height": 24, "width": 80},
              "user": {"uid": 1000, "gid": 100, "additionalGids": [10, 20], "umask": 18},
              "args": ["sh", "-c", "echo \\"$GREETING\\" from $PWD"],
              "env": ["PATH=/usr/local/bin:/usr/bin:/bin", "GREETING=hello world", "EMPTY=", "EQ=a=b"],
              "cwd": "/home/user",
              "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
              "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
              "noNewPrivileges": true,
              "oomScoreAdj": -100
            }
            """;

    /** What runc reads of the process, as JSON, minus what the spec says is optional and we do not carry (umask). */
    private static JsonNode expected() throws Exception {
        ObjectNode process = (ObjectNode) JSON.readTree(PROCESS);
        ((ObjectNode) process.get("user")).remove("umask");
        return process;
    }

    @Test
    void aContainersProcessReachesTheGuestConfigJson() throws Exception {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("ociVersion", "1.1.0");
        spec.set("process", JSON.readTree(PROCESS));
        spec.putObject("root").put("path", "rootfs");
        var request = new io.vcj.vc.agent.CreateContainerRequest("c1", "", spec, "/run/vcj/shared/c1/rootfs",
                List.of(), List.of(), false);

        CreateContainerRequest wire = CreateContainerRequest.parseFrom(
                KataRequests.createContainer(request).toByteArray());
        Spec guest = GuestSpec.adapt(wire.getOCI(), Path.of("/run/vcj/shared/c1/rootfs"), "/vcj/c1");
        JsonNode config = JSON.readTree(OciJson.toJson(guest));

        assertEquals(expected(), config.get("process"));
    }

    @Test
    void anExecsProcessReachesTheGuestProcessJson() throws Exception {
        ExecProcessRequest wire = ExecProcessRequest.parseFrom(
                KataRequests.exec("c1", "e1", (ObjectNode) JSON.readTree(PROCESS)).toByteArray());
        Process process = wire.getProcess();

        assertEquals(expected(), JSON.readTree(OciJson.toJson(process)));
    }

    @Test
    void aProcessWithoutEnvGetsNoneMadeUp() throws Exception {
        // `ctr run --rootfs` (containerd 1.6) writes no process.env at all; runc then has no PATH either.
        Process process = OciJsonToProto.process(JSON.readTree("{\"args\": [\"sh\"], \"cwd\": \"/\"}"));

        assertEquals(JSON.readTree("{\"args\": [\"sh\"], \"cwd\": \"/\"}"), JSON.readTree(OciJson.toJson(process)));
    }
}
