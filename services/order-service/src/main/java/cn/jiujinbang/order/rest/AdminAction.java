package cn.jiujinbang.order.rest;

import cn.jiujinbang.platform.audit.AuditTrail;

/** What an admin reads of residents' orders, and reports of ratings, each a line in the audit trail (V9__rating_reports.sql's CHECK lists the same names). */
public enum AdminAction implements AuditTrail.Action {
    ORDER_VIEWED, ORDERS_LISTED, ORDER_HISTORY_VIEWED, ORDER_STREAMED, RATING_REPORTED
}
