package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.audit.AuditTrail;

/** The finance actions the audit trail records (V11__disputes.sql's CHECK lists the same names). */
public enum FinanceAction implements AuditTrail.Action {
    PAYOUT_BATCH_RUN, STATEMENT_RECONCILED, RECEIVABLE_RECOLLECTED, RECEIVABLE_WRITTEN_OFF, DISPUTE_RESOLVED
}
