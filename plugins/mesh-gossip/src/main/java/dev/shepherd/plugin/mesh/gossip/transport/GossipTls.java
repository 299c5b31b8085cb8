package dev.shepherd.plugin.mesh.gossip.transport;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS for the gossip port: every node presents its certificate (from a PKCS#12 key store) as
 * server and as client, and accepts peers only when the trust store vouches for theirs. Clients
 * also check that the server's certificate names the address they dialled.
 */
public final class GossipTls {

    private final KeyManagerFactory keys;
    private final TrustManagerFactory trust;

    public GossipTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
        try {
            KeyStore keyStore = load(keystore, keystorePassword);
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password(keystorePassword));
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(truststore, truststorePassword));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the mesh TLS stores: " + e.getMessage(), e);
        }
    }

    SslContext server() {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(keys))
                    .trustManager(trust).clientAuth(ClientAuth.REQUIRE).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SslContext client() {
        try {
            return GrpcSslContexts.forClient().keyManager(keys).trustManager(trust).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyStore load(Path path, String password) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password(password));
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static char[] password(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }
}
