package io.vcj.vc.agent;

import io.vcj.vc.config.AgentConfig;

/** Makes an unconnected {@link Agent} for one sandbox; registered with {@code VirtContainers} by agent type. */
@FunctionalInterface
public interface AgentFactory {
    Agent create(AgentConfig config);
}
