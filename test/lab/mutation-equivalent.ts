import type { MutantRef } from './mutation-summary';

/**
 * Surviving mutants of `npm run mutate` judged equivalent: no test can kill them, because the mutated program
 * behaves as the original for every input. Each names the mutant as docs/measurements/mutation.json does (file,
 * line, mutator, replacement) and says why. test/unit/figures.test.ts fails when one is no longer a survivor of the
 * committed report, so the list cannot go stale; docs/DESIGN.md renders it.
 */
export const MUTATION_EQUIVALENT: readonly (Omit<MutantRef, 'column'> & { readonly reason: string })[] = [
  {
    file: 'src/probe/checks/dataplane-endpoints.ts',
    line: 30,
    mutator: 'StringLiteral',
    replacement: '"Stryker was here!"',
    reason:
      'an endpoint without a subnet ID gets that text instead of the empty string; neither starts with `<VNet ID>/subnets/` (a VNet ID starts with /subscriptions/), so the endpoint is not local either way',
  },
];
