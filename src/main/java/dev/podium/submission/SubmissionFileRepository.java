package dev.podium.submission;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface SubmissionFileRepository extends JpaRepository<SubmissionFile, UUID> {

}
