package io.vcj.ttrpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vcj.ttrpc.frame.FrameDecoder;
import io.vcj.ttrpc.frame.FrameEncoder;
import io.vcj.ttrpc.transport.StreamChannel;
import io.vcj.ttrpc.transport.UnixSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A ttrpc server: register services, then serve them on any number of endpoints (a Unix socket
 * path, an inherited listening socket, a byte stream). Each request runs on its own (by default
 * virtual) thread, so handlers may block. {@link #close()} stops every endpoint and connection.
 */
public final class TtrpcServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(TtrpcServer.class);
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final ServiceRegistry services = new ServiceRegistry();
    /**
     * Stays closed: a connection accepted just before {@link #close()} may only be set up after it,
     * and is then closed at once instead of outliving the server with its calls pending forever.
     */
    private final ChannelGroup channels = new DefaultChannelGroup("ttrpc-server", GlobalEventExecutor.INSTANCE, true);
    private final ThreadFactory handlerThreads;
    private final ChannelHandler connectionInitializer = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
            channels.add(ch);
            ch.pipeline().addLast(new FrameDecoder(), FrameEncoder.INSTANCE, new ServerConnection(services, handlerThreads));
        }
    };

    /** A server running each call on a new virtual thread. */
    public TtrpcServer() {
        this(Thread.ofVirtual().name("ttrpc-handler-", 0).factory());
    }

    /**
     * A server running each call on a new thread from {@code handlerThreads}. Use platform threads
     * when handlers block in reads of pipes, FIFOs or devices (e.g. a process's stdout): such reads
     * pin a virtual thread's carrier, and a few of them starve every other virtual thread.
     */
    public TtrpcServer(ThreadFactory handlerThreads) {
        this.handlerThreads = handlerThreads;
    }

    /** Adds a service; its name must not be registered yet. May be called while serving. */
    public TtrpcServer register(TtrpcService service) {
        return register(service.definition());
    }

    public TtrpcServer register(ServiceDefinition service) {
        services.add(service);
        return this;
    }

    /** Listens on a new Unix socket at {@code path} (which must not exist). */
    public Endpoint listen(Path path) throws IOException {
        return endpoint(UnixSockets.listen(path, connectionInitializer));
    }

    /**
     * Accepts connections on an already listening Unix socket, e.g. the one a shim's {@code start}
     * bound. It is made non-blocking (whoever bound it) and closed when the endpoint closes.
     */
    public Endpoint listenOnFd(int fd) throws IOException {
        return endpoint(UnixSockets.listenOnFd(fd, connectionInitializer));
    }

    /**
     * Serves the single peer at the other end of a byte stream pair (e.g. the guest end of a
     * virtio-serial port). The endpoint closes when the input ends.
     */
    public Endpoint serve(InputStream in, OutputStream out, String name) {
        return endpoint(StreamChannel.open(in, out, name, connectionInitializer));
    }

    private Endpoint endpoint(Channel channel) {
        channels.add(channel);
        return new Endpoint(channel);
    }

    /** Closes every endpoint and connection; running handlers are interrupted. */
    @Override
    public void close() {
        // Closing is best effort: an endpoint whose event loop already went away may never report
        // its close (a stream endpoint once hung CI here), and its streams are closed regardless.
        if (!channels.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("ttrpc server: endpoints still closing after {} s, not waiting longer", CLOSE_WAIT_SECONDS);
        }
    }
}
