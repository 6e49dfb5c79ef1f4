package dev.lifeboat.adapter.domain;

import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.hcloud.RetireServer;

/**
 * Who goes first when the request budget runs low: fencing protects data, a detach unblocks a move,
 * an attach finishes one, and reads (polls) can wait.
 */
public enum CallPriority {
  FENCE,
  DETACH,
  ATTACH,
  READ;

  /** The priority of every call made for a command. */
  public static CallPriority of(HcloudCommand command) {
    if (command instanceof PowerOffServer || command instanceof DeleteServer) {
      return FENCE;
    }
    if (command instanceof DetachVolume) {
      return DETACH;
    }
    if (command instanceof AttachVolume) {
      return ATTACH;
    }
    if (command instanceof RetireServer) {
      return READ; // a planned removal's end: housekeeping, never ahead of an incident's calls
    }
    if (command instanceof ObserveServer) {
      return READ; // it only speeds up detection: the Lease grace decides if it must wait
    }
    throw new IllegalArgumentException("no priority for " + command.getClass().getSimpleName());
  }

  /**
   * How many requests must stay in the budget after a call of this priority: none for fencing, the
   * whole reserve for reads, in between for the others.
   */
  public int keepsInReserve(int reserve) {
    return reserve * ordinal() / (values().length - 1);
  }
}
