package cn.jiujinbang.matching.rest;

import cn.jiujinbang.platform.audit.AuditTrail;

/** What an admin reads of workers' profiles, each a line in the audit trail (V7__worker_verification.sql's CHECK lists the same names). */
enum AdminAction implements AuditTrail.Action {
    WORKER_VIEWED, WORKERS_LISTED, WORKER_VERIFICATION_VIEWED
}
