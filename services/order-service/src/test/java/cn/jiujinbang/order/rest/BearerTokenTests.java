package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.platform.security.CachingJwtParser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Bearer tokens are checked in full once and then taken by their exact text for a minute
 * ({@code VerifiedTokens}): any other text, however close, is checked in full again.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class BearerTokenTests {

    @Inject
    JWTParser parser;

    @Test
    void theServicesBearerCheckRemembersTokensItAccepted() {
        assertInstanceOf(CachingJwtParser.class, parser);
    }

    @Test
    void aRepeatedTokenPassesAndAnAlteredOrForeignOneIsRefusedEvenRightAfterIt() throws Exception {
        String token = DevTokens.mint("resident", "r-tokens");
        given().auth().oauth2(token).get("/orders").then().statusCode(200);
        given().auth().oauth2(token).get("/orders").then().statusCode(200);

        // the same claims with one character of the signature changed
        int last = token.length() - 2;
        String altered = token.substring(0, last) + (token.charAt(last) == 'A' ? 'B' : 'A') + token.substring(last + 1);
        given().auth().oauth2(altered).get("/orders").then().statusCode(401);

        // the same claims signed with a key the service does not trust
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey foreign = generator.generateKeyPair().getPrivate();
        String forged = DevTokens.claims("resident", "r-tokens").sign(foreign);
        given().auth().oauth2(forged).get("/orders").then().statusCode(401);
        given().auth().oauth2(forged).get("/orders").then().statusCode(401);

        given().auth().oauth2(token).get("/orders").then().statusCode(200);
    }
}
