package io.vcj.kata.client;

import io.vcj.kata.proto.AgentServiceTtrpcClient;
import io.vcj.kata.proto.CheckRequest;
import io.vcj.kata.proto.HealthCheckResponse.ServingStatus;
import io.vcj.kata.proto.HealthTtrpcClient;
import io.vcj.kata.proto.vcj.ProcessesTtrpcClient;
import io.vcj.ttrpc.CallOptions;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcException;
import io.vcj.vc.agent.AgentException;
import io.vcj.vc.hypervisor.AgentChannel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The ttrpc connection to one guest agent, dialled through QEMU's chardev socket.
 *
 * <p>QEMU accepts on that socket whether or not the guest has opened its end of the port, and the
 * guest drops what was queued when it (re)opens the port; so a connection only counts once a
 * {@code grpc.Health/Check} was answered, and a check that goes unanswered costs the connection:
 * the next attempt starts on a fresh one, with no half-delivered frame in front of it.
 */
final class AgentConnection implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(AgentConnection.class);
    /**
     * First per-check timeout; doubled on each unanswered check so a slow first answer (a cold JVM under
     * TCG) gets through. Short because a live agent answers well within it, while the first check of a
     * VM just resumed from a template goes unanswered for longer (a cold guest): a second check on a
     * new connection gets through sooner than waiting that one out.
     */
    private static final Duration FIRST_CHECK_TIMEOUT = Duration.ofMillis(150);
    private static final Duration MAX_CHECK_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(20);
    /** How long a call may re-establish a connection that broke under it. */
    private static final Duration REDIAL_DEADLINE = Duration.ofSeconds(15);

    private final Path socket;
    private TtrpcClient client;

    private AgentConnection(Path socket, TtrpcClient client) {
        this.socket = socket;
        this.client = client;
    }

    /** Dials until the agent answers a health check or {@code deadline} has passed. */
    static AgentConnection open(AgentChannel channel, Duration deadline) {
        Path socket = switch (channel) {
            case AgentChannel.SerialSocket serial -> serial.socket();
            case AgentChannel.Vsock vsock -> throw new AgentException("cannot reach the agent on vsock (cid "
                    + vsock.contextId() + ", port " + vsock.port() + "): the JDK has no AF_VSOCK sockets;"
                    + " configure the hypervisor with a virtio-serial agent channel");
        };
        return new AgentConnection(socket, dial(socket, deadline));
    }

    private static TtrpcClient dial(Path socket, Duration deadline) {
        Instant start = Instant.now();
        Instant end = start.plus(deadline);
        Duration checkTimeout = FIRST_CHECK_TIMEOUT;
        String lastFailure = "never tried";
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.between(Instant.now(), end);
            if (left.isNegative() || left.isZero()) {
                throw new AgentException("the agent at " + socket + " did not answer a health check within "
                        + deadline + " (last: " + lastFailure + ")");
            }
            Duration timeout = checkTimeout.compareTo(left) < 0 ? checkTimeout : left;
            TtrpcClient candidate = null;
            try {
                candidate = TtrpcClient.connect(socket, timeout);
                ServingStatus status = HealthTtrpcClient.of(candidate, CallOptions.DEFAULT.withTimeout(timeout))
                        .check(CheckRequest.getDefaultInstance()).getStatus();
                if (status == ServingStatus.SERVING) {
                    LOG.info("agent at {} answered after {} ms, attempt {}", socket,
                            Duration.between(start, Instant.now()).toMillis(), attempt);
                    return candidate;
                }
                lastFailure = "health check answered " + status;
            } catch (IOException | TtrpcException e) {
                lastFailure = e.getMessage();
                if (e instanceof TtrpcException t && t.code() == StatusCode.DEADLINE_EXCEEDED) {
                    checkTimeout = min(checkTimeout.multipliedBy(2), MAX_CHECK_TIMEOUT);
                }
            }
            if (candidate != null) {
                candidate.close();
            }
            pause();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while dialling the agent", e);
        }
    }

    /** The agent service with per-call options; re-dials first if the connection broke. */
    AgentServiceTtrpcClient agent(CallOptions options) {
        return AgentServiceTtrpcClient.of(live(), options);
    }

    /** vcj's own guest service (see processes.proto), on the same connection. */
    ProcessesTtrpcClient processes(CallOptions options) {
        return ProcessesTtrpcClient.of(live(), options);
    }

    HealthTtrpcClient health(CallOptions options) {
        return HealthTtrpcClient.of(live(), options);
    }

    private synchronized TtrpcClient live() {
        if (client == null) {
            throw new AgentException("the connection to the agent at " + socket + " is closed");
        }
        if (!client.isOpen()) {
            client = dial(socket, REDIAL_DEADLINE);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return "agent at " + socket;
    }
}
