package dev.shepherd.plugin.mesh.gossip.transport;

import dev.shepherd.plugin.mesh.gossip.wire.Envelope;
import dev.shepherd.plugin.mesh.gossip.wire.EnvelopeCodec;
import dev.shepherd.plugin.mesh.gossip.wire.Rpc;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Gossip over grpc-java: one service, {@code shepherd.mesh.v1.Gossip}, with a unary method per
 * {@link Rpc} whose messages are {@link EnvelopeCodec} bytes (a byte[] marshaller instead of
 * generated protobuf stubs). Netty over TCP in production; gRPC's in-process transport for clusters
 * inside one JVM, where the address is just a name.
 */
public final class GrpcGossipTransport implements GossipTransport {

    static final String SERVICE = "shepherd.mesh.v1.Gossip";

    private final Function<GossipHandler, ServerBuilder<?>> serverBuilder;
    private final Function<String, ManagedChannel> channelFactory;
    private final Map<Rpc, MethodDescriptor<byte[], byte[]>> methods = new EnumMap<>(Rpc.class);
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final LongAdder bytesSent = new LongAdder();
    private final int boundPortHint;
    private final String inProcessName;
    private volatile Server server;
    private volatile boolean closed;

    private GrpcGossipTransport(Function<GossipHandler, ServerBuilder<?>> serverBuilder,
                                Function<String, ManagedChannel> channelFactory, int boundPortHint,
                                String inProcessName) {
        this.inProcessName = inProcessName;
        this.serverBuilder = serverBuilder;
        this.channelFactory = channelFactory;
        this.boundPortHint = boundPortHint;
        for (Rpc rpc : Rpc.values()) {
            methods.put(rpc, MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, rpc.methodName()))
                    .setRequestMarshaller(BytesMarshaller.INSTANCE)
                    .setResponseMarshaller(BytesMarshaller.INSTANCE)
                    .build());
        }
    }

    /** TCP (Netty, plaintext) listening on {@code bindHost:port}; peers are dialled by host:port. */
    public static GrpcGossipTransport tcp(String bindHost, int port) {
        return tcp(bindHost, port, null);
    }

    /** TCP with mutual TLS when {@code tls} is given, plaintext when it is null. */
    public static GrpcGossipTransport tcp(String bindHost, int port, GossipTls tls) {
        return new GrpcGossipTransport(
                handler -> {
                    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bindHost, port));
                    return tls == null ? builder : builder.sslContext(tls.server());
                },
                address -> {
                    int colon = address.lastIndexOf(':');
                    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.substring(0, colon),
                            Integer.parseInt(address.substring(colon + 1)));
                    return (tls == null ? builder.usePlaintext() : builder.sslContext(tls.client())).build();
                }, -1, null);
    }

    /** gRPC's in-process transport: this node serves under {@code name}, peers are dialled by name. */
    public static GrpcGossipTransport inProcess(String name) {
        return new GrpcGossipTransport(
                handler -> InProcessServerBuilder.forName(name),
                address -> InProcessChannelBuilder.forName(address).build(), 0, name);
    }

    @Override
    public int start(GossipHandler handler) throws IOException {
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(SERVICE);
        for (Rpc rpc : Rpc.values()) {
            service.addMethod(methods.get(rpc), ServerCalls.asyncUnaryCall(
                    (byte[] request, StreamObserver<byte[]> reply) -> serve(handler, rpc, request, reply)));
        }
        server = serverBuilder.apply(handler).addService(service.build()).build().start();
        return boundPortHint >= 0 ? boundPortHint : server.getPort();
    }

    private void serve(GossipHandler handler, Rpc rpc, byte[] request, StreamObserver<byte[]> reply) {
        CompletableFuture<Envelope> answer;
        try {
            answer = handler.handle(rpc, EnvelopeCodec.decode(request));
        } catch (RuntimeException e) {
            reply.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        answer.whenComplete((envelope, failure) -> {
            if (failure != null) {
                reply.onError(Status.UNAVAILABLE.withDescription(String.valueOf(failure.getMessage()))
                        .asRuntimeException());
                return;
            }
            byte[] bytes = EnvelopeCodec.encode(envelope);
            bytesSent.add(bytes.length);
            reply.onNext(bytes);
            reply.onCompleted();
        });
    }

    @Override
    public CompletableFuture<Envelope> call(String address, Rpc rpc, Envelope request, long timeoutMillis) {
        CompletableFuture<Envelope> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("transport closed"));
            return result;
        }
        byte[] bytes = EnvelopeCodec.encode(request);
        bytesSent.add(bytes.length);
        ManagedChannel channel = channels.computeIfAbsent(address, channelFactory);
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // gRPC would fail calls fast for up to two minutes of reconnect backoff; a peer that came
            // back (restart, healed partition) must be reachable on the next probe, so dial again now.
            channel.resetConnectBackoff();
        }
        ClientCalls.asyncUnaryCall(
                channel.newCall(methods.get(rpc), CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)),
                bytes, new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                        try {
                            result.complete(EnvelopeCodec.decode(value));
                        } catch (RuntimeException e) {
                            result.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        result.completeExceptionally(new IllegalStateException("no reply"));
                    }
                });
        return result;
    }

    @Override
    public String addressFor(String advertiseHost, int boundPort) {
        return inProcessName != null ? inProcessName : advertiseHost + ":" + boundPort;
    }

    @Override
    public long bytesSent() {
        return bytesSent.sum();
    }

    @Override
    public void close() {
        closed = true;
        Server s = server;
        if (s != null) {
            s.shutdownNow();
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }

    /** Passes the encoded bytes through untouched. */
    private enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
