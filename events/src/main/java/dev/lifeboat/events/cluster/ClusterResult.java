package dev.lifeboat.events.cluster;

import dev.lifeboat.events.CommandResult;

/** What came of a {@link ClusterCommand}. */
public sealed interface ClusterResult extends CommandResult
    permits ClusterCommandSucceeded, ReplacementPodScheduled, PodReady, ClusterCommandFailed {}
