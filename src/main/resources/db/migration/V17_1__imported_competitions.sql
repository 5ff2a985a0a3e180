-- Competitions moved over from huggingface/competitions: the texts their page shows (Markdown
-- source, rendered as text, never as HTML), the logo, and the dataset repo (or archive) they
-- came from, so that the same challenge is not imported twice.
alter table competitions
    add column description            text,
    add column dataset_description    text,
    add column submission_description text,
    add column rules                  text,
    add column logo_url               varchar(2000),
    add column imported_from          varchar(300);
create unique index competitions_imported_from on competitions (imported_from) where imported_from is not null;

-- How a MODEL task runs a participant's repo: the organizer's entry point (PREDICT) or the
-- participant's own script.py (SCRIPT, huggingface/competitions' contract), and the dataset
-- repo with the test inputs that a script finds in /tmp/data.
alter table tasks
    add column runner  varchar(16) not null default 'PREDICT' check (runner in ('PREDICT', 'SCRIPT')),
    add column dataset varchar(200);

-- A participant's Hugging Face user id (the 24-hex id of whoami-v2), as the imported files
-- hold it: they sign in with a Hub token that whoami-v2 says is theirs.
alter table accounts add column hf_user_id varchar(64);
create unique index accounts_hf_user on accounts (competition_id, hf_user_id) where hf_user_id is not null;

-- The id a submission had where it came from (huggingface/competitions' submission_id).
alter table submissions add column external_id varchar(200);
create unique index submissions_external on submissions (task_id, external_id) where external_id is not null;
