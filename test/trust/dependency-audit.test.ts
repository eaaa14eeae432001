import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `.ci/audit-deps` runs `npm audit --omit=dev`; here a stand-in `npm` on PATH prints a canned report,
 * so each way the audit can end is checked without depending on the registry of the day.
 */
describe('CI dependency audit', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(path.join(tmpdir(), 'fake-npm-'));
    writeFileSync(path.join(bin, 'npm'), '#!/usr/bin/env bash\n[ "$*" = "audit --omit=dev --audit-level=high --json" ] || exit 99\ncat "$FAKE_NPM_REPORT"\nexit "$FAKE_NPM_STATUS"\n');
    chmodSync(path.join(bin, 'npm'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  function runWith(report: string, npmStatus: number) {
    const file = path.join(bin, 'report.json');
    writeFileSync(file, report);
    const run = spawnSync('bash', [path.resolve(__dirname, '../../.ci/audit-deps')], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_NPM_REPORT: file, FAKE_NPM_STATUS: String(npmStatus) },
      encoding: 'utf8',
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  const counts = (high: number, critical: number, moderate = 0) => ({ info: 0, low: 0, moderate, high, critical, total: high + critical + moderate });

  it('given a high advisory in a production dependency, when CI audits, then it fails naming the package', () => {
    const report = { vulnerabilities: { 'some-lib': { severity: 'high', range: '<1.2.3', fixAvailable: true } }, metadata: { vulnerabilities: counts(1, 0) } };
    const result = runWith(JSON.stringify(report), 1);
    expect(result.status).toBe(1);
    expect(result.output).toContain('high: some-lib <1.2.3 (fix available)');
  });

  it('given only moderate advisories, when CI audits, then it passes and says how many lower ones there are', () => {
    const result = runWith(JSON.stringify({ vulnerabilities: {}, metadata: { vulnerabilities: counts(0, 0, 2) } }), 0);
    expect(result.status).toBe(0);
    expect(result.output).toContain('no high or critical advisories in production dependencies (2 lower)');
  });

  it('given a registry without the audit endpoint (405), when CI audits, then it says plainly that nothing was audited and does not fail', () => {
    const result = runWith(JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk', statusCode: 405 }), 1);
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/SKIPPED.*405 Method Not Allowed.*NOT audited/);
  });

  it('given output that is not JSON, when CI audits, then it fails rather than pass unaudited', () => {
    const result = runWith('npm ERR! something odd', 1);
    expect(result.status).toBe(1);
  });
});
