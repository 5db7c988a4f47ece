package cn.jiujinbang.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Optional;

/**
 * Signing in and out, and the language. Locally (only where the environment names the development
 * signing key: make run) a person picks a role and an id and gets a development token; in production
 * sign-in goes through the real issuer (docs/web.md).
 */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class SignInPage {

    private final Session session;
    private final Pages pages;
    private final Template signIn;
    private final DevSignIn devSignIn;
    private final boolean secureCookie;
    private final boolean oidc;

    public SignInPage(Session session, Pages pages, @Location("sign-in.html") Template signIn, DevSignIn devSignIn,
                      @ConfigProperty(name = "gig.web.secure-cookie") boolean secureCookie,
                      @ConfigProperty(name = "gig.web.oidc-enabled") boolean oidc) {
        this.oidc = oidc;
        this.session = session;
        this.pages = pages;
        this.signIn = signIn;
        this.devSignIn = devSignIn;
        this.secureCookie = secureCookie;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create(session.home())).build();
    }

    @GET
    @Path("sign-in")
    public TemplateInstance signInPage(@QueryParam("m") String message) {
        return pages.page(signIn, session, message).data("devSignIn", devSignIn.offered()).data("oidc", oidc);
    }

    @POST
    @Path("sign-in")
    public Response signIn(@FormParam("role") String role, @FormParam("id") String id) {
        if (!devSignIn.offered()) {
            return Pages.seeOther("/sign-in", "signin_unavailable");
        }
        String subject = id == null ? "" : id.strip();
        if (!Session.ROLES.contains(role) || !subject.matches("[A-Za-z0-9._-]{1,64}")) {
            return Pages.seeOther("/sign-in", "signin_invalid");
        }
        String token = devSignIn.token(role, subject);
        return Pages.seeOther("/" + role, null, cookie(Session.COOKIE, token, 12 * 3600));
    }

    @POST
    @Path("sign-out")
    public Response signOut() {
        return Pages.seeOther("/sign-in", "signed_out", cookie(Session.COOKIE, "", 0));
    }

    @GET
    @Path("language/{language}")
    public Response language(@PathParam("language") String language, @jakarta.ws.rs.core.Context HttpHeaders headers) {
        String back = Optional.ofNullable(headers.getHeaderString("Referer")).map(URI::create).map(URI::getRawPath).orElse("/");
        return Response.seeOther(URI.create(back.startsWith("/") && !back.startsWith("//") ? back : "/"))
                .cookie(cookie(Session.LANGUAGE_COOKIE, "en".equals(language) ? "en" : "zh", 365 * 24 * 3600)).build();
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").maxAge(maxAge).httpOnly(true).secure(secureCookie)
                .sameSite(NewCookie.SameSite.LAX).build();
    }
}
