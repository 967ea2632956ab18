import { DIAGNOSES } from '../lab/scenario-diagnoses';
import { ALL_SCENARIOS, SHOWCASE } from '../lab/scenarios';

describe('every scenario declares its diagnoses in literals', () => {
  it.each(ALL_SCENARIOS.map((s) => [s.name, s] as const))('%s: one list per expected vault, no other', (name, s) => {
    expect(Object.keys(DIAGNOSES[name] ?? {}).sort()).toEqual(Object.keys(s.expect).sort());
  });

  it('declares no scenario the catalogue lacks', () => {
    expect(Object.keys(DIAGNOSES).filter((n) => !ALL_SCENARIOS.some((s) => s.name === n))).toEqual([]);
  });

  it("the showcase's four broken vaults are four diagnoses, each with a fix, none for the healthy one", () => {
    const declared = Object.entries(DIAGNOSES[SHOWCASE.name] ?? {});
    expect(declared.map(([vault, ds]) => [vault, ds.length])).toEqual([
      ['kv-payments', 0],
      ['kv-orders', 1],
      ['kv-ledger', 1],
      ['kv-archive', 1],
      ['kv-reports', 1],
    ]);
    expect(declared.flatMap(([, ds]) => ds.filter((x) => x.fix.length === 0).map((x) => x.code))).toEqual([]);
  });

  it("pending-connection is one diagnosis, and a stranger's request leaves no approve command anywhere", () => {
    expect(DIAGNOSES['pending-connection']?.['kv-pending']?.map((x) => x.code)).toEqual(['PE_CONNECTION_NOT_APPROVED']);
    const stranger = DIAGNOSES['stranger-pending-request']?.['kv-requested'] ?? [];
    expect(stranger.map((x) => [x.code, x.severity, x.fix])).toEqual([['CONNECTION_REQUEST_PENDING', 'info', []]]);
  });
});
