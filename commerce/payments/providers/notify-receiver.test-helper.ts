import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PaymentProvider, VerifiedNotification } from './types.ts';

export interface Received {
  /** Every request as it arrived, for replaying it altered. */
  requests: Array<{ headers: Record<string, string | undefined>; rawBody: string }>;
  accepted: VerifiedNotification[];
  /** Why each refused notification was refused (NotificationRejected's message). */
  refused: string[];
}

export interface NotifyReceiver extends Received {
  url: string;
  close(): Promise<void>;
}

async function rawBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The merchant's notify_url in the tests: a real HTTP endpoint on loopback that verifies with the
 * provider and answers with the provider's ack, as the payments service's route does.
 */
export async function startNotifyReceiver(provider: PaymentProvider): Promise<NotifyReceiver> {
  const requests: Received['requests'] = [];
  const accepted: VerifiedNotification[] = [];
  const refused: string[] = [];
  const server = createServer(async (request, response) => {
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    let ack: ReturnType<PaymentProvider['ack']>;
    const body = await rawBody(request);
    requests.push({ headers, rawBody: body });
    try {
      accepted.push(await provider.verifyNotification({ headers, rawBody: body }));
      ack = provider.ack(true);
    } catch (error) {
      refused.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      ack = provider.ack(false, 'refused');
    }
    response.writeHead(ack.status, { 'content-type': ack.contentType });
    response.end(ack.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    requests,
    accepted,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
