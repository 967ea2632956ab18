export interface WorkbookQuery {
  /** The item's `name`. */
  readonly name: string;
  readonly query: string;
}

/** The KQL of every query item (type 3) of a workbook's JSON, wherever it sits (groups nest items). */
export function queriesOfWorkbook(workbook: unknown): WorkbookQuery[] {
  const queries: WorkbookQuery[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const content = record['content'];
      if (record['type'] === 3 && typeof content === 'object' && content !== null) {
        const query = (content as Record<string, unknown>)['query'];
        if (typeof query === 'string') {
          queries.push({ name: String(record['name']), query });
        }
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(workbook);
  return queries;
}
