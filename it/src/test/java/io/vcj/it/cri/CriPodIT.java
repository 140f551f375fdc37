package io.vcj.it.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import io.vcj.it.HostRequirements;
import io.vcj.it.MountsUnder;
import io.vcj.it.ProcessStates;
import io.vcj.it.ProcessesMentioning;
import io.vcj.it.cri.proto.Container;
import io.vcj.it.cri.proto.ContainerConfig;
import io.vcj.it.cri.proto.ContainerState;
import io.vcj.it.cri.proto.ContainerStatusRequest;
import io.vcj.it.cri.proto.ListContainersRequest;
import io.vcj.it.cri.proto.ListPodSandboxRequest;
import io.vcj.it.cri.proto.PodSandboxConfig;
import io.vcj.it.cri.proto.PodSandboxState;
import io.vcj.it.cri.proto.PodSandboxStatusRequest;
import io.vcj.it.vm.GuestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The path Kubernetes takes: a CRI client runs a pod with the runtime handler "vcj" on containerd's
 * CRI plugin, two containers in it; both run in the pod's one QEMU VM (TCG), and stopping and
 * removing the pod leaves no VM, shim, vcj state, mount or socket behind; a broken vcj config fails
 * RunPodSandbox with its file, line and key.
 */
class CriPodIT {

  /** Teardown of a VM under TCG on a loaded host; patience, not a measurement. */
  private static final Duration CLEANUP_PATIENCE = Duration.ofMinutes(2);
  private static final String FOREVER = "1000000000";

  private GuestImage guest;
  private CriContainerd cri;

  @BeforeEach
  void criWithVcj() throws Exception {
    HostRequirements.assumeRootWithContainerd();
    Path busybox = HostRequirements.assumeStaticBusybox();
    guest = GuestImage.get();
    cri = CriContainerd.start(guest, busybox);
  }

  @AfterEach
  void closeCri() throws Exception {
    if (cri != null) {
      cri.close();
    }
  }

  @Test
  void twoContainersOfAPodRunInItsOneVm() throws Exception {
    CriPod pod = CriPod.run(cri.cri(), CriPods.hostNetworkPod("two-containers").build());
    Path shared = Files.createDirectories(cri.containerd().dir().resolve("shared"));
    String sleeper = pod.start(withVolume(CriPods.container(pod.config(), "sleeper", "/bin/sleep", FOREVER), shared));
    String writer = pod.start(withVolume(CriPods.container(pod.config(), "writer", "/bin/sh", "-c",
        "busybox hostname > /shared/hostname && exec sleep " + FOREVER), shared));

    assertEquals(guest.kernelRelease(), pod.exec(sleeper, "busybox", "uname", "-r").strip());
    assertEquals(guest.kernelRelease(), pod.exec(writer, "busybox", "uname", "-r").strip());
    assertEquals(pod.exec(sleeper, "busybox", "hostname"), pod.exec(sleeper, "/bin/sh", "-c",
            "until [ -s /shared/hostname ]; do sleep 1; done; cat /shared/hostname"),
        "the writer, in the same VM, wrote the hostname they share to the pod's volume");
    assertEquals(1, qemuOf(pod.id()).size(), "QEMU processes of pod " + pod.id());
    assertEquals(1, shims().size(), "shim processes: " + shims());
    assertEquals(List.of(ContainerState.CONTAINER_RUNNING, ContainerState.CONTAINER_RUNNING),
        Stream.of(sleeper, writer).map(this::state).toList());
    assertEquals(PodSandboxState.SANDBOX_READY, cri.cri().runtime().podSandboxStatus(
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(pod.id()).build()).getStatus().getState());
  }

  @Test
  void stoppingAndRemovingThePodLeavesNothing() throws Exception {
    PodSandboxConfig config = CriPods.hostNetworkPod("short-lived").build();
    CriPod pod = CriPod.run(cri.cri(), config);
    pod.start(CriPods.container(config, "first", "/bin/sleep", FOREVER).build());
    pod.start(CriPods.container(config, "second", "/bin/sleep", FOREVER).build());
    List<ProcessHandle> vm = qemuOf(pod.id());
    List<ProcessHandle> shim = shims();
    assertEquals(1, vm.size(), "QEMU processes of pod " + pod.id());
    assertEquals(1, shim.size(), "shim processes: " + shim);
    Path socket = shimSocket(pod.id());
    assertTrue(Files.exists(socket), "the shim serves on " + socket);

    pod.stopAndRemove();

    assertTrue(ProcessStates.awaitStopped(vm.getFirst(), CLEANUP_PATIENCE), "the pod's QEMU still runs");
    assertTrue(ProcessStates.awaitStopped(shim.getFirst(), CLEANUP_PATIENCE), "the pod's shim still runs");
    assertEquals(List.of(), cri.cri().runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
        .getItemsList(), "pods CRI still lists");
    assertEquals(List.of(), cri.cri().runtime().listContainers(ListContainersRequest.getDefaultInstance())
        .getContainersList().stream().map(Container::getId).toList(), "containers CRI still lists");
    assertFalse(Files.exists(socket), "the shim's socket is left behind");
    assertEquals(List.of(), entries(cri.vcjState()), "vcj state left behind");
    assertEquals(List.of(), new MountsUnder(cri.containerd().dir()).list(), "mounts left behind");
  }

  @Test
  void aBrokenVcjConfigFailsThePodNamingTheProblemAndLeavesNothing() throws Exception {
    Files.writeString(cri.vcjConfig(), "[hypervisor.qemu]\ndefault_memory = \"lots\"\n");

    var failure = assertThrows(StatusRuntimeException.class,
        () -> CriPod.run(cri.cri(), CriPods.hostNetworkPod("misconfigured").build()));

    assertTrue(failure.getMessage().contains(cri.vcjConfig() + ":2: [hypervisor.qemu] default_memory: must be an integer"),
        failure.getMessage());
    assertEquals(List.of(), shims(), "shim processes");
    assertEquals(List.of(), new ProcessesMentioning("qemu-system", cri.vcjState().toString()).list(), "QEMU processes");
    assertEquals(List.of(), entries(cri.vcjState()), "vcj state left behind");
    assertEquals(List.of(), cri.cri().runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
        .getItemsList(), "pods CRI lists");
  }

  private static ContainerConfig withVolume(ContainerConfig.Builder container, Path shared) {
    return container.addMounts(CriPods.hostPath(shared, "/shared")).build();
  }

  private ContainerState state(String containerId) {
    return cri.cri().runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId)
        .build()).getStatus().getState();
  }

  private static List<ProcessHandle> qemuOf(String podId) {
    return new ProcessesMentioning("qemu-system", "guest=" + podId).list();
  }

  /** This containerd's shims ({@code start} invocations are gone once they printed their address). */
  private List<ProcessHandle> shims() {
    return new ProcessesMentioning("io.vcj.shim.ShimMain", cri.containerd().address().toString()).list();
  }

  /** The socket the pod's shim serves on, as its {@code start} wrote it into the sandbox's bundle. */
  private Path shimSocket(String podId) throws Exception {
    Path bundle = cri.containerd().dir().resolve("state/io.containerd.runtime.v2.task")
        .resolve(CriContainerd.NAMESPACE).resolve(podId);
    return Path.of(Files.readString(bundle.resolve("address")).strip().replaceFirst("^unix://", ""));
  }

  private static List<Path> entries(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.toList();
    }
  }
}
