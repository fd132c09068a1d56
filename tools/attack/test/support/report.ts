/** The attack suite's result table: one row per attack, printed when the suite ends. */
export interface AttackRow {
  attack: string;
  sent: number;
  expected: string;
  observed: string;
  passed: boolean;
}

export class AttackReport {
  readonly rows: AttackRow[] = [];

  add(row: AttackRow): AttackRow {
    this.rows.push(row);
    return row;
  }

  render(): string {
    const header: AttackRow = {
      attack: 'attack',
      sent: 0,
      expected: 'expected',
      observed: 'observed',
      passed: true,
    };
    const cells = (r: AttackRow, head = false) => [
      r.attack,
      head ? 'requests' : String(r.sent),
      r.expected,
      r.observed,
      head ? 'result' : r.passed ? 'pass' : 'FAIL',
    ];
    const all = [cells(header, true), ...this.rows.map((r) => cells(r))];
    const widths = all[0]!.map((_, i) => Math.min(70, Math.max(...all.map((row) => row[i]!.length))));
    const line = (row: string[]) =>
      `| ${row.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join(' | ')} |`;
    const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
    const total = this.rows.reduce((n, r) => n + r.sent, 0);
    return [
      line(all[0]!),
      rule,
      ...all.slice(1).map(line),
      '',
      `${this.rows.length} attacks, ${total} requests`,
    ].join('\n');
  }
}
