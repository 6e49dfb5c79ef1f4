-- A removal is an incident of kind 'removal': the timeline shows both in the same lanes.
-- emptied_at: when the last volume that left the node's server was detached from it.
-- Projections are derived: a rebuild fills both for incidents stored before this migration.
alter table incident add column kind text not null default 'loss';
alter table incident add column emptied_at timestamptz;
create index incident_by_kind on incident (kind);
