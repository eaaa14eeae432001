/** What every section returns, the table printed at the end and the JSON written next to it. */
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Row {
  measure: string;
  value: string;
  goal?: string;
  /** true/false when there is a goal, null when it could not be measured. */
  met?: boolean | null;
  note?: string;
}

export interface SectionResult {
  section: string;
  rows: Row[];
  /** The raw figures, for bench/results/latest.json. */
  figures: Record<string, unknown>;
  /** Correctness problems found while measuring (a bench failure, reported plainly). */
  failures: string[];
}

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  loadAverageAtStart: number[];
  gitCommit: string;
}

export function machineFacts(postgresVersion: string): MachineFacts {
  let gitCommit = 'unknown';
  try {
    gitCommit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout
  }
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: postgresVersion,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    gitCommit,
  };
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  rate: (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`,
  ms: (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`,
  s: (n: number) => `${n.toFixed(2)} s`,
  ratio: (n: number) => `${n >= 10 ? n.toFixed(0) : n.toFixed(2)}x`,
  mb: (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`,
};

const status = (row: Row) => (row.met === undefined ? '' : row.met === null ? 'n/a' : row.met ? 'met' : 'MISSED');

export function renderTable(machine: MachineFacts, results: SectionResult[], loadAtEnd: number[]): string {
  const header = ['section', 'measure', 'value', 'goal', 'status', 'note'];
  const lines: string[][] = [];
  for (const r of results) {
    r.rows.forEach((row, i) => lines.push([i === 0 ? r.section : '', row.measure, row.value, row.goal ?? '', status(row), row.note ?? '']));
    for (const failure of r.failures) lines.push(['', 'FAILURE', failure, '', 'FAILED', '']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const facts = [
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB; Node ${machine.node}; ${machine.postgres}`,
    `Load average (1/5/15 min): ${machine.loadAverageAtStart.join(' / ')} at start, ${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')} at end; commit ${machine.gitCommit}`,
  ];
  return [...facts, '', line(header), rule, ...lines.map(line)].join('\n');
}
