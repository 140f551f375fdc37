package io.vcj.kata.client;

import io.vcj.ttrpc.TtrpcException;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.AgentException;

/**
 * What a failed agent call means to vc-core: the statuses that name a precise reason become the
 * matching {@link VcException}, everything else (lost connection, deadline, agent-internal
 * failures, RPCs the agent does not implement) an {@link AgentException}.
 */
final class AgentErrors {
    private AgentErrors() {
    }

    static RuntimeException translate(String call, TtrpcException e) {
        String message = "agent " + call + ": " + e.description();
        return switch (e.code()) {
            case NOT_FOUND -> new VcException.NotFound(message);
            case ALREADY_EXISTS -> new VcException.AlreadyExists(message);
            case INVALID_ARGUMENT, OUT_OF_RANGE -> new VcException.InvalidArgument(message);
            case FAILED_PRECONDITION -> new VcException.FailedPrecondition(message);
            default -> new AgentException("agent " + call + " failed: " + e.getMessage(), e);
        };
    }
}
