package io.vcj.it.cri;

import io.vcj.it.cri.proto.ContainerConfig;
import io.vcj.it.cri.proto.CreateContainerRequest;
import io.vcj.it.cri.proto.ExecSyncRequest;
import io.vcj.it.cri.proto.ExecSyncResponse;
import io.vcj.it.cri.proto.PodSandboxConfig;
import io.vcj.it.cri.proto.RemovePodSandboxRequest;
import io.vcj.it.cri.proto.RunPodSandboxRequest;
import io.vcj.it.cri.proto.StartContainerRequest;
import io.vcj.it.cri.proto.StopPodSandboxRequest;
import java.time.Duration;
import java.util.List;

/** One pod run through CRI with the vcj handler, and the calls a kubelet makes on it. */
public final class CriPod {

  private static final Duration EXEC_PATIENCE = Duration.ofMinutes(2);

  private final CriClient cri;
  private final PodSandboxConfig config;
  private final String id;

  private CriPod(CriClient cri, PodSandboxConfig config, String id) {
    this.cri = cri;
    this.config = config;
    this.id = id;
  }

  /** RunPodSandbox with the runtime handler {@value CriContainerd#HANDLER}. */
  public static CriPod run(CriClient cri, PodSandboxConfig config) {
    String id = cri.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
        .setRuntimeHandler(CriContainerd.HANDLER).build()).getPodSandboxId();
    return new CriPod(cri, config, id);
  }

  public String id() {
    return id;
  }

  public PodSandboxConfig config() {
    return config;
  }

  /** CreateContainer then StartContainer; returns the container's id. */
  public String start(ContainerConfig container) {
    String containerId = cri.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(id)
        .setConfig(container).setSandboxConfig(config).build()).getContainerId();
    cri.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build());
    return containerId;
  }

  /** ExecSync; fails naming the command and its output unless it exits 0. Returns its stdout. */
  public String exec(String containerId, String... command) {
    ExecSyncResponse done = cri.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
        .addAllCmd(List.of(command)).setTimeout(EXEC_PATIENCE.toSeconds()).build());
    if (done.getExitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " in " + containerId + " exited with "
          + done.getExitCode() + ": " + done.getStderr().toStringUtf8() + done.getStdout().toStringUtf8());
    }
    return done.getStdout().toStringUtf8();
  }

  /** StopPodSandbox then RemovePodSandbox, as the kubelet ends a pod. */
  public void stopAndRemove() {
    stopAndRemove(cri, id);
  }

  static void stopAndRemove(CriClient cri, String podId) {
    cri.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
  }
}
