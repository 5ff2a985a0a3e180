/**
 * The daily creation budget: the ledger that gates every sandbox creation, its windows,
 * the block after a Hub 429, operators' changes with their audit, threshold alerts, and
 * organizers' requests for a raise with their temporary ends.
 */
package dev.podium.budget;
