package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;

/** What came of an {@link HcloudCommand}. */
public sealed interface HcloudResult extends CommandResult
    permits HcloudCommandSucceeded,
        HcloudCommandAlreadyDone,
        HcloudCommandFailed,
        HcloudCommandDryRun,
        ServerObserved {

  /**
   * Any Hetzner command, except that an {@link ObserveServer} changes nothing: only {@link
   * ServerObserved} or a failure answers it.
   */
  @Override
  default boolean answers(Class<? extends Command> commandType) {
    return HcloudCommand.class.isAssignableFrom(commandType)
        && (commandType != ObserveServer.class || this instanceof HcloudCommandFailed);
  }
}
