-- The doctor's reports (docs/doctor.md), one row per run, as the orchestrator sent them.
-- compared: the run compared both sides (false: failed, and failure says why).
create table doctor_report (
  run_id text primary key,
  message_id text not null unique,
  occurred_at timestamptz not null,
  requested_by text not null,
  compared boolean not null,
  payload jsonb not null
);
create index doctor_report_by_time on doctor_report (occurred_at desc);
create index doctor_report_compared_by_time on doctor_report (compared, occurred_at desc);
