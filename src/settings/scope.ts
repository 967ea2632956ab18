import { hostname } from 'node:os';
import { CLOUD_NAMES } from '../probe/clouds';
import { DEFAULTS, INVENTORY_VALUES, PER_VAULT_THRESHOLD } from './defaults';
import { setting } from './setting';
import * as t from './types';

/** What to probe: the scope flags and settings, in --help order. */
export const SCOPE = {
  targets: setting({
    env: 'PROBE_VAULTS',
    section: 'Scope',
    list: true,
    parse: t.vaultTarget,
    flags: [
      {
        name: 'vault',
        usage: '--vault <name|resourceId>',
        help: [
          'Vault to probe (repeatable). A name is looked up, case-insensitively,',
          'in the --subscription(s); a resource ID is read directly.',
        ],
      },
    ],
    readme: {
      default: '(empty)',
      allowed: 'vault names (searched in `PROBE_SUBSCRIPTIONS`) or vault resource IDs, comma-separated',
    },
  }),
  subscriptions: setting({
    env: 'PROBE_SUBSCRIPTIONS',
    section: 'Scope',
    list: true,
    parse: t.subscription,
    flags: [
      {
        name: 'subscription',
        usage: '--subscription <id>',
        help: [
          'Subscription to search (repeatable). Without --vault, every vault that',
          'has a private endpoint connection is probed; the others are skipped.',
        ],
      },
    ],
    readme: {
      default: '(empty)',
      allowed: 'subscription GUIDs, comma-separated: every vault with a private endpoint connection there is probed',
    },
  }),
  location: setting({
    env: 'PROBE_SITE',
    section: 'Scope',
    parse: t.label,
    envDefault: (get) => get('WEBSITE_SITE_NAME') ?? 'local',
    flagDefault: () => hostname(),
    renamedFrom: { env: 'PROBE_LOCATION', flag: 'location' },
    flags: [
      {
        name: 'site',
        usage: '--site <label>',
        help: [
          'Name of this probe site in reports (default: the host name).',
          '--location, its old name, still works and warns.',
        ],
      },
    ],
    readme: {
      default: '`WEBSITE_SITE_NAME`, else `local`',
      allowed:
        "a label for this probe site (the VNet, not an Azure region); the availability results' run location. `PROBE_LOCATION` (`--location`), its old name, is still read and warns",
    },
  }),
  cloud: setting({
    env: 'PROBE_CLOUD',
    section: 'Scope',
    parse: t.cloud,
    default: DEFAULTS.cloud,
    flags: [
      { name: 'cloud', usage: '--cloud <name>', help: [`${CLOUD_NAMES.join(' | ')} (default ${DEFAULTS.cloud}).`] },
    ],
    readme: { default: `\`${DEFAULTS.cloud}\``, allowed: CLOUD_NAMES.map((c) => `\`${c}\``).join(', ') },
  }),
  armEndpoint: setting({
    env: 'PROBE_ARM_ENDPOINT',
    section: 'Scope',
    parse: t.armEndpoint,
    flags: [
      {
        name: 'arm-endpoint',
        usage: '--arm-endpoint <https-url>',
        help: ["ARM endpoint to use instead of the cloud's; its CA must be trusted", '(NODE_EXTRA_CA_CERTS).'],
      },
    ],
    readme: { default: "the cloud's", allowed: 'an `https://` endpoint root, e.g. an emulator' },
  }),
  vnetId: setting({
    env: 'PROBE_VNET_ID',
    section: 'Scope',
    parse: t.vnetId,
    flags: [
      {
        name: 'vnet',
        usage: '--vnet <vnetOrSubnetResourceId>',
        help: [
          'The VNet (or better, the subnet) this machine runs in: its DNS servers and',
          'peerings tell which private DNS zones must be linked, and its custom DNS',
          "servers are asked too; a subnet's route table and service endpoints count.",
        ],
      },
    ],
    readme: {
      default: '(empty)',
      allowed:
        "the resource ID of the VNet the probe runs in, or of its subnet (the infra sets the site's integration subnet): the probe reads its DNS servers and peerings to know which private DNS zones must be linked where, and asks its custom DNS servers directly; with a subnet, that subnet's route table and service endpoints decide reach and VNet rules (with a VNet, every subnet's, leniently); reported in the heartbeat",
    },
  }),
  azureDns: setting({
    env: 'PROBE_AZURE_DNS',
    section: 'Scope',
    parse: t.oneOf(['auto', 'on', 'off'], 'auto, on or off'),
    envDefault: () => 'auto',
    flagDefault: () => 'off',
    flags: [
      {
        name: 'azure-dns',
        usage: '--azure-dns',
        switchValue: 'on',
        help: [
          'Also ask Azure DNS (168.63.129.16) directly, and report where it answers',
          "otherwise than this machine's resolver (for a VM in Azure).",
        ],
      },
    ],
    readme: {
      default: '`auto`',
      allowed:
        '`auto` (on where the app runs in Azure App Service/Functions, i.e. `WEBSITE_INSTANCE_ID` is set), `on`, `off`: also ask Azure DNS (168.63.129.16) directly and report where it answers otherwise than the resolver clients use',
    },
  }),
  managementGroups: setting({
    env: 'PROBE_MANAGEMENT_GROUPS',
    section: 'Scope',
    list: true,
    parse: t.managementGroup,
    flags: [
      {
        name: 'management-group',
        usage: '--management-group <id>',
        help: [
          'Probe every vault with a private endpoint in the management group',
          '(repeatable; read through Azure Resource Graph).',
        ],
      },
      {
        // Not a flag: what no scope flag means, documented where the scope flags are.
        name: '',
        usage: '(no --vault, --subscription or --management-group)',
        help: [
          'Every subscription this identity can read (Disabled ones skipped), read',
          'through Resource Graph or per-subscription lists, whichever costs fewer',
          "requests; only AZURE_SUBSCRIPTION_ID's subscription when that is set.",
        ],
      },
    ],
    readme: {
      default: '(empty)',
      allowed:
        'management group IDs, comma-separated: every vault with a private endpoint under them, read through Azure Resource Graph',
    },
  }),
  inventory: setting({
    env: 'PROBE_INVENTORY',
    section: 'Scope',
    parse: t.oneOf(INVENTORY_VALUES),
    default: DEFAULTS.inventory,
    flags: [
      {
        name: 'inventory',
        usage: '--inventory <kind>',
        help: [
          `How ARM is read: auto (default: per-vault for up to ${PER_VAULT_THRESHOLD} named vaults,`,
          'else batched), batched (one list per resource type and subscription),',
          'per-vault (one read per vault, endpoint and NIC), resource-graph.',
        ],
      },
    ],
    readme: {
      default: `\`${DEFAULTS.inventory}\``,
      allowed: `\`auto\` (per-vault reads for up to ${PER_VAULT_THRESHOLD} named vaults, else \`batched\`), \`batched\` (one list per resource type and subscription), \`per-vault\`, \`resource-graph\``,
    },
  }),
} as const;
