package dev.lifeboat.events.permit;

import dev.lifeboat.events.LifeboatMessage;

/**
 * The fencing permits: the one place that decides how many incidents may fence at once; topic
 * {@code fencing-permits}. Requests and releases are keyed by {@link #AUTHORITY_KEY}, so that they
 * all land on one partition and are decided one after the other by whoever owns it; the answers are
 * keyed by the incident, back to its own partition.
 */
public sealed interface PermitMessage extends LifeboatMessage
    permits FencePermitRequested, FencePermitReleased, FencePermitGranted, FencePermitRefused {

  /** The record key of every request and release. */
  String AUTHORITY_KEY = "fencing-permits";
}
