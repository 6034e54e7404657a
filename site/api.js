/**
 * POST /graphql on this origin, as any client of the public API: one named operation, JSON in and
 * out. Resolves with `data`; rejects with the first error's message (and its extensions.code).
 */
export async function graphql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await response.json();
  if (answer.errors?.length) {
    const [first] = answer.errors;
    const error = new Error(first.message);
    error.code = first.extensions?.code;
    throw error;
  }
  return answer.data;
}
