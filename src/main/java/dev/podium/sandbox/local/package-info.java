/**
 * The local sandbox provider: evaluations on this machine, for development, demos and
 * tests.
 */
package dev.podium.sandbox.local;
