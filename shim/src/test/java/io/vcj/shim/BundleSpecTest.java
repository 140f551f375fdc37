package io.vcj.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSpecTest {

    @TempDir
    Path bundle;

    @Test
    void aPodsContainersShareTheSandboxIdAsGroup() throws Exception {
        Files.writeString(bundle.resolve("config.json"), """
                {"annotations": {"io.kubernetes.cri.container-type": "container",
                                 "io.kubernetes.cri.sandbox-id": "pod-1"}}""");

        assertEquals("pod-1", BundleSpec.groupingId(bundle, "web"));
    }

    @Test
    void aPlainContainerIsItsOwnGroup() throws Exception {
        Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\": \"1.0.2\"}");

        assertEquals("web", BundleSpec.groupingId(bundle, "web"));
    }

    @Test
    void aBundleWithoutSpecIsItsOwnGroup() throws Exception {
        assertEquals("web", BundleSpec.groupingId(bundle, "web"));
    }
}
