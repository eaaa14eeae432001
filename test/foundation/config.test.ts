import { ConfigError, loadConfig } from '../../src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('given a non-numeric PORT, when loading, then it is refused naming PORT', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT: /)]);
  });

  it('given several bad variables, when loading, then every one is named at once', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'REDIS_URL']);
  });

  it('given production without JWT_SECRET, when loading, then it is refused naming JWT_SECRET', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
  });

  it('given several API processes without Redis, when loading, then it is refused naming API_PROCESSES and REDIS_URL', () => {
    expect(problemsOf({ API_PROCESSES: '2' })).toEqual([expect.stringMatching(/^API_PROCESSES: .*REDIS_URL/)]);
    expect(loadConfig({ API_PROCESSES: '2', REDIS_URL: 'redis://127.0.0.1:6379' }).API_PROCESSES).toBe(2);
  });

  it('given a short JWT_SECRET, when loading, then it is refused', () => {
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual([expect.stringMatching(/^JWT_SECRET: .*32/)]);
  });

  it('given nothing, when loading, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});
