import { SwarmError } from '../core/errors.js';

/** A command-line value that cannot be used. */
export class InvalidInputError extends SwarmError {
  constructor(message: string) {
    super('invalid_input', message, { hint: 'See the command with --help for its options and an example.' });
  }
}
