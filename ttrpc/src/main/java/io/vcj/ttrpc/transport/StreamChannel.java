package io.vcj.ttrpc.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A Netty channel over a blocking byte stream (an InputStream/OutputStream pair such as a
 * virtio-serial port or a pipe), so the same pipeline and codec serve sockets and streams.
 *
 * <p>A dedicated thread reads; each chunk is handed to the channel's own event loop and the reader
 * waits until it is processed, which keeps memory bounded. Writes happen on the event loop. The
 * channel is active from the start (the stream is already connected); it closes when the input
 * ends, on an I/O error, or when closed, and then closes both streams.
 */
public final class StreamChannel extends AbstractChannel {

    private static final Logger LOG = LogManager.getLogger(StreamChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);
    private static final int READ_CHUNK = 64 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final StreamAddress address;
    private final ChannelConfig config = new DefaultChannelConfig(this);
    private volatile boolean open = true;
    private boolean readerStarted;

    private StreamChannel(InputStream in, OutputStream out, String name) {
        super(null, new StreamChannelId(name));
        this.in = in;
        this.out = out;
        this.address = new StreamAddress(name);
    }

    /**
     * Wraps the streams in a channel with its own event loop, installs {@code handler} and starts
     * reading. The event loop shuts down when the channel closes.
     */
    public static StreamChannel open(InputStream in, OutputStream out, String name, ChannelHandler handler) {
        StreamChannel channel = new StreamChannel(in, out, name);
        EventLoop loop = new DefaultEventLoop(new DefaultThreadFactory("ttrpc-stream", true));
        channel.pipeline().addLast(handler);
        // Listeners of the close (a server closing all its endpoints waits on them) are notified
        // through this loop after the close future completes: a quiet period keeps it accepting
        // those notifications instead of rejecting them and leaving the waiter hanging.
        channel.closeFuture().addListener(f -> loop.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS));
        loop.register(channel).syncUninterruptibly();
        return channel;
    }

    /** Names the stream in logs; streams have no real address. */
    public static final class StreamAddress extends SocketAddress {
        private final String name;

        StreamAddress(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException("a stream channel is connected from the start"));
            }
        };
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof DefaultEventLoop;
    }

    @Override
    protected SocketAddress localAddress0() {
        return address;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return address;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a stream channel cannot bind");
    }

    @Override
    protected void doDisconnect() throws IOException {
        doClose();
    }

    @Override
    protected void doClose() throws IOException {
        open = false;
        try (in; out) {
            // closing both streams is the point; closing the input also ends a blocked reader
        }
    }

    @Override
    protected void doBeginRead() {
        if (!readerStarted) {
            readerStarted = true;
            // A platform thread: a virtual thread blocked in a file or device read pins its carrier,
            // and two such readers on a two-core guest would starve every handler.
            Thread.ofPlatform().daemon().name("ttrpc-stream-reader-" + address.name()).start(this::readLoop);
        }
    }

    private void readLoop() {
        try {
            while (open) {
                ByteBuf chunk = alloc().buffer(READ_CHUNK);
                int n;
                try {
                    n = chunk.writeBytes(in, READ_CHUNK);
                } catch (IOException e) {
                    chunk.release();
                    throw e;
                }
                if (n < 0) {
                    chunk.release();
                    break;
                }
                eventLoop().submit(() -> {
                    pipeline().fireChannelRead(chunk);
                    pipeline().fireChannelReadComplete();
                }).syncUninterruptibly();
            }
        } catch (IOException e) {
            if (open) {
                LOG.debug("stream {} read failed: {}", address, e.toString());
            }
        } catch (RuntimeException e) {
            // the event loop is gone: the channel closed while we were reading
            LOG.debug("stream {} reader stopping: {}", address, e.toString());
        }
        if (open) {
            close();
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer buffer) throws IOException {
        Object msg;
        while ((msg = buffer.current()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            buf.readBytes(out, buf.readableBytes());
            buffer.remove();
        }
        out.flush();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getName());
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }
}
