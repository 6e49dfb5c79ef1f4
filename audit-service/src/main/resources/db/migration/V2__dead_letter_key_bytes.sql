-- A dead letter's key as the bytes it was (record_key keeps it as text only when it is text).
alter table dead_letter add column record_key_bytes bytea;
