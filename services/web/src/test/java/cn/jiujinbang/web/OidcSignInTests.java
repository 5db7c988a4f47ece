package cn.jiujinbang.web;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.*;

/** Production sign-in: the code flow through the issuer ends with the issuer's access token as the session token. */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
class OidcSignInTests {

    @TestHTTPResource("/")
    URI app;

    @Test
    void theCodeFlowSignsAResidentInWithTheIssuersAccessToken() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        assertTrue(get(browser, app.resolve("/sign-in")).body().contains("/sign-in/oidc"), "the sign-in page offers the issuer");

        URI next = app.resolve("/sign-in/oidc");
        HttpResponse<String> answer = null;
        for (int hop = 0; hop < 6; hop++) { // app → issuer → app (code) → app → home
            answer = get(browser, next);
            if (answer.statusCode() / 100 != 3) {
                break;
            }
            next = next.resolve(answer.headers().firstValue("Location").orElseThrow());
            if (next.getPath().equals("/resident")) {
                break;
            }
        }
        assertEquals("/resident", next.getPath(), "the resident lands on their page");
        HttpCookie session = cookies.getCookieStore().get(app).stream().filter(c -> c.getName().equals(Session.COOKIE))
                .findFirst().orElseThrow();
        assertNotNull(TestIssuer.lastAccessToken);
        assertEquals(TestIssuer.lastAccessToken, session.getValue(), "the session token is the issuer's access token");
        assertTrue(session.isHttpOnly());
        String page = get(browser, app.resolve("/resident")).body();
        assertTrue(page.contains("r-oidc"), "signed in as the issuer's subject");
    }

    private static HttpResponse<String> get(HttpClient browser, URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
