-- Every message of every Lifeboat topic, kept as it arrived: the source of every projection.
create table message (
    seq             bigserial primary key,
    message_id      text        not null,
    topic           text        not null,
    kafka_partition integer     not null,
    kafka_offset    bigint      not null,
    incident_id     text        not null,
    type            text        not null,
    occurred_at     timestamptz not null,
    stored_at       timestamptz not null default now(),
    headers         jsonb       not null,
    payload         text        not null,
    -- Stored once: a redelivery (same position) or a replay (same message id) adds nothing.
    constraint message_id_once unique (message_id),
    constraint message_position_once unique (topic, kafka_partition, kafka_offset)
);
create index message_by_incident on message (incident_id);
create index message_by_time on message (occurred_at);

-- Records that were not messages of the contract, with why.
create table dead_letter (
    seq             bigserial primary key,
    topic           text        not null,
    kafka_partition integer     not null,
    kafka_offset    bigint      not null,
    original_topic  text,
    reason          text,
    record_key      text,
    headers         jsonb       not null,
    payload         bytea,
    stored_at       timestamptz not null default now(),
    constraint dead_letter_position_once unique (topic, kafka_partition, kafka_offset)
);

-- Projections: derived from the messages, dropped and derived again by a rebuild.
create table incident (
    incident_id       text primary key,
    node              text,
    server_id         bigint,
    location          text,
    reason            text,
    status            text        not null,
    first_seen_at     timestamptz,
    detected_at       timestamptz,
    fenced_at         timestamptz,
    ended_at          timestamptz,
    last_pod_ready_at timestamptz,
    volumes_total     integer     not null,
    volumes_moved     integer     not null,
    messages          integer     not null
);
create index incident_by_node on incident (node);
create index incident_by_first_seen on incident (first_seen_at);

create table volume_failover (
    incident_id       text   not null,
    volume_id         bigint not null,
    persistent_volume text,
    claim             text,
    location          text,
    status            text   not null,
    target_node       text,
    target_server     bigint,
    failure_step      text,
    failure_reason    text,
    failure_detail    text,
    started_at        timestamptz,
    ended_at          timestamptz,
    primary key (incident_id, volume_id)
);
create index volume_failover_by_volume on volume_failover (volume_id);

create table step (
    incident_id text    not null,
    volume_id   bigint  not null,
    step        text    not null,
    status      text    not null,
    started_at  timestamptz,
    ended_at    timestamptz,
    attempts    integer not null,
    error_code  text,
    error       text,
    failures    jsonb   not null,
    primary key (incident_id, volume_id, step)
);

create table command (
    command_id  text primary key,
    incident_id text not null,
    type        text not null,
    service     text not null,
    volume_id   bigint,
    sent_at     timestamptz,
    outcome     text,
    detail      text,
    result_at   timestamptz,
    latency_ms  bigint
);
create index command_by_incident on command (incident_id);
