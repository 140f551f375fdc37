package io.vcj.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A QMP session over a Unix socket: replies are matched to commands by id, events go to listeners.
 * One virtual thread per connection reads everything QEMU sends.
 */
public final class QmpClient implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(QmpClient.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final SocketChannel channel;
    private final Path socket;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final List<Consumer<QmpMessage.Event>> listeners = new CopyOnWriteArrayList<>();
    private final Set<CompletableFuture<QmpMessage.Event>> eventWaiters = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<QmpMessage.Greeting> greeting = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Object writeLock = new Object();

    private QmpClient(SocketChannel channel, Path socket) {
        this.channel = channel;
        this.socket = socket;
    }

    /**
     * Connects, waits up to {@code timeout} for QEMU's greeting and leaves command mode negotiated.
     * A monitor already serving another client never greets, so the timeout matters.
     */
    public static QmpClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        QmpClient client = new QmpClient(channel, socket);
        Thread.ofVirtual().name("qmp-reader " + socket).start(client::readLoop);
        try {
            client.greeting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            client.execute("qmp_capabilities", null, timeout);
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw new IOException("no QMP greeting on " + socket + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to QMP at " + socket, e);
        } catch (ExecutionException | RuntimeException e) {
            client.close();
            throw new IOException("QMP handshake on " + socket + " failed: " + rootMessage(e), e);
        }
    }

    public JsonNode execute(String command) {
        return execute(command, null, DEFAULT_TIMEOUT);
    }

    public JsonNode execute(String command, ObjectNode arguments) {
        return execute(command, arguments, DEFAULT_TIMEOUT);
    }

    /** Runs one command and returns its {@code return} value; QMP errors become {@link QmpException}. */
    public JsonNode execute(String command, ObjectNode arguments, Duration timeout) {
        long id = nextId.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, new Pending(command, reply));
        try {
            send(QmpCodec.encodeCommand(id, command, arguments));
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new QmpException(command + ": cannot write to " + socket, e);
        } catch (TimeoutException e) {
            throw new QmpException(command + ": no reply within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(command + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException qmp) {
                throw qmp;
            }
            throw new QmpException(command + ": " + rootMessage(e), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /** Listeners run on the reader thread and must not block. */
    public void addEventListener(Consumer<QmpMessage.Event> listener) {
        listeners.add(listener);
    }

    public void removeEventListener(Consumer<QmpMessage.Event> listener) {
        listeners.remove(listener);
    }

    /**
     * The first event from now on that matches; register it before the command that causes the
     * event so a fast reply cannot slip past. Fails when the connection closes first.
     */
    public CompletableFuture<QmpMessage.Event> awaitEvent(Predicate<QmpMessage.Event> matching) {
        CompletableFuture<QmpMessage.Event> result = new CompletableFuture<>();
        Consumer<QmpMessage.Event> listener = event -> {
            if (matching.test(event)) {
                result.complete(event);
            }
        };
        addEventListener(listener);
        eventWaiters.add(result);
        result.whenComplete((event, error) -> {
            removeEventListener(listener);
            eventWaiters.remove(result);
        });
        if (closed.isDone()) {
            result.completeExceptionally(connectionClosed());
        }
        return result;
    }

    /** Completes when QEMU closes the connection or {@link #close()} is called. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing QMP socket {}: {}", socket, e.toString());
        }
    }

    private void send(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private void readLoop() {
        try {
            Iterator<QmpMessage> messages = QmpCodec.decodeStream(Channels.newInputStream(channel));
            while (messages.hasNext()) {
                dispatch(messages.next());
            }
        } catch (IOException | RuntimeException e) {
            if (channel.isOpen()) {
                LOG.debug("QMP reader on {} stopped: {}", socket, e.toString());
            }
        } finally {
            close();
            closed.complete(null);
            QmpException gone = connectionClosed();
            greeting.completeExceptionally(gone);
            pending.values().forEach(p -> p.reply().completeExceptionally(gone));
            eventWaiters.forEach(waiter -> waiter.completeExceptionally(gone));
        }
    }

    private void dispatch(QmpMessage message) {
        switch (message) {
            case QmpMessage.Greeting g -> greeting.complete(g);
            case QmpMessage.Return r -> complete(r.id(), p -> p.reply().complete(r.value()));
            case QmpMessage.Error e -> complete(e.id(), p ->
                    p.reply().completeExceptionally(new QmpException(p.command(), e.errorClass(), e.desc())));
            case QmpMessage.Event e -> {
                LOG.debug("QMP event {} {}", e.name(), e.data());
                listeners.forEach(listener -> listener.accept(e));
            }
        }
    }

    private void complete(long id, Consumer<Pending> action) {
        Pending reply = pending.get(id);
        if (reply == null) {
            LOG.warn("QMP reply for unknown id {} on {}", id, socket);
            return;
        }
        action.accept(reply);
    }

    private QmpException connectionClosed() {
        return new QmpException("QMP connection to " + socket + " closed", null);
    }

    private record Pending(String command, CompletableFuture<JsonNode> reply) {
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
