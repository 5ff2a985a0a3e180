package dev.podium;

import java.net.URI;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings that belong to the whole service rather than one module.
 *
 * @param dataDir where the embedded PostgreSQL and local sandboxes keep their files
 * @param publicUrl the base URL at which sandboxes reach Podium's sandbox API
 */
@ConfigurationProperties("podium")
public record PodiumProperties(@DefaultValue("./data") Path dataDir, URI publicUrl) {
}
