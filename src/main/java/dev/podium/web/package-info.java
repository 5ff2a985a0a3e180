/**
 * What every HTTP request meets before a controller reads it: bounded bodies. Requests
 * are read through a stream that stops at the limit of what they are sent to
 * ({@link BodyLimit}), and a declared length over it is refused before anything is read,
 * both as 413 problems.
 */
package dev.podium.web;
