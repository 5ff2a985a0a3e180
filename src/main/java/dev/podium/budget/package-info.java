/**
 * The daily creation budget: the ledger that gates every sandbox creation, its windows,
 * the block after a Hub 429, operators' changes with their audit, and threshold alerts.
 */
package dev.podium.budget;
