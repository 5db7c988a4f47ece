package cn.jiujinbang.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The district's catalogue of gig services: 7 categories and 56 service types, each with a stable
 * code, Chinese and English names and a guide price in fen. The data lives in catalog.tsv next to
 * this class; codes are part of the public API and of events, so they never change meaning.
 */
public final class Catalog {

    private static final Catalog STANDARD = load();

    private final List<Category> categories;
    private final Map<String, ServiceType> servicesByCode;

    private Catalog(List<Category> categories) {
        this.categories = List.copyOf(categories);
        Map<String, ServiceType> byCode = new LinkedHashMap<>();
        for (Category category : categories) {
            for (ServiceType service : category.services()) {
                if (byCode.put(service.code(), service) != null) {
                    throw new IllegalStateException("service code " + service.code() + " appears twice");
                }
            }
        }
        this.servicesByCode = Collections.unmodifiableMap(byCode);
    }

    public static Catalog standard() {
        return STANDARD;
    }

    public List<Category> categories() {
        return categories;
    }

    public Optional<ServiceType> service(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(servicesByCode.get(code));
    }

    public int serviceCount() {
        return servicesByCode.size();
    }

    public List<ServiceType> services() {
        return List.copyOf(servicesByCode.values());
    }

    private static Catalog load() {
        Map<String, List<ServiceType>> services = new LinkedHashMap<>();
        Map<String, String[]> categoryNames = new LinkedHashMap<>();
        try (InputStream in = Catalog.class.getResourceAsStream("catalog.tsv")) {
            if (in == null) {
                throw new IllegalStateException("catalog.tsv is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                categoryNames.putIfAbsent(f[0], new String[]{f[1], f[2]});
                services.computeIfAbsent(f[0], c -> new ArrayList<>())
                        .add(new ServiceType(f[3], f[0], f[4], f[5], Long.parseLong(f[6])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Category> categories = new ArrayList<>();
        services.forEach((code, list) -> categories.add(
                new Category(code, categoryNames.get(code)[0], categoryNames.get(code)[1], List.copyOf(list))));
        return new Catalog(categories);
    }

    /** A category of services; the platform's service fee rate is set per category. */
    public record Category(String code, String nameZh, String nameEn, List<ServiceType> services) {
    }

    /** One kind of gig a resident can post and a worker can offer. */
    public record ServiceType(String code, String categoryCode, String nameZh, String nameEn, long guidePriceFen) {
    }
}
