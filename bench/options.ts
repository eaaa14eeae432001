/** Command line and environment of `npm run bench`. */
export const sectionNames = ['engine', 'http', 'batch', 'queue', 'manifest', 'network', 'watchlist'] as const;
export type SectionName = (typeof sectionNames)[number];

export interface BenchOptions {
  sections: SectionName[];
  /** Small sizes and short runs for a quick check (BENCH_QUICK=1 or --quick). */
  quick: boolean;
  /** Keep the bench databases after the run (BENCH_KEEP_DB=1), to look at them. */
  keepDatabases: boolean;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = argv.filter((a) => a.startsWith('--'));
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknownFlag = flags.find((f) => !['--quick', '--help'].includes(f));
  const unknownName = names.find((n) => !(sectionNames as readonly string[]).includes(n));
  if (flags.includes('--help') || unknownFlag || unknownName) {
    const problem = unknownFlag ? `unknown flag ${unknownFlag}\n` : unknownName ? `unknown section ${unknownName}\n` : '';
    throw new Error(
      `${problem}usage: npm run bench -- [${sectionNames.join('|')} ...] [--quick]\n` +
        '  no section names: all sections. --quick or BENCH_QUICK=1: small sizes and short runs.\n' +
        '  BENCH_CPU_PROF=1: CPU profiles under bench/results/profiles/. BENCH_KEEP_DB=1: keep the bench databases.',
    );
  }
  const truthy = (v: string | undefined) => v === '1' || v === 'true' || v === 'yes';
  return {
    sections: names.length === 0 ? [...sectionNames] : sectionNames.filter((s) => names.includes(s)),
    quick: flags.includes('--quick') || truthy(env.BENCH_QUICK),
    keepDatabases: truthy(env.BENCH_KEEP_DB),
  };
}
