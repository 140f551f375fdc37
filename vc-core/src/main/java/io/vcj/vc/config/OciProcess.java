package io.vcj.vc.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.VcException;

import java.util.ArrayList;
import java.util.List;

/** Converts between {@link Cmd} and the OCI {@code process} object. */
public final class OciProcess {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OciProcess() {
    }

    /** Reads an OCI {@code process} object; {@code interactive} says whether stdin will be attached. */
    public static Cmd toCmd(JsonNode process, boolean interactive) {
        if (process == null || !process.isObject()) {
            throw new VcException.InvalidArgument("OCI spec has no process object");
        }
        JsonNode user = process.path("user");
        String uid = user.hasNonNull("username") ? user.get("username").asText() : user.path("uid").asText("0");
        String gid = user.hasNonNull("gid") ? user.get("gid").asText() : null;
        JsonNode caps = process.path("capabilities");
        return new Cmd(strings(process.path("args")), strings(process.path("env")), process.path("cwd").asText("/"),
                uid, gid, strings(user.path("additionalGids")), interactive, process.path("terminal").asBoolean(false),
                process.path("noNewPrivileges").asBoolean(false),
                new LinuxCapabilities(strings(caps.path("bounding")), strings(caps.path("effective")),
                        strings(caps.path("inheritable")), strings(caps.path("permitted")),
                        strings(caps.path("ambient"))));
    }

    /** Writes {@code cmd} as an OCI {@code process} object. */
    public static ObjectNode toJson(Cmd cmd) {
        ObjectNode process = JSON.objectNode();
        process.put("terminal", cmd.terminal());
        ObjectNode user = process.putObject("user");
        putId(user, "uid", "username", cmd.user());
        if (cmd.primaryGroup() != null) {
            putId(user, "gid", null, cmd.primaryGroup());
        } else {
            user.put("gid", 0);
        }
        if (!cmd.supplementaryGroups().isEmpty()) {
            ArrayNode gids = user.putArray("additionalGids");
            cmd.supplementaryGroups().forEach(g -> gids.add(Long.parseLong(requireNumeric("group", g))));
        }
        cmd.args().forEach(process.putArray("args")::add);
        cmd.env().forEach(process.putArray("env")::add);
        process.put("cwd", cmd.workDir());
        process.put("noNewPrivileges", cmd.noNewPrivileges());
        LinuxCapabilities caps = cmd.capabilities();
        ObjectNode capsJson = process.putObject("capabilities");
        caps.bounding().forEach(capsJson.putArray("bounding")::add);
        caps.effective().forEach(capsJson.putArray("effective")::add);
        caps.inheritable().forEach(capsJson.putArray("inheritable")::add);
        caps.permitted().forEach(capsJson.putArray("permitted")::add);
        caps.ambient().forEach(capsJson.putArray("ambient")::add);
        return process;
    }

    // OCI wants numeric ids; a user name is only representable as "username" (Windows-style field),
    // which runc ignores, so we keep it for the agent to resolve inside the container.
    private static void putId(ObjectNode user, String numericField, String nameField, String value) {
        if (value.chars().allMatch(Character::isDigit)) {
            user.put(numericField, Long.parseLong(value));
        } else if (nameField != null) {
            user.put(numericField, 0);
            user.put(nameField, value);
        } else {
            throw new VcException.InvalidArgument("group '" + value + "' must be numeric");
        }
    }

    private static String requireNumeric(String what, String value) {
        if (value.isEmpty() || !value.chars().allMatch(Character::isDigit)) {
            throw new VcException.InvalidArgument(what + " '" + value + "' must be numeric");
        }
        return value;
    }

    static List<String> strings(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
