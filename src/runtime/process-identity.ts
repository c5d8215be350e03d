import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who this process is to the operating system, for claims that outlive a process: the owner
 * registry (worker/owners.ts) and the relay's upstream slots (executors/relay/upstream.ts) record a
 * machine key and a pid, and free at once what a process left behind when its pid no longer runs on
 * the same machine. It reads the OS (/proc, the host name, signals), so it is not domain/; it imports
 * nothing of ours, so any layer may use it.
 */

/**
 * A key equal for processes that see each other's pids: the kernel's boot id and pid namespace on
 * Linux (containers on one host differ), else the host name.
 */
export function machineKey(): string {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const ns = readlinkSync('/proc/self/ns/pid');
    return `${boot}/${ns}`;
  } catch {
    return hostname();
  }
}

/** Whether a process runs under this pid (a zombie, killed but not yet reaped, does not). */
export function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
