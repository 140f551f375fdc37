package io.vcj.vc.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** Turns a host OCI spec into the one the guest runs: host-only parts go, paths point into the guest. */
final class GuestSpec {

    private GuestSpec() {
    }

    /**
     * @param mountSources  guest sources for the spec's mounts that were shared, by index in {@code mounts}
     * @param blockVolumes  where the guest mounted the spec's block-device mounts, by index: they become binds
     */
    static ObjectNode of(ObjectNode hostSpec, String guestRootfs, boolean readonlyRootfs,
                         Map<Integer, String> mountSources, Map<Integer, String> blockVolumes) {
        ObjectNode spec = hostSpec.deepCopy();
        ObjectNode root = spec.putObject("root");
        root.put("path", guestRootfs);
        root.put("readonly", readonlyRootfs || hostSpec.path("root").path("readonly").asBoolean(false));
        // Hooks are host binaries; they cannot run in the guest.
        spec.remove("hooks");
        JsonNode mounts = spec.path("mounts");
        mountSources.forEach((index, source) -> ((ObjectNode) mounts.get(index)).put("source", source));
        blockVolumes.forEach((index, source) -> bindInstead((ObjectNode) mounts.get(index), source));
        if (spec.path("linux").path("namespaces") instanceof ArrayNode namespaces) {
            stripHostNamespaces(namespaces);
        }
        return spec;
    }

    // The filesystem's own options were used when the guest mounted it; the bind keeps only ro.
    private static void bindInstead(ObjectNode mount, String source) {
        boolean readOnly = false;
        for (JsonNode option : mount.path("options")) {
            readOnly |= option.asText().equals("ro");
        }
        mount.put("type", "bind").put("source", source);
        mount.putArray("options").add("rbind").add(readOnly ? "ro" : "rw");
    }

    // Namespace paths name host namespaces, meaningless in the guest; the container uses the guest's
    // network namespace, where the agent configured the pod's interfaces.
    private static void stripHostNamespaces(ArrayNode namespaces) {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            ObjectNode namespace = (ObjectNode) namespaces.get(i);
            if (namespace.path("type").asText().equals("network")) {
                namespaces.remove(i);
            } else {
                namespace.remove("path");
            }
        }
    }
}
