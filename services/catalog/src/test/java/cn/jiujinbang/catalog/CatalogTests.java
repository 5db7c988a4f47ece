package cn.jiujinbang.catalog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTests {

    private final Catalog catalog = Catalog.standard();

    @Test
    void hasSevenCategoriesAndFiftySixServices() {
        assertEquals(7, catalog.categories().size());
        assertEquals(56, catalog.serviceCount());
        assertEquals(56, catalog.categories().stream().mapToInt(c -> c.services().size()).sum());
    }

    @Test
    void includesPetCareAndMedicalEscortWithChineseNames() {
        assertEquals("宠物照料", catalog.service("PET_CARE").orElseThrow().nameZh());
        assertEquals("就医陪诊", catalog.service("MEDICAL_ESCORT").orElseThrow().nameZh());
    }

    @Test
    void everyServiceHasAPositiveGuidePriceAndItsCategory() {
        for (Catalog.Category category : catalog.categories()) {
            for (Catalog.ServiceType service : category.services()) {
                assertTrue(service.guidePriceFen() > 0, service.code());
                assertEquals(category.code(), service.categoryCode());
            }
        }
    }

    @Test
    void unknownCodeIsAbsent() {
        assertTrue(catalog.service("TIME_TRAVEL").isEmpty());
        assertTrue(catalog.service(null).isEmpty());
    }
}
