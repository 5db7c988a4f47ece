package cn.jiujinbang.order.rest;

import cn.jiujinbang.platform.audit.AuditTrail;

/** What an admin reads of residents' orders, each a line in the audit trail (V4__audit_trail.sql's CHECK lists the same names). */
enum AdminAction implements AuditTrail.Action {
    ORDER_VIEWED, ORDERS_LISTED, ORDER_HISTORY_VIEWED, ORDER_STREAMED
}
