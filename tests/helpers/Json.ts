/** A GraphQL response's data as tests walk it: any shape, checked by the assertions. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
