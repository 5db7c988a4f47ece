package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/** Who is asking: finance sees everything, a worker or resident only their own money. */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** Passes for finance, or for the worker named {@code workerId}; anyone else gets 404. */
    public void mustBeFinanceOrWorker(String workerId, String what) {
        mustBeFinanceOr(Roles.WORKER, workerId, what);
    }

    /** Passes for finance, or for the resident named {@code residentId}; anyone else gets 404. */
    public void mustBeFinanceOrResident(String residentId, String what) {
        mustBeFinanceOr(Roles.RESIDENT, residentId, what);
    }

    private void mustBeFinanceOr(String role, String id, String what) {
        boolean allowed = identity.hasRole(Roles.FINANCE)
                || identity.hasRole(role) && identity.getPrincipal().getName().equals(id);
        if (!allowed) {
            throw ApiProblem.notFound(what);
        }
    }
}
