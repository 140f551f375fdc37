package io.vcj.ttrpc;

import com.google.protobuf.MessageLite;

/**
 * Server-side code for one unary RPC. It runs on its own thread (virtual by default) and may block. Throwing
 * {@link TtrpcException} answers with that status; any other exception answers UNKNOWN with its
 * message. {@link RequestContext#current()} gives the call's metadata and deadline.
 */
@FunctionalInterface
public interface UnaryHandler<Req extends MessageLite, Resp extends MessageLite> {

    Resp handle(Req request) throws Exception;
}
