package org.neuroflux.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * Logs what clients do to their own connections at DEBUG instead of letting reactor-netty report it
 * as an uncaught ERROR with a stack trace: a TCP reset or broken pipe, a close in the middle of a
 * fragmented message, a frame that breaks RFC 6455 (already answered with a close code by the
 * decoder). Sits just before reactor-netty's bridge; anything else passes on unchanged.
 */
@ChannelHandler.Sharable
final class ClientResets extends ChannelInboundHandlerAdapter {
    static final String NAME = "neuroflux.clientResets";
    private static final ClientResets INSTANCE = new ClientResets();
    private static final Logger LOG = LoggerFactory.getLogger(ClientResets.class);

    private ClientResets() {}

    /** Puts the handler right before reactor-netty's bridge (again after handlers were added, e.g. an aggregator). */
    static void install(Channel channel) {
        ChannelPipeline p = channel.pipeline();
        if (!channel.isActive()) return;
        if (p.get(NAME) != null) p.remove(NAME);
        if (p.get(NettyPipeline.ReactiveBridge) != null) p.addBefore(NettyPipeline.ReactiveBridge, NAME, INSTANCE);
        else p.addLast(NAME, INSTANCE);
    }

    /** True for what a client does to its own connection, as opposed to a fault of the server. */
    static boolean clientCaused(Throwable cause) {
        return cause instanceof IOException
                || cause instanceof PrematureChannelClosureException
                || cause instanceof CorruptedWebSocketFrameException;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!clientCaused(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (LOG.isDebugEnabled())
            LOG.debug("client {} ended its connection: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
