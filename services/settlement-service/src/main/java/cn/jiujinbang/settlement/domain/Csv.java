package cn.jiujinbang.settlement.domain;

/** CSV for finance staff, who open it in a spreadsheet: the one place a cell is written. */
public final class Csv {

    private Csv() {
    }

    /**
     * A cell: quoted when it holds a separator, quote or line break, and never read as a formula
     * (a value starting with = + - @ or a tab is prefixed with '). Null is an empty cell.
     */
    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value.isEmpty() || "=+-@\t\r".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
