import type { MutantRef } from './mutation-summary';

/**
 * Surviving mutants of `npm run mutate` judged equivalent: no test can kill them, because the mutated program
 * behaves as the original for every input. Each names the mutant as docs/measurements/mutation.json does (file,
 * line, mutator, replacement) and says why. test/unit/figures.test.ts fails when one is no longer a survivor of the
 * committed report, so the list cannot go stale; docs/DESIGN.md renders it.
 */
export const MUTATION_EQUIVALENT: readonly (Omit<MutantRef, 'column'> & { readonly reason: string })[] = [
  {
    file: 'src/probe/checks/zone-links.ts',
    line: 97,
    mutator: 'StringLiteral',
    replacement: '"Stryker was here!"',
    reason:
      'a link without a resolution policy reads that text instead of the empty string; lower-cased, neither is `nxdomainredirect`, so the link redirects in neither case',
  },
  {
    file: 'src/probe/connectivity.ts',
    line: 92,
    mutator: 'StringLiteral',
    replacement: '"Stryker was here!"',
    reason:
      'a hub whose WAN type is not given reads that text instead of the empty string; neither is `standard`, so the type is unknown either way',
  },
  {
    file: 'src/probe/expectation.ts',
    line: 67,
    mutator: 'Regex',
    replacement: '/(.*\\/virtualNetworks\\/[^/]+)\\/subnets\\/[^/]+$/i',
    reason:
      'without `^` the pattern still starts with `.*`, which matches from the first character: the leftmost match, and its group, are the same for every subnet ID',
  },
];
