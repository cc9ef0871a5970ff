/**
 * Whether a process of this host runs. Signal 0 only asks: ESRCH means gone;
 * EPERM means it runs under another user, which is alive too. Locks and run
 * states left by crashed processes are reclaimed by this one rule.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
