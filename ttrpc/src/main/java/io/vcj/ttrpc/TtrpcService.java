package io.vcj.ttrpc;

/** Something a {@link TtrpcServer} can serve; generated service base classes implement it. */
public interface TtrpcService {

    ServiceDefinition definition();
}
