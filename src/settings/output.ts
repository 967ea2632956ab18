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
