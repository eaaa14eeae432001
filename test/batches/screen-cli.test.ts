import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../support/harness';
import { progressLine, table } from '../../src/batches/screen-cli';
import { departureRow, toCsv, toJsonLines } from './support';

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(180_000);

const root = path.resolve(__dirname, '../..');

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/batches/screen-cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, SARING_TOKEN: '', SARING_USERNAME: '', SARING_PASSWORD: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run screen', () => {
  let ctx: TestContext;
  let server: Server;
  let url: string;
  let officer: { username: string; password: string; token: string };
  const dir = mkdtempSync(path.join(tmpdir(), 'saring-screen-'));

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.jobs.startWorking();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    server = ctx.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(path.join(dir, 'manifest.csv'), toCsv([departureRow(1)]));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a CSV with a bad row, when screened from the command line, then it shows progress and a summary table with the counts and the rejected row, and saves the results', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => departureRow(i + 1)) as Array<Record<string, any>>;
    rows[4]!.traveller.passportNumber = '12';
    const file = path.join(dir, 'manifest.csv');
    writeFileSync(file, toCsv(rows));
    const results = path.join(dir, 'results.csv');

    const run = await runCli([file, '--url', url, '--results', results, '--interval', '100'], { SARING_TOKEN: officer.token });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Uploaded\s+\[█{30}\] 100%/);
    expect(run.stdout).toMatch(/Screening\s+\[█{30}\] 100%\s+30 \/ 30 rows · 1 rejected/);
    expect(run.stdout).toMatch(/│ Rows received\s+│\s+30 │/);
    expect(run.stdout).toMatch(/│ Rejected \(invalid\)\s+│\s+1 │/);
    expect(run.stdout).toMatch(/│ Screened\s+│\s+29 │/);
    expect(run.stdout).toContain('row 5: traveller.passportNumber: expected an Indonesian passport number');
    const saved = readFileSync(results, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(saved).toHaveLength(31);
    expect(saved[5]).toMatch(/^5,rejected,/);
  });

  it('given a username and password instead of a token, when screening JSON lines, then it logs in and screens them', async () => {
    const file = path.join(dir, 'two.jsonl');
    writeFileSync(file, toJsonLines([departureRow(1), departureRow(2)]));
    const run = await runCli([file, '--url', url], { SARING_USERNAME: officer.username, SARING_PASSWORD: officer.password });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ Screened\s+│\s+2 │/);
  });

  it.each([
    ['no credentials', ['manifest.csv'], /Give a token/],
    ['a file of unknown format', ['notes.txt', '--token', 'x'], /name the file \.csv, \.jsonl or \.ndjson/],
    ['no file', [], /Usage: npm run screen/],
  ])('given %s, when run, then it exits 2 with a message', async (_name, args, message) => {
    const run = await runCli(args.map((arg) => (arg.includes('.') ? path.join(dir, arg) : arg)).concat(['--url', url]));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('given a refusal from the API, when run, then it exits 1 with the API message', async () => {
    const passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
    const file = path.join(dir, 'manifest.csv');
    const run = await runCli([file, '--url', url, '--kind', 'departure'], { SARING_TOKEN: passportOfficer });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered 403 FORBIDDEN/);
  });

  it('given counts, when drawn, then the bar and table have fixed widths', () => {
    expect(progressLine('Screening', 50, 200, '', 10)).toBe('Screening  [███░░░░░░░]  25%  50 / 200');
    expect(table([['a', '1'], ['bbb', '22']])).toBe(['┌─────┬────┐', '│ a   │  1 │', '│ bbb │ 22 │', '└─────┴────┘'].join('\n'));
  });
});
