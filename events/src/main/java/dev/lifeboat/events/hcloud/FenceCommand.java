package dev.lifeboat.events.hcloud;

import java.util.List;

/** A command that fences a lost node's server: power it off, or delete it. */
public sealed interface FenceCommand extends HcloudCommand permits PowerOffServer, DeleteServer {

  /**
   * Servers of the cluster's healthy nodes: a {@code not_found} for the fenced server proves its
   * deletion only while the same token reads one of them. Empty: only the project's server list can
   * prove it.
   */
  List<Long> witnessServerIds();
}
