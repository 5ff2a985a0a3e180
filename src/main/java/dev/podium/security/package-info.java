/**
 * Identities and roles: accounts with hashed bearer tokens, the first operator's
 * bootstrap, the API's authentication, and sealing of secrets that Podium must hand on
 * later.
 */
package dev.podium.security;
