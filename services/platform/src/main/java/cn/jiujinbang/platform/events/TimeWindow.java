package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/** When the resident wants the gig done. */
public record TimeWindow(OffsetDateTime start, OffsetDateTime end) {
}
