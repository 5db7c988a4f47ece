package cn.jiujinbang.platform.security;

import cn.jiujinbang.platform.problem.ApiProblem;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;

/**
 * Who is asking, in one place for every service: the caller's id is the token's {@code sub}
 * (required by the verifier, smallrye.jwt.required.claims), never a name a client can choose such
 * as {@code upn}. Ownership failures are answered as "not found", so nobody learns what exists.
 */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The resident's, worker's or staff member's id: the token's subject. */
    public String id() {
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getSubject() != null) {
            return token.getSubject();
        }
        throw new IllegalStateException("an authenticated bearer token has no subject; the endpoint must be @RolesAllowed");
    }

    public boolean is(String role) {
        return identity.hasRole(role);
    }

    /** The caller's role among admin, resident and worker (in that order), or "" for finance only. */
    public String mainRole() {
        for (String role : List.of(Roles.ADMIN, Roles.RESIDENT, Roles.WORKER)) {
            if (identity.hasRole(role)) {
                return role;
            }
        }
        return "";
    }

    /** {@code id} if it is the caller's own; anyone else's id is answered as unknown (404). */
    public String self(String id, String what) {
        if (!id().equals(id)) {
            throw ApiProblem.notFound(what);
        }
        return id;
    }

    /** Passes for finance, or for the worker named {@code workerId}; anyone else gets 404. */
    public void mustBeFinanceOrWorker(String workerId, String what) {
        mustBeOr(Roles.FINANCE, Roles.WORKER, workerId, what);
    }

    /** Passes for finance, or for the resident named {@code residentId}; anyone else gets 404. */
    public void mustBeFinanceOrResident(String residentId, String what) {
        mustBeOr(Roles.FINANCE, Roles.RESIDENT, residentId, what);
    }

    /** Passes for {@code privileged}, or for the {@code role} whose id is {@code id}; anyone else gets 404. */
    public void mustBeOr(String privileged, String role, String id, String what) {
        boolean allowed = identity.hasRole(privileged) || identity.hasRole(role) && id().equals(id);
        if (!allowed) {
            throw ApiProblem.notFound(what);
        }
    }
}
