package dev.podium.budget;

/** An operator changed the limit; deferred work may start at once. */
public record BudgetChanged(String namespace, int oldLimit, int newLimit) {
}
