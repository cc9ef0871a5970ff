import { KEY_PATTERN, NAME_PATTERN } from './backend.js';
import { InvalidNameError } from './errors.js';

export function checkName(kind: string, name: string): string {
  if (!NAME_PATTERN.test(name)) throw new InvalidNameError(kind, name, NAME_PATTERN);
  return name;
}

export function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key) || key.startsWith('.') || key.endsWith('.')) {
    throw new InvalidNameError('key', key, KEY_PATTERN);
  }
  return key;
}
