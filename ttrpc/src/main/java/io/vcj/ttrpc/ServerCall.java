package io.vcj.ttrpc;

import com.google.protobuf.ByteString;
import io.netty.channel.EventLoop;
import io.vcj.ttrpc.proto.Request;
import io.vcj.ttrpc.proto.Response;
import io.vcj.ttrpc.proto.Status;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One request being served on its own thread. Exactly one Response leaves per call:
 * the handler's result, or DEADLINE_EXCEEDED if the request's timeout passes first (the handler
 * is then interrupted). A call whose connection closed answers nothing and is interrupted.
 */
final class ServerCall implements Runnable {

    private static final Logger LOG = LogManager.getLogger(ServerCall.class);

    private final ServerConnection connection;
    private final int streamId;
    private final Request request;
    private final ServiceDefinition.Method method;
    private final EventLoop timers;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final Thread thread;
    private final Instant deadline;
    private ScheduledFuture<?> deadlineTimer;

    ServerCall(ServerConnection connection, int streamId, Request request, ServiceDefinition.Method method,
               EventLoop timers, ThreadFactory threads) {
        this.connection = connection;
        this.streamId = streamId;
        this.request = request;
        this.method = method;
        this.timers = timers;
        this.thread = threads.newThread(this);
        long timeout = request.getTimeoutNano();
        this.deadline = timeout > 0 ? Instant.now().plusNanos(timeout) : null;
    }

    int streamId() {
        return streamId;
    }

    /** Called on the event loop. */
    void start() {
        long timeout = request.getTimeoutNano();
        if (timeout > 0) {
            deadlineTimer = timers.schedule(this::expire, timeout, TimeUnit.NANOSECONDS);
        }
        thread.start();
    }

    @Override
    public void run() {
        RequestContext context = new RequestContext(request.getService(), request.getMethod(),
                Metadata.fromWire(request.getMetadataList()), deadline);
        try {
            ScopedValue.where(RequestContext.scope(), context).run(this::invoke);
        } finally {
            if (deadlineTimer != null) {
                deadlineTimer.cancel(false);
            }
            connection.finished(this);
        }
    }

    private void invoke() {
        Response response;
        try {
            ByteString reply = method.invoke(request.getPayload());
            response = Response.newBuilder().setStatus(Status.getDefaultInstance())
                    .setPayload(reply).build();
        } catch (TtrpcException e) {
            response = failure(e);
        } catch (Throwable t) {
            if (answered.get()) {
                return;
            }
            LOG.debug("{} failed", fullName(), t);
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
            response = failure(new TtrpcException(StatusCode.UNKNOWN, message));
        }
        answer(response);
    }

    private static Response failure(TtrpcException e) {
        return Response.newBuilder().setStatus(e.toStatus()).build();
    }

    private void answer(Response response) {
        if (answered.compareAndSet(false, true)) {
            connection.send(streamId, response);
        }
    }

    private void expire() {
        answer(failure(new TtrpcException(StatusCode.DEADLINE_EXCEEDED, fullName() + ": deadline exceeded")));
        thread.interrupt();
    }

    /** The connection is gone: nobody will read an answer, so stop the handler. */
    void abandon() {
        answered.set(true);
        thread.interrupt();
    }

    private String fullName() {
        return "/" + request.getService() + "/" + request.getMethod();
    }
}
