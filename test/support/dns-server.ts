import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { once } from 'node:events';

/** One domain's records as the test server answers them; `silent`: never answers (a resolver timeout). */
export interface Zone {
  mx?: Array<{ preference: number; exchange: string }>;
  a?: string[];
  aaaa?: string[];
  silent?: boolean;
}

const NXDOMAIN = 3;

/**
 * A small authoritative DNS server on loopback (UDP), built with `dns-packet`: the names of `zones`
 * answer their records (no record of the asked type: an empty NOERROR answer), any other name
 * NXDOMAIN. `queries` counts the questions per name, to prove what the service cached.
 */
export async function startDnsServer(zones: Record<string, Zone>) {
  const socket = createSocket('udp4');
  const queries = new Map<string, number>();
  socket.on('message', (message: Buffer, peer: RemoteInfo) => {
    const query = dnsPacket.decode(message);
    const [question] = query.questions ?? [];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.set(name, (queries.get(name) ?? 0) + 1);
    const zone = zones[name];
    if (zone?.silent) return;
    const answers: Answer[] = [];
    if (zone && question.type === 'MX') for (const data of zone.mx ?? []) answers.push({ type: 'MX', name, ttl: 60, data });
    if (zone && question.type === 'A') for (const data of zone.a ?? []) answers.push({ type: 'A', name, ttl: 60, data });
    if (zone && question.type === 'AAAA') for (const data of zone.aaaa ?? []) answers.push({ type: 'AAAA', name, ttl: 60, data });
    const response: Packet = {
      id: query.id,
      type: 'response',
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | (zone ? 0 : NXDOMAIN),
      questions: [question],
      answers,
    };
    socket.send(dnsPacket.encode(response), peer.port, peer.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  return {
    /** For DNS_SERVERS. */
    server: `127.0.0.1:${port}`,
    queries: (name: string) => queries.get(name) ?? 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
