import { fromGlobalId, toGlobalId } from 'graphql-relay';

export type NodeType = 'Article' | 'Author' | 'Tag';
const nodeTypes: ReadonlySet<string> = new Set<NodeType>(['Article', 'Author', 'Tag']);

/** The opaque Node id of a row: base64 of "Type:internalId", as Relay's global ids are. */
export function encodeGlobalId(type: NodeType, internalId: number): string {
  return toGlobalId(type, String(internalId));
}

/** Splits a Node id; null for anything that is not one of ours (never throws on client input). */
export function decodeGlobalId(id: string): { type: NodeType; internalId: number } | null {
  if (id.length > 200) return null;
  let decoded: { type: string; id: string };
  try {
    decoded = fromGlobalId(id);
  } catch {
    return null;
  }
  if (!nodeTypes.has(decoded.type) || !/^[1-9]\d{0,15}$/.test(decoded.id)) return null;
  const internalId = Number(decoded.id);
  if (!Number.isSafeInteger(internalId)) return null;
  return { type: decoded.type as NodeType, internalId };
}
