package dev.podium.security;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "accounts")
class Account {

	@Id
	private UUID id;

	private String name;

	@Enumerated(EnumType.STRING)
	private Role role;

	private UUID competitionId;

	@Column(name = "token_hash")
	private String tokenHash;

	private Instant createdAt;

	private String hfUserId;

	protected Account() {
	}

	Account(String name, Role role, UUID competitionId, String tokenHash, Instant createdAt) {
		this.id = UUID.randomUUID();
		this.name = name;
		this.role = role;
		this.competitionId = competitionId;
		this.tokenHash = tokenHash;
		this.createdAt = createdAt;
	}

	/**
	 * Takes the name the participant has on the Hub, in place of the import's stand-in.
	 */
	void rename(String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

	void linkHubUser(String hfUserId) {
		this.hfUserId = hfUserId;
	}

	String hfUserId() {
		return this.hfUserId;
	}

	void replaceTokenHash(String tokenHash) {
		this.tokenHash = tokenHash;
	}

	String tokenHash() {
		return this.tokenHash;
	}

	PodiumUser toUser() {
		return new PodiumUser(this.id, this.name, this.role, this.competitionId);
	}

}
