import type { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from '../../core/ids.js';
import { ClientGone, RequestDeadline } from '../attempt.js';
import { Cancellation } from '../cancellation.js';
import { UnknownModelError } from '../errors.js';
import { parseJsonBody, readBody, sendError, sendJson } from '../http-io.js';
import { type Endpoint, parseInbound } from '../inbound-request.js';
import type { KeyAccount, Ticket } from '../keys/index.js';
import { worstCase } from '../reservation.js';
import type { GatewayCore } from './gateway-core.js';
import { asRequestError, newEvent, runIdOf, serve, settleUsage, UpstreamBodies } from './gateway-core.js';

/**
 * One generation or embedding request from arrival to the event: key,
 * body, model, admission against the key's limits, then backends tried in
 * the routers' order until one answers, waiting (bounded) when none can
 * take it; finally the reservation is settled with the real usage.
 */
export async function forward(
  core: GatewayCore,
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { config, fleet, keys } = core;
  const arrival = Date.now();
  const id = newId('req');
  const event = newEvent(id, arrival, endpoint, runIdOf(req));
  const cancel = new Cancellation();
  const onClose = () => {
    if (!res.writableFinished) cancel.abort(new ClientGone());
  };
  res.on('close', onClose);
  const deadline = setTimeout(() => cancel.abort(new RequestDeadline()), config.timeouts.requestMs);
  let account: KeyAccount | undefined;
  let ticket: Ticket | undefined;
  try {
    account = keys.authenticate(req.headers.authorization, req.headers['api-key']);
    event.keyId = account?.config.id;
    event.tenant = account?.config.tenant;
    const raw = await readBody(req, config.limits.maxBodyBytes);
    const inbound = parseInbound(endpoint, parseJsonBody(raw), raw.length);
    event.model = inbound.model;
    event.stream = inbound.stream;
    if (!fleet.serves(inbound.model)) {
      throw new UnknownModelError(
        inbound.model,
        fleet.models().filter((m) => keys.allows(account, m)),
      );
    }
    keys.checkModel(account, inbound.model);
    const injectMaxTokens =
      endpoint !== 'embeddings' && inbound.maxTokens === undefined && account?.metered === true;
    const maxTokens =
      endpoint === 'embeddings'
        ? 0
        : (inbound.maxTokens ?? (injectMaxTokens ? config.limits.defaultMaxTokens : 0));
    if (account) {
      const worst = worstCase(inbound.bytes, maxTokens, fleet.worstPrice(inbound.model));
      ticket = await account.admit(worst.tokens, worst.usd, arrival);
    }
    const bodies = new UpstreamBodies(inbound, raw, injectMaxTokens ? maxTokens : undefined);
    const served = await serve(core, inbound, bodies, req, res, cancel, event);
    await settleUsage(core, served, inbound, event, account, ticket);
  } catch (error) {
    const failure = asRequestError(error, event.model ?? '', config.timeouts.requestMs);
    if (failure) {
      if (!res.headersSent && !res.destroyed) sendError(res, failure, { 'x-swarm-request-id': id });
      event.status = failure.status;
      event.outcome = failure.status === 429 || failure.status < 500 ? 'rejected' : 'failed';
      event.error = { code: failure.code, message: failure.message };
    } else if (cancel.reason instanceof ClientGone || res.destroyed) {
      event.outcome = 'cancelled';
      event.status = 499;
    } else {
      event.outcome = 'failed';
      event.status = 500;
      event.error = { code: 'internal_error', message: String(error) };
      if (!res.headersSent)
        sendJson(res, 500, {
          error: {
            message: 'internal gateway error',
            type: 'server_error',
            param: null,
            code: 'internal_error',
          },
        });
      else res.destroy();
    }
  } finally {
    clearTimeout(deadline);
    res.off('close', onClose);
    if (ticket && !ticket.settled) await account?.settle(ticket, 0, 0, Date.now()).catch(() => {});
    event.durationMs = Date.now() - arrival;
    core.metrics.request(event);
    core.events.emit(event);
  }
}
