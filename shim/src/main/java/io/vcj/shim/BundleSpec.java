package io.vcj.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** What a shim needs from a bundle's config.json before any task exists: which pod it belongs to. */
final class BundleSpec {

    /** Annotations naming the pod (group) of a container, as containerd's runc shim reads them. */
    static final List<String> GROUP_ANNOTATIONS = List.of("io.kubernetes.cri.sandbox-id", "io.containerd.runc.v2.group");

    private BundleSpec() {
    }

    /**
     * The container's group: its pod's sandbox id from the annotations, else the container id.
     * A bundle without config.json (already removed) is its own group.
     */
    static String groupingId(Path bundle, String containerId) throws IOException {
        JsonNode annotations;
        try {
            annotations = new ObjectMapper().readTree(Files.readAllBytes(bundle.resolve("config.json"))).path("annotations");
        } catch (NoSuchFileException e) {
            return containerId;
        }
        for (String key : GROUP_ANNOTATIONS) {
            String group = annotations.path(key).asText("");
            if (!group.isEmpty()) {
                return group;
            }
        }
        return containerId;
    }
}
