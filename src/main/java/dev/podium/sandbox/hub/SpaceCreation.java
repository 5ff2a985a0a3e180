package dev.podium.sandbox.hub;

/**
 * @param id {@code namespace/name}
 * @param created {@code false} when the Space already existed (409) and was adopted. A
 * create retried after a timeout may adopt the Space its own first attempt made, so this
 * does not say whether a creation was spent
 */
public record SpaceCreation(String id, boolean created) {
}
