package dev.podium.importing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBytes the most bytes an imported competition repo may hold in all (held in
 * memory while it is checked and written)
 */
@ConfigurationProperties("podium.import")
public record ImportProperties(@DefaultValue("200MB") DataSize maxBytes) {
}
