package io.vcj.ttrpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The services a server offers, by fully-qualified proto name; answers lookups the way Go ttrpc does. */
final class ServiceRegistry {

    private final Map<String, ServiceDefinition> services = new ConcurrentHashMap<>();

    void add(ServiceDefinition service) {
        if (services.putIfAbsent(service.name(), service) != null) {
            throw new IllegalArgumentException("service " + service.name() + " is already registered");
        }
    }

    ServiceDefinition.Method resolve(String service, String method) {
        ServiceDefinition definition = services.get(service);
        if (definition == null) {
            throw new TtrpcException(StatusCode.UNIMPLEMENTED, "service " + service);
        }
        ServiceDefinition.Method bound = definition.method(method);
        if (bound == null) {
            throw new TtrpcException(StatusCode.UNIMPLEMENTED, "method " + method);
        }
        return bound;
    }
}
