package io.vcj.vc;

import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.config.NetworkConfig;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.config.Volume;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.mock.MockHypervisor;
import io.vcj.vc.network.NetworkPlan;
import io.vcj.vc.network.NetworkSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VmTemplatesTest extends FixtureTest {

    private Path templates() {
        return tmp.resolve("templates");
    }

    private List<MockHypervisor> templateVms() {
        return fx.hypervisors.stream().filter(h -> h.toBeTemplate != null).toList();
    }

    private List<Path> templateDirs() throws IOException {
        try (Stream<Path> entries = Files.list(templates())) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    @Test
    void theFirstSandboxMakesATemplateAndEverySandboxResumesIt() throws Exception {
        VirtContainers vc = fx.withTemplates(templates(), NetworkSetup.NONE);

        vc.runSandbox(fx.sandbox("one", fx.container("c", "echo", "hi")));
        vc.runSandbox(fx.sandbox("two", fx.container("c", "echo", "hi")));

        assertEquals(1, templateVms().size(), "one template VM for two sandboxes of one kind");
        MockHypervisor template = templateVms().getFirst();
        assertTrue(template.saved);
        assertFalse(template.running(), "the template VM is gone once saved");
        assertEquals(List.of(template.toBeTemplate.dir()), templateDirs());
        for (String id : List.of("one", "two")) {
            MockHypervisor vm = fx.hypervisors.stream().filter(h -> h.resumedFrom != null)
                    .filter(h -> h.guest().sandboxes.stream().anyMatch(s -> s.sandboxId().equals(id))).findFirst().orElseThrow();
            assertEquals(template.toBeTemplate, vm.resumedFrom);
            List<String> calls = vm.guest().calls;
            assertTrue(calls.indexOf("setGuestDateTime") >= 0 && calls.indexOf("setGuestDateTime") < calls.indexOf("createSandbox"),
                    "the clock is set before the sandbox is created: " + calls);
            assertTrue(calls.contains("reseedRandomDev"), calls.toString());
        }
    }

    @Test
    void theTemplateVmRunsAContainerBeforeItIsSavedAndKeepsNoneOfIt() {
        VirtContainers vc = fx.withTemplates(templates(), NetworkSetup.NONE);

        vc.runSandbox(fx.sandbox("one", fx.container("c", "echo", "hi")));

        MockHypervisor template = templateVms().getFirst();
        List<String> calls = template.guest().calls;
        assertEquals(List.of("createContainer", "startContainer", "waitProcess", "removeContainer"),
                calls.stream().filter(c -> c.endsWith("Container") || c.equals("waitProcess")).toList(), calls.toString());
        assertTrue(template.saved);
        assertEquals(Map.of(), template.guest().containers, "the warm-up container is gone from the saved VM");
        assertEquals(Map.of(), template.guest().processes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"createContainer", "startContainer"})
    void aWarmUpContainerThatDoesNotRunLeavesAColdTemplateThatSandboxesResume(String failing) throws Exception {
        VirtContainers vc = fx.withTemplates(templates(), NetworkSetup.NONE);
        fx.faults.failOnce(failing);

        vc.runSandbox(fx.sandbox("one", fx.container("c", "echo", "hi")));

        MockHypervisor template = templateVms().getFirst();
        assertTrue(template.saved);
        assertEquals(Map.of(), template.guest().containers, "no warm-up container is left in the saved VM");
        assertEquals(List.of(template.toBeTemplate.dir()), templateDirs());
        assertEquals(template.toBeTemplate, fx.lastHypervisor().resumedFrom);
        assertEquals(State.RUNNING, vc.statusSandbox("one").state());
    }

    @Test
    void withoutATemplateDirectorySandboxesBootAndTheGuestClockIsLeftAlone() {
        fx.vc.runSandbox(fx.sandbox("one", fx.container("c", "echo", "hi")));

        assertTrue(templateVms().isEmpty());
        assertNull(fx.lastHypervisor().resumedFrom);
        assertFalse(fx.lastHypervisor().guest().calls.contains("setGuestDateTime"));
    }

    @Test
    void aSandboxWithVolumesBoots() throws Exception {
        VirtContainers vc = fx.withTemplates(templates(), NetworkSetup.NONE);
        Path data = Files.createDirectories(tmp.resolve("data"));
        SandboxConfig config = SandboxConfig.builder("vol").vm(1, 128).hypervisor("mock", fx.hypervisorConfig())
                .agent("mock", null).volume(new Volume("data", data)).build();

        vc.runSandbox(config);

        assertTrue(templateVms().isEmpty());
        assertNull(fx.lastHypervisor().resumedFrom);
    }

    @Test
    void aRebuiltKernelGetsATemplateOfItsOwn() throws Exception {
        VirtContainers vc = fx.withTemplates(templates(), NetworkSetup.NONE);
        vc.runSandbox(fx.sandbox("one"));

        Files.writeString(fx.kernel, "a rebuilt kernel");
        vc.runSandbox(fx.sandbox("two"));

        assertEquals(2, templateDirs().size());
        assertNotEquals(templateVms().get(0).toBeTemplate, templateVms().get(1).toBeTemplate);
    }

    /**
     * VmTemplates.describe spells the configs' fields out one by one (records' toString spun hidden
     * classes in the shim); a field added to either record must join the template key, or pods that
     * differ in it would resume each other's VM.
     */
    @Test
    void theTemplateKeySpellsOutEveryFieldOfTheVmAndAgentConfigs() {
        assertEquals(17, HypervisorConfig.class.getRecordComponents().length,
                "HypervisorConfig changed: add the new field to VmTemplates.describe, then count it here");
        assertEquals(2, AgentConfig.class.getRecordComponents().length,
                "AgentConfig changed: add the new field to VmTemplates.describe, then count it here");
    }

    @Test
    void aTemplateThatCannotBeResumedIsDiscardedAndTheSandboxBoots() throws Exception {
        VirtContainers vc = fx.withTemplates(templates(), NetworkSetup.NONE);
        vc.runSandbox(fx.sandbox("one"));
        fx.faults.failOn("resume");

        vc.runSandbox(fx.sandbox("two", fx.container("c", "echo", "hi")));

        MockHypervisor booted = fx.lastHypervisor();
        assertTrue(booted.running());
        assertNull(booted.resumedFrom);
        assertEquals(List.of(), templateDirs(), "the broken template is gone");
        assertEquals(State.RUNNING, vc.statusSandbox("two").state());
    }

    /** Failing to boot, or to remove its warm-up container (which a resumed pod would find), makes no template. */
    @ParameterizedTest
    @ValueSource(strings = {"bootToBeTemplate", "removeContainer"})
    void aTemplateThatCannotBeMadeLeavesNothingAndTheSandboxBoots(String failing) throws Exception {
        VirtContainers vc = fx.withTemplates(templates(), NetworkSetup.NONE);
        fx.faults.failOnce(failing);

        vc.runSandbox(fx.sandbox("one", fx.container("c", "echo", "hi")));

        assertEquals(List.of(), templateDirs());
        assertNull(fx.lastHypervisor().resumedFrom);
        assertTrue(fx.lastHypervisor().running());
        assertEquals(State.RUNNING, vc.statusSandbox("one").state());
    }

    @Test
    void aResumedSandboxGetsItsNicsHotPluggedInItsNetworkNamespace() throws Exception {
        Path netns = Files.writeString(tmp.resolve("netns"), "");
        Device.Network nic = new Device.Network("net0", "tap0_vcj", "02:00:00:00:00:01", 1500);
        VirtContainers vc = fx.withTemplates(templates(), new NetworkSetup() {
            @Override
            public NetworkPlan setUp(String sandboxId, NetworkConfig config) {
                return new NetworkPlan(List.of(nic), List.of(), List.of(), List.of());
            }

            @Override
            public void tearDown(String sandboxId, NetworkConfig config) {
            }
        });
        SandboxConfig config = SandboxConfig.builder("net").vm(1, 128).hypervisor("mock", fx.hypervisorConfig())
                .agent("mock", null).network(new NetworkConfig(netns, null)).build();

        vc.runSandbox(config);

        MockHypervisor template = templateVms().getFirst();
        assertNull(template.netns, "the template VM belongs to no pod's network");
        assertTrue(template.coldPlugged.stream().allMatch(d -> d instanceof Device.SharedDirectory), template.coldPlugged.toString());
        MockHypervisor vm = fx.lastHypervisor();
        assertNotNull(vm.resumedFrom);
        assertEquals(netns, vm.netns);
        assertEquals(List.of(nic), vm.hotPlugged);
        assertFalse(vm.coldPlugged.contains(nic));
    }
}
