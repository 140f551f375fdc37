package io.vcj.ttrpc.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Unix domain sockets through Netty's native epoll transport: dialing, listening on a path, and
 * serving a listening socket inherited as a file descriptor (how containerd hands a shim its
 * socket, on fd 0). All channels share one small daemon event-loop group; ttrpc work that may
 * block never runs on it.
 */
public final class UnixSockets {

    private static final class Loops {
        static final EventLoopGroup GROUP = create();

        private static EventLoopGroup create() {
            Epoll.ensureAvailability();
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            return new EpollEventLoopGroup(threads, new DefaultThreadFactory("ttrpc-epoll", true));
        }
    }

    private UnixSockets() {
    }

    public static EventLoopGroup eventLoops() {
        return Loops.GROUP;
    }

    /** Connects to the socket at {@code path}; the handler is installed before any byte flows. */
    public static Channel connect(Path path, Duration timeout, ChannelHandler handler) throws IOException {
        ChannelFuture connected = new Bootstrap()
                .group(eventLoops())
                .channel(EpollDomainSocketChannel.class)
                .handler(handler)
                .connect(new DomainSocketAddress(path.toString()));
        return await(connected, timeout, "connect to " + path);
    }

    /** Binds and listens on {@code path}, which must not exist yet; the socket file is removed on close. */
    public static Channel listen(Path path, ChannelHandler childHandler) throws IOException {
        // Netty's native bind unlinks an existing file first, which would silently steal a live
        // server's address; whoever owns a stale socket must remove it deliberately.
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(path.toString(), null, "cannot listen: the path already exists");
        }
        ChannelFuture bound = serverBootstrap(childHandler)
                .channel(EpollServerDomainSocketChannel.class)
                .bind(new DomainSocketAddress(path.toString()));
        return await(bound, null, "listen on " + path);
    }

    /**
     * Accepts on an already bound and listening socket given as a file descriptor, which is made
     * non-blocking first: the epoll loop accepts until EAGAIN and would hang in accept(2) on a
     * blocking socket (the parent decides how it hands the socket over).
     */
    public static Channel listenOnFd(int fd, ChannelHandler childHandler) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("invalid file descriptor " + fd);
        }
        NonBlocking.set(fd);
        ChannelFuture registered = serverBootstrap(childHandler)
                .channelFactory(() -> new EpollServerDomainSocketChannel(fd, true))
                .register();
        return await(registered, null, "accept on file descriptor " + fd);
    }

    private static ServerBootstrap serverBootstrap(ChannelHandler childHandler) {
        return new ServerBootstrap().group(eventLoops()).childHandler(childHandler);
    }

    private static Channel await(ChannelFuture future, Duration timeout, String what) throws IOException {
        boolean done = timeout == null
                ? future.awaitUninterruptibly().isDone()
                : future.awaitUninterruptibly(timeout.toMillis());
        if (!done) {
            future.cancel(false);
            future.channel().close();
            throw new IOException(what + ": timed out after " + timeout);
        }
        if (!future.isSuccess()) {
            future.channel().close();
            throw new IOException(what + ": " + future.cause().getMessage(), future.cause());
        }
        return future.channel();
    }
}
