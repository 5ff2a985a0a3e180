/**
 * Competitions, their tasks and the rules their submissions follow, and each task's
 * hidden solution. Participants are accounts of the security module that belong to a
 * competition.
 */
package dev.podium.competition;
