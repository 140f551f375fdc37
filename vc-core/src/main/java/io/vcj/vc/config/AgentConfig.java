package io.vcj.vc.config;

import io.vcj.vc.VcException;

import java.time.Duration;

/**
 * How to talk to the guest agent.
 *
 * @param dialTimeout how long the agent may take to answer after the VM starts (the guest boots meanwhile)
 * @param debug       ask the agent for verbose logs
 */
public record AgentConfig(Duration dialTimeout, boolean debug) {

    public static final AgentConfig DEFAULT = new AgentConfig(Duration.ofSeconds(30), false);

    public AgentConfig {
        if (dialTimeout == null || dialTimeout.isNegative() || dialTimeout.isZero()) {
            throw new VcException.InvalidArgument("agent dial timeout must be positive, got " + dialTimeout);
        }
    }
}
