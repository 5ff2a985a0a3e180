/**
 * Errors as RFC 9457 problem details: the exception every module throws for an
 * API-visible failure, and the handler that renders every error with a stable type URI. A
 * shared module.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.podium.problem;
