package cn.jiujinbang.order.domain;

/**
 * The platform's service fee, paid by the resident on top of the price: a rate per category in
 * basis points (1/100 of a percent), rounded half up to the fen. Fixed into the quote at posting.
 */
public final class ServiceFee {

    private ServiceFee() {
    }

    public static long feeFen(long priceFen, int rateBasisPoints) {
        if (priceFen < 0 || rateBasisPoints < 0 || rateBasisPoints > 10_000) {
            throw new IllegalArgumentException("price " + priceFen + " fen, rate " + rateBasisPoints + " bp");
        }
        return Math.addExact(Math.multiplyExact(priceFen, rateBasisPoints), 5_000) / 10_000;
    }
}
