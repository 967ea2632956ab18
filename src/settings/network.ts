import { CONCURRENCY_RANGE, DEADLINE_RANGE, deadlineForSchedule, DEFAULTS, TIMEOUT_RANGE } from './defaults';
import { range, setting } from './setting';
import * as t from './types';

/** How to probe: the network flags and settings, in --help order. */
export const NETWORK = {
  dnsServers: setting({
    env: 'PROBE_DNS_SERVERS',
    section: 'Network',
    list: true,
    parse: t.dnsServer,
    flags: [
      {
        name: 'dns-server',
        usage: '--dns-server <ip[:port]>',
        help: [
          'DNS server the explicit resolver asks (repeatable; default: the',
          "system's). The OS resolver (getaddrinfo, hosts file) is always asked too.",
        ],
      },
    ],
    readme: { default: "the system's", allowed: '`ip`, `ip:port` or `[ipv6]:port`, comma-separated' },
  }),
  connectTo: setting({
    env: 'PROBE_CONNECT_TO',
    section: 'Network',
    list: true,
    parse: t.connectTo,
    flags: [
      {
        name: 'connect-to',
        usage: '--connect-to <h1:p1:h2:p2>',
        help: [
          'Like curl: connect to h2:p2 where h1:p1 was meant, keeping SNI and Host.',
          'h1 is the vault hostname or a resolved address; empty matches any.',
        ],
      },
    ],
    readme: {
      default: '(empty)',
      allowed:
        "`host1:port1:host2:port2` rules, comma-separated, as `--connect-to`: test one endpoint IP with the vault's SNI and Host",
    },
  }),
  dataplane: setting({
    section: 'Network',
    parse: t.onOff,
    default: 'on',
    flags: [
      {
        name: 'no-dataplane',
        usage: '--no-dataplane',
        switchValue: 'off',
        help: ['Skip the data plane (GET /healthstatus and the authenticated read) on', 'each resolved address.'],
      },
    ],
  }),
  dataplaneAuth: setting({
    env: 'PROBE_DATAPLANE_AUTH',
    section: 'Network',
    parse: t.onOff,
    default: 'on',
    flags: [
      {
        name: 'dataplane-auth',
        usage: '--dataplane-auth',
        switchValue: 'on',
        help: [
          'Also send one authenticated read (list one secret; keys on a Managed',
          'HSM) to each address, with a data-plane token: the request that',
          'reproduces the 403. On by default; Key Vault answers it ForbiddenByRbac',
          'once the network path is accepted, so no data-plane role is needed.',
        ],
      },
      {
        name: 'no-dataplane-auth',
        usage: '--no-dataplane-auth',
        switchValue: 'off',
        help: [
          'Do not send it: only /healthstatus, which Key Vault answers whatever',
          'the Host or the firewall says.',
        ],
      },
    ],
    readme: {
      default: '`on`',
      allowed:
        '`on`, `off`: also send one authenticated read to each address, the request that reproduces the 403 (`--dataplane-auth` / `--no-dataplane-auth`)',
    },
  }),
  timeoutMs: setting({
    env: 'PROBE_TIMEOUT_MS',
    section: 'Network',
    parse: t.int(TIMEOUT_RANGE),
    default: String(DEFAULTS.timeoutMs),
    flags: [
      {
        name: 'timeout',
        usage: '--timeout <ms>',
        help: [
          `Timeout of each request: ARM page, DNS lookup, HTTPS (default ${DEFAULTS.timeoutMs}; ${TIMEOUT_RANGE.min}-${TIMEOUT_RANGE.max}).`,
        ],
      },
    ],
    readme: {
      default: `\`${DEFAULTS.timeoutMs}\``,
      allowed: `${range(TIMEOUT_RANGE)}: the timeout of each network request: one ARM request (each page of a list, each retry), one DNS lookup, one HTTPS request to the data plane`,
    },
  }),
  concurrency: setting({
    env: 'PROBE_CONCURRENCY',
    section: 'Network',
    parse: t.int(CONCURRENCY_RANGE),
    default: String(DEFAULTS.concurrency),
    flags: [
      {
        name: 'concurrency',
        usage: '--concurrency <n>',
        help: [
          `Vaults probed at once (default ${DEFAULTS.concurrency}; ${CONCURRENCY_RANGE.min}-${CONCURRENCY_RANGE.max}).`,
        ],
      },
    ],
    readme: { default: `\`${DEFAULTS.concurrency}\``, allowed: `${range(CONCURRENCY_RANGE)}: vaults probed at once` },
  }),
  deadlineMs: setting({
    env: 'PROBE_RUN_DEADLINE_MS',
    section: 'Network',
    parse: t.int(DEADLINE_RANGE),
    default: String(DEFAULTS.deadlineMs),
    envDefault: (get) => String(deadlineForSchedule(get('PROBE_SCHEDULE') ?? DEFAULTS.schedule)),
    flags: [
      {
        name: 'deadline',
        usage: '--deadline <ms>',
        help: [
          'Budget of the whole run; vaults not finished by then are reported',
          `unknown (default ${DEFAULTS.deadlineMs}; ${DEADLINE_RANGE.min}-${DEADLINE_RANGE.max}).`,
        ],
      },
    ],
    readme: {
      default: `80% of the \`PROBE_SCHEDULE\` interval, at most \`${DEFAULTS.deadlineMs}\` (48 s at 1 minute, 96 s at 2, 240 s from 5 minutes up)`,
      allowed: `${range(DEADLINE_RANGE)}: the whole run's budget, below \`host.json\`'s \`functionTimeout\`; vaults not finished are reported \`unknown\`. The CLI's \`--deadline\` defaults to ${DEFAULTS.deadlineMs}`,
    },
  }),
} as const;
