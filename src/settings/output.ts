import { OUTPUT_FORMATS } from './defaults';
import { setting } from './setting';
import * as t from './types';

/** The CLI's output flags, in --help order. */
export const OUTPUT = {
  output: setting({
    section: 'Output',
    parse: t.oneOf(OUTPUT_FORMATS),
    default: 'table',
    flags: [
      {
        name: 'output',
        usage: '--output <table|json|html>',
        help: [
          'table (default) for people; json prints one document on stdout (the',
          'contract for scripts); html prints one self-contained page that draws',
          "each vault's resolution path beside the one ARM expects.",
        ],
      },
    ],
  }),
  allFindings: setting({
    section: 'Output',
    parse: t.onOff,
    default: 'off',
    flags: [
      {
        name: 'all-findings',
        usage: '--all-findings',
        switchValue: 'on',
        help: ['table: also print the findings each diagnosis explains, indented under it.'],
      },
    ],
  }),
  statuses: setting({
    section: 'Output',
    list: true,
    parse: t.oneOf(['healthy', 'unhealthy', 'unknown']),
    flags: [
      {
        name: 'status',
        usage: '--status <healthy|unhealthy|unknown>',
        help: ['Show only vaults of this status (repeatable). The exit code still counts every vault.'],
      },
    ],
  }),
  codes: setting({
    section: 'Output',
    list: true,
    parse: t.findingCodeName,
    flags: [
      {
        name: 'code',
        usage: '--code <CODE>',
        help: ['Show only vaults with a finding of this code, and only the diagnoses that hold one (repeatable).'],
      },
    ],
  }),
  quiet: setting({
    section: 'Output',
    parse: t.onOff,
    default: 'off',
    flags: [
      {
        name: 'quiet',
        short: 'q',
        usage: '-q, --quiet',
        switchValue: 'on',
        help: ['No progress line on stderr (it is drawn only when stderr is a terminal).'],
      },
    ],
  }),
  help: setting({
    section: 'Output',
    parse: t.onOff,
    default: 'off',
    flags: [{ name: 'help', short: 'h', usage: '-h, --help', switchValue: 'on', help: ['Show this help.'] }],
  }),
} as const;
