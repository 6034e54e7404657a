/** A tag's or author's names per language as stored: JSON, or null where none is given. */
export function namesJson(
  values: Readonly<Record<string, string>> | null | undefined,
): string | null {
  return values && Object.keys(values).length ? JSON.stringify(values) : null;
}
