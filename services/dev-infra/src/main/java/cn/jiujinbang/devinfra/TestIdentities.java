package cn.jiujinbang.devinfra;

/**
 * Identities for test and demo workers: a well-formed ID card number (the worked example of GB
 * 11643-1999, check character X) that the simulated identity register knows, with a name in Chinese
 * script, and the labor-service agreement version the services sign by default.
 */
public final class TestIdentities {

    public static final String NAME = "王大力";
    public static final String ID_NUMBER = "11010519491231002X";
    public static final String AGREEMENT_VERSION = "2026-11";

    /** The body of POST /workers/{id}/verification. */
    public static final String VERIFICATION = "{\"name\":\"" + NAME + "\",\"idNumber\":\"" + ID_NUMBER + "\"}";
    /** The body of POST /workers/{id}/agreement. */
    public static final String AGREEMENT = "{\"version\":\"" + AGREEMENT_VERSION + "\"}";

    private TestIdentities() {
    }
}
