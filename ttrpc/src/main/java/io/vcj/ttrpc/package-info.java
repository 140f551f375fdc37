/**
 * ttrpc, containerd's small RPC protocol (protobuf messages in 10-byte-header frames), as a
 * client and a server over Unix sockets, inherited listening sockets and plain byte streams.
 *
 * <p>Stubs are generated per proto service by {@link io.vcj.ttrpc.codegen.StubGenerator}:
 * for service {@code containerd.task.v2.Task} in Java package {@code X}, {@code X.TaskTtrpcClient}
 * (client interface) and {@code X.TaskTtrpcService} (server base class).
 *
 * <pre>{@code
 * // server
 * TtrpcServer server = new TtrpcServer().register(new MyTask());   // MyTask extends TaskTtrpcService
 * server.listen(Path.of("/run/x.sock"));        // or listenOnFd(0), or serve(in, out, "agent.channel.0")
 *
 * // client
 * TtrpcClient conn = TtrpcClient.connect(Path.of("/run/x.sock"));  // or TtrpcClient.over(in, out, name)
 * TaskTtrpcClient task = TaskTtrpcClient.of(conn, CallOptions.DEFAULT
 *         .withTimeout(Duration.ofSeconds(10))
 *         .withMetadata(Metadata.CONTAINERD_NAMESPACE, "k8s.io"));
 * CreateTaskResponse r = task.create(request);                     // or task.createAsync(request)
 * }</pre>
 *
 * <p>Failures are {@link io.vcj.ttrpc.TtrpcException}s carrying a {@link io.vcj.ttrpc.StatusCode};
 * inside a handler, {@link io.vcj.ttrpc.RequestContext#current()} gives the call's metadata.
 */
package io.vcj.ttrpc;
