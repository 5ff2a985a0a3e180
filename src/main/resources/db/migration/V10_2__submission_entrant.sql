-- Who a submission competes for: its entrant. Today that is the participant; with teams it
-- is the team (a participant without a team is a team of one). Leaderboards, the fair
-- order and daily limits count entrants, so they need no change when teams come.
alter table submissions add column entrant_id uuid;
update submissions set entrant_id = participant_id;
alter table submissions alter column entrant_id set not null;
create index submissions_entrant on submissions (task_id, entrant_id, submitted_at);
