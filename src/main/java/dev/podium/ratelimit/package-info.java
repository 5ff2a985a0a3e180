/**
 * Request rates: every API call is charged to a token bucket of its caller (an account, a
 * sandbox, or an anonymous client address), shared by every instance through PostgreSQL
 * and told to clients in the IETF RateLimit header fields; and the quotas a caller can
 * read about themselves.
 */
package dev.podium.ratelimit;
