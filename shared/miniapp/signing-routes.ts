import { isSigningRefusal } from '../rebalance/signing-types';
import { signingPlanBody } from './signing-body';
import {
  API_PREFIX,
  errorAnswer,
  type ApiAnswer,
  type ApiRequest,
  type Handler,
  type MINIAPP_BUDGETS,
  type MiniAppApiDeps,
  type PatternRoute,
  type Route,
} from './miniapp-api';

type Limited = (kind: keyof typeof MINIAPP_BUDGETS, route: Handler) => Route;

const PLAN = '(?<planId>[A-Za-z0-9_-]{1,32})';
const LEG = '(?<legIndex>\\d{1,2})';
const path = (tail: string) => new RegExp(`^${API_PREFIX}/plans/${PLAN}${tail}$`);

/**
 * The signing routes (spec: Mini App API): `GET /plans/{planId}`, `POST /plans/{planId}/legs/{index}/prepare`,
 * `.../broadcast`, `.../submitted`. Bodies are checked here; a SigningRefusal becomes its status and plain words.
 */
export function signingRoutes(limited: Limited): PatternRoute[] {
  const signing =
    (
      run: (
        deps: MiniAppApiDeps & { signing: NonNullable<MiniAppApiDeps['signing']> },
        request: ApiRequest,
      ) => Promise<ApiAnswer>,
    ): Handler =>
    async (deps, request) => {
      const { signing } = deps;
      if (!signing) return errorAnswer(404, 'not-found', 'Signing is not set up here.');
      try {
        return await run({ ...deps, signing }, request);
      } catch (error) {
        if (!isSigningRefusal(error)) throw error;
        return errorAnswer(error.status, error.code, error.message, { ...error.extra });
      }
    };
  const planAnswer = async (
    deps: MiniAppApiDeps & { signing: NonNullable<MiniAppApiDeps['signing']> },
    request: ApiRequest,
  ) => {
    const { plan, dryRun } = await deps.signing.view(request.userId, request.params!.planId!);
    return { status: 200, body: signingPlanBody(plan, dryRun) };
  };
  const legOf = (request: ApiRequest) => ({
    userId: request.userId,
    planId: request.params!.planId!,
    legIndex: Number(request.params!.legIndex),
  });

  return [
    { pattern: path(''), methods: { GET: limited('read', signing(planAnswer)) } },
    {
      pattern: path(`/legs/${LEG}/prepare`),
      methods: {
        POST: limited(
          'sign',
          signing(async (deps, request) => {
            const address = readFields(request.body, ['address']);
            if (!address.ok) return errorAnswer(400, 'bad-request', address.problem);
            return {
              status: 200,
              body: await deps.signing.prepare({ ...legOf(request), address: address.value.address }),
            };
          }),
        ),
      },
    },
    {
      pattern: path(`/legs/${LEG}/broadcast`),
      methods: {
        POST: limited(
          'sign',
          signing(async (deps, request) => {
            const fields = readFields(request.body, ['stepId', 'signedTx']);
            if (!fields.ok) return errorAnswer(400, 'bad-request', fields.problem);
            await deps.signing.broadcast({ ...legOf(request), ...fields.value });
            return planAnswer(deps, request);
          }),
        ),
      },
    },
    {
      pattern: path(`/legs/${LEG}/submitted`),
      methods: {
        POST: limited(
          'write',
          signing(async (deps, request) => {
            const fields = readFields(request.body, ['stepId', 'txHash']);
            if (!fields.ok) return errorAnswer(400, 'bad-request', fields.problem);
            await deps.signing.submitted({ ...legOf(request), ...fields.value });
            return planAnswer(deps, request);
          }),
        ),
      },
    },
  ];
}

/** A JSON object with exactly these non-empty string fields (at most 64 KB each; a signed tx is a few KB). */
function readFields<K extends string>(
  body: unknown,
  names: readonly K[],
): { ok: true; value: Record<K, string> } | { ok: false; problem: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, problem: `the body must be a JSON object with ${names.join(', ')}` };
  const record = body as Record<string, unknown>;
  const extra = Object.keys(record).filter((key) => !names.includes(key as K));
  if (extra.length > 0) return { ok: false, problem: `unknown field ${extra[0]}` };
  for (const name of names) {
    const value = record[name];
    if (typeof value !== 'string' || value.trim() === '' || value.length > 65_536)
      return { ok: false, problem: `${name} must be a non-empty string` };
  }
  return { ok: true, value: record as Record<K, string> };
}
