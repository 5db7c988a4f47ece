package cn.jiujinbang.web;

import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/**
 * A service refused the session's token (expired, revoked): the person signs in again — through the
 * issuer when OIDC is on (an open session there brings them straight back), else on the sign-in page.
 */
public class SignInAgain extends RuntimeException {

    public SignInAgain() {
        super("the session's token was refused", null, false, false);
    }

    static class Mapper {
        @ConfigProperty(name = "gig.web.oidc-enabled")
        boolean oidc;

        @ServerExceptionMapper
        Response signInAgain(SignInAgain e) {
            NewCookie cleared = new NewCookie.Builder(Session.COOKIE).value("").path("/").maxAge(0).httpOnly(true).build();
            return Response.seeOther(URI.create(oidc ? "/sign-in/oidc" : "/sign-in?m=signin_needed")).cookie(cleared).build();
        }
    }
}
