package cn.jiujinbang.platform.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevelopmentKeyGuardTests {

    private static final Optional<String> ISSUER = Optional.of("https://id.example.cn/realms/jiujinbang");

    @Test
    void theDevelopmentKeyByItsClassPathNameIsRefusedUnlessTheProfileTrustsIt() {
        Optional<String> reason = guard(Optional.of("dev-jwt/publicKey.pem"), Optional.empty(), ISSUER, false).refusal();
        assertTrue(reason.orElseThrow().contains("DEVELOPMENT key"), reason.toString());
        assertEquals(Optional.empty(), guard(Optional.of("dev-jwt/publicKey.pem"), Optional.empty(), ISSUER, true).refusal());
    }

    @Test
    void aCopyOfTheDevelopmentKeyElsewhereOrInlineIsRecognisedByItsContents(@TempDir Path dir) throws Exception {
        String key = developmentKey();
        Path copy = dir.resolve("issuer.pem");
        Files.writeString(copy, key.replace("\n", "\r\n") + "\n\n");
        assertTrue(guard(Optional.of(copy.toString()), Optional.empty(), ISSUER, false).refusal().isPresent());
        assertTrue(guard(Optional.of(copy.toUri().toString()), Optional.empty(), ISSUER, false).refusal().isPresent());
        assertTrue(guard(Optional.empty(), Optional.of(key), ISSUER, false).refusal().isPresent());
    }

    @Test
    void anotherKeyOrAJwksEndpointWithARealIssuerStarts(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path other = dir.resolve("issuer.pem");
        Files.writeString(other, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        assertEquals(Optional.empty(), guard(Optional.of(other.toString()), Optional.empty(), ISSUER, false).refusal());
        assertEquals(Optional.empty(), guard(Optional.of("https://id.example.cn/realms/jiujinbang/protocol/openid-connect/certs"),
                Optional.empty(), ISSUER, false).refusal());
    }

    @Test
    void theDevelopmentIssuerIsRefusedEvenWithAnotherKey() {
        Optional<String> reason = guard(Optional.of("https://id.example.cn/certs"), Optional.empty(),
                Optional.of(DevelopmentKeyGuard.DEVELOPMENT_ISSUER), false).refusal();
        assertTrue(reason.orElseThrow().contains("development issuer"), reason.toString());
    }

    private static DevelopmentKeyGuard guard(Optional<String> location, Optional<String> inline, Optional<String> issuer,
                                             boolean trusted) {
        return new DevelopmentKeyGuard(location, inline, issuer, trusted);
    }

    private static String developmentKey() throws Exception {
        try (InputStream in = DevelopmentKeyGuardTests.class.getClassLoader().getResourceAsStream(DevelopmentKeyGuard.DEVELOPMENT_KEY)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
