package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.Paging;
import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import cn.jiujinbang.settlement.repository.LedgerRepository.AccountBalance;
import cn.jiujinbang.settlement.repository.LedgerRepository.TransactionView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

@Path("/ledger")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.FINANCE)
public class LedgerResource {

    private final LedgerRepository ledger;

    public LedgerResource(LedgerRepository ledger) {
        this.ledger = ledger;
    }

    public record TrialBalance(List<AccountBalance> accounts, long totalFen, boolean balanced) {
    }

    public record LedgerCheck(boolean consistent, List<AccountBalance> differences) {
    }

    @GET
    @Path("accounts")
    @WithSession
    @Operation(summary = "The accounts with their balances (debit positive, credit negative; all of them sum to 0), "
            + "in code order, a page at a time (size at most 1000): one payable account per worker makes many")
    public Uni<List<AccountBalance>> accounts(@QueryParam("page") @jakarta.ws.rs.DefaultValue("0") String page,
                                              @QueryParam("size") @jakarta.ws.rs.DefaultValue("1000") String size) {
        Paging.Page paging = Paging.check(page, size, 1000);
        return ledger.accounts(paging.number(), paging.size());
    }

    @GET
    @Path("trial-balance")
    @WithSession
    @Operation(summary = "The trial balance: all balances and their total, which is 0")
    public Uni<TrialBalance> trialBalance() {
        return ledger.accounts().map(list -> {
            long total = list.stream().mapToLong(AccountBalance::balanceFen).sum();
            return new TrialBalance(list, total, total == 0);
        });
    }

    @GET
    @Path("transactions")
    @WithSession
    @Operation(summary = "Journal transactions with their lines, oldest first; ?orderId= for one order's")
    public Uni<List<TransactionView>> transactions(@QueryParam("orderId") String orderId) {
        return ledger.transactions(orderId == null || orderId.isBlank() ? null : orderId);
    }

    @GET
    @Path("check")
    @WithSession
    @Operation(summary = "Rebuilds every balance from the journal and lists accounts whose stored balance differs")
    public Uni<LedgerCheck> check() {
        return ledger.balancesThatDisagreeWithTheJournal().map(diff -> new LedgerCheck(diff.isEmpty(), diff));
    }
}
