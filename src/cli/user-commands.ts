import type { Command } from 'commander';

/** The commands for users of serpq and of the vendor: post, collect, ready, clock (filled in below). */
export function addUserCommands(program: Command): void {
  void program;
}
