package cn.jiujinbang.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal OpenID Connect issuer for the web app's tests: discovery, keys, an authorization endpoint
 * that signs "r-oidc" in as a resident at once, and a token endpoint. Tokens are RS256 with a key made
 * for the run.
 */
public class TestIssuer implements QuarkusTestResourceLifecycleManager {

    static final String CLIENT = "jiujinbang-web";
    static final String SECRET = "test-secret";
    /** The access token the issuer gave last (what the app must keep as its session token). */
    static volatile String lastAccessToken;

    private HttpServer server;
    private final KeyPair keys = generate();
    private final Map<String, String> nonces = new ConcurrentHashMap<>();

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
        server.createContext("/realms/test/.well-known/openid-configuration", x -> json(x, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/auth","token_endpoint":"%1$s/token","jwks_uri":"%1$s/jwks",
                 "response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer)));
        server.createContext("/realms/test/jwks", x -> {
            RSAPublicKey key = (RSAPublicKey) keys.getPublic();
            json(x, """
                    {"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":"%s","e":"%s"}]}"""
                    .formatted(b64(key.getModulus()), b64(key.getPublicExponent())));
        });
        server.createContext("/realms/test/auth", x -> {
            Map<String, String> q = form(x.getRequestURI().getRawQuery());
            String code = "code-" + System.nanoTime();
            if (q.containsKey("nonce")) {
                nonces.put(code, q.get("nonce"));
            }
            x.getResponseHeaders().add("Location", q.get("redirect_uri") + (q.get("redirect_uri").contains("?") ? "&" : "?")
                    + "code=" + code + "&state=" + q.get("state"));
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/realms/test/token", x -> {
            Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String code = f.get("code");
            var id = Jwt.issuer(issuer).subject("r-oidc").audience(CLIENT).groups(Set.of("resident")).expiresIn(Duration.ofMinutes(5));
            if (nonces.containsKey(code)) {
                id.claim("nonce", nonces.get(code));
            }
            String idToken = id.jws().keyId("k1").sign(keys.getPrivate());
            String access = Jwt.issuer(issuer).subject("r-oidc").audience("jiujinbang").groups(Set.of("resident"))
                    .expiresIn(Duration.ofMinutes(5)).jws().keyId("k1").sign(keys.getPrivate());
            lastAccessToken = access;
            json(x, """
                    {"access_token":"%s","id_token":"%s","token_type":"Bearer","expires_in":300}""".formatted(access, idToken));
        });
        server.start();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.oidc.tenant-enabled", "true");
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.client-id", CLIENT);
        config.put("quarkus.oidc.credentials.secret", SECRET);
        config.put("gig.web.oidc-enabled", "true");
        return config;
    }

    private static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                map.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return map;
    }

    private static void json(HttpExchange x, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
