import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { DEFAULT_HOST, SocketTracker, Timers, closeServer, hostPort } from './net';

export type DnsRecordSet = { cname?: string; a?: string[]; aaaa?: string[]; ttl?: number };
export type DnsBehaviour =
  DnsRecordSet | { rcode: 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' } | { silent: true } | { empty: true };

export interface DnsQueryLog {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export interface DnsServerOptions {
  host?: string;
  port?: number;
  records?: Record<string, DnsBehaviour>;
  latencyMs?: number;
}

type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR' | 'NOTIMP';

const RCODE_NUMBERS: Record<Rcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};
const DEFAULT_TTL = 60;
const MAX_CNAME_HOPS = 16;
const CLASSIC_UDP_LIMIT = 512;
// What we advertise and honour for EDNS clients; the DNS flag day 2020 value avoids IP fragmentation.
const EDNS_UDP_LIMIT = 1232;

type Answer = dnsPacket.Answer;
type Outcome = { kind: 'reply'; rcode: Rcode; answers: Answer[] } | { kind: 'silent' };

function normalise(name: string): string {
  return name.trim().replace(/\.+$/, '').toLowerCase();
}

function isRecordSet(b: DnsBehaviour): b is DnsRecordSet {
  return !('rcode' in b) && !('silent' in b) && !('empty' in b);
}

/**
 * A small DNS server that answers like a recursive resolver would for the names it is given: whole
 * CNAME chains in one answer, with each link's own TTL. That is what the probe sees in production when
 * it asks the VNet's resolver about `kv.vault.azure.net -> kv.privatelink.vaultcore.azure.net -> A`.
 */
export class DnsServer {
  readonly host: string;
  readonly port: number;
  readonly queries: DnsQueryLog[] = [];
  /** Delay before every reply, e.g. to exercise a probe's DNS timeout. */
  latencyMs: number;

  private records = new Map<string, DnsBehaviour>();
  private readonly timers = new Timers();

  private constructor(
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
    private readonly tracker: SocketTracker,
    host: string,
    port: number,
    opts: DnsServerOptions,
  ) {
    this.host = host;
    this.port = port;
    this.latencyMs = opts.latencyMs ?? 0;
    if (opts.records) this.setAll(opts.records);
  }

  static async start(opts: DnsServerOptions = {}): Promise<DnsServer> {
    const host = opts.host ?? DEFAULT_HOST;
    // UDP and TCP must share a port (clients retry a truncated answer over TCP on the same one). With
    // port 0 the kernel picks the UDP port, which TCP may find taken; a few fresh tries settle that.
    const attempts = opts.port ? 1 : 10;
    let lastError: unknown;
    for (let i = 0; i < attempts; i += 1) {
      const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      try {
        const port = await new Promise<number>((resolve, reject) => {
          udp.once('error', reject);
          udp.bind(opts.port ?? 0, host, () => {
            udp.off('error', reject);
            resolve(udp.address().port);
          });
        });
        const tcp = net.createServer();
        const tracker = new SocketTracker(tcp);
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen(port, host, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
        const server = new DnsServer(udp, tcp, tracker, host, port, opts);
        server.wire();
        return server;
      } catch (err) {
        lastError = err;
        udp.close();
      }
    }
    throw new Error(`could not bind DNS server on ${host}: ${String(lastError)}`, { cause: lastError });
  }

  /** `host:port`, ready for `Resolver.setServers([...])` or a resolv.conf-style setting. */
  address(): string {
    return hostPort(this.host, this.port);
  }

  set(name: string, behaviour: DnsBehaviour): void {
    this.records.set(normalise(name), behaviour);
  }

  delete(name: string): void {
    this.records.delete(normalise(name));
  }

  /** Replaces the whole zone data (unlike set(), which changes one name). */
  setAll(records: Record<string, DnsBehaviour>): void {
    this.records = new Map(Object.entries(records).map(([name, b]) => [normalise(name), b]));
  }

  async stop(): Promise<void> {
    this.timers.stop();
    await Promise.all([
      new Promise<void>((resolve) => {
        try {
          this.udp.close(() => resolve());
        } catch {
          resolve();
        }
      }),
      closeServer(this.tcp, this.tracker),
    ]);
  }

  private wire(): void {
    this.udp.on('message', (msg, rinfo) => {
      void this.answer(msg, 'udp').then((reply) => {
        if (reply && !this.timers.isStopped) this.udp.send(reply, rinfo.port, rinfo.address, () => undefined);
      });
    });
    // A stray ICMP-induced error must not crash the test process.
    this.udp.on('error', () => undefined);
    this.tcp.on('connection', (socket) => this.serveTcp(socket));
  }

  private serveTcp(socket: net.Socket): void {
    let buffered = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        void this.answer(message, 'tcp').then((reply) => {
          if (!reply || socket.destroyed) return;
          const framed = Buffer.alloc(2 + reply.length);
          framed.writeUInt16BE(reply.length, 0);
          reply.copy(framed, 2);
          socket.write(framed);
        });
      }
    });
  }

  private async answer(message: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined;
    }
    if (query.type === 'response') return undefined;
    const question = query.questions?.[0];
    const opt = query.additionals?.find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');

    let outcome: Outcome;
    if (!question) {
      outcome = { kind: 'reply', rcode: 'FORMERR', answers: [] };
    } else {
      this.queries.push({ name: normalise(question.name), type: question.type, transport });
      // Opcode lives in bits 11-14 of the flags; anything but a standard QUERY is not ours to answer.
      const opcode = ((query.flags ?? 0) >> 11) & 0xf;
      outcome =
        opcode === 0
          ? this.resolve(normalise(question.name), question.type)
          : { kind: 'reply', rcode: 'NOTIMP', answers: [] };
    }
    if (this.latencyMs > 0 && !(await this.timers.sleep(this.latencyMs))) return undefined;
    if (outcome.kind === 'silent') return undefined;

    const flags =
      dnsPacket.AUTHORITATIVE_ANSWER |
      dnsPacket.RECURSION_AVAILABLE |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      RCODE_NUMBERS[outcome.rcode];
    const additionals: Answer[] = opt
      ? [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: EDNS_UDP_LIMIT,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options: [],
          },
        ]
      : [];
    const response: dnsPacket.Packet = {
      type: 'response',
      id: query.id ?? 0,
      flags,
      questions: query.questions ?? [],
      answers: outcome.answers,
      additionals,
    };
    let encoded: Buffer;
    try {
      encoded = dnsPacket.encode(response);
    } catch {
      // Record data the encoder rejects (a malformed IP in a test's table) should look like a broken
      // server to the client, not crash the test process.
      encoded = dnsPacket.encode({ ...response, flags: (flags & ~0xf) | RCODE_NUMBERS.SERVFAIL, answers: [] });
    }
    if (transport === 'udp') {
      const limit = opt ? Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.udpPayloadSize, EDNS_UDP_LIMIT)) : CLASSIC_UDP_LIMIT;
      if (encoded.length > limit) {
        return dnsPacket.encode({ ...response, flags: flags | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
      }
    }
    return encoded;
  }

  private resolve(qname: string, qtype: string): Outcome {
    const answers: Answer[] = [];
    let name = qname;
    for (let hops = 0; ; hops += 1) {
      const behaviour = this.records.get(name);
      if (!behaviour) return { kind: 'reply', rcode: 'NXDOMAIN', answers };
      if ('silent' in behaviour) return { kind: 'silent' };
      if ('rcode' in behaviour) return { kind: 'reply', rcode: behaviour.rcode, answers };
      if ('empty' in behaviour || !isRecordSet(behaviour)) return { kind: 'reply', rcode: 'NOERROR', answers };

      const ttl = behaviour.ttl ?? DEFAULT_TTL;
      const cname = behaviour.cname ? normalise(behaviour.cname) : undefined;
      if (qtype === 'CNAME') {
        if (cname) answers.push({ type: 'CNAME', name, ttl, data: cname });
        return { kind: 'reply', rcode: 'NOERROR', answers };
      }
      if (qtype === 'ANY') {
        if (cname) answers.push({ type: 'CNAME', name, ttl, data: cname });
        for (const ip of behaviour.a ?? []) answers.push({ type: 'A', name, ttl, data: ip });
        for (const ip of behaviour.aaaa ?? []) answers.push({ type: 'AAAA', name, ttl, data: ip });
        return { kind: 'reply', rcode: 'NOERROR', answers };
      }
      if (cname) {
        if (hops >= MAX_CNAME_HOPS) return { kind: 'reply', rcode: 'SERVFAIL', answers: [] };
        answers.push({ type: 'CNAME', name, ttl, data: cname });
        name = cname;
        continue;
      }
      // A name that exists but has no data of the asked type is NODATA: NOERROR with nothing for it.
      if (qtype === 'A') for (const ip of behaviour.a ?? []) answers.push({ type: 'A', name, ttl, data: ip });
      if (qtype === 'AAAA') for (const ip of behaviour.aaaa ?? []) answers.push({ type: 'AAAA', name, ttl, data: ip });
      return { kind: 'reply', rcode: 'NOERROR', answers };
    }
  }
}
