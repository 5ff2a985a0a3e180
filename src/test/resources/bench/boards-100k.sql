-- 1,000 participants with 100 scored submissions each (and their secondary metric) for the
-- task :task of the competition :competition, for the boards benchmark only.
insert into accounts (id, name, role, competition_id, token_hash, created_at)
select gen_random_uuid(), 'bench-' || i, 'PARTICIPANT', '${competition}'::uuid, md5('bench-token-' || i || '${competition}'),
       now()
from generate_series(1, 1000) i;

insert into submissions (id, competition_id, task_id, participant_id, entrant_id, kind, status, quota_day,
                         submitted_at, finished_at, checked_at, public_score, private_score, attempts)
select gen_random_uuid(), '${competition}'::uuid, '${task}'::uuid, a.id, a.id, 'FILE', 'SCORED', date '2026-11-20',
       timestamptz '2026-11-20 00:00:00+00' + (n * interval '1 second'),
       timestamptz '2026-11-20 00:00:00+00' + (n * interval '1 second'),
       timestamptz '2026-11-20 00:00:00+00' + (n * interval '1 second'),
       round(random()::numeric, 3), round(random()::numeric, 3), 1
from accounts a cross join generate_series(1, 100) n
where a.competition_id = '${competition}'::uuid and a.name like 'bench-%';

insert into submission_metrics (submission_id, metric, public_score, private_score)
select s.id, 'balanced_accuracy_score', round(random()::numeric, 3), round(random()::numeric, 3)
from submissions s where s.task_id = '${task}'::uuid;
