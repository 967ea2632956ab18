import { APP } from './app';
import { NETWORK } from './network';
import { OUTPUT } from './output';
import { SCOPE } from './scope';

export * from './defaults';
export type { Flag, Getter, Setting } from './setting';

/**
 * Every setting of the Functions app and every flag of `kvprobe check`, a row each: where it comes from (app setting,
 * flags), how it is parsed (src/settings/types.ts), its default, and how --help and the README describe it. The
 * app-settings reader, the flag parser, --help and the README check all read it. Flags appear in --help in this order.
 */
export const SETTINGS = { ...SCOPE, ...NETWORK, ...OUTPUT, ...APP } as const;
