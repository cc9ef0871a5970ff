/** What admission reserves against a key's limits for one request. */
export interface Reservation {
  tokens: number;
  usd: number;
}

/**
 * The worst case of a request: about 3 bytes of JSON body per prompt token
 * (a body is longer than its prompt, and prose runs nearer 4 characters a
 * token, so this leans high, as a reservation should) plus every allowed
 * output token, all at the dearest price among the model's backends.
 */
export function worstCase(
  bodyBytes: number,
  maxTokens: number,
  price: { input: number; output: number },
): Reservation {
  const promptTokens = Math.ceil(bodyBytes / 3);
  return {
    tokens: promptTokens + maxTokens,
    usd: (promptTokens * price.input + maxTokens * price.output) / 1_000_000,
  };
}
