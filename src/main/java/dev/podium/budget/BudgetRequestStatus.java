package dev.podium.budget;

/** Where a request for a larger budget stands. */
public enum BudgetRequestStatus {

	/** Waiting for an operator. */
	OPEN,

	/** The limit was raised; with an end, it goes back then. */
	APPROVED,

	/** An operator said no. */
	REFUSED,

	/**
	 * A temporary raise is over: its end came, or a later approval took over its end.
	 */
	ENDED

}
