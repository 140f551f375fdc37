package io.vcj.ttrpc;

import io.netty.channel.Channel;
import java.net.SocketAddress;

/** One place a {@link TtrpcServer} serves: a listening socket or a byte stream. */
public final class Endpoint implements AutoCloseable {

    private final Channel channel;

    Endpoint(Channel channel) {
        this.channel = channel;
    }

    public SocketAddress address() {
        return channel.localAddress();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Blocks until the endpoint is closed (for a stream: until its peer goes away). */
    public void awaitClosed() throws InterruptedException {
        channel.closeFuture().await();
    }

    /** Stops accepting; connections already accepted stay until the server closes. */
    @Override
    public void close() {
        if (channel.isOpen()) {
            channel.close().awaitUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return "Endpoint[" + channel.localAddress() + "]";
    }
}
