package cn.jiujinbang.platform.audit;

import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.security.Roles;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * What an admin sees of other people's orders and profiles goes into the audit trail: who, when,
 * which action, on what. Called where a read serves an admin (a resident or worker reading their own
 * records writes nothing); the entry commits before the data is answered, so nothing is shown that
 * the trail does not hold.
 */
@ApplicationScoped
public class AdminAudit {

    private final Caller caller;
    private final AuditTrail trail;

    public AdminAudit(Caller caller, AuditTrail trail) {
        this.caller = caller;
        this.trail = trail;
    }

    /** True when the request is served with admin rights. */
    public boolean servesAdmin() {
        return Roles.ADMIN.equals(caller.mainRole());
    }

    /** Records the admin's read (nothing for anyone else). */
    public Uni<Void> read(AuditTrail.Action action, String subject, Map<String, Object> details) {
        return servesAdmin() ? trail.recordNow(caller.id(), action, subject, details) : Uni.createFrom().voidItem();
    }

    /** The same from a worker thread (a blocking endpoint), waiting for the entry to commit. */
    public void readBlocking(AuditTrail.Action action, String subject, Map<String, Object> details) {
        if (!servesAdmin()) {
            return;
        }
        String actor = caller.id();
        try {
            VertxContextSupport.subscribeAndAwait(() -> trail.recordNow(actor, action, subject, details));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new CompletionException(e);
        }
    }
}
