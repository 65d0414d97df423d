package org.neuroflux.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import java.util.Map;
import reactor.netty.Connection;

/**
 * RFC 6455 strictness for a socket that reads client text: reactor-netty's handshake allows
 * extensions (RSV bits) and does not validate UTF-8, so after the upgrade its frame decoder is
 * replaced by one that refuses RSV bits (close 1002, no extension is negotiated) and followed by
 * Netty's UTF-8 validator (close 1007 on invalid text).
 */
final class StrictFrames {
    private StrictFrames() {}

    static void apply(Connection connection, int maxFramePayload) {
        ChannelPipeline pipeline = connection.channel().pipeline();
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            if (e.getValue() instanceof WebSocketFrameDecoder) {
                WebSocketDecoderConfig strict = WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFramePayload)
                        .expectMaskedFrames(true)
                        .allowMaskMismatch(false)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        .build();
                pipeline.replace(e.getKey(), e.getKey(), new WebSocket13FrameDecoder(strict));
                pipeline.addAfter(e.getKey(), "neuroflux-utf8", new Utf8FrameValidator(true));
                return;
            }
        }
    }
}
