package dev.lifeboat.events.cluster;

import dev.lifeboat.events.Command;

/** A request from the orchestrator for node-watcher to act on the cluster. */
public sealed interface ClusterCommand extends Command
    permits DeclareNodeGone,
        CordonNode,
        TaintNodeOutOfService,
        RemoveOutOfServiceTaint,
        ForceDeletePods,
        DeleteVolumeAttachments,
        AwaitReplacementPod,
        AwaitPodReady,
        RequeueVolumeAttachment,
        EvictPods,
        DeleteNode {}
