package cn.jiujinbang.web;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Every word the app shows, in Chinese (texts_zh.properties) and English (texts_en.properties). */
@ApplicationScoped
public class Texts {

    private final Map<String, Map<String, String>> byLanguage = Map.of("zh", load("zh"), "en", load("en"));

    public Map<String, String> of(String language) {
        return byLanguage.getOrDefault(language, byLanguage.get("zh"));
    }

    private static Map<String, String> load(String language) {
        Properties texts = new Properties();
        try (InputStream in = Texts.class.getResourceAsStream("/texts_" + language + ".properties")) {
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("texts_" + language + ".properties cannot be read", e);
        }
        Map<String, String> map = new TreeMap<>();
        texts.forEach((k, v) -> map.put((String) k, (String) v));
        return Map.copyOf(map);
    }
}
