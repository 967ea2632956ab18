import {
  FINDING_CAUSES,
  FINDING_CODES,
  FINDINGS,
  FINDINGS_BY_CAUSE,
  type FindingCode,
  type FindingInfo,
} from '../../src/probe/findings';
import type { CauseTable } from '../../src/probe/findings/info';

describe('the findings table, one file per cause', () => {
  it('is the cause tables together: each code in exactly one, under its own cause, most upstream cause first', () => {
    const byCause = FINDING_CAUSES.flatMap((cause) => Object.keys(FINDINGS_BY_CAUSE[cause]));
    expect(byCause).toEqual(FINDING_CODES);
    expect(new Set(byCause).size).toBe(byCause.length);
    for (const cause of FINDING_CAUSES) {
      const table: Readonly<Record<string, FindingInfo>> = FINDINGS_BY_CAUSE[cause];
      for (const [code, info] of Object.entries(table)) {
        expect({ code, cause: info.cause }).toEqual({ code, cause });
        expect(FINDINGS[code as FindingCode]).toBe(info);
      }
    }
  });

  it('a code declared without its row, or with a row of another cause, does not compile', () => {
    // @ts-expect-error: NEW_CODE has details but no row
    const noRow: CauseTable<{ NEW_CODE: { host: string } }, 'zone'> = {};
    const wrongCause: CauseTable<{ NEW_CODE: { host: string } }, 'zone'> = {
      // @ts-expect-error: a zone code's row says cause zone
      NEW_CODE: { severity: 'error', cause: 'dns', title: 't', when: 'w', remediation: 'r' },
    };
    expect([noRow, wrongCause]).toHaveLength(2);
  });
});
