package io.vcj.ttrpc;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A client call waiting for its Response: completed with the reply payload, or exceptionally
 * with a {@link TtrpcException}. Cancelling it forgets the stream; a late reply is dropped.
 */
final class PendingCall extends CompletableFuture<ByteString> {

    private final ClientHandler owner;
    final int streamId;
    volatile ScheduledFuture<?> deadline;

    PendingCall(ClientHandler owner, int streamId) {
        this.owner = owner;
        this.streamId = streamId;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            owner.forget(this);
        }
        return cancelled;
    }

    void fail(TtrpcException e) {
        completeExceptionally(e);
    }

    void stopTimer() {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
    }
}
