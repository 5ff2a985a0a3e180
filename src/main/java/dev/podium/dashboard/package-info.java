/**
 * The web dashboard that Podium serves itself, for organizers and operators: competitions
 * with their tasks and participants, public and private leaderboards (the public ones for
 * everyone), the evaluation queue with its sandboxes and failures, and the creation
 * budget. Pages refresh their parts while they stay open. The module owns no data: it
 * reads through the other modules' services, and through one read model where a page
 * needs a view that no service offers.
 */
package dev.podium.dashboard;
