-- The answers to the repairs people asked of the doctor (docs/doctor.md), one row per repair, as
-- the orchestrator sent them: the repair started as a saga (repair_incident_id names its timeline),
-- or why not.
create table doctor_repair (
  repair_id text primary key,
  message_id text not null unique,
  occurred_at timestamptz not null,
  finding_id text not null,
  verdict text not null,
  repair_incident_id text,
  payload jsonb not null
);
create index doctor_repair_by_time on doctor_repair (occurred_at desc);
