package dev.podium.sandbox.hub;

/**
 * A Hugging Face user, as {@code whoami-v2} names the owner of a token.
 *
 * @param id the Hub's stable user id (24 hex digits), which survives renames
 * @param name the user name now
 */
public record HubUser(String id, String name) {
}
