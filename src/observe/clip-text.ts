/** Shortens text kept for people to read (events, audit records, span attributes), saying how much was cut. */
export function clipText(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… [${text.length - limit} more characters]`;
}
