package io.vcj.vc.agent;

/** Talking to the guest agent failed (transport down, timeout, or the agent reported an error). */
public class AgentException extends RuntimeException {
    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
