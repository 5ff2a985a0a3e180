/**
 * Where Podium's state lives: the embedded PostgreSQL that runs when no database is
 * configured. The schema itself is owned by the Flyway migrations in
 * {@code db/migration}.
 */
package dev.podium.database;
