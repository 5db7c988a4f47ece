package cn.jiujinbang.order.repository;

import cn.jiujinbang.order.domain.OrderStatus;

/** How many orders are in one status. */
public record StatusCount(OrderStatus status, Long orders) {
}
