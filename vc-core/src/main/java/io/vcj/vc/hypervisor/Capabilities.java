package io.vcj.vc.hypervisor;

/** What this hypervisor can do on this host, so callers choose a path before trying it. */
public record Capabilities(boolean blockDeviceHotplug, boolean multiQueue, boolean fsSharing, boolean vsock) {
}
