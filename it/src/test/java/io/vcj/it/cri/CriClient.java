package io.vcj.it.cri;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.vcj.it.cri.proto.RuntimeServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A CRI client as the kubelet is one: grpc-java over containerd's Unix socket, where the CRI
 * plugin serves {@code runtime.v1.RuntimeService}.
 */
public final class CriClient implements AutoCloseable {

  /** Per call; RunPodSandbox boots a VM under TCG on a loaded host. Patience, not a measurement. */
  private static final Duration CALL_PATIENCE = Duration.ofMinutes(5);

  private final EventLoopGroup eventLoop;
  private final ManagedChannel channel;

  private CriClient(EventLoopGroup eventLoop, ManagedChannel channel) {
    this.eventLoop = eventLoop;
    this.channel = channel;
  }

  public static CriClient connect(Path socket) {
    EventLoopGroup eventLoop = new EpollEventLoopGroup(1);
    ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .eventLoopGroup(eventLoop)
        .channelType(EpollDomainSocketChannel.class)
        .overrideAuthority("localhost")
        .usePlaintext()
        .build();
    return new CriClient(eventLoop, channel);
  }

  /** The runtime service, with a fresh deadline for the next call. */
  public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return RuntimeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    eventLoop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }
}
