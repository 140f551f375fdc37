/**
 * The host side of the kata agent protocol: {@link io.vcj.kata.client.KataAgent} implements vc-core's
 * {@code Agent} over the generated {@code grpc.AgentService} and {@code grpc.Health} ttrpc clients.
 *
 * <pre>{@code
 * VirtContainers.builder()
 *         .hypervisor("qemu", HypervisorFactory.withReattach(QemuHypervisor::new, QemuHypervisor::attach))
 *         .agent(KataAgentFactory.TYPE, new KataAgentFactory())
 *         .build();
 * }</pre>
 *
 * <p>Connection handling ({@code AgentConnection}: health-checked dial through QEMU's chardev socket,
 * re-dial) is apart from the protocol mapping ({@code KataRequests}, {@code OciJsonToProto},
 * {@code KataResponses}, {@code AgentErrors}). Only virtio-serial channels are reachable: the JDK has
 * no AF_VSOCK sockets. Kata 3 has no ListProcesses RPC, so {@code listProcesses} asks vcj's own
 * {@code vcj.agent.Processes} service, which our guest agent serves beside the kata ones.
 */
package io.vcj.kata.client;
