import { fromGlobalId, toGlobalId } from 'graphql-relay';

export type NodeType = 'Article' | 'Author' | 'Tag';
const nodeTypes: ReadonlySet<string> = new Set<NodeType>(['Article', 'Author', 'Tag']);

/**
 * The largest internal id: ids are PostgreSQL `integer` (int4) columns, so 2^31 - 1 on both
 * databases (SQLite's INTEGER PRIMARY KEY would go further, PostgreSQL fails the statement).
 */
export const maxInternalId = 2 ** 31 - 1;

/** Whether a value can be an internal id of ours: a whole number from 1 to maxInternalId. */
export function isInternalId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= maxInternalId;
}

/** The opaque Node id of a row: base64 of "Type:internalId", as Relay's global ids are. */
export function encodeGlobalId(type: NodeType, internalId: number): string {
  return toGlobalId(type, String(internalId));
}

/**
 * Splits a Node id; null for anything that is not one of ours, an id outside 1..maxInternalId
 * included, so that it is unknown on both databases (never throws on client input).
 */
export function decodeGlobalId(id: string): { type: NodeType; internalId: number } | null {
  if (id.length > 200) return null;
  let decoded: { type: string; id: string };
  try {
    decoded = fromGlobalId(id);
  } catch {
    return null;
  }
  // Ten digits at most: maxInternalId has ten, and longer ones would lose precision as numbers.
  if (!nodeTypes.has(decoded.type) || !/^[1-9]\d{0,9}$/.test(decoded.id)) return null;
  const internalId = Number(decoded.id);
  if (!isInternalId(internalId)) return null;
  return { type: decoded.type as NodeType, internalId };
}
