/**
 * Mixed officer load for the HTTP section: each connection is one officer who screens a traveller,
 * claims the next case of their checkpoint, and decides it (clear, documents verified) — or, when the
 * queue is empty, lists the queue instead. Drives the real API with autocannon.
 */
import autocannon from 'autocannon';

export interface MixedLoadResult {
  seconds: number;
  screenings: number;
  claims: number;
  decisions: number;
  lists: number;
  unexpected: Record<string, number>;
  errors: number;
  timeouts: number;
  p99: number;
}

interface OfficerContext {
  token?: string;
  caseId?: string;
}

export async function mixedLoad(baseUrl: string, seconds: number, connections: number, bodies: string[], tokens: string[]): Promise<MixedLoadResult> {
  let nextBody = 0;
  let nextToken = 0;
  const counts = { screenings: 0, claims: 0, decisions: 0, lists: 0 };
  const unexpected: Record<string, number> = {};
  const note = (what: string, status: number) => {
    const key = `${what} ${status}`;
    unexpected[key] = (unexpected[key] ?? 0) + 1;
  };
  const headersOf = (context: OfficerContext) => {
    context.token ??= tokens[nextToken++ % tokens.length];
    return { 'content-type': 'application/json', authorization: `Bearer ${context.token}` };
  };
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/departure-checks',
        setupRequest: (request, context) => ({ ...request, headers: headersOf(context as OfficerContext), body: bodies[nextBody++ % bodies.length] }),
        onResponse: (status) => (status === 201 ? counts.screenings++ : note('screen', status)),
      },
      {
        method: 'POST',
        path: '/api/v1/cases/next',
        setupRequest: (request, context) => ({ ...request, headers: headersOf(context as OfficerContext), body: '{}' }),
        onResponse: (status, body, context) => {
          const officer = context as OfficerContext;
          officer.caseId = undefined;
          if (status === 200) {
            counts.claims++;
            officer.caseId = (JSON.parse(body) as { id: string }).id;
          } else if (status !== 204) note('claim', status);
        },
      },
      {
        method: 'POST',
        path: '/api/v1/cases',
        setupRequest: (request, context) => {
          const officer = context as OfficerContext;
          if (!officer.caseId) return { ...request, method: 'GET', path: '/api/v1/cases?limit=20', headers: headersOf(officer), body: undefined };
          return { ...request, path: `/api/v1/cases/${officer.caseId}/decision`, headers: headersOf(officer), body: JSON.stringify({ action: 'clear', reasonCode: 'documents_verified' }) };
        },
        onResponse: (status, _body, context) => {
          const officer = context as OfficerContext;
          if (officer.caseId) {
            if (status === 200) counts.decisions++;
            else note('decide', status);
          } else if (status === 200) counts.lists++;
          else note('list', status);
        },
      },
    ],
  });
  return { seconds: result.duration, ...counts, unexpected, errors: result.errors, timeouts: result.timeouts, p99: result.latency.p99 };
}
