import pc from 'picocolors';
import { isSwarmError } from '../core/errors.js';

/**
 * Runs a command body and turns every failure into a message a user can act
 * on: Swarm's own errors print their message and hint; anything else is a
 * bug, printed as one, with the stack only under SWARM_DEBUG=1.
 */
export async function runAction(body: () => Promise<number | undefined>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (error) {
    process.stderr.write(formatError(error));
    if (process.env.SWARM_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}

export function formatError(error: unknown): string {
  if (isSwarmError(error)) {
    return `${pc.red('error:')} ${error.message}\n${error.hint ? `${pc.dim('hint:')} ${error.hint}\n` : ''}`;
  }
  return (
    `${pc.red('unexpected error:')} ${error instanceof Error ? error.message : String(error)}\n` +
    `${pc.dim('This is a bug in swarm. Run again with SWARM_DEBUG=1 to see where it happened, and report it.')}\n`
  );
}
