package io.vcj.ttrpc.transport;

import io.netty.channel.ChannelId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream channel's id: the stream's name and a per-process sequence number. Netty's default id
 * starts from a MAC address, found by enumerating the network interfaces, which took the guest
 * agent half a second under TCG before it could answer the host's first call.
 */
final class StreamChannelId implements ChannelId {
    private static final AtomicLong NEXT = new AtomicLong();

    private final String text;

    StreamChannelId(String name) {
        this.text = name + "#" + NEXT.incrementAndGet();
    }

    @Override
    public String asShortText() {
        return text;
    }

    @Override
    public String asLongText() {
        return text;
    }

    @Override
    public int compareTo(ChannelId other) {
        return text.compareTo(other.asLongText());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamChannelId id && id.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
