package io.vcj.kata.client;

import io.vcj.vc.agent.Agent;
import io.vcj.vc.agent.AgentFactory;
import io.vcj.vc.config.AgentConfig;

/**
 * Makes {@link KataAgent}s (the dial deadline comes with each {@code connect}, from the config); register it under {@link #TYPE}:
 * {@code VirtContainers.builder().agent(KataAgentFactory.TYPE, new KataAgentFactory())}.
 */
public final class KataAgentFactory implements AgentFactory {
    /** The agent type sandbox configs name to get the kata agent. */
    public static final String TYPE = "kata";

    @Override
    public Agent create(AgentConfig config) {
        return new KataAgent();
    }
}
