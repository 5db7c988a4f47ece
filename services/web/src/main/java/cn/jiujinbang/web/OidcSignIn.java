package cn.jiujinbang.web;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;

/**
 * Production sign-in through the real issuer (OIDC authorization code flow, quarkus-oidc, on when
 * {@code GIG_OIDC_ENABLED=true}; docs/web.md). Once the issuer sends the person back, the access token
 * it issued becomes the app's session token, exactly as a development token would: the services verify
 * it. When it expires the services answer 401 and the pages send the person through the issuer again.
 */
@Path("/sign-in/oidc")
@Blocking
public class OidcSignIn {

    @Inject
    AccessTokenCredential accessToken;

    @ConfigProperty(name = "gig.web.secure-cookie")
    boolean secureCookie;

    @GET
    @Authenticated
    public Response signedIn() {
        String token = accessToken.getToken();
        NewCookie cookie = new NewCookie.Builder(Session.COOKIE).value(token).path("/").httpOnly(true).secure(secureCookie)
                .sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(URI.create(Session.homeOf(token))).cookie(cookie).build();
    }
}
