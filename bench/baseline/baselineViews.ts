import type { BaselineContext } from './baselineHandlers';

/** recordView and viewStats by hand; written once the views schema (issue 3) is known. */
export async function recordView(
  _ctx: BaselineContext,
  _vars: Record<string, unknown>,
): Promise<unknown> {
  throw new Error('recordView baseline needs the views schema');
}

export async function viewStats(
  _ctx: BaselineContext,
  _vars: Record<string, unknown>,
): Promise<unknown> {
  throw new Error('viewStats baseline needs the views schema');
}
