package cn.jiujinbang.web;

import cn.jiujinbang.web.Services.Service;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The names of the services and their categories in each language, by code (from GET /catalog, read once it answers). */
@ApplicationScoped
public class Catalogue {

    private final Services services;
    private volatile Map<String, Map<String, String>> names;

    public Catalogue(Services services) {
        this.services = services;
    }

    /** Code → name in the language; empty while order-service has not answered yet (pages then show codes). */
    public Map<String, String> names(String language) {
        Map<String, Map<String, String>> known = names;
        if (known == null) {
            known = load();
        }
        return known.getOrDefault(language, Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, String>> load() {
        Answer catalog = services.get(Service.ORDERS, "/catalog", null);
        if (!catalog.ok()) {
            return Map.of();
        }
        Map<String, String> zh = new HashMap<>();
        Map<String, String> en = new HashMap<>();
        for (Object c : (List<Object>) catalog.map().getOrDefault("categories", List.of())) {
            Map<String, Object> category = (Map<String, Object>) c;
            zh.put((String) category.get("code"), (String) category.get("nameZh"));
            en.put((String) category.get("code"), (String) category.get("nameEn"));
            for (Object s : (List<Object>) category.getOrDefault("services", List.of())) {
                Map<String, Object> service = (Map<String, Object>) s;
                zh.put((String) service.get("code"), (String) service.get("nameZh"));
                en.put((String) service.get("code"), (String) service.get("nameEn"));
            }
        }
        Map<String, Map<String, String>> loaded = Map.of("zh", Map.copyOf(zh), "en", Map.copyOf(en));
        names = loaded;
        return loaded;
    }
}
