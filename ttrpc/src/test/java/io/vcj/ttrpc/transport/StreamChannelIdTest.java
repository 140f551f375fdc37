package io.vcj.ttrpc.transport;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.junit.jupiter.api.Test;

class StreamChannelIdTest {

    @Test
    void streamChannelsAreNamedAfterTheirStreamAndNeverShareAnId() throws Exception {
        StreamChannel first = open("agent.channel.0");
        StreamChannel second = open("agent.channel.0");
        try {
            assertTrue(first.id().asLongText().startsWith("agent.channel.0#"), first.id().asLongText());
            assertNotEquals(first.id(), second.id());
            assertNotEquals(0, first.id().compareTo(second.id()));
        } finally {
            first.close().sync();
            second.close().sync();
        }
    }

    private static StreamChannel open(String name) throws Exception {
        // An input that stays open until the channel closes it, as a quiet virtio-serial port does.
        InputStream in = new PipedInputStream(new PipedOutputStream());
        return StreamChannel.open(in, new ByteArrayOutputStream(), name, new ChannelInboundHandlerAdapter());
    }
}
