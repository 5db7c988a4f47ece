package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.MovableClock;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's clock in tests (it replaces the default one): real time until a test moves it. */
public class TestClock {

    @Produces
    @Singleton
    MovableClock clock() {
        return new MovableClock();
    }
}
