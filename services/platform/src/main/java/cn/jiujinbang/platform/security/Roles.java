package cn.jiujinbang.platform.security;

/** The roles a bearer token carries in its groups claim; the subject is the resident's or worker's id. */
public final class Roles {

    public static final String RESIDENT = "resident";
    public static final String WORKER = "worker";
    public static final String FINANCE = "finance";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
